"""Gradient-check helpers shared by the tests. Tolerances are stated where they are used."""

from minae.teaching import gradcheck

# Error allowed between a hand-written gradient and central differences in float64, and
# the five-point rule for whole-model losses: minae.teaching.gradcheck states why.
TOLERANCE = gradcheck.TOLERANCE
MODEL_CHECK = gradcheck.MODEL_CHECK


def layer_errors(layer, X, dout):
    """scaled_error against finite differences of dX and of each parameter gradient."""
    return gradcheck.check_layer(layer, X, dout)


def away_from_zero(rng, shape, low=0.1, high=2.0):
    """Values with |x| in [low, high] and random sign: inputs kept off the ReLU kink."""
    return rng.uniform(low, high, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def model_errors(model, X, target, sampled=None, rng=None):
    """``gradcheck.check_model``'s errors, and what backward returned (the check's last
    backward, at the unperturbed parameters)."""
    errors = gradcheck.check_model(model, X, target, sampled=sampled, rng=rng)
    model.zero_grad()
    model.forward(X)
    model.loss(target)
    return errors, model.backward()
