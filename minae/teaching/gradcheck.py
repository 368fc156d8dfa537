"""Central finite differences in float64: the proof behind every hand-written backward.

For a scalar function f, the numerical gradient is

    ∂f/∂x_i ≈ (f(x + h e_i) - f(x - h e_i)) / 2h,

with error O(h²). For an array-valued f with upstream gradient dout, the vector-Jacobian
product that backward computes is checked the same way:

    (∂f/∂x)ᵀ dout ≈ Σ (f(x + h e_i) - f(x - h e_i)) ∘ dout / 2h.

``order=4`` uses the five-point central stencil
(-f(x+2h) + 8 f(x+h) - 8 f(x-h) + f(x-2h)) / 12h, with error O(h⁴). Whole-model losses
sum many terms, so their rounding error (about 1e-16 |f| / h) is what limits the
three-point rule; the five-point rule reaches the same truncation error with a 100 times
larger h, and so about 1e-12 absolute error instead of 1e-10.

Each function perturbs ``x`` in place and restores it exactly, so ``x`` may be a
parameter's value (``layer.W.value``) that ``f`` reads.
"""

from __future__ import annotations

import numpy

from ..infrastructure.backend import array_module, to_host
from ..infrastructure.random_numbers import as_generator
from ..infrastructure.validation import check_array, check_float, check_positive_int


def _require_protocol(obj, name: str, methods: tuple[str, ...]) -> None:
    missing = [m for m in methods if not callable(getattr(obj, m, None))]
    if missing:
        raise TypeError(
            f"{name} must be a minae {name} (it has no {', '.join(missing)}), got "
            f"{type(obj).__name__}"
        )


def _finite_errors(errors: dict) -> dict:
    bad = [name for name, e in errors.items() if not numpy.isfinite(e)]
    if bad:
        raise ValueError(
            f"the check's errors for {bad} are NaN or inf: the forward or backward "
            "gave NaN or inf at this input"
        )
    return errors


def _generators_in(obj, found=None, seen=None, depth: int = 0) -> list:
    """Every numpy Generator that ``obj`` holds (a VAE's ε, an active Dropout's masks), in
    its attributes, lists and dicts, a few levels down."""
    found = [] if found is None else found
    seen = set() if seen is None else seen
    if id(obj) in seen or depth > 6:
        return found
    seen.add(id(obj))
    if isinstance(obj, numpy.random.Generator):
        found.append(obj)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            _generators_in(item, found, seen, depth + 1)
    elif isinstance(obj, dict):
        for item in obj.values():
            _generators_in(item, found, seen, depth + 1)
    elif hasattr(obj, "__dict__") and not isinstance(obj, type):
        for item in vars(obj).values():
            if not hasattr(item, "shape"):  # arrays hold no Generators
                _generators_in(item, found, seen, depth + 1)
    return found


class _FixedRandomness:
    """Call ``again()`` before each forward: every Generator the model holds is set back
    to its state when this was made, so each forward draws the same ε and the same
    masks, and the loss is one function of the parameters to difference."""

    def __init__(self, model):
        self.generators = _generators_in(model)
        self.states = [g.bit_generator.state for g in self.generators]

    def again(self) -> None:
        for g, state in zip(self.generators, self.states, strict=True):
            g.bit_generator.state = state


def _checked_difference(f, x, h, order, x_name: str = "x") -> tuple[float, int]:
    """Refuse bad arguments of a finite-difference call, naming them; (h, order)."""
    if not callable(f):
        raise TypeError(
            f"f must be a function of no arguments that reads {x_name}, got {type(f).__name__}"
        )
    check_array(x, x_name, nonempty=True)
    _require_float64(x, x_name)
    h = check_float(h, "h", low=0.0, low_open=True)
    if isinstance(order, bool) or order not in _STENCILS:
        raise ValueError(f"order must be 2 (three-point rule) or 4 (five-point), got {order!r}")
    return h, int(order)


def _require_float64(x, name: str = "x") -> None:
    if x.dtype != numpy.float64:
        raise TypeError(
            f"{name}: finite differences need float64 (got {x.dtype}): in float32 the rounding "
            "error of f swamps the O(h²) truncation error. Build the model with dtype='float64'"
        )


# (offset in units of h, weight) and the divisor in units of h, for each order
_STENCILS = {
    2: (((1, 1.0), (-1, -1.0)), 2.0),
    4: (((2, -1.0), (1, 8.0), (-1, -8.0), (-2, 1.0)), 12.0),
}


def _central_difference(f, x, index, h: float, dout=None, order: int = 2) -> float:
    if order not in _STENCILS:
        raise ValueError(f"order must be 2 or 4, got {order}")
    xp = array_module()
    stencil, divisor = _STENCILS[order]
    old = x[index].item()
    total = 0.0
    try:
        for offset, weight in stencil:
            x[index] = old + offset * h
            total = total + weight * xp.array(f())  # a copy: f may return x itself, or a view
    finally:
        x[index] = old  # restored exactly, even when f raises
    if dout is not None:  # combine first: entries that x[index] does not touch cancel exactly
        total = (total * dout).sum()
    return float(total) / (divisor * h)


def numerical_gradient(f, x, h: float = 1e-5, order: int = 2):
    """∂f/∂x for a scalar ``f()`` that reads ``x``; an array shaped like ``x``.

    The gradient check of CS231n's notes (Karpathy et al. 2016) and UFLDL's (Ng 2011),
    with which lessons 04, 09 and 12 check what they derive.

    Parameters
    ----------
    f : callable
        ``f()`` returns a float and reads ``x``.
    x : float64 array of any shape
        Perturbed in place, one entry at a time, and restored exactly.
    h : float
        The step (default 1e-5).
    order : int
        2 for the three-point rule, 4 for the five-point one.
    """
    h, order = _checked_difference(f, x, h, order)
    grad = numpy.zeros(x.shape)
    for index in numpy.ndindex(*x.shape):
        grad[index] = _central_difference(f, x, index, h, order=order)
    return array_module().asarray(grad)


def numerical_vjp(f, x, dout, h: float = 1e-5, order: int = 2):
    """(∂f/∂x)ᵀ dout for an array-valued ``f()`` that reads ``x``; shaped like ``x``.

    What a layer's backward returns for upstream gradient ``dout``, by differences
    (CS231n's ``eval_numerical_gradient_array``, Karpathy et al. 2016); lesson 10 checks
    the convolution's backward with it.

    Parameters
    ----------
    f : callable
        ``f()`` returns an array shaped like ``dout`` and reads ``x``.
    x : float64 array of any shape
        Perturbed in place and restored exactly.
    dout : array shaped like f()'s output
        The upstream gradient.
    h : float
        The step (default 1e-5).
    order : int
        2 for the three-point rule, 4 for the five-point one.
    """
    h, order = _checked_difference(f, x, h, order)
    check_array(
        dout, "dout", floats=False, like=array_module().asarray(f()), like_name="f()'s output"
    )
    grad = numpy.zeros(x.shape)
    for index in numpy.ndindex(*x.shape):
        grad[index] = _central_difference(f, x, index, h, dout, order)
    return array_module().asarray(grad)


def _pair(a, b):
    """a and b as float64 host arrays of one shape, each finite (a NaN error would pass an
    ``error > tolerance`` test)."""
    check_array(a, "a", floats=False, nonempty=False)
    check_array(b, "b", floats=False, nonempty=False, like=a, like_name="a's")
    return to_host(a).astype(numpy.float64), to_host(b).astype(numpy.float64)


def rel_error(a, b) -> float:
    """max |a - b| / max(1e-8, |a| + |b|), element-wise: 0 for equal arrays, at most 1.

    CS231n's relative error (Karpathy et al. 2016).

    Parameters
    ----------
    a, b : arrays of the same shape
    """
    a, b = _pair(a, b)
    return float(numpy.max(numpy.abs(a - b) / numpy.maximum(1e-8, numpy.abs(a) + numpy.abs(b))))


def scaled_error(a, b) -> float:
    """max |a - b| / max(|a| + |b|): the worst difference relative to the largest entry.

    Finite differences err by about the same *absolute* amount in every entry (set by the
    scale of f and h), so an entry far smaller than its neighbours (a weight row fed by an
    input near 0) can show an element-wise ``rel_error`` of 1e-6 while the difference is
    1e-13. Checking each array against its own largest entry (an ∞-norm relative error, as
    UFLDL's ||a - b|| / ||a + b|| is a 2-norm one) is free of that, and a wrong formula
    still shows as an error near 1. Lesson 06's staged checks read it.

    Parameters
    ----------
    a, b : arrays of the same shape
        An analytic and a numerical gradient.
    """
    a, b = _pair(a, b)
    scale = float(numpy.max(numpy.abs(a) + numpy.abs(b), initial=0.0))
    return float(numpy.max(numpy.abs(a - b), initial=0.0)) / max(scale, 1e-300)


def sampled_scaled_error(
    f, x, analytic, n: int, rng, h: float = 1e-5, dout=None, order: int = 2
) -> float:
    """``scaled_error`` estimated at ``n`` entries of ``x`` drawn by ``rng``: a check for
    tensors too big to difference in full.

    The worst |numeric - analytic| over the sampled entries, divided by 2 max |analytic|
    over the whole array (the scale ``scaled_error`` would use). ``f()`` is scalar, or
    array-valued with ``dout`` given (vector-Jacobian form). UFLDL's sparse autoencoder
    exercise checks its gradients this way on a few entries (Ng 2011); lesson 06.

    Parameters
    ----------
    f : callable
        ``f()`` reads ``x``: a float, or an array shaped like ``dout``.
    x : float64 array of any shape
        Perturbed in place and restored exactly.
    analytic : array shaped like x
        The gradient to check.
    n : int
        Entries to sample.
    rng : numpy.random.Generator or int
        Draws the entries.
    h : float
        The step (default 1e-5).
    order : int
        2 for the three-point rule, 4 for the five-point one.
    dout : array, optional
        The upstream gradient, for an array-valued f.
    """
    h, order = _checked_difference(f, x, h, order)
    check_array(analytic, "analytic", like=x, like_name="x's")
    if dout is not None:
        check_array(dout, "dout", floats=False)
    n = check_positive_int(n, "n")
    rng = as_generator(rng)
    analytic = to_host(analytic).astype(numpy.float64)
    scale = 2 * float(numpy.abs(analytic).max(initial=0.0))
    worst = 0.0
    for i in rng.choice(x.size, size=min(n, x.size), replace=False):
        index = numpy.unravel_index(i, x.shape)
        numeric = _central_difference(f, x, index, h, dout, order)
        worst = max(worst, abs(numeric - analytic[index]))
    return worst / max(scale, 1e-300)


# -- one-call checkers: a layer, a loss, a penalty, a whole model ---------------------------

# A correct float64 backward lands near 1e-10 by ``scaled_error`` (with h = 1e-5 the
# truncation error is O(h²) ≈ 1e-10, the rounding about 1e-16 |f| / h); a wrong formula
# near 1. What passes:
TOLERANCE = 1e-7

# Whole-model losses sum many terms, whose rounding (~1e-16 |R| / h) makes the three-point
# rule's absolute error ~1e-10: too coarse for gradient entries of 1e-4 at TOLERANCE. The
# five-point rule at h = 1e-3 has truncation ~h⁴ = 1e-12 and rounding ~1e-13.
MODEL_CHECK = {"order": 4, "h": 1e-3}


def check_layer(layer, X, dout=None, *, rng=0) -> dict[str, float]:
    """``scaled_error`` of a layer's dX and of each parameter's gradient against central
    differences, at input X (float64; the layer built in float64 too).

    ``dout`` is the upstream gradient ∂R̂/∂Y (drawn from ``rng`` when None). Returns
    {"X": error, name: error for each parameter}; each should be below ``TOLERANCE``.
    The check the tests run on every layer (CS231n, Karpathy et al. 2016), and the
    exercises on the student's (lesson 04's pieces, ``python -m minae.exercises``).

    Parameters
    ----------
    layer : Layer
        Built in float64.
    X : float64 array (B, *in_shape)
        The input.
    dout : array (B, *out_shape), optional
        ∂R̂/∂Y.
    rng : numpy.random.Generator or int
        Draws dout when None.
    """
    _require_protocol(layer, "layer", ("forward", "backward", "named_parameters", "zero_grad"))
    check_array(X, "X", min_ndim=1)
    _require_float64(X, "X")
    rng = as_generator(rng)
    fixed = _FixedRandomness(layer)  # an active Dropout's masks, drawn the same each time

    def forward():
        fixed.again()
        return layer.forward(X)

    if dout is None:
        shape = forward().shape
        dout = array_module().asarray(rng.standard_normal(shape))
    check_array(dout, "dout", floats=False)
    layer.zero_grad()
    forward()
    dX = layer.backward(dout)
    errors = {"X": scaled_error(dX, numerical_vjp(forward, X, dout))}
    for name, p in layer.named_parameters().items():
        errors[name] = scaled_error(p.grad, numerical_vjp(forward, p.value, dout))
    return _finite_errors(errors)


def check_loss(loss, output, target) -> float:
    """``scaled_error`` of ``loss.grad(output, target)`` against central differences of
    ``loss.value`` with respect to the output X̂ (float64).

    Step ② of slides 001's "Training AEs for Compression", checked; lesson 12 does the same
    by hand for the softmax cross-entropy.

    Parameters
    ----------
    loss : Loss
    output, target : float64 arrays of the same shape (B, *shape)
    """
    _require_protocol(loss, "loss", ("value", "grad"))
    check_array(output, "output", min_ndim=1)
    _require_float64(output, "output")
    check_array(target, "target", floats=False, like=output, like_name="output's")
    numeric = numerical_gradient(lambda: loss.value(output, target), output)
    return _finite_errors({"output": scaled_error(loss.grad(output, target), numeric)})["output"]


def check_penalty(penalty, Z) -> float:
    """``scaled_error`` of a code penalty's ∇_Z S(Z) against central differences of S
    (float64).

    The λ ∇_Z S(Z) term of slides 001's "Training Sparse AEs"; lesson 06's penalties.

    Parameters
    ----------
    penalty : CodePenalty
    Z : float64 array (B, *code_shape)
        Codes in the penalty's range (in (0, 1) for ``KLSparsity``).
    """
    _require_protocol(penalty, "penalty", ("value", "grad"))
    check_array(Z, "Z", min_ndim=1)
    _require_float64(Z, "Z")
    error = scaled_error(penalty.grad(Z), numerical_gradient(lambda: penalty.value(Z), Z))
    return _finite_errors({"Z": error})["Z"]


def check_model(model, X, target=None, *, sampled: int | None = None, rng=None) -> dict:
    """``scaled_error`` of every parameter's gradient and of dX, from ``model.backward()``,
    against central differences of the model's total loss R̂ (five-point rule,
    ``MODEL_CHECK``). ``target`` defaults to a copy of X (an autoencoder; a copy, so that
    differencing X moves the input and not the target, as dX assumes). With ``sampled = n``, each
    array is checked at n entries drawn by ``rng`` (for arrays too big to difference in
    full). Returns {name: error, ..., "X": error}.

    The whole of slides 001's steps ② to ⑤ checked at once; lesson 06 checks the sparse
    autoencoder this way (UFLDL's staged checks, Ng 2011).

    Parameters
    ----------
    model : Model
        Built in float64. Its randomness (a VAE's ε, an active Dropout's masks) is fixed
        here: every Generator it holds is set back to its state before each forward.
    X : float64 array (B, *in_shape)
        The input.
    target : array (B, ...), optional
        A copy of X when None.
    sampled : int, optional
        Entries to check per array; all when None.
    rng : numpy.random.Generator or int, optional
        Draws the sampled entries.
    """
    _require_protocol(
        model, "model", ("forward", "loss", "backward", "named_parameters", "zero_grad")
    )
    check_array(X, "X", min_ndim=1)
    _require_float64(X, "X")
    if getattr(model, "in_shape", None) is not None and tuple(X.shape[1:]) != tuple(model.in_shape):
        raise ValueError(
            f"X's examples are {tuple(X.shape[1:])}, the model takes {tuple(model.in_shape)}"
        )
    target = X.copy() if target is None else target
    check_array(target, "target", floats=False, min_ndim=1)
    if target.shape[0] != X.shape[0]:
        raise ValueError(f"target has {target.shape[0]} examples, X {X.shape[0]}")
    sampled = None if sampled is None else check_positive_int(sampled, "sampled")
    fixed = _FixedRandomness(model)

    def total():
        fixed.again()
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
    return _finite_errors(errors)
