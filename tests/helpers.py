"""Gradient-check helpers shared by the tests. Tolerances are stated where they are used."""

from minae.gradcheck import numerical_vjp, scaled_error

# Error allowed between a hand-written gradient and central differences in float64,
# measured by ``scaled_error`` (each array against its own largest entry; see its
# docstring for why not element-wise). With h = 1e-5 the truncation error is O(h²) ≈ 1e-10
# and the rounding error about 1e-16 |f| / h, so correct code lands near 1e-10 and a wrong
# formula near 1.
TOLERANCE = 1e-7

# Whole-model losses are sums of many terms, whose rounding (~1e-16 |R| / h) makes the
# three-point rule's absolute error ~1e-10: too coarse for gradient entries of 1e-4 at
# TOLERANCE. The five-point rule at h = 1e-3 has truncation ~h⁴ = 1e-12 and rounding
# ~1e-13, so scalar model-level checks use it.
MODEL_CHECK = {"order": 4, "h": 1e-3}


def layer_errors(layer, X, dout):
    """scaled_error against finite differences of dX and of each parameter gradient."""
    layer.zero_grad()
    layer.forward(X)
    dX = layer.backward(dout)
    errors = {"X": scaled_error(dX, numerical_vjp(lambda: layer.forward(X), X, dout))}
    for name, p in layer.named_parameters().items():
        numeric = numerical_vjp(lambda: layer.forward(X), p.value, dout)
        errors[name] = scaled_error(p.grad, numeric)
    return errors


def away_from_zero(rng, shape, low=0.1, high=2.0):
    """Values with |x| in [low, high] and random sign: inputs kept off the ReLU kink."""
    return rng.uniform(low, high, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def model_errors(model, X, target, sampled=None, rng=None):
    """scaled_error of every parameter gradient and of dX, against central differences of
    the whole model's total loss (five-point stencil, MODEL_CHECK). With ``sampled = n``,
    each array is checked at n entries drawn by ``rng`` (for arrays too big to difference
    in full). Returns the errors by name, and what backward returned."""
    from minae.gradcheck import numerical_gradient, sampled_scaled_error

    def total():
        model.forward(X)
        return model.loss(target).total

    def error(x, analytic):
        if sampled:
            return sampled_scaled_error(total, x, analytic, sampled, rng, **MODEL_CHECK)
        return scaled_error(analytic, numerical_gradient(total, x, **MODEL_CHECK))

    model.zero_grad()
    total()
    grads = model.backward()
    errors = {name: error(p.value, p.grad) for name, p in model.named_parameters().items()}
    errors["X"] = error(X, grads.dX)
    return errors, grads
