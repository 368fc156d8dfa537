"""Every public callable the API reference lists, swept with bad inputs derived from each
parameter's kind (``sweep_table.py``, ``sweep_kinds.py``): each bad input must be refused
with a ValueError or TypeError raised inside minae that names the parameter, before
anything it was given changes. A public name without a table entry fails here."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from sweep_kinds import Case, Float, judge
from sweep_table import CASES, NOTHING

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs"))
import api_pages


def _every_bad_input():
    for name, case in CASES.items():
        for parameter, kind in case.kinds.items():
            good = case.args()[parameter]
            for label, bad in kind.bad(good):
                yield name, case, parameter, label, bad


def test_every_public_name_has_an_entry():
    listed = {
        f"{package}.{n}"
        for package, _, _ in api_pages.PACKAGES
        for n in api_pages.public_names(package)
    }
    missing = sorted(listed - set(CASES) - set(NOTHING))
    assert not missing, f"public names without a sweep entry (sweep_table.py): {missing}"
    stale = sorted(n for n in NOTHING if n not in listed)
    assert not stale, f"entries for names that are not public: {stale}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_entrys_good_arguments_are_accepted(name):
    """The table's good arguments work: a refusal in the sweep is about the bad value."""
    case = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        case.call(**case.args())


def test_every_bad_input_is_refused_before_anything_changes(capsys):
    failures, count, callables = [], 0, set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, case, parameter, label, bad in _every_bad_input():
            count += 1
            callables.add(name)
            said = judge(case, parameter, label, bad)
            if said:
                failures.append(f"{name}({parameter}={label}): {said}")
    with capsys.disabled():
        print(
            f"\nthe sweep: {len(callables)} callables, {count} bad inputs, "
            f"{count - len(failures)} refused before any change"
        )
    assert not failures, f"{len(failures)} of {count}:\n" + "\n".join(failures)


# -- the judge can fail -------------------------------------------------------------------


def _strict(x):
    x = float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None
    if x is None or not np.isfinite(x) or x < 0:
        raise ValueError(f"x must be a finite number >= 0, got {x!r}")
    return x


PLANTED = {
    "accepts everything": lambda x: x,
    "lets NumPy raise": lambda x: np.add(np.ones(2), "a"),
    "does not name x": lambda x: (_ for _ in ()).throw(ValueError("bad input")),
}


@pytest.mark.parametrize("planted", sorted(PLANTED))
def test_a_planted_bug_in_a_callable_fails_the_judge(planted):
    case = Case(PLANTED[planted], lambda: {"x": 1.0}, {"x": Float()})
    verdicts = [judge(case, "x", label, bad) for label, bad in Float().bad(1.0)]
    assert any(verdicts), planted


def test_a_call_that_changes_what_it_was_given_before_refusing_fails_the_judge():
    def careless(model, x):
        model["weights"][0] = 99.0  # a change first
        return _strict(x)

    here = str(Path(__file__).resolve().parent)
    case = Case(careless, lambda: {"model": {"weights": np.zeros(3)}, "x": 1.0}, {"x": Float()})
    assert "changed ['model']" in judge(case, "x", "NaN", float("nan"), home=here)
    honest = Case(_strict, lambda: {"x": 1.0}, {"x": Float()})
    assert [judge(honest, "x", label, bad, home=here) for label, bad in Float().bad(1.0)] == [
        "" for _ in Float().bad(1.0)
    ]
