"""Exercises: students write the backward passes, minae checks and grades them.

``python -m minae.exercises start DIR`` copies the stubs (``stubs/``: one file per
exercise, in the lessons' order, each function with its equation, shapes, slide and
lesson) into a folder of the student's; ``python -m minae.exercises check DIR [TASK]``
grades them in float64 against minae's own implementations and central differences,
and says for each task: passed, or what differs and the likely mistake
(``compare.py``). ``grade`` does it for a folder of submissions and writes Gradescope's
``results.json`` for each (``grading.py``); points per task are one table in
``tasks.py``. The solutions are minae's own code.
"""

from .grading import Result, grade, gradescope, report
from .tasks import POINTS, TASKS, Task

__all__ = ["POINTS", "TASKS", "Result", "Task", "grade", "gradescope", "report"]
