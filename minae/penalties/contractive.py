"""The contractive penalty: the squared Frobenius norm of the encoder's Jacobian."""

from __future__ import annotations

from ..layers.activations import Activation
from ..layers.layer import Layer
from ..layers.linear import Linear
from ..layers.sequential import Sequential
from .code_penalty import CodePenalty


class Contractive(CodePenalty):
    r"""C(Z) = (1/B) Σ_b ||J_f(x_b)||_F² for the encoder Z = f(X) = g(X W + b) (Rifai et al. 2011).

    Slides 003's λ ||∇_x f(x)||_F². For one layer z = g(a), a = x W + b, with an element-wise
    activation g, the Jacobian is J_ji = g'(a_j) W_ij, so

    .. math::
        \lVert J_f(x) \rVert_F^2 = \sum_j g'(a_j)^2 \, w^2_j, \qquad w^2_j = \sum_i W_{ij}^2 .

    g'(a) can be written through the code z = g(a) (``Activation.grad_from_output``:
    z (1 - z) for a sigmoid, 1 - z² for tanh), so C is a function of the code Z and of W,
    and plugs in as a penalty on the code. Its two gradients:

    .. math::
        \frac{\partial C}{\partial Z} = \frac{2}{B}\, g''(A) \circ w^2, \qquad
        \frac{\partial C}{\partial W}\Big|_{\text{direct}}
            = \frac{2}{B}\, W \operatorname{diag}\Big(\sum_b g'(a_b)^2\Big).

    (d g'(a)² / dz = 2 g'(a) g''(a) / g'(a) = 2 g''(a), with g''(a) written through z by
    ``Activation.grad2_from_output``.) The model adds λ ∂C/∂Z to ∇_Z R̂ like any code
    penalty, and back-propagation through the encoder carries it to X, W and b; only the
    direct dependence on W is added here, in ``accumulate_parameter_grad``.

    The encoder must be ``Sequential(Linear, activation)``, the one-layer encoder of the
    contractive autoencoder paper, where the closed form above holds; sigmoid and tanh
    are the usual choices. Anything else raises ``ValueError``. Lesson 08.

    Parameters
    ----------
    encoder : Layer
        ``Sequential(Linear(N, L), activation)``: X (B, N) to Z (B, L). The penalty reads
        its W (N, L) and activation.
    """

    def __init__(self, encoder: Layer):
        layers = encoder.layers if isinstance(encoder, Sequential) else [encoder]
        if (
            len(layers) != 2
            or not isinstance(layers[0], Linear)
            or not isinstance(layers[1], Activation)
        ):
            raise ValueError(
                "the contractive penalty's closed form needs an encoder Sequential(Linear, "
                f"activation), e.g. Sequential(Linear(784, 64), Sigmoid()); got {encoder!r}"
            )
        self.linear: Linear = layers[0]  # type-checked above
        self.activation: Activation = layers[1]

    def _parts(self, Z):
        self._check(Z)
        W = self.linear.W.value
        slope = self.activation.grad_from_output(Z)  # g'(A), (B, L)
        w2 = (W * W).sum(axis=0)  # (N, L) -> (L,)
        return W, slope, w2

    def jacobian_norm(self, Z):
        """||J_f(x_b)||_F for each example, (B,), from its code z_b = f(x_b)."""
        _, slope, w2 = self._parts(Z)
        return ((slope * slope * w2).sum(axis=1)) ** 0.5  # (B, L) * (L,) -> (B,)

    def value(self, Z) -> float:
        _, slope, w2 = self._parts(Z)
        return float((slope * slope * w2).sum()) / Z.shape[0]  # (B, L) * (L,), batch mean

    def grad(self, Z):
        _, _, w2 = self._parts(Z)
        dZ = self.activation.grad2_from_output(Z)  # g''(A), (B, L)
        dZ *= w2 * (2.0 / Z.shape[0])  # (B, L) * (L,)
        return dZ

    def accumulate_parameter_grad(self, Z, lam: float) -> None:
        """Add λ ∂C/∂W's direct part, (2λ/B) W diag(Σ_b g'(a_b)²), into W's gradient."""
        W, slope, _ = self._parts(Z)
        self.linear.W.accumulate((2.0 * lam / Z.shape[0]) * W * (slope * slope).sum(axis=0))

    def __repr__(self) -> str:
        return f"Contractive({self.linear!r}, {self.activation!r})"
