"""The contract every layer keeps: forward keeps what backward needs; backward returns dX."""

from __future__ import annotations

from ..infrastructure.validation import check_protocol_names
from .parameter import Parameter


class Layer:
    """Base class of minae's layers.

    ``forward(X) -> Y`` maps a batch X (B, *in_shape) to Y (B, *out_shape) and keeps, on
    the layer, what ``backward`` needs. ``backward(dY) -> dX`` takes ∂R̂/∂Y and returns
    ∂R̂/∂X, shaped like X; a layer with parameters also *adds* ∂R̂/∂θ into each
    ``Parameter.grad``. Backward never changes a parameter's value: the optimizer does
    that. ``backward(dY, input_grad=False)`` skips ∂R̂/∂X and returns None: training needs
    no gradient for the data, and for the first layer that product is a sizeable share of
    the step.

    Shapes are those of one example; the batch axis B comes first and is never named.
    ``in_shape`` is the example shape the layer takes (None: any, e.g. an activation);
    ``out_shape(in_shape)`` is the example shape it gives for that input (None when the
    input is unknown and the output depends on it), and raises ``ValueError`` for an input
    the layer cannot take. ``keeps_shape`` marks layers whose output is shaped like their
    input (activations). ``Sequential`` chains these to check a stack at construction.

    This is slides 001's "Training AEs for Compression", steps ③ to ⑤ (the gradient
    back-propagated layer by layer), split so that each layer holds its own piece; lesson
    04 writes those steps by hand for one batch and compares them with ``train``'s. A
    layer takes no parameters of its own; its subclasses say theirs.
    """

    PROTOCOL = (
        "forward",
        "backward",
        "out_shape",
        "named_parameters",
        "parameters",
        "begin_training",
        "end_training",
    )
    in_shape: tuple[int, ...] | None = None
    keeps_shape: bool = False

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        check_protocol_names(cls, Layer.PROTOCOL)  # a misspelt one would silently not run

    def out_shape(self, in_shape: tuple[int, ...] | None) -> tuple[int, ...] | None:
        """The example shape this layer gives for examples of ``in_shape`` (no batch axis).

        Parameters
        ----------
        in_shape : tuple of int or None
            One example's shape, e.g. (784,) or (C, H, W); None when unknown.

        Returns
        -------
        tuple of int or None
            The output example's shape; None when the input is unknown and it depends on it.

        Raises
        ------
        ValueError
            For an input the layer cannot take (a width that does not match, an image
            smaller than the kernel), naming the layer.
        """
        if self.keeps_shape:
            return in_shape
        raise NotImplementedError(f"{type(self).__name__} does not say its output shape")

    def forward(self, X):
        """Y = layer(X), keeping on the layer what ``backward`` needs.

        Parameters
        ----------
        X : array (B, *in_shape)
            A batch, on the backend's device, in the layer's dtype.

        Returns
        -------
        Y : array (B, *out_shape)
        """
        raise NotImplementedError

    def backward(self, dY, input_grad: bool = True):
        """∂R̂/∂X from ∂R̂/∂Y; adds ∂R̂/∂θ into each parameter's ``grad``.

        Parameters
        ----------
        dY : array (B, *out_shape)
            ∂R̂/∂Y for the Y the last ``forward`` returned.
        input_grad : bool
            False skips ∂R̂/∂X (the first layer's, which training does not need).

        Returns
        -------
        dX : array (B, *in_shape), or None when ``input_grad`` is False
            ∂R̂/∂X, shaped like the last ``forward``'s X.

        Raises
        ------
        RuntimeError
            When called before ``forward``.
        """
        raise NotImplementedError

    def __call__(self, X):
        return self.forward(X)

    def begin_training(self, rng) -> None:
        """Called by ``train`` before its batches: a layer that behaves differently while
        training (``Dropout``) switches here, drawing from the run's Generator ``rng``."""

    def end_training(self) -> None:
        """Called by ``train`` after its batches: back to the layer's test-time behaviour."""

    def named_parameters(self) -> dict[str, Parameter]:
        """The layer's parameters by name (empty for a layer without any)."""
        return {}

    def parameters(self) -> list[Parameter]:
        """The layer's parameters, in ``named_parameters``' order (empty without any)."""
        return list(self.named_parameters().values())

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to zero (backward adds into it)."""
        for p in self.parameters():
            p.zero_grad()

    def _cached(self, value, what: str):
        """``value``, or a clear error when backward runs before forward kept it."""
        if value is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward ({what})")
        return value
