"""A chain of layers: forward left to right, backward right to left."""

from __future__ import annotations

from ..infrastructure.validation import as_shape, check_batch
from .layer import Layer
from .parameter import Parameter


class Sequential(Layer):
    """Y = f_L(... f_2(f_1(X))). Backward applies each layer's backward in reverse order.

    Each layer's input must be the shape the layer before it gives (a ``Linear(784, 256)``
    after a ``Flatten`` of (1, 28, 28) images, an ``Unflatten((1, 28, 28))`` after a
    layer of width 784), checked at construction as far as the shapes are known: the
    error names the layer that breaks the chain. ``in_shape`` is the example shape the
    stack takes (None when its first layers accept any shape, as ``Flatten`` does);
    ``in_shape=`` states it where the first layers cannot (convolutions take any size),
    so that an image of the wrong size is refused by its size, not deep inside.

    A layer object may appear only once: it keeps one forward cache, so a second use
    would overwrite what the first use's backward needs.

    Slides 001's "Training AEs for Compression": "this is in fact an 8-layer MLP", forward
    through all layers (①), back-propagated through them in reverse (③–⑤); lesson 04.

    Parameters
    ----------
    *layers : Layer
        The layers, first to last; each object once.
    in_shape : tuple of int, optional
        One example's shape, (C, H, W) or (n,), where the first layers do not fix it.

    Raises
    ------
    ValueError
        When the shapes do not chain, naming the layer; TypeError for a non-layer.
    """

    def __init__(self, *layers: Layer, in_shape=None):
        if not layers:
            raise ValueError("Sequential needs at least one layer")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"layer {i} is a {type(layer).__name__}, not a minae Layer")
        if len({id(layer) for layer in layers}) != len(layers):
            raise ValueError(
                "the same layer object appears twice in Sequential; its forward cache would be "
                "overwritten. Build a second layer (share a Parameter to tie weights)"
            )
        self.layers = list(layers)
        self.in_shape = _chain_shapes(self.layers)
        if in_shape is not None:  # stated by the builder: checked now, and at every forward
            self.out_shape(as_shape(in_shape))
            self.in_shape = as_shape(in_shape)

    def out_shape(self, in_shape):
        for i, layer in enumerate(self.layers):
            try:
                in_shape = layer.out_shape(in_shape)
            except ValueError as err:
                raise ValueError(f"layer {i} of the Sequential: {err}") from None
        return in_shape

    def forward(self, X):
        if self.in_shape is not None:  # name the stack's input shape, not a layer's inside
            check_batch(X, "X", example_shape=self.in_shape)
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, dY, input_grad: bool = True):
        for layer in reversed(self.layers[1:]):
            dY = layer.backward(dY)
        return self.layers[0].backward(dY, input_grad)

    def begin_training(self, rng) -> None:
        for layer in self.layers:
            layer.begin_training(rng)

    def end_training(self) -> None:
        for layer in self.layers:
            layer.end_training()

    def named_parameters(self) -> dict[str, Parameter]:
        named: dict[str, Parameter] = {}
        seen: set[int] = set()
        for i, layer in enumerate(self.layers):
            for name, p in layer.named_parameters().items():
                if id(p) not in seen:  # a Parameter shared by two layers is listed once
                    seen.add(id(p))
                    named[f"{i}.{name}"] = p
        return named

    def __getitem__(self, i: int) -> Layer:
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def __repr__(self) -> str:
        return f"Sequential({', '.join(map(repr, self.layers))})"


def _chain_shapes(layers: list[Layer]) -> tuple[int, ...] | None:
    """The example shape the chain takes; raise where a layer cannot take what it is given."""
    in_shape, shape, source = None, None, None
    leading = True  # every layer so far keeps the shape of its input
    for i, layer in enumerate(layers):
        if layer.in_shape is not None and leading:
            in_shape = layer.in_shape
        try:
            out = layer.out_shape(shape)
        except ValueError as err:
            giver = "the input" if source is None else f"layer {source} ({layers[source]!r})"
            raise ValueError(
                f"layer {i} ({layer!r}) cannot take what {giver} gives, examples of shape "
                f"{shape}: the shapes do not chain ({err})"
            ) from None
        leading = leading and layer.keeps_shape
        if out != shape:
            shape, source = out, i
    return in_shape
