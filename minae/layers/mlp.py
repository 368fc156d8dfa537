"""Build a multilayer perceptron (a Sequential of Linear layers and activations) from widths."""

from __future__ import annotations

import itertools

from ..infrastructure.random_numbers import as_generator
from ..infrastructure.validation import check_choice, check_sizes
from .activations import ACTIVATIONS
from .activations import activation as make_activation
from .layer import Layer
from .linear import Linear
from .sequential import Sequential


def mlp(
    widths: list[int],
    *,
    activation: str,
    output_activation: str = "identity",
    rng,
    init: str | None = None,
    dtype=None,
) -> Sequential:
    """Linear layers of the given widths, ``activation`` after each hidden one.

    ``mlp([784, 512, 32], activation="relu", rng=rng)`` is
    Linear(784, 512), ReLU, Linear(512, 32), Identity. Weights are initialised with He's
    rule for ReLU and Xavier's otherwise (or ``init``, see ``Linear``), drawn in order from
    the one Generator ``rng``.

    Slides 001's "Example: Compressing MNIST" (784 → four shrinking layers → 2, sigmoid)
    and its mirrored decoder are ``mlp([784, ..., 2], ...)`` and ``mlp([2, ..., 784],
    ...)``; lessons 03, 04 and 14 build their dense networks this way.

    Parameters
    ----------
    widths : list of int
        [n_0, n_1, ..., n_L]: the input width, the hidden widths, the output width.
    activation : str
        After each hidden Linear: ``"sigmoid"``, ``"tanh"``, ``"relu"`` or ``"identity"``.
    output_activation : str
        After the last Linear (default ``"identity"``).
    rng : numpy.random.Generator or int
        The initial weights' Generator or seed.
    init : str, optional
        ``"xavier"``, ``"he"`` or ``"fan_in_uniform"``; by default He for ReLU, else Xavier.
    dtype : float32 or float64, optional
        The backend's default when None.

    Returns
    -------
    Sequential
        Mapping (B, n_0) to (B, n_L).
    """
    widths = list(check_sizes(widths, "widths", at_least=2))  # an input and an output width
    check_choice(activation, "activation", ACTIVATIONS)  # refused here, even if unused
    check_choice(output_activation, "output_activation", ACTIVATIONS)
    rng = as_generator(rng)
    init = init or ("he" if activation == "relu" else "xavier")
    layers: list[Layer] = []
    for i, (n_in, n_out) in enumerate(itertools.pairwise(widths)):
        last = i == len(widths) - 2
        layers.append(Linear(n_in, n_out, rng=rng, init=init, dtype=dtype))
        layers.append(make_activation(output_activation if last else activation))
    return Sequential(*layers)
