"""Principal angles between subspaces: how close a trained decoder is to PCA's components."""

from __future__ import annotations

from ..infrastructure.backend import array_module, to_device
from ..infrastructure.validation import check_array


def subspace_angles(A, B):
    """The principal angles, in radians and ascending, between the column spaces of A and B.

    A is (N, k) and B is (N, l); k ∧ l angles are returned. With Q_A, Q_B orthonormal bases
    (QR), the cosines are the singular values of Q_Aᵀ Q_B. Small angles are read from the
    sines instead (the singular values of Q_B - Q_A Q_Aᵀ Q_B), since arccos of a number
    near 1 loses half the digits (Björck & Golub 1973), so angles of 1e-12 rad resolve.

    To compare a linear autoencoder's decoder W (L, N) with a fitted ``PCA``:
    ``subspace_angles(W.T, pca.components_.T)``: lesson 02 shows the two span the same
    subspace (Baldi & Hornik 1989).

    Parameters
    ----------
    A : array (N, k)
    B : array (N, l)
        Read in float64.

    Returns
    -------
    array (min(k, l),)
        The angles in [0, π/2], ascending.
    """
    xp = array_module()
    check_array(A, "A", floats=False, ndim=2)
    check_array(B, "B", floats=False, ndim=2)
    A, B = to_device(A, "float64"), to_device(B, "float64")
    if A.ndim != 2 or B.ndim != 2 or A.shape[0] != B.shape[0]:
        raise ValueError(
            f"A and B must be matrices with the same number of rows, got {A.shape} and {B.shape}"
        )
    Q_A, _ = xp.linalg.qr(A)  # (N, k)
    Q_B, _ = xp.linalg.qr(B)  # (N, l)
    if Q_A.shape[1] < Q_B.shape[1]:
        Q_A, Q_B = Q_B, Q_A  # measure the smaller space against the larger
    cosines = xp.linalg.svd(Q_A.T @ Q_B, compute_uv=False)  # descending
    sines = xp.linalg.svd(Q_B - Q_A @ (Q_A.T @ Q_B), compute_uv=False)[::-1]  # ascending
    from_cos = xp.arccos(xp.clip(cosines, -1.0, 1.0))
    from_sin = xp.arcsin(xp.clip(sines, -1.0, 1.0))
    return xp.where(cosines**2 > 0.5, from_sin, from_cos)  # sine below 45°, cosine above
