"""The fully connected layer, in the row-vector convention of deep-learning libraries."""

from __future__ import annotations

import numpy

from ..infrastructure.backend import array_module, resolve_dtype, to_device
from ..infrastructure.random_numbers import as_generator
from ..infrastructure.validation import check_batch, check_bool, check_positive_int
from .layer import Layer
from .parameter import Parameter

_INITS = ("xavier", "he", "fan_in_uniform")


def init_weights(
    n_in: int,
    n_out: int,
    init: str,
    rng: numpy.random.Generator,
    shape: tuple[int, ...] | None = None,
) -> numpy.ndarray:
    """Draw W of shape (n_in, n_out) on the host, in float64 (or of ``shape``, with fans
    n_in and n_out: a convolution's (C_out, C_in, kh, kw) has n_in = C_in·kh·kw).

    ``"xavier"`` (Glorot & Bengio 2010, for sigmoid and tanh): U(-a, a) with
    a = sqrt(6 / (n_in + n_out)).
    ``"he"`` (He et al. 2015, for ReLU): N(0, 2 / n_in).
    ``"fan_in_uniform"``: U(-a, a) with a = 1 / sqrt(n_in), the default of PyTorch's
    ``nn.Linear`` (which draws its bias the same way: see ``Linear``).
    """
    shape = (n_in, n_out) if shape is None else shape
    if init == "xavier":
        a = numpy.sqrt(6.0 / (n_in + n_out))
        return rng.uniform(-a, a, size=shape)
    if init == "he":
        return rng.normal(0.0, numpy.sqrt(2.0 / n_in), size=shape)
    if init == "fan_in_uniform":
        a = 1.0 / numpy.sqrt(n_in)
        return rng.uniform(-a, a, size=shape)
    raise ValueError(f"unknown init {init!r}; choose one of {_INITS}")


class Linear(Layer):
    r"""Affine map ``Y = X W + b``.

    Shapes: X (B, n_in), W (n_in, n_out), b (n_out,), Y (B, n_out). Each example is a
    row, as in deep-learning libraries (slides 004: z = xᵀW + b); the slides' column form
    z = W x is the same map with W transposed.

    Y and dX are laid out in memory like X (see ``image_layout.py``).

    Backward, given dY = ∂R̂/∂Y of shape (B, n_out):

    .. math::
        \partial\hat R/\partial X = dY\,W^\top, \quad
        \partial\hat R/\partial W = X^\top dY, \quad
        \partial\hat R/\partial b = \textstyle\sum_b dY_{b,:} = \mathbf 1^\top dY

    Lesson 04 writes these three gradients by hand; lesson 14 compares minae's row form
    with slides 004's column form, shape by shape.

    Parameters
    ----------
    n_in, n_out : int
        Widths of the input and output.
    rng : numpy.random.Generator or int
        The initial weights' Generator or seed.
    init : str
        ``"xavier"`` (default; sigmoid, tanh, linear; Glorot & Bengio 2010), ``"he"``
        (ReLU; He et al. 2015), or ``"fan_in_uniform"`` (PyTorch's default, to reproduce
        its recipes: b is then drawn from the same U(-1/√n_in, 1/√n_in); otherwise b
        starts at 0).
    dtype : float32 or float64, optional
        The backend's default when None.
    bias : bool
        False for Y = X W, with no b (slides 000's toy network: two weight vectors and
        nothing else).
    """

    def __init__(
        self, n_in: int, n_out: int, *, rng, init: str = "xavier", dtype=None, bias: bool = True
    ):
        self.n_in = check_positive_int(n_in, "n_in")
        self.n_out = check_positive_int(n_out, "n_out")
        bias = check_bool(bias, "bias")
        self.in_shape = (self.n_in,)
        dtype = resolve_dtype(dtype)
        rng = as_generator(rng)
        W = init_weights(self.n_in, self.n_out, init, rng)
        b = numpy.zeros(self.n_out)
        if init == "fan_in_uniform":
            b = rng.uniform(-1.0, 1.0, size=self.n_out) / numpy.sqrt(self.n_in)
        self.W = Parameter(to_device(W, dtype), "W")
        self.b = Parameter(to_device(b, dtype), "b") if bias else None
        self._X = None

    def out_shape(self, in_shape):
        if in_shape is not None and in_shape != self.in_shape:
            hint = ": put a Flatten() before it" if len(in_shape) > 1 else ""
            raise ValueError(
                f"{self!r} takes examples of shape {self.in_shape}, got {in_shape}{hint}"
            )
        return (self.n_out,)

    def forward(self, X):
        check_batch(X, "X", self.n_in, self.W.dtype)
        self._X = X
        xp = array_module()
        Y = xp.empty_like(X, shape=(X.shape[0], self.n_out))  # (B, n_out), laid out like X
        xp.matmul(X, self.W.value, out=Y)  # (B, n_in) @ (n_in, n_out) -> (B, n_out)
        if self.b is not None:
            Y += self.b.value  # + (n_out,), broadcast over the batch
        return Y

    def backward(self, dY, input_grad: bool = True):
        X = self._cached(self._X, "its input X")
        check_batch(dY, "dY", self.n_out, self.W.dtype)
        self.W.accumulate_matmul(X.T, dY)  # (n_in, B) @ (B, n_out) -> (n_in, n_out)
        if self.b is not None:
            ones = array_module().ones(dY.shape[0], dtype=dY.dtype)  # (B,)
            self.b.accumulate_matmul(ones, dY)  # 1ᵀ dY: (B,) @ (B, n_out) -> (n_out,)
        if input_grad:
            dX = array_module().empty_like(X)  # (B, n_in), laid out like X
            array_module().matmul(dY, self.W.value.T, out=dX)  # (B, n_out) @ (n_out, n_in)
            return dX
        return None

    def named_parameters(self):
        return {"W": self.W} if self.b is None else {"W": self.W, "b": self.b}

    def __repr__(self) -> str:
        return f"Linear({self.n_in}, {self.n_out}{'' if self.b is not None else ', bias=False'})"
