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
