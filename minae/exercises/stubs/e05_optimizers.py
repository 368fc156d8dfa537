"""Exercise 5: one optimizer step (lesson 04; slides 001, "Training AEs for Compression",
step ⑥ "update all weights").

Each function takes the parameters θ, the gradient g = ∂R̂/∂θ and the optimizer's state,
and returns the new θ and the new state, changing nothing it was given (write
``theta - ...``, not ``theta -= ...``). Fill in both, then run
``python -m minae.exercises check . momentum adam``.
"""

import numpy as np


def momentum(theta, velocity, g, lr, mu):
    """Heavy-ball momentum, as torch.optim.SGD and minae.SGD write it:

        v ← μ v + g,     θ ← θ - η v

    Returns (θ, v).
    """
    raise NotImplementedError("exercise 5: momentum")


def adam(theta, m, v, g, t, lr, betas=(0.9, 0.999), eps=1e-8):
    """Adam (Kingma & Ba 2015, Algorithm 1) at step t = 1, 2, ...:

        m ← β1 m + (1 - β1) g               the first moment
        v ← β2 v + (1 - β2) g²              the second moment
        m̂ = m / (1 - β1ᵗ),  v̂ = v / (1 - β2ᵗ)   bias correction
        θ ← θ - η m̂ / (√v̂ + ε)

    Returns (θ, m, v).
    """
    raise NotImplementedError("exercise 5: adam")
