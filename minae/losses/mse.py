"""Squared reconstruction error ||X̂ - X||², per example."""

from __future__ import annotations

from .loss import Loss


class MSE(Loss):
    r"""Squared error summed over features, averaged over examples.

    .. math::
        \hat R = \frac{1}{B} \sum_b \lVert \hat x_b - x_b \rVert^2, \qquad
        \frac{\partial \hat R}{\partial \hat X} = \frac{2}{B} (\hat X - X)

    Shapes: X̂ and X (B, N), or any (B, *shape), summed over all of an example's entries.
    This is the slides' L(X̂, X) = ||X̂ - X||² for one example, and the "average squared
    error per image" of Hinton & Salakhutdinov (2006) for pixels in [0, 1]. Note: not the
    mean over all entries (that is this value divided by the entries per example).
    """

    def elementwise(self, output, target):
        self._check(output, target)
        diff = output - target
        diff *= diff  # (x̂ - x)², squared in place: no second (B, N) temporary
        return diff

    def grad(self, output, target):
        self._check(output, target)
        dX_hat = output - target
        dX_hat *= 2.0 / output.shape[0]
        return dX_hat

    def squared_error(self, output, target, value: float) -> float:
        return value  # this loss *is* the squared error per example
