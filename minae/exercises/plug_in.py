"""The last exercise: a student's pieces plugged into minae, training lesson 04's autoencoder.

Lesson 04's network (784-256-128-64-32-2 and its mirror, every unit a sigmoid, squared
error, Adam) is built twice from the same seed: once from minae's layers, once from
layers whose backward is the student's ``linear_backward`` and ``sigmoid_backward``,
with the student's ``mse_grad`` as the loss's gradient and the student's ``adam`` as the
optimizer's step. Both train on the same minibatches of procedural 28×28 shapes, in
float64; their loss curves must agree step for step.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy

from ..datasets import shapes
from ..layers import Linear, Sequential, Sigmoid
from ..losses import MSE
from ..models import Autoencoder
from ..optim import Adam
from ..teaching.gradcheck import check_layer, check_loss

WIDTHS = (784, 256, 128, 64, 32, 2)  # lesson 04's, section 1
STEPS, BATCH = 12, 32
# Loss curves of a correct implementation agree to about 1e-13 (the same formulas, summed
# in another order); a wrong piece changes the first step's loss, or the next ones, by far
# more than this.
CURVE_TOLERANCE = 1e-8


def _student_layers(linear_backward: Callable, sigmoid_backward: Callable):
    class StudentLinear(Linear):
        """minae's Linear, its backward the student's ``linear_backward``."""

        def backward(self, dY, input_grad: bool = True):
            X = self._cached(self._X, "its input X")
            dX, dW, db = linear_backward(X, self.W.value, dY)
            self.W.accumulate(numpy.asarray(dW, dtype=numpy.float64))
            if self.b is not None:
                self.b.accumulate(numpy.asarray(db, dtype=numpy.float64))
            return numpy.asarray(dX, dtype=numpy.float64) if input_grad else None

    class StudentSigmoid(Sigmoid):
        """minae's Sigmoid, its backward the student's ``sigmoid_backward``."""

        def backward(self, dY, input_grad: bool = True):
            Y = self._cached(self._Y, "its output Y")
            return numpy.asarray(sigmoid_backward(Y, dY), dtype=numpy.float64)

    return StudentLinear, StudentSigmoid


def _student_loss(mse_grad: Callable):
    class StudentMSE(MSE):
        def grad(self, output, target):
            self._check(output, target)
            return numpy.asarray(mse_grad(output, target), dtype=numpy.float64)

    return StudentMSE()


def _student_optimizer(adam: Callable):
    class StudentAdam(Adam):
        """minae's Adam over its flat buffer, each block's step the student's ``adam``."""

        def _update(self, sl: slice, scratch) -> None:
            theta, g = self.flat.values[sl], self.flat.grads[sl]
            theta, m, v = adam(
                theta, self.m[sl], self.v[sl], g, self.steps, self.lr, self.betas, self.eps
            )
            self.flat.values[sl], self.m[sl], self.v[sl] = theta, m, v

    return StudentAdam


def _autoencoder(linear=Linear, sigmoid=Sigmoid, loss=None) -> Autoencoder:
    rng = numpy.random.default_rng(0)

    def stack(widths):
        layers = []
        for n_in, n_out in itertools.pairwise(widths):
            layers += [linear(n_in, n_out, rng=rng, dtype="float64"), sigmoid()]
        return Sequential(*layers)

    return Autoencoder(stack(WIDTHS), stack(WIDTHS[::-1]), loss or MSE())


def loss_curve(model: Autoencoder, optimizer) -> list[float]:
    """R̂ on each of STEPS minibatches, each taken before that minibatch's update."""
    X, _ = shapes(STEPS * BATCH, numpy.random.default_rng(1), dtype="float64")
    curve = []
    for step in range(STEPS):
        batch = X[step * BATCH : (step + 1) * BATCH]  # (BATCH, 784)
        model.zero_grad()
        model.forward(batch)
        curve.append(model.loss(batch).total)
        model.backward(input_grad=False)
        optimizer.step()
    return curve


def plugged_in_errors(linear_backward, sigmoid_backward, mse_grad) -> dict[str, float]:
    """The student's layers and loss inside minae, checked as minae checks its own
    (``gradcheck.check_layer``, ``check_loss``): scaled errors by name."""
    rng = numpy.random.default_rng(3)
    linear, sigmoid = _student_layers(linear_backward, sigmoid_backward)
    layer = linear(4, 3, rng=rng, dtype="float64")
    X = rng.normal(size=(5, 4))
    errors = {f"Linear {k}": v for k, v in check_layer(layer, X).items()}
    errors["Sigmoid X"] = check_layer(sigmoid(), X)["X"]
    X_hat, target = rng.uniform(0.1, 0.9, (5, 4)), rng.uniform(0, 1, (5, 4))
    errors["MSE"] = check_loss(_student_loss(mse_grad), X_hat, target)
    return errors


def curves(linear_backward, sigmoid_backward, mse_grad, adam) -> tuple[list, list]:
    """(minae's loss curve, the student's): lesson 04's autoencoder, STEPS Adam steps."""
    reference = _autoencoder()
    mine = loss_curve(reference, Adam(reference.parameters(), lr=1e-3, threads=1))
    linear, sigmoid = _student_layers(linear_backward, sigmoid_backward)
    student = _autoencoder(linear, sigmoid, _student_loss(mse_grad))
    theirs = loss_curve(student, _student_optimizer(adam)(student.parameters(), lr=1e-3, threads=1))
    return mine, theirs
