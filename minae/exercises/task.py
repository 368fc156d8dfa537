"""A task: one function a student writes, where it lives, what it comes from, and how
it is checked and limited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """One function a student writes (or, for the last task, the pieces it plugs in).

    Each names the slide and lesson it comes from, e.g. ``linear_backward``: slides 001,
    "Training AEs for Compression" ③ ⑤; lesson 04.

    Attributes
    ----------
    name : str
        The function's name in the stub.
    file : str
        The stub's file name, without .py (``e03_linear``).
    slide : str
        The seed and slide it implements.
    lesson : str
        The lesson that derives it.
    check : callable
        Takes the student's functions named in ``functions``; raises on a mismatch.
    uses : tuple of str
        The student's functions the check needs (default: ``name`` alone).
    points : float or None
        Its points; None for the built-in tasks, whose points are ``POINTS``.
    time_limit : float
        Seconds the task may take in its own process (default 60).
    memory_limit : int
        Megabytes of address space that process may use (default 4096; POSIX only).
    may_use_minae : bool
        Whether the student's code may call minae's own pieces (only the last task,
        which plugs the student's pieces into minae's, may).
    """

    name: str
    file: str  # the stub's file name, without .py
    slide: str
    lesson: str
    check: Callable[..., None]  # takes the functions named in ``uses``; raises Mismatch
    uses: tuple[str, ...] = ()  # the student's functions it needs (default: ``name``)
    points: float | None = None
    time_limit: float = 60.0
    memory_limit: int = 4096
    may_use_minae: bool = False

    @property
    def functions(self) -> tuple[str, ...]:
        """The student's functions the check is handed, in order."""
        return self.uses or (self.name,)
