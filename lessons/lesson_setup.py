"""What every lesson shares: its ``--quick`` flag and the folder its figures go to.

A lesson runs top to bottom as ``python lessons/NN_name.py [--quick] [--out DIR]``, or
cell by cell (``# %%``) in an editor; unknown arguments from a notebook kernel are ignored.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import matplotlib

if "ipykernel" not in sys.modules:  # a script saves figures; a notebook shows them too
    matplotlib.use("Agg")

import matplotlib.pyplot as plt


@dataclass(frozen=True)
class Lesson:
    name: str
    quick: bool
    out: Path

    def save(self, fig, filename: str) -> Path:
        """Save ``fig`` as ``out/filename`` and say where."""
        path = self.out / filename
        fig.savefig(path, dpi=110, bbox_inches="tight")
        plt.close(fig)
        print(f"  figure: {path}")
        return path


def setup(name: str) -> Lesson:
    parser = argparse.ArgumentParser(description=f"minae lesson {name}")
    parser.add_argument("--quick", action="store_true", help="a small, seconds-long run")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / name)
    args, _ = parser.parse_known_args()
    args.out.mkdir(parents=True, exist_ok=True)
    return Lesson(name, args.quick, args.out)
