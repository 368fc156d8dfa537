"""Exercise 2: the activations' backward (lessons 03 and 04; seed 004, "Activation
functions"; seed 001, "Training AEs for Compression", step ③).

Each layer Y = f(A) is element-wise, so its backward is element-wise too:
∂R̂/∂A = ∂R̂/∂Y ∘ f'(A). Fill in the three functions below, then run
``python -m minae.exercises check . sigmoid_backward relu_backward tanh_backward``.
Arrays are NumPy arrays in float64, of any shape (B, ...).
"""

import numpy as np


def sigmoid_backward(Y, dY):
    """dA = dY ∘ σ'(A) for Y = σ(A) = 1 / (1 + e^(-A)), written through Y:
    σ'(A) = σ(A) (1 - σ(A)) = Y (1 - Y). Y, dY and the result have the same shape."""
    raise NotImplementedError("exercise 2: sigmoid_backward")


def relu_backward(A, dY):
    """dA = dY ∘ 1[A > 0] for Y = max(0, A): the gradient passes where the input was
    positive and stops elsewhere. Takes the *input* A (the output cannot tell 0 from a
    negative input). A, dY and the result have the same shape."""
    raise NotImplementedError("exercise 2: relu_backward")


def tanh_backward(Y, dY):
    """dA = dY ∘ tanh'(A) for Y = tanh(A), written through Y: tanh'(A) = 1 - Y²."""
    raise NotImplementedError("exercise 2: tanh_backward")
