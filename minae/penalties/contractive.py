"""The contractive penalty: the squared Frobenius norm of the encoder's Jacobian."""

from __future__ import annotations

from ..layers.activations import Sigmoid
from ..layers.layer import Layer
from ..layers.linear import Linear
from ..layers.sequential import Sequential


class Contractive:
    r"""C(X) = (1/B) Σ_b ||J_f(x_b)||_F² for the encoder f(x) = σ(x W + b) (Rifai et al. 2011).

    For a sigmoid layer h = σ(a), a = x W + b, the Jacobian is J_ji = h_j (1 - h_j) W_ij, so

    .. math::
        \lVert J_f(x) \rVert_F^2 = \sum_j \big(h_j (1 - h_j)\big)^2 \sum_i W_{ij}^2 .

    With s = h ∘ (1 - h) (B, L) and w²_j = Σ_i W_ij² (L,), the gradients are

    .. math::
        G = \frac{2}{B} s^2 \circ (1 - 2h) \circ w^2 = \partial C / \partial a, \quad
        \frac{\partial C}{\partial W}
            = X^\top G + \frac{2}{B} W \operatorname{diag}\Big(\sum_b s_b^2\Big), \quad
        \frac{\partial C}{\partial b} = \sum_b G_b, \quad
        \frac{\partial C}{\partial X} = G W^\top .

    Supported encoders: ``Sequential(Linear, Sigmoid)``, the one-layer encoder of the
    contractive autoencoder paper; any other raises ``ValueError``, since the closed form
    above holds for that layer only.
    """

    def __init__(self, encoder: Layer):
        layers = encoder.layers if isinstance(encoder, Sequential) else [encoder]
        if (
            len(layers) != 2
            or not isinstance(layers[0], Linear)
            or not isinstance(layers[1], Sigmoid)
        ):
            raise ValueError(
                "the contractive penalty's closed form needs an encoder Sequential(Linear, "
                f"Sigmoid); got {encoder!r}"
            )
        self.linear, self.sigmoid = layers

    def _parts(self):
        h = self.sigmoid._cached(self.sigmoid._Y, "the code h: run the encoder first")
        W = self.linear.W.value
        s = h * (1.0 - h)  # (B, L): σ'(a)
        w2 = (W * W).sum(axis=0)  # (N, L) -> (L,)
        return h, W, s, w2

    def value(self) -> float:
        """C for the encoder's last forward."""
        _, _, s, w2 = self._parts()
        return float((s * s * w2).sum()) / s.shape[0]  # (B, L) * (L,) summed, batch mean

    def accumulate_grad(self, X, lam: float, input_grad: bool = True):
        """Add λ ∂C/∂W and λ ∂C/∂b into the encoder's gradients; return λ ∂C/∂X (B, N),
        or None with ``input_grad=False``."""
        h, W, s, w2 = self._parts()
        B = s.shape[0]
        s2 = s * s
        G = (2.0 * lam / B) * s2 * (1.0 - 2.0 * h) * w2  # (B, L): λ ∂C/∂a
        self.linear.W.accumulate_matmul(X.T, G)  # (N, B) @ (B, L) -> (N, L)
        self.linear.W.accumulate((2.0 * lam / B) * W * s2.sum(axis=0))  # (N, L) * (L,)
        self.linear.b.accumulate(G.sum(axis=0))  # (L,)
        return G @ W.T if input_grad else None  # (B, L) @ (L, N) -> (B, N)
