"""The field's published autoencoder numbers, reproduced with minae in one command.

    python reproductions/reproduce.py                  # every experiment (about 40 min, 2 cores)
    python reproductions/reproduce.py --only vae       # one (repeat --only for more)
    python reproductions/reproduce.py --quick          # seconds each, on 2,000 images
    python reproductions/reproduce.py --list

Prints the table: experiment, published, minae, whether minae meets the mark the
experiment's file states, seconds (wall-clock; CPU-seconds beside it) and the command
that runs it alone. A full run also keeps each result in ``results/<name>.json`` and
writes the table of every result kept into ``README.md``; a quick run (too little data to
meet any mark, for the test suite) writes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import baldi_hornik
import hinton_salakhutdinov
import keras_conv
import keras_sparse
import pca30
import vae_pytorch_examples
from common import Result

from minae.infrastructure.console import printable_stdout

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
README = HERE / "README.md"
BEGIN, END = "<!-- table: written by reproduce.py -->", "<!-- end of table -->"

EXPERIMENTS = {
    "pca-30": pca30.run,
    "baldi-hornik": baldi_hornik.run,
    "vae": vae_pytorch_examples.run,
    "keras-sparse": keras_sparse.run,
    "keras-conv": keras_conv.run,
    "hs-90s": hinton_salakhutdinov.run_fast,
    "hs-3.00": hinton_salakhutdinov.run_long,
}


def command(name: str) -> str:
    return f"`python reproductions/reproduce.py --only {name}`"


def table(results: list[Result]) -> str:
    """The results as a Markdown table."""
    marks = {True: "yes", False: "**no**", None: "(quick)"}
    rows = [
        "| experiment | published | minae | meets | seconds (CPU) | command |",
        "| --- | ---: | ---: | :---: | ---: | --- |",
    ]
    for r in results:
        rows.append(
            f"| {r.experiment} | {r.published} | {r.minae} | {marks[r.meets]} | "
            f"{r.seconds:.0f} ({r.cpu_seconds:.0f}) | {command(r.name)} |"
        )
    return "\n".join(rows)


def kept_results() -> list[Result]:
    """Every result a full run kept, in the order of ``EXPERIMENTS``."""
    kept = []
    for name in EXPERIMENTS:
        file = RESULTS / f"{name}.json"
        if file.exists():
            kept.append(Result(**json.loads(file.read_text(encoding="utf-8"))))
    return kept


def write_readme(text: str, readme: Path = README) -> None:
    """Put ``text`` between the README's table markers (which must be there)."""
    old = readme.read_text(encoding="utf-8")
    if BEGIN not in old or END not in old:
        raise ValueError(f"{readme} lacks the markers {BEGIN!r} and {END!r}")
    head, rest = old.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        action="append",
        choices=list(EXPERIMENTS),
        metavar="NAME",
        help=f"run this experiment only (one of {', '.join(EXPERIMENTS)})",
    )
    parser.add_argument("--quick", action="store_true", help="a little data, seconds each")
    parser.add_argument("--list", action="store_true", help="list the experiments")
    args = parser.parse_args(argv)
    printable_stdout()  # it prints ≤ and −, which a Windows console's code page lacks
    if args.list:
        print("\n".join(EXPERIMENTS))
        return 0
    names = args.only or list(EXPERIMENTS)
    results = []
    for name in names:
        print(f"running {name}{' (quick)' if args.quick else ''} ...", flush=True)
        result = EXPERIMENTS[name](quick=args.quick)
        print(
            f"  {result.minae} (published {result.published}), {result.seconds:.0f} s", flush=True
        )
        results.append(result)
        if not args.quick:
            RESULTS.mkdir(exist_ok=True)
            text = json.dumps(result.as_dict(), indent=1)
            (RESULTS / f"{name}.json").write_text(text, encoding="utf-8")
    print(table(results))
    if not args.quick:
        write_readme(table(kept_results()))
        print(f"the table of every kept result is in {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
