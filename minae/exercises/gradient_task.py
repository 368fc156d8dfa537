"""A task from a forward function alone: the student writes its backward, and the grader
checks it against central differences of the forward in float64, with no stored answer.

An instructor's task, in a Python file of theirs (``check --tasks-file course.py``)::

    import numpy as np
    from minae.exercises import gradient_task

    def swish(A):                      # Y = A σ(A), element-wise
        return A / (1 + np.exp(-A))

    TASKS = [gradient_task("swish_backward", swish, {"A": ("B", "N")}, file="e12_course",
                           points=3)]

and the student's ``e12_course.py`` holds ``def swish_backward(A, dY): ... return dA``.

The student's function takes the inputs in the order given, then the ``constants`` in
their order, then ``dY`` (∂R̂/∂Y, shaped like the forward's output) unless the forward
returns a number (a loss or a penalty), and returns the gradient of each input named in
``wrt`` (all inputs by default): one array, or a tuple in that order. Each of three
cases draws the inputs (their dimensions grow by one a case), and each gradient must
agree with central differences to 1e-7 in scaled error; the message names the array,
the index and both values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy

from ..infrastructure.validation import check_float, check_positive_int
from ..teaching.gradcheck import numerical_gradient, numerical_vjp
from .compare import call, case, expect
from .task import Task

DIMENSIONS = {"B": 4, "N": 5, "L": 3, "C": 2, "H": 6, "Wd": 6}


def _draw(spec, rng, dims: dict[str, int], drawn: dict) -> numpy.ndarray:
    if callable(spec):
        return numpy.asarray(spec(rng, dims, drawn), dtype=numpy.float64)
    shape = tuple(dims[d] if isinstance(d, str) else int(d) for d in spec)
    return rng.normal(size=shape)


def make_check(
    forward: Callable,
    inputs: Mapping[str, Sequence | Callable],
    *,
    wrt: Sequence[str] | None = None,
    constants: Mapping[str, object] | None = None,
    dimensions: Mapping[str, int] | None = None,
    mistakes: Callable[[dict], list[tuple[str, str, object]]] | None = None,
    seeds: Sequence[int] = (0, 1, 2),
) -> Callable[[Callable], None]:
    """The check of a student's backward of ``forward`` (see the module's docstring);
    ``mistakes(case)`` returns (gradient's name, hint, wrong answer) triples, where
    ``case`` holds the inputs, the constants, ``dY`` and ``numeric`` (the gradients)."""
    names = list(inputs)
    wrt = list(wrt or names)
    unknown = [w for w in wrt if w not in names]
    if unknown:
        raise ValueError(f"wrt names {unknown}, which are not among the inputs {names}")
    constants = dict(constants or {})

    def check(student: Callable) -> None:
        for seed in seeds:
            rng = numpy.random.default_rng(2000 + seed)
            dims = {k: v + seed for k, v in {**DIMENSIONS, **(dimensions or {})}.items()}
            values: dict[str, numpy.ndarray] = {}
            for name in names:
                values[name] = _draw(inputs[name], rng, dims, values)
            output = numpy.asarray(forward(**values, **constants), dtype=numpy.float64)
            scalar = output.ndim == 0
            dY = None if scalar else rng.normal(size=output.shape)
            numeric = {}
            for name in wrt:
                f = lambda values=values: forward(**values, **constants)  # noqa: E731
                numeric[name] = (
                    numerical_gradient(f, values[name])
                    if scalar
                    else numerical_vjp(f, values[name], dY)
                )
            args = [values[n] for n in names] + list(constants.values())
            args += [] if scalar else [dY]
            shapes = ", ".join(f"{n} {values[n].shape}" for n in names)
            settings = ", ".join(f"{k} = {v}" for k, v in constants.items())
            with case(f"{student.__name__} with {shapes}" + (f", {settings}" if settings else "")):
                got = call(student, *args, returns=len(wrt))
                got = (got,) if len(wrt) == 1 else tuple(got)
                wrong = (
                    mistakes({**values, **constants, "dY": dY, "numeric": numeric})
                    if mistakes
                    else []
                )
                batch = dims.get("B")
                for name, value in zip(wrt, got, strict=True):
                    expect(
                        f"d{name}",
                        value,
                        None,
                        numeric=numeric[name],
                        batch=batch,
                        mistakes=[(hint, w) for n, hint, w in wrong if n == name],
                    )

    return check


def gradient_task(
    name: str,
    forward: Callable,
    inputs: Mapping[str, Sequence | Callable],
    *,
    file: str,
    wrt: Sequence[str] | None = None,
    constants: Mapping[str, object] | None = None,
    dimensions: Mapping[str, int] | None = None,
    mistakes: Callable[[dict], list[tuple[str, str, object]]] | None = None,
    slide: str = "",
    lesson: str = "",
    points: float = 3,
    time_limit: float = 60.0,
    memory_limit: int = 4096,
) -> Task:
    """A :class:`Task` whose answer is checked against central differences of
    ``forward`` alone, as lesson 10 checks the convolution's backward: the student's
    gradient of each input, shaped like it (an X of shape (B, N) gets a dX of shape
    (B, N)), against (∂Y/∂x)ᵀ dY by differences in float64.

    Parameters
    ----------
    name : str
        The student's function, e.g. ``"swish_backward"``.
    forward : callable
        ``forward(**inputs, **constants)``: an array Y, or a number (a loss, a penalty).
    inputs : dict
        Each input's shape, as dimension names (``("B", "N")``; their sizes grow by one
        a case, from ``DIMENSIONS`` and ``dimensions``) or numbers, or a function
        ``(rng, dims) -> array`` that draws it (to keep it off a kink, say).
    file : str
        The student's file that holds it, without .py.
    wrt : list of str, optional
        The inputs whose gradients the student returns (default: all, in order).
    constants : dict, optional
        Further arguments, passed after the inputs and not differentiated.
    dimensions : dict, optional
        Sizes of named dimensions over ``DIMENSIONS`` (B 4, N 5, L 3, C 2, H 6, Wd 6 in
        the first case), e.g. ``{"B": 2}``.
    mistakes : callable, optional
        ``mistakes(case)`` -> (gradient name, hint, wrong answer) triples.
    slide, lesson, points, time_limit, memory_limit
        As in :class:`Task`.
    """
    for label, value in (("name", name), ("file", file)):
        if not isinstance(value, str):
            raise TypeError(f"{label} must be a Python identifier, got {value!r}")
        if not value.isidentifier():
            raise ValueError(f"{label} must be a Python identifier, got {value!r}")
    if not callable(forward) or isinstance(forward, type):
        raise TypeError(f"forward must be a function of the inputs, got {type(forward).__name__}")
    if not isinstance(inputs, Mapping) or not inputs:
        raise TypeError(
            f"inputs must be a dict from each input's name to its shape, got {inputs!r}"
        )
    for key, spec in inputs.items():
        if not (callable(spec) or isinstance(spec, (tuple, list))):
            raise TypeError(
                f"inputs[{key!r}] must be a shape (a tuple of dimension names or "
                f"sizes) or a function (rng, dims, drawn), got {spec!r}"
            )
    points = check_float(points, "points", low=0.0)
    time_limit = check_float(time_limit, "time_limit", low=0.0, low_open=True)
    memory_limit = check_positive_int(memory_limit, "memory_limit")
    check = make_check(
        forward, inputs, wrt=wrt, constants=constants, dimensions=dimensions, mistakes=mistakes
    )
    return Task(
        name,
        file,
        slide,
        lesson,
        check,
        points=points,
        time_limit=time_limit,
        memory_limit=memory_limit,
    )
