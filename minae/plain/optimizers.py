r"""The optimizers as the papers write them: one step on whole arrays, state passed in and out.

The library's optimizers (``minae/optim/``) compute the same updates in place, over one
flat buffer, block by block and on threads; the tests check them against these, step
for step. Each function takes θ, the gradient g = ∂R̂/∂θ and the optimizer's state, and
returns the new θ and state, changing nothing it was given.
"""

from __future__ import annotations

from ..infrastructure.backend import array_module


def sgd(theta, g, lr):
    """θ ← θ - η g.

    Slides 001's "Training AEs for Compression" ⑥ (lesson 04).

    Parameters
    ----------
    theta, g : arrays of the same shape
        θ and ∂R̂/∂θ, any shape.
    lr : float
        η.
    """
    return theta - lr * g


def momentum(theta, velocity, g, lr, mu):
    """Heavy-ball momentum: v ← μ v + g, θ ← θ - η v. Returns (θ, v).

    Polyak (1964), in the libraries' form; the exercises (``e05_optimizers``).

    Parameters
    ----------
    theta, g : arrays of the same shape
        θ and ∂R̂/∂θ, any shape.
    velocity : array shaped like theta
        v.
    lr, mu : float
        η and μ.
    """
    velocity = mu * velocity + g
    return theta - lr * velocity, velocity


def nesterov(theta, velocity, g, lr, mu):
    """Nesterov momentum (Sutskever et al. 2013, in the libraries' form):
    v ← μ v + g, θ ← θ - η (g + μ v). Returns (θ, v).

    Parameters
    ----------
    theta, g : arrays of the same shape
        θ and ∂R̂/∂θ, any shape.
    velocity : array shaped like theta
        v.
    lr, mu : float
        η and μ.
    """
    velocity = mu * velocity + g
    return theta - lr * (g + mu * velocity), velocity


def adam(theta, m, v, g, t, lr, betas=(0.9, 0.999), eps=1e-8):
    r"""Adam (Kingma & Ba 2015, Algorithm 1) at step t = 1, 2, ...:

    .. math::
        m \leftarrow \beta_1 m + (1-\beta_1) g, \quad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2, \quad
        \hat m = \frac{m}{1-\beta_1^t}, \quad \hat v = \frac{v}{1-\beta_2^t}, \quad
        \theta \leftarrow \theta - \eta \frac{\hat m}{\sqrt{\hat v} + \epsilon}

    Returns (θ, m, v). The update of ``optim.Adam``, which lessons 02 to 14 train with;
    the exercises (``e05_optimizers``) have the student write it.

    Parameters
    ----------
    theta, g : arrays of the same shape
        θ and ∂R̂/∂θ, any shape.
    m, v : arrays shaped like theta
        The moment estimates.
    t : int
        The step, from 1.
    lr : float
        η.
    betas : (float, float)
        (β1, β2).
    eps : float
        ε.
    """
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
    return theta - lr * m_hat / (array_module().sqrt(v_hat) + eps), m, v


def adamw(theta, m, v, g, t, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    """AdamW (Loshchilov & Hutter 2019, Algorithm 2): θ ← θ (1 - η β), then Adam's step
    (β = ``weight_decay``; the paper's λ).
    Returns (θ, m, v).

    Parameters
    ----------
    theta, g : arrays of the same shape
        θ and ∂R̂/∂θ, any shape.
    m, v : arrays shaped like theta
        The moment estimates.
    t : int
        The step, from 1.
    lr : float
        η.
    betas : (float, float)
        (β1, β2).
    eps : float
        ε.
    weight_decay : float
        β.
    """
    return adam(theta * (1 - lr * weight_decay), m, v, g, t, lr, betas, eps)
