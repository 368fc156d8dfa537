"""PCA in closed form and the principal angles that compare a subspace with its components."""

from .pca import PCA
from .subspace import subspace_angles

__all__ = ["PCA", "subspace_angles"]
