"""What ``train`` and ``evaluate`` need of a model: the protocol every minae model keeps,
declared in one class with a default for each optional part."""

from __future__ import annotations

import contextlib

from ..infrastructure.validation import check_protocol_names
from ..layers.parameter import Parameter
from .loss_terms import LossTerms


class Model:
    """The base of every model that ``train`` and ``evaluate`` drive: subclass it.

    Four methods a model must write: ``forward(X)`` runs a batch through the model and
    keeps what ``loss`` and ``backward`` need; ``loss(target)`` scores that forward,
    returning ``LossTerms`` (named terms, the total R̂ and the squared error);
    ``backward(input_grad)`` adds ∂R̂/∂θ into every ``Parameter.grad``; ``parameters()``
    lists them. ``in_shape`` is the example shape the model takes (None: any) and
    ``dtype`` the dtype it computes in, which the training loop checks the data against.

    What a model may write, each with its default here, so that nothing is looked up by
    name at run time:

    - ``generators()``: the Generators the model draws from itself (a VAE's ε), by name,
      which a checkpoint saves and restores; default none;
    - ``begin_training(rng)`` / ``end_training()``: layers that train differently
      (``Dropout``) switch on, drawing from the run's Generator, and back off; default
      nothing to switch;
    - ``per_example_loss(X, target)``: the loss of each example, (B,), which
      ``anomaly_scores(score="loss")`` ranks by; default: refused, naming the model;
    - ``folded(optimizer)``: a context within which the optimizer adds, in its own pass,
      the gradient terms it can (weight decay's β W) and ``backward`` leaves them out;
      ``train`` and ``step`` enter it; default: nothing folded.

    A subclass that defines a method one letter away from one of these
    (``generator``, ``per_example_losses``) is refused when its class is created: the
    default would otherwise run in its place and say nothing.

    The steps of slides 001's "Training AEs for Compression": ① forward, ② the loss and
    ∇_X̂ R̂, ③–⑤ back-propagation, ⑥ the update (the optimizer's); lesson 04 writes them
    by hand. The class takes no parameters.
    """

    PROTOCOL = (
        "forward",
        "loss",
        "backward",
        "parameters",
        "generators",
        "begin_training",
        "end_training",
        "per_example_loss",
        "folded",
    )
    in_shape: tuple[int, ...] | None = None

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        check_protocol_names(cls, Model.PROTOCOL)

    @property
    def dtype(self):
        """The dtype the model computes in, float32 or float64 (None without parameters)."""
        params = self.parameters()
        return params[0].dtype if params else None

    def forward(self, X):
        """Run a batch X (B, *in_shape) through the model; return its output (B, ...)."""
        raise NotImplementedError(f"{type(self).__name__} must define forward(X)")

    def loss(self, target) -> LossTerms:
        """Score the last forward against ``target`` (B, ...): the terms of R̂."""
        raise NotImplementedError(f"{type(self).__name__} must define loss(target)")

    def backward(self, input_grad: bool = True):
        """Add ∂R̂/∂θ into every ``Parameter.grad``; ∂R̂/∂X only if ``input_grad``."""
        raise NotImplementedError(f"{type(self).__name__} must define backward(input_grad)")

    def parameters(self) -> list[Parameter]:
        """The parameters the optimizer updates."""
        raise NotImplementedError(f"{type(self).__name__} must define parameters()")

    def generators(self) -> dict:
        """The Generators the model draws from itself, by name (a checkpoint keeps their
        states); none by default."""
        return {}

    def begin_training(self, rng) -> None:
        """Called by ``train`` before its batches, with the run's Generator; by default
        there is nothing to switch."""

    def end_training(self) -> None:
        """Called by ``train`` after its batches (also when they raise)."""

    def per_example_loss(self, X, target=None):
        """The loss of each example of X (B, ...) against ``target`` (X when None), (B,).
        A model that can say it writes this; by default it is refused."""
        raise NotImplementedError(
            f"{type(self).__name__} has no per-example loss; use score='squared_error'"
        )

    def folded(self, optimizer):
        """A context within which ``optimizer`` adds the gradient terms it can in its own
        pass and ``backward`` leaves them out (a speed device, the same numbers); by
        default there is nothing to fold."""
        return contextlib.nullcontext()
