"""The contract of a reconstruction loss L(X̂, X) and its reduction convention."""

from __future__ import annotations

from ..infrastructure.validation import check_batch, check_same_shape


class Loss:
    """A reconstruction loss R̂ = L(output, target) with its gradient ∂R̂/∂output.

    Reduction (every minae loss): summed over every entry of an example (its N features,
    or its C × H × W pixels), averaged over the B examples of the batch,

        R̂ = (1/B) Σ_b Σ_j ℓ(output_bj, target_bj),  j running over the example's entries,

    so R̂ is a loss *per example* (per image), the convention of Hinton & Salakhutdinov
    (2006) and of the VAE literature, and λ keeps its meaning whatever the batch size.

    ``output`` is what the decoder gives; ``reconstruction(output)`` is the X̂ it stands
    for (the same array, except for losses on logits).

    Shapes: output and target (B, N), or any (B, *shape), alike. Slides 003's "Loss
    Function" and slides 004's "Mean Squared Error, Binary Cross-Entropy"; step ② of seed
    001's "Training AEs for Compression" is ``grad``, written by hand in lesson 04. A loss
    takes no parameters.
    """

    def elementwise(self, output, target):
        """ℓ(output_bj, target_bj) for every entry, shaped like ``output``; checks its
        inputs. A loss writes this (and ``grad``); the two reductions below follow."""
        raise NotImplementedError

    def value(self, output, target) -> float:
        """R̂: ℓ summed over every entry of ``output`` and ``target`` (both (B, *shape)),
        divided by the batch size B."""
        return float(self.elementwise(output, target).sum()) / output.shape[0]

    def per_example(self, output, target):
        """ℓ summed over each example's entries, (B,): the loss of every example on its
        own (``value`` is their mean). Anomaly detection scores examples with it."""
        elementwise = self.elementwise(output, target)
        return elementwise.reshape(output.shape[0], -1).sum(axis=1)  # (B, ...) -> (B,)

    def grad(self, output, target):
        """∂R̂/∂output, shaped like ``output`` (B, *shape), the 1/B included.

        Parameters
        ----------
        output, target : arrays of the same shape (B, *shape)
            The decoder's output and what it should reconstruct.
        """
        raise NotImplementedError

    def reconstruction(self, output):
        """The X̂ that ``output`` (B, *shape) stands for, shaped like it: ``output`` itself
        here, σ(output) for a loss on logits, softmax for a distribution."""
        return output

    def squared_error(self, output, target, value: float) -> float:
        """||X̂ - X||² summed over an example's entries, averaged over the batch (output and
        target (B, *shape)).

        ``value`` is this loss's own value on the same arrays: a squared-error loss returns
        it as it is (no second pass); any other computes the squared error of X̂.
        """
        residual = self.reconstruction(output) - target
        residual *= residual  # squared in place: no second temporary
        return float(residual.sum()) / output.shape[0]

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def _check(self, output, target) -> None:
        check_batch(output, "output")
        check_batch(target, "target", dtype=output.dtype)
        check_same_shape(output, target, "output", "target")
