"""A chain of layers: forward left to right, backward right to left."""

from __future__ import annotations

from ..parameter import Parameter
from .layer import Layer


class Sequential(Layer):
    """Y = f_L(... f_2(f_1(X))). Backward applies each layer's backward in reverse order.

    The widths must chain (each Linear's ``n_in`` equals the width before it), checked at
    construction. A layer object may appear only once: it keeps one forward cache, so a
    second use would overwrite what the first use's backward needs.
    """

    def __init__(self, *layers: Layer):
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
        self.n_in, self.n_out = _chain_widths(self.layers)

    def forward(self, X):
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, dY, input_grad: bool = True):
        for layer in reversed(self.layers[1:]):
            dY = layer.backward(dY)
        return self.layers[0].backward(dY, input_grad)

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
        names = [repr(layer) if layer.n_out else type(layer).__name__ for layer in self.layers]
        return f"Sequential({', '.join(names)})"


def _chain_widths(layers: list[Layer]) -> tuple[int | None, int | None]:
    """(input width, output width) of the chain; raise where two widths do not meet."""
    n_in, width, source = None, None, None
    for i, layer in enumerate(layers):
        if layer.n_in is not None:
            if width is not None and layer.n_in != width:
                raise ValueError(
                    f"layer {i} ({layer!r}) takes {layer.n_in} inputs, but layer {source} "
                    f"gives {width}: the sizes do not chain"
                )
            if n_in is None and width is None:
                n_in = layer.n_in
        if layer.n_out is not None:
            width, source = layer.n_out, i
    return n_in, width
