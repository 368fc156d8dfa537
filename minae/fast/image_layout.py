"""Where a batch of images lies in memory: batch innermost. Stated here once, handled here.

A batch of images is indexed as the slides and PyTorch write it, X[b, c, h, w] with
shape (B, C, H, W). In memory, though, the image layers store it as (C, H, W, B): the
batch axis is the innermost, contiguous one, and the (B, C, H, W) array a layer hands
on is a transposed *view* of that buffer. Nothing a student computes depends on this:
indexing, shapes and numbers are those of (B, C, H, W).

Why (a speed device, measured): convolution and pooling visit the kh·kw kernel offsets
one at a time, and for each offset copy or add a strided slice of the image,
x[:, :, i : i + s·Ho : s, j : j + s·Wo : s]. With the batch innermost, every row of
such a slice is B floats long (128 at the usual batch size), not Wo pixels (7 at the
Keras model's smallest). Per step at batch 128, the Keras conv autoencoder's layers
went from 91 to 38 ms (``benchmarks/conv_throughput.py``). The convolution's matrix
products give their output as (C_out, Ho·Wo·B), which is this layout already; and
``Linear``, the activations and ``Flatten`` keep the layout of whatever they are given,
so a batch stays batch-innermost from the first convolution to the last.

The functions below are the only places that know the layout: the image layers
allocate with ``image_buffer``, convert with ``as_images`` / ``as_matrix`` and reach
the buffer under a batch with ``stored`` / ``batch_view``.
"""

from __future__ import annotations

from ..infrastructure.backend import array_module


def stored(X):
    """The (C, H, W, B) buffer under a batch X (B, C, H, W): a view (contiguous when X is
    one of the image layers' outputs)."""
    return X.transpose(1, 2, 3, 0)  # (B, C, H, W) -> (C, H, W, B)


def batch_view(buffer):
    """A (C, H, W, B) buffer as the batch (B, C, H, W) it stores: a view."""
    return buffer.transpose(3, 0, 1, 2)  # (C, H, W, B) -> (B, C, H, W)


def image_buffer(shape, dtype, fill: float | None = None):
    """A new batch of images (B, C, H, W), stored batch innermost as (C, H, W, B): a view.
    ``fill`` None leaves it uninitialised."""
    B, C, H, W = shape
    xp = array_module()
    if fill is None:
        buffer = xp.empty((C, H, W, B), dtype=dtype)
    else:
        buffer = xp.full((C, H, W, B), fill, dtype=dtype)
    return batch_view(buffer)


def as_images(Y_mat, shape):
    """A product's output (C, H·W·B) as the batch (B, C, H, W), a view."""
    B, C, H, W = shape
    return batch_view(Y_mat.reshape(C, H, W, B))  # (C, H·W·B) -> (B, C, H, W)


def as_matrix(X):
    """A batch (B, C, H, W) as the products take it, (C, H·W·B): free when X is a view of
    a (C, H, W, B) buffer, as the image layers' outputs are (a copy otherwise)."""
    return stored(X).reshape(X.shape[1], -1)  # (B, C, H, W) -> (C, H·W·B)


def pad(
    x, top: int, left: int, bottom: int | None = None, right: int | None = None, value: float = 0.0
):
    """x (B, C, H, W) with ``value`` around it: (B, C, top + H + bottom, left + W + right),
    a view of a new batch-innermost buffer."""
    bottom = top if bottom is None else bottom
    right = left if right is None else right
    B, C, H, W = x.shape
    out = image_buffer((B, C, top + H + bottom, left + W + right), x.dtype, value)
    out[:, :, top : top + H, left : left + W] = x
    return out


def laid_out_like(reference, x):
    """x (the same shape as ``reference``) in ``reference``'s memory layout: x itself when
    the two already agree, else a copy laid out like ``reference``.

    A model's target X is a plain (B, C, H, W) array, while a conv decoder's output is
    stored batch innermost; an element-wise operation between arrays of two layouts walks
    one of them with strides. A product of two 128×1×28×28 batches took 0.166 ms laid out
    differently and 0.023 ms laid out alike (``benchmarks/README.md``); the loss and its
    gradient make a dozen such passes, so the target is laid out once, like the output.
    """
    if x.strides == reference.strides:
        return x
    out = array_module().empty_like(reference, dtype=x.dtype)  # reference's layout
    out[...] = x
    return out
