"""The teaching harness: central differences in float64 and the one-call checkers
(``gradcheck.py``), and what the lessons share (``lesson.py``: quick mode, the figures,
``compare``).

The checkers cover a layer, a loss, a penalty and a whole model. ``compare`` prints exact /
close / largest difference, and under the test suite (``MINAE_STRICT_COMPARE=1``) it raises
where it would print "not close", so a lesson's comparison is an assertion.
"""

from . import gradcheck

__all__ = ["gradcheck"]
