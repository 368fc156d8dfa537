"""Exercise 3: the linear layer's backward (lesson 04; slides 001, "Training AEs for
Compression", steps ③ and ⑤; lesson 14 shows the row form beside the slides' column form).

Forward, one example per row: Y = X W + b, with X (B, D_in), W (D_in, D_out),
b (D_out,), Y (B, D_out). Derive the three gradients, fill in the function, then run
``python -m minae.exercises check . linear_backward`` (``hint linear_backward`` if stuck).
"""

import numpy as np


def linear_backward(X, W, dY):
    """The three gradients of Y = X W + b, given dY = ∂R̂/∂Y (B, D_out): ∂R̂/∂X (B, D_in,
    passed on to the layer below), ∂R̂/∂W (shaped like W) and ∂R̂/∂b (D_out,).
    dY already carries the 1/B of the loss's average over the batch: add none here.
    <guided>

        ∂R̂/∂X = dY Wᵀ        (B, D_in)       on to the layer below
        ∂R̂/∂W = Xᵀ dY        (D_in, D_out)   shaped like W
        ∂R̂/∂b = 1ᵀ dY        (D_out,)        summed over the batch
    </guided>

    Returns (dX, dW, db).
    """
    raise NotImplementedError("exercise 3: linear_backward")
