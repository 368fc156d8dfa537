"""Penalties: sparsity S(Z) on the code, and weight decay on the weights."""

from .contractive import Contractive
from .kl_sparsity import KLSparsity
from .l1 import L1
from .penalty import Penalty
from .weight_decay import WeightDecay

__all__ = ["L1", "Contractive", "KLSparsity", "Penalty", "WeightDecay"]
