"""Exercise 2: the activations' backward (lessons 03 and 04; slides 004, "Activation
functions"; slides 001, "Training AEs for Compression", step ③).

Each layer Y = f(A) is element-wise; given dY = ∂R̂/∂Y, each function returns
dA = ∂R̂/∂A, shaped like A. Derive f'(A) for each f, then fill in the functions and run
``python -m minae.exercises check . 2``. Stuck? ``python -m minae.exercises hint
sigmoid_backward`` (each hint taken is recorded). Arrays are NumPy arrays in float64, of
any shape (B, ...).
<guided>
Element-wise layers have element-wise backwards: ∂R̂/∂A = ∂R̂/∂Y ∘ f'(A), ∘ the
element-wise product.
</guided>
"""

import numpy as np


def sigmoid_backward(Y, dY):
    """dA for Y = σ(A) = 1 / (1 + e^(-A)), written through the output Y (the layer keeps
    Y, not A). Y, dY and the result have the same shape.
    <guided>
    σ'(A) = σ(A) (1 - σ(A)) = Y (1 - Y), so dA = dY ∘ Y (1 - Y).
    </guided>
    """
    raise NotImplementedError("exercise 2: sigmoid_backward")


def relu_backward(A, dY):
    """dA for Y = max(0, A). Takes the *input* A (the output cannot tell 0 from a
    negative input). A, dY and the result have the same shape.
    <guided>
    dA = dY ∘ 1[A > 0]: the gradient passes where the input was positive, stops elsewhere.
    </guided>
    """
    raise NotImplementedError("exercise 2: relu_backward")


def tanh_backward(Y, dY):
    """dA for Y = tanh(A), written through the output Y.
    <guided>
    tanh'(A) = 1 - tanh(A)² = 1 - Y², so dA = dY ∘ (1 - Y²).
    </guided>
    """
    raise NotImplementedError("exercise 2: tanh_backward")


def softplus_backward(A, dY):
    """dA for Y = log(1 + e^A), a smooth ReLU. A, dY and the result have the same shape.
    (minae has no softplus: this task is graded by central differences alone.)
    <guided>
    d/dA log(1 + e^A) = e^A / (1 + e^A) = σ(A), so dA = dY ∘ σ(A).
    </guided>
    """
    raise NotImplementedError("exercise 2: softplus_backward")


def elu_backward(A, alpha, dY):
    """dA for the ELU, Y = A where A > 0 and α (e^A - 1) where A ≤ 0 (Clevert et al.
    2016), α a number. (The checker keeps A away from 0, the kink.)
    <guided>
    f'(A) = 1 where A > 0 and α e^A where A ≤ 0, so dA = dY ∘ f'(A).
    </guided>
    """
    raise NotImplementedError("exercise 2: elu_backward")
