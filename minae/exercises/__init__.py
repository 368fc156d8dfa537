"""Exercises: students derive the backward passes, minae checks and grades them.

``python -m minae.exercises start DIR`` copies the stubs (``stubs/``: one file per
exercise, in the lessons' order, each function with its forward pass, shapes, slide and
lesson; ``--guided`` adds each formula) into a folder of the student's;
``python -m minae.exercises hint TASK`` reveals help in three recorded steps;
``python -m minae.exercises check DIR [TASK]`` grades them in float64 against central
differences (and minae's own implementations, where minae has one), and says for each
task: passed, or what differs and the likely mistake (``compare.py``). ``grade`` does it
for a folder of submissions, each task in a process of its own under limits
(``sandbox.py``), and writes Gradescope's ``results.json`` for each (``grading.py``);
``autograder`` writes a Gradescope autograder zip. Points per task are one table in
``tasks.py``. An instructor adds tasks from a forward function alone
(``gradient_task``). In a notebook: ``check("linear_backward", linear_backward)``.
"""

from .gradient_task import gradient_task
from .grading import Result, check, grade, gradescope, report
from .task import Task
from .tasks import POINTS, TASKS

__all__ = [
    "POINTS",
    "TASKS",
    "Result",
    "Task",
    "check",
    "grade",
    "gradescope",
    "gradient_task",
    "report",
]
