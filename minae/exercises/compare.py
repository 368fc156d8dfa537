"""How a student's array is compared with the right one, and what the checker says.

``expect`` compares a gradient with central differences in float64 first, then with
minae's answer where minae has one (an output, with minae's alone), by ``scaled_error``
(each array against its own largest entry: a correct formula lands near 1e-10, a wrong
one near 1). When they differ it says which array, the largest difference and where, and
looks for the mistake: the student's array is compared with the right one under each of
the common slips (a missing 1/B, a transposed matrix, a sign, a gradient left at zero)
and with the wrong answers the task names (a penalty ignored, a padding off by one); the
first that matches becomes the hint.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator

import numpy

from ..teaching.gradcheck import scaled_error

# A correct float64 implementation lands near 1e-10 against minae's and against central
# differences (h = 1e-5); a wrong formula near 1. What counts as equal:
TOLERANCE = 1e-7


class Mismatch(Exception):
    """A task's check failed: ``message`` says what differs, ``hint`` what is likely wrong."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


def _as_array(value, what: str) -> numpy.ndarray:
    if value is None:
        raise Mismatch(
            f"{what} is None", "the function returns nothing for it: a `return` missing?"
        )
    try:
        return numpy.asarray(value, dtype=numpy.float64)
    except (TypeError, ValueError) as err:
        raise Mismatch(
            f"{what} is not an array of numbers ({type(value).__name__}: {err})"
        ) from None


def _matches(a: numpy.ndarray, b: numpy.ndarray) -> bool:
    if a.shape != b.shape or not (numpy.isfinite(a).all() and numpy.isfinite(b).all()):
        return False
    return scaled_error(a, b) < TOLERANCE


def common_slips(expected: numpy.ndarray, batch: int | None) -> list[tuple[str, numpy.ndarray]]:
    """The wrong answers a student often gives, as (hint, array)."""
    slips = []
    if batch and batch > 1:
        slips += [
            (
                f"it is {batch} (= B) times too large: the 1/B of the batch average is missing",
                expected * batch,
            ),
            (
                f"it is {batch} (= B) times too small: a 1/B too many (the loss's average is "
                "already in the incoming gradient, or a mean was taken where a sum belongs)",
                expected / batch,
            ),
        ]
    slips.append(("it has the right size and the wrong sign", -expected))
    if expected.ndim == 2 and expected.shape[0] != expected.shape[1]:
        slips.append(
            (
                "it is the right matrix transposed: a gradient is shaped like what it "
                "is the gradient of",
                expected.T,
            )
        )
    slips.append(("it is all zeros: not computed?", numpy.zeros_like(expected)))
    return slips


def _largest(got: numpy.ndarray, expected: numpy.ndarray, of: str = "expected") -> str:
    difference = numpy.abs(got - expected)
    where = numpy.unravel_index(int(numpy.argmax(difference)), difference.shape)
    index = ", ".join(str(int(i)) for i in where)
    return (
        f"largest difference {float(difference[where]):.3g} at [{index}] "
        f"(yours {float(got[where]):.6g}, {of} {float(expected[where]):.6g})"
    )


def expect(
    what: str,
    got,
    expected,
    *,
    numeric=None,
    batch: int | None = None,
    mistakes: Iterable[tuple[str, object]] = (),
) -> None:
    """Raise ``Mismatch`` unless ``got`` agrees with the right answer within TOLERANCE.

    ``numeric``: central differences of the same quantity in float64, the judge of a
    gradient: checked first, and the message names the array, the index and both values.
    ``expected``: minae's answer, where minae has one (None for a task minae does not
    contain). ``batch``: B, for the slips of a batch average; ``mistakes``: (hint, wrong
    answer) pairs of the task, tried before the common slips.
    """
    if expected is None and numeric is None:
        raise ValueError("expect needs minae's answer, central differences, or both")
    got = _as_array(got, what)
    right = numpy.asarray(numeric if numeric is not None else expected, dtype=numpy.float64)
    named = [(hint, numpy.asarray(wrong, dtype=numpy.float64)) for hint, wrong in mistakes]
    if got.shape != right.shape:
        hint = next(
            (h for h, wrong in named if wrong.shape == got.shape and _matches(got, wrong)), ""
        )
        if not hint and right.ndim == 2 and got.shape == right.shape[::-1]:
            hint = (
                "it has the transposed shape: a gradient is shaped like what it is the gradient of"
            )
        raise Mismatch(f"{what} has shape {got.shape}, expected {right.shape}", hint)
    if not numpy.all(numpy.isfinite(got)):
        raise Mismatch(f"{what} holds NaN or inf", "a division by zero, or an exp that overflows?")
    judges = []
    if numeric is not None:
        judges.append(("central differences", right))
    if expected is not None:
        judges.append(("minae's", numpy.asarray(expected, dtype=numpy.float64)))
    for judge, answer in judges:
        error = scaled_error(got, answer)
        if error < TOLERANCE:
            continue
        if judge == "central differences":
            message = (
                f"{what} disagrees with central differences: "
                f"{_largest(got, answer, 'central differences')}; scaled error "
                f"{error:.1e}"
            )
        else:
            message = f"{what}: {_largest(got, answer)}; scaled error {error:.1e} against minae's"
        hint = next(
            (h for h, wrong in named + common_slips(answer, batch) if _matches(got, wrong)), ""
        )
        raise Mismatch(message, hint)


def call(function: Callable, *args, returns: int = 1):
    """``function(*args)`` on copies of the arrays (a student's function that writes into
    its input must not change the next check), its result checked to be ``returns`` values."""
    copies = [numpy.array(a, copy=True) if isinstance(a, numpy.ndarray) else a for a in args]
    result = function(*copies)
    for original, copy in zip(args, copies, strict=True):
        if isinstance(original, numpy.ndarray) and not numpy.array_equal(original, copy):
            raise Mismatch(
                f"{function.__name__} changed one of its inputs in place",
                "return new arrays: `x -= ...` or `x[...] = ...` on an argument changes the "
                "caller's array (write `theta - lr * g`, or work on a copy)",
            )
    if returns > 1:
        if not isinstance(result, (tuple, list)) or len(result) != returns:
            raise Mismatch(
                f"{function.__name__} should return {returns} values, got {type(result).__name__}"
            )
    return result


@contextlib.contextmanager
def case(description: str) -> Iterator[None]:
    """Name the case (the shapes and settings) in a Mismatch raised inside the block."""
    try:
        yield
    except Mismatch as err:
        raise Mismatch(f"{err.message}\n    (case: {description})", err.hint) from None
