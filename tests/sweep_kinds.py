"""The kinds of parameter the bad-input sweep knows, each with the bad values it derives
from a good one, and the judge that says whether a call refused a bad value properly.

A call refuses properly when it raises ValueError or TypeError (or a minae error derived
from them) from inside minae, not from inside NumPy, with a message that names the
parameter; and when everything it was given (models, optimizers, Generators, arrays,
files) is bit-identical afterwards.
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import minae

MINAE = str(Path(minae.__file__).resolve().parent)
NUMPY = str(Path(np.__file__).resolve().parent)


class Kind:
    """A parameter's kind: ``bad(good)`` gives (label, bad value) pairs."""

    def bad(self, good) -> list[tuple[str, Any]]:
        raise NotImplementedError


@dataclass
class Array(Kind):
    """An array: refused as None, a string, a list, a 0-d array, an empty batch; with NaN
    where it must be finite; of the wrong shape where its shape is fixed by the others;
    of an integer dtype where it must hold floats."""

    finite: bool = True
    shaped: bool = True  # its shape is fixed (by the model, or by another argument)
    floats: bool = True
    batch: bool = True  # its first axis is a batch, which must not be empty
    scalar_ok: bool = False  # a 0-d array is an array of this kind too
    lists_ok: bool = False  # array-likes too (scikit-learn's contract, for PCA)

    def bad(self, good):
        out: list[tuple[str, Any]] = [("None", None), ("a string", "X")]
        if not self.lists_ok:
            out.append(("a list", np.asarray(good).tolist()))
        if not self.scalar_ok:
            out.append(("a 0-d array", np.array(0.5)))
        good = np.asarray(good)
        if self.batch and good.ndim >= 1:
            out.append(("an empty batch", good[:0]))
        if self.finite and good.dtype.kind == "f" and good.size:
            nan = good.copy()
            nan.flat[0] = np.nan
            out.append(("NaN", nan))
            inf = good.copy()
            inf.flat[-1] = np.inf
            out.append(("inf", inf))
        if self.shaped and good.ndim >= 1 and good.shape[-1] > 1:
            out.append(("the wrong shape", good[..., :-1]))
        if self.floats and good.dtype.kind == "f":
            out.append(("an integer dtype", np.ones(good.shape, dtype=np.int64)))
        return out


@dataclass
class Int(Kind):
    low: int = 1
    high: int | None = None
    optional: bool = False

    def bad(self, good):
        out = [
            ("a float", 2.5),
            ("a string", "3"),
            ("True", True),
            ("below its range", self.low - 1),
        ]
        if self.high is not None:
            out.append(("above its range", self.high + 1))
        if not self.optional:
            out.append(("None", None))
        return out


@dataclass
class Float(Kind):
    low: float | None = 0.0
    high: float | None = None
    low_open: bool = False  # the low end is excluded
    high_open: bool = False
    optional: bool = False

    def bad(self, good):
        out = [("NaN", math.nan), ("a string", "0.5"), ("True", True), ("a list", [0.5])]
        if self.low is not None:
            out += [("-inf", -math.inf)]
            out.append(("below its range", self.low if self.low_open else self.low - 1.0))
        if self.high is not None:
            out.append(("above its range", self.high if self.high_open else self.high + 1.0))
        if self.low is not None and self.high is None:
            out.append(("inf", math.inf))
        if not self.optional:
            out.append(("None", None))
        return out


@dataclass
class Bool(Kind):
    def bad(self, good):
        return [
            ("the string 'False'", "False"),
            ("None", None),
            ("the number 0", 0),
            ("a list", [True]),
        ]


@dataclass
class Choice(Kind):
    words: tuple[str, ...] = ()
    optional: bool = False

    def bad(self, good):
        out = [("an unknown word", "nosuch"), ("a number", 3), ("a list", [good])]
        if not self.optional:
            out.append(("None", None))
        return out


@dataclass
class Seed(Kind):
    """A Generator or an int seed."""

    optional: bool = False

    def bad(self, good):
        out = [("a string", "seed"), ("a float", 1.5), ("True", True)]
        if not self.optional:
            out.append(("None", None))
        return out


@dataclass
class Generator(Kind):
    """The run's Generator itself (a seed would repeat the same draws)."""

    def bad(self, good):
        return [("an int seed", 0), ("None", None), ("a string", "rng")]


@dataclass
class Instance(Kind):
    """A minae object of a given type."""

    optional: bool = False

    def bad(self, good):
        out = [("a string", "x"), ("a number", 3), ("an object()", object())]
        if not self.optional:
            out.append(("None", None))
        return out


@dataclass
class Function(Kind):
    optional: bool = False

    def bad(self, good):
        out = [("a number", 3), ("a string", "f")]
        if not self.optional:
            out.append(("None", None))
        return out


@dataclass
class PathKind(Kind):
    def bad(self, good):
        return [("a number", 3), ("None", None), ("a list", [str(good)])]


@dataclass
class Case:
    """One callable of the sweep: ``call(**args())``, where ``args`` builds fresh good
    arguments, and ``kinds`` names the kind of each parameter swept."""

    call: Callable[..., Any]
    args: Callable[[], dict]
    kinds: dict[str, Kind]
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # other words for a name


# -- the judge ------------------------------------------------------------------------------


def state(value, depth: int = 0, seen=None) -> Any:
    """Everything ``value`` holds that a call could change: arrays (copied), Generators'
    states, files' bytes, and the same inside objects, lists and dicts."""
    seen = set() if seen is None else seen
    if depth > 6 or id(value) in seen:
        return None
    if isinstance(value, np.ndarray):
        return ("array", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, np.random.Generator):
        return ("generator", repr(value.bit_generator.state))
    if isinstance(value, Path):
        if value.is_file():
            return ("file", value.read_bytes())
        if value.is_dir():
            return ("folder", sorted((p.name, p.stat().st_size) for p in value.iterdir()))
        return ("absent",)
    if isinstance(value, (str, bytes, int, float, bool, type(None))):
        return value
    seen.add(id(value))
    if isinstance(value, (list, tuple)):
        return [state(v, depth + 1, seen) for v in value]
    if isinstance(value, dict):
        return {str(k): state(v, depth + 1, seen) for k, v in value.items()}
    if callable(value) and not hasattr(value, "__dict__"):
        return "callable"
    if hasattr(value, "__dict__") and not isinstance(value, type):
        # public attributes: parameters, buffers, Generators, settings; a forward's private
        # caches (the last input, kept for backward) are not what a user gave
        return {
            k: state(v, depth + 1, seen) for k, v in vars(value).items() if not k.startswith("_")
        }
    return repr(type(value))


def judge(case: Case, parameter: str, label: str, bad, home: str = MINAE) -> str:
    """ "" when the call refuses ``bad`` for ``parameter`` properly; else what went wrong.
    ``home``: the code the refusal must come from (minae's package)."""
    args = case.args()
    before = {k: state(v) for k, v in args.items() if k != parameter}
    args[parameter] = bad
    try:
        case.call(**args)
    except (ValueError, TypeError, FileNotFoundError) as error:  # a path that is not there
        after = {k: state(v) for k, v in args.items() if k != parameter}
        changed = [k for k in before if before[k] != after[k]]
        if changed:
            return f"refused, but changed {changed} first"
        frames = traceback.extract_tb(error.__traceback__)
        where = str(Path(frames[-1].filename).resolve()) if frames else ""
        if where.startswith(NUMPY) or not where.startswith(home):
            return f"raised from {where}:{frames[-1].lineno}: {type(error).__name__}: {error}"
        words = (parameter, *case.names.get(parameter, ()))
        if not any(w in str(error) for w in words):
            return f"the message does not name {parameter!r}: {type(error).__name__}: {error}"
        return ""
    except Exception as error:  # what the sweep reports: anything else is a failure
        return f"{type(error).__name__}: {error}"
    return "accepted"
