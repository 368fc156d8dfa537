"""Penalties of two kinds: S(Z) on the code (``CodePenalty``), Ω(θ) on the parameters
(``ParameterPenalty``). A model takes any number of each, each with its own weight."""

from .code_penalty import CodePenalty
from .contractive import Contractive
from .kl_sparsity import KLSparsity
from .l1 import L1
from .parameter_penalty import ParameterPenalty
from .weight_decay import WeightDecay
from .weight_l1 import WeightL1

__all__ = [
    "L1",
    "CodePenalty",
    "Contractive",
    "KLSparsity",
    "ParameterPenalty",
    "WeightDecay",
    "WeightL1",
]
