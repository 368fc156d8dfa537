"""Element-wise activations: each forward beside the local derivative that backward uses.

All keep the shape (B, *shape) of their input. Backward multiplies dY element-wise by the
local derivative, as in the slides' chain rule ∂R̂/∂X = ∂R̂/∂Y ∘ f'(X).

Each activation also offers its function and derivatives as plain methods (numpy-ml's
``fn``, ``grad``, ``grad2``): ``fn(X)`` = f(X), ``grad(X)`` = f'(X), ``grad2(X)`` = f''(X),
and the same derivatives written through the output Y = f(X), ``grad_from_output(Y)`` and
``grad2_from_output(Y)``. Backward uses ``grad_from_output`` on the Y that forward kept;
the contractive penalty uses both (``penalties/contractive.py``).
"""

from __future__ import annotations

import contextlib

import numpy

from ..infrastructure.backend import array_module
from ..infrastructure.validation import check_array, check_batch, check_choice
from .layer import Layer


def sigmoid(X):
    """σ(x) = 1 / (1 + e^(-x)), computed in place in one new array.

    The activation of every neuron in slides 001's "Example: Compressing MNIST" ("All
    neurons are activated via sigmoid"), lesson 04's model.

    Where e^(-x) overflows (x below about -88 in float32, -709 in float64) it becomes
    inf and σ exactly 0, the correct limit; elsewhere the result has full relative
    precision, tiny values included (σ(-40) = 4.2e-18, not 0).

    Parameters
    ----------
    X : array of any shape
        Float32 or float64; left unchanged.

    Returns
    -------
    array shaped like X
        σ(X), element-wise, in X's dtype.
    """
    check_array(X, "X", finite=False, nonempty=False)
    xp = array_module()
    Y = xp.negative(X)
    if Y.ndim == 0:  # a 0-d array: NumPy's out= wants an array
        Y = Y.reshape(1)
        return sigmoid(-Y).reshape(())
    with numpy.errstate(over="ignore") if xp is numpy else contextlib.nullcontext():
        xp.exp(Y, out=Y)
    Y += 1.0
    return xp.divide(1.0, Y, out=Y)  # 1 / Y (NumPy's float32 reciprocal is slower)


class Activation(Layer):
    """Y = f(X) element-wise; backward: dX = dY ∘ f'(X), with f'(X) read from the kept Y.

    Shapes: X, Y, dY and dX are all (B, *shape), any shape. The chain rule of slides 001's
    "Training AEs for Compression" ④ through one nonlinearity; slides 004 lists "ReLU,
    sigmoid, or tanh" as the activations to choose from, and lesson 03 trains the same
    network with ReLU and with tanh units. Takes no parameters; ``activation(name)``
    makes one by name.
    """

    keeps_shape = True

    def __init__(self):
        self._Y = None

    def fn(self, X):
        """f(X), element-wise: a new array shaped like X (B, *shape); nothing is kept."""
        raise NotImplementedError

    def grad_from_output(self, Y):
        """f'(X) written through Y = f(X), a new array shaped like Y."""
        raise NotImplementedError

    def grad2_from_output(self, Y):
        """f''(X) written through Y = f(X), a new array shaped like Y."""
        raise NotImplementedError

    def grad(self, X):
        """f'(X), element-wise: a new array shaped like X (B, *shape)."""
        return self.grad_from_output(self.fn(X))

    def grad2(self, X):
        """f''(X), element-wise: a new array shaped like X (B, *shape)."""
        return self.grad2_from_output(self.fn(X))

    def forward(self, X):
        check_batch(X)
        self._Y = self.fn(X)
        return self._Y

    def backward(self, dY, input_grad: bool = True):
        Y = self._cached(self._Y, "its output Y")
        if not input_grad:
            return None
        dX = self.grad_from_output(Y)  # f'(X)
        dX *= dY  # dY ∘ f'(X)
        return dX

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Sigmoid(Activation):
    """Y = σ(X) = 1 / (1 + e^(-X)); σ' = Y (1 - Y), σ'' = Y (1 - Y) (1 - 2Y).

    Shapes: X, Y (B, *shape). Slides 001's activation ("All neurons are activated via
    sigmoid", "Example: Compressing MNIST"); lesson 04. σ'' serves the contractive
    penalty's gradient (slides 003, "Contractive Autoencoder"; lesson 08).
    """

    def fn(self, X):
        return sigmoid(X)

    def grad_from_output(self, Y):
        s = 1.0 - Y
        s *= Y  # Y (1 - Y)
        return s

    def grad2_from_output(self, Y):
        s = self.grad_from_output(Y)
        s *= 1.0 - 2.0 * Y  # Y (1 - Y) (1 - 2Y)
        return s


class Tanh(Activation):
    """Y = tanh(X); tanh' = 1 - Y², tanh'' = -2Y (1 - Y²).

    Shapes: X, Y (B, *shape). One of slides 004's "ReLU, sigmoid, or tanh"; lesson 03
    shows a tanh network stalling at PCA's answer on the circle.
    """

    def fn(self, X):
        return array_module().tanh(X)

    def grad_from_output(self, Y):
        s = Y * Y
        return array_module().subtract(1.0, s, out=s)  # 1 - Y²

    def grad2_from_output(self, Y):
        s = self.grad_from_output(Y)
        s *= -2.0 * Y  # -2Y (1 - Y²)
        return s


class ReLU(Activation):
    """Y = max(X, 0); f' = [X > 0] (taken as 0 at the kink X = 0), f'' = 0.

    Forward keeps the mask [X > 0] (one byte an element), so backward is one product.
    Shapes: X, Y (B, *shape). One of slides 004's "ReLU, sigmoid, or tanh"; the units of
    lessons 03, 04 (section 5) and 10 (Nair & Hinton 2010).
    """

    def __init__(self):
        self._positive = None

    def fn(self, X):
        return array_module().maximum(X, 0)

    def grad_from_output(self, Y):
        return (Y > 0).astype(Y.dtype)  # Y > 0 exactly where X > 0

    def grad2_from_output(self, Y):
        return array_module().zeros_like(Y)

    def forward(self, X):
        check_batch(X)
        self._positive = X > 0  # f'(X) = [X > 0], booleans shaped like X (B, *shape)
        return array_module().maximum(X, 0)

    def backward(self, dY, input_grad: bool = True):
        positive = self._cached(self._positive, "its input's sign")
        return dY * positive if input_grad else None


class Identity(Activation):
    """Y = X; f' = 1, f'' = 0. The activation of a linear layer (PCA-like autoencoders).

    Shapes: X, Y (B, *shape). Slides 004's "linear activation" of a last layer, ``mlp``'s
    default last activation; slides 000's network that "describes PCA" has none at all
    (``linear_autoencoder``, lessons 01, 02 and 05).
    """

    def fn(self, X):
        return X

    def grad_from_output(self, Y):
        return array_module().ones_like(Y)

    def grad2_from_output(self, Y):
        return array_module().zeros_like(Y)

    def forward(self, X):
        check_batch(X)
        return X

    def backward(self, dY, input_grad: bool = True):
        return dY if input_grad else None


ACTIVATIONS: dict[str, type[Activation]] = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "identity": Identity,
}


def activation(name: str) -> Activation:
    """A new activation layer by name (slides 004: "Nonlinearities like ReLU, sigmoid, or tanh").

    Parameters
    ----------
    name : str
        ``"sigmoid"``, ``"tanh"``, ``"relu"`` or ``"identity"``.

    Returns
    -------
    Activation
        A layer mapping (B, *shape) to (B, *shape); lesson 03 builds its networks from it.

    Raises
    ------
    ValueError
        For any other name, listing the names it knows.
    """
    return ACTIVATIONS[check_choice(name, "name", ACTIVATIONS)]()
