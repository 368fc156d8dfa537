"""Binary cross-entropy, from probabilities or (stably) from logits."""

from __future__ import annotations

import numpy

from ..infrastructure.backend import array_module
from ..layers.activations import sigmoid
from .loss import Loss


def _check_unit_interval(A, name: str) -> None:
    if float(A.min()) < 0 or float(A.max()) > 1:
        raise ValueError(
            f"{name} must lie in [0, 1] for binary cross-entropy, found values in "
            f"[{float(A.min()):.4g}, {float(A.max()):.4g}]"
        )


class BCE(Loss):
    r"""Binary cross-entropy of probabilities X̂ in (0, 1) against targets X in [0, 1].

    .. math::
        \hat R = -\frac{1}{B} \sum_{b,j} \big[x_{bj} \log \hat x_{bj}
                  + (1 - x_{bj}) \log (1 - \hat x_{bj})\big], \qquad
        \frac{\partial \hat R}{\partial \hat x_{bj}}
            = \frac{1}{B} \frac{\hat x_{bj} - x_{bj}}{\hat x_{bj} (1 - \hat x_{bj})}

    Summed over features, averaged over examples (see ``Loss``). X̂ is clipped to
    [ε, 1 - ε], ε the dtype's machine epsilon, so a saturated sigmoid gives a large finite
    loss rather than inf; where the decoder's last layer is a sigmoid, prefer
    ``BCEWithLogits`` on its input, which is exact at any logit. log(1 - x̂) is written as
    the slide writes it (as PyTorch's ``binary_cross_entropy`` computes it), not as
    ``log1p(-x̂)``: NumPy's float32 ``log1p`` has no vector loop and took 1.30 ms on a
    batch of 128 MNIST images where ``log(1 - x̂)`` took 0.20 ms (``benchmarks/README.md``), and
    x̂ ≥ ε keeps 1 - x̂ within half an ε of exact.

    Shapes: X̂ and X (B, N), or any (B, *shape). Slides 004's "Binary Cross-Entropy"
    ("Loss Function"); lessons 10, 11 and 13 train on it (lesson 10's is the Keras blog's
    conv AE, Chollet 2016).
    """

    def elementwise(self, output, target):
        """-[x log x̂ + (1 - x) log(1 - x̂)] for every entry, shaped like output (B, *shape)."""
        self._check(output, target)
        _check_unit_interval(output, "output")
        _check_unit_interval(target, "target")
        xp = array_module()
        p = self._clip(output)
        return -(target * xp.log(p) + (1.0 - target) * xp.log(1.0 - p))

    def grad(self, output, target):
        self._check(output, target)
        p = self._clip(output)
        return (p - target) / (p * (1.0 - p) * output.shape[0])

    @staticmethod
    def _clip(output):
        eps = float(numpy.finfo(output.dtype).eps)
        return array_module().clip(output, eps, 1.0 - eps)


class BCEWithLogits(Loss):
    r"""Binary cross-entropy of X̂ = σ(A), computed from the logits A without overflow.

    .. math::
        \hat R = \frac{1}{B} \sum_{b,j} \big[\max(a_{bj}, 0) - x_{bj} a_{bj}
                  + \log(1 + e^{-|a_{bj}|})\big], \qquad
        \frac{\partial \hat R}{\partial A} = \frac{1}{B} (\sigma(A) - X)

    The same value as ``BCE`` on σ(A), finite for any finite logit (±1e4 included).
    Summed over features, averaged over examples. ``reconstruction(A)`` is σ(A).
    log(1 + e^{-|a|}) is computed as written: where e^{-|a|} is below half the machine
    epsilon, 1 + e^{-|a|} rounds to 1 and the term to 0, off by less than ε/2 in an entry
    whose loss is max(a, 0) - x a + that term; ``log1p`` would be exact there but took 1.99
    ms on a batch of 256 MNIST images where ``log`` took 0.81 ms (``benchmarks/README.md``).

    Shapes: A and X (B, N), or any (B, *shape). Slides 004's "Binary Cross-Entropy" on a
    sigmoid output; the Bernoulli decoder's -log p(x|z) of slides 003's VAE loss (Kingma &
    Welling 2014); lessons 06 to 09, 13 and 14.
    """

    def elementwise(self, output, target):
        """max(a, 0) - x a + log(1 + e^{-|a|}) for every entry, shaped like output (B, *shape)."""
        self._check(output, target)
        _check_unit_interval(target, "target")
        xp = array_module()
        return xp.maximum(output, 0) - target * output + xp.log(1.0 + xp.exp(-xp.abs(output)))

    def grad(self, output, target):
        self._check(output, target)
        return (sigmoid(output) - target) / output.shape[0]

    def reconstruction(self, output):
        return sigmoid(output)
