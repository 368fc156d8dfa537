"""The checks of exercise 10: the convolution by loops and by im2col, its backward, and
the transposed convolution as its input gradient.

minae's ``Conv2d`` and ``ConvTranspose2d`` give the right answers; the plain loops of
``minae.plain.convolution`` give the wrong ones a student often writes (a padding
off by one, a flipped kernel), for the hints. Cases are small (a few 5×5 to 7×7 images)
so that loops and central differences take milliseconds.
"""

from __future__ import annotations

import numpy

from ..layers import Conv2d, ConvTranspose2d
from ..plain import convolution as plain
from ..teaching.gradcheck import numerical_vjp
from .compare import call, case, expect

# (B, C_in, C_out, H, W, k, stride, padding): overlapping patches, a stride, padding
CASES = ((2, 2, 3, 5, 5, 3, 1, 1), (1, 3, 2, 7, 6, 3, 2, 1), (2, 1, 2, 6, 6, 2, 1, 0))


def _layer(shape, seed: int):
    B, C_in, C_out, H, W, k, s, p = shape
    rng = numpy.random.default_rng(2000 + seed)
    conv = Conv2d(C_in, C_out, k, stride=s, padding=p, rng=rng, dtype="float64")
    conv.b.value = rng.normal(size=C_out)
    x = rng.normal(size=(B, C_in, H, W))
    return conv, x, rng


def _describe(shape) -> str:
    B, C_in, C_out, H, W, k, s, p = shape
    return f"x {(B, C_in, H, W)}, W {(C_out, C_in, k, k)}, stride {s}, padding {p}"


def _forward_mistakes(x, W, b, s: int, p: int) -> list:
    mistakes = [
        (
            "the kernel is flipped (a textbook convolution); deep-learning libraries "
            "compute a cross-correlation: W[o, c, u, v] · x_pad[n, c, i·s + u, j·s + v]",
            plain.conv2d(x, W[:, :, ::-1, ::-1], b, (s, s), (p, p)),
        )
    ]
    for q in (p - 1, p + 1):
        if q >= 0:
            mistakes.append(
                (
                    f"this is the output for padding {q}: the padding is off by one",
                    plain.conv2d(x, W, b, (s, s), (q, q)),
                )
            )
    mistakes.append(
        (
            "the bias is missing: + b[o] for every pixel of channel o",
            plain.conv2d(x, W, numpy.zeros_like(b), (s, s), (p, p)),
        )
    )
    return mistakes


def _check_forward(student) -> None:
    for seed, shape in enumerate(CASES):
        conv, x, _ = _layer(shape, seed)
        s, p = shape[6], shape[7]
        W, b = conv.W.value, conv.b.value

        with case(_describe(shape)):
            expect(
                "Y",
                call(student, x, W, b, s, p),
                conv.forward(x),
                mistakes=_forward_mistakes(x, W, b, s, p),
            )


def check_conv2d_loops(conv2d_loops) -> None:
    _check_forward(conv2d_loops)


def check_conv2d_im2col(conv2d_im2col) -> None:
    _check_forward(conv2d_im2col)


def _overwriting_col2im(x, W, dY, s: int, p: int) -> numpy.ndarray:
    """dx as a col2im that *assigns* each patch instead of adding it: the common slip."""
    B, C, H, Wd = x.shape
    C_out, _, kh, kw = W.shape
    _, _, Ho, Wo = dY.shape
    dX_col = W.reshape(C_out, -1).T @ dY.transpose(1, 2, 3, 0).reshape(C_out, -1)
    patches = dX_col.reshape(C, kh, kw, Ho, Wo, B)  # (C·kh·kw, Ho·Wo·B) -> 6-D
    dxp = numpy.zeros((B, C, H + 2 * p, Wd + 2 * p))
    for i in range(Ho):
        for j in range(Wo):
            dxp[:, :, i * s : i * s + kh, j * s : j * s + kw] = patches[:, :, :, i, j, :].transpose(
                3, 0, 1, 2
            )  # (C, kh, kw, B) -> (B, C, kh, kw)
    return dxp[:, :, p : p + H, p : p + Wd]


def _check_backward(student) -> None:
    for seed, shape in enumerate(CASES):
        conv, x, rng = _layer(shape, seed)
        s, p = shape[6], shape[7]
        W = conv.W.value
        dY = rng.normal(size=conv.forward(x).shape)
        conv.zero_grad()
        conv.forward(x)
        dx = conv.backward(dY)
        forward = lambda: conv.forward(x)  # noqa: E731
        numeric = {"dx": numerical_vjp(forward, x, dY), "dW": numerical_vjp(forward, W, dY)}
        padded_dx = numpy.pad(dx, ((0, 0), (0, 0), (p, p), (p, p)))

        with case(_describe(shape)):
            got = call(student, x, W, dY, s, p, returns=3)
            expect(
                "dx",
                got[0],
                dx,
                numeric=numeric["dx"],
                mistakes=[
                    (
                        "the padding is not cropped off: return dx_pad[:, :, p:p+H, p:p+W]",
                        padded_dx,
                    ),
                    (
                        "a pixel under several patches received only the last patch's gradient: "
                        "col2im must add (+=), not assign",
                        _overwriting_col2im(x, W, dY, s, p),
                    ),
                ],
            )
            expect("dW", got[1], conv.W.grad, numeric=numeric["dW"])
            expect(
                "db",
                got[2],
                conv.b.grad,
                mistakes=[
                    (
                        "the bias gradient is missing: db[o] = Σ_{n,i,j} dY[n, o, i, j]",
                        numpy.zeros_like(conv.b.grad),
                    )
                ],
            )


def check_conv2d_backward_loops(conv2d_backward_loops) -> None:
    _check_backward(conv2d_backward_loops)


def check_conv2d_backward_im2col(conv2d_backward_im2col) -> None:
    _check_backward(conv2d_backward_im2col)


def check_im2col(im2col) -> None:
    for seed, shape in enumerate(CASES):
        _, x, _ = _layer(shape, seed)
        k, s, p = shape[5], shape[6], shape[7]
        expected = plain.im2col(x, (k, k), (s, s), (p, p))
        B, C = x.shape[:2]
        Ho, Wo = (x.shape[2] + 2 * p - k) // s + 1, (x.shape[3] + 2 * p - k) // s + 1
        four = expected.reshape(C * k * k, Ho, Wo, B)
        mistakes = [
            (
                "the columns are ordered with the example n slowest: order them (i, j, n), "
                "n fastest",
                four.transpose(0, 3, 1, 2).reshape(C * k * k, -1),
            ),
            ("this is X_col transposed: one *column* per patch", expected.T),
        ]
        for q in (p - 1, p + 1):
            if q >= 0:
                mistakes.append(
                    (
                        f"these are the patches for padding {q}: off by one",
                        plain.im2col(x, (k, k), (s, s), (q, q)),
                    )
                )

        with case(_describe(shape)):
            expect("X_col", call(im2col, x, (k, k), (s, s), (p, p)), expected, mistakes=mistakes)


def check_conv_transpose2d(conv_transpose2d) -> None:
    for seed, shape in enumerate(CASES):
        conv, _, rng = _layer(shape, seed)
        B, C_in, C_out, _, _, k, s, p = shape
        transposed = ConvTranspose2d(C_out, C_in, k, stride=s, padding=p, rng=0, dtype="float64")
        transposed.W.value = conv.W.value  # (C_out, C_in, k, k): the same array, read the other way
        h, w = 3 + seed, 4
        x = rng.normal(size=(B, C_out, h, w))
        expected = transposed.forward(x)
        mistakes = [
            (
                "the kernel is flipped: use the convolution's own W, as its input gradient does",
                plain.conv_transpose2d(
                    x, conv.W.value[:, :, ::-1, ::-1], numpy.zeros(C_in), (s, s), (p, p), (0, 0)
                ),
            )
        ]
        for q in (p - 1, p + 1):
            if q >= 0:
                mistakes.append(
                    (
                        f"this is the output for padding {q}: off by one",
                        plain.conv_transpose2d(
                            x, conv.W.value, numpy.zeros(C_in), (s, s), (q, q), (0, 0)
                        ),
                    )
                )

        with case(_describe(shape)):
            expect("Y", call(conv_transpose2d, x, conv.W.value, s, p), expected, mistakes=mistakes)
