"""The plain versions: each piece that has a fast path, written as its definition.

A student reads these beside the slides; the library runs the fast versions, and the
tests tie each fast version to its plain one (CS231n's ``layers.py`` beside
``fast_layers.py``):

- ``convolution``: convolution, transposed convolution and pooling as loops over pixels,
  forward and backward (fast: ``layers/conv2d.py``, ``conv_transpose2d.py``,
  ``pooling.py`` over ``im2col.py``);
- ``optimizers``: SGD, momentum, Nesterov, Adam and AdamW as the papers' lines on whole
  arrays (fast: ``optim/``, in place over one flat buffer, on threads);
- ``training_step``: one round of training as the slide's steps ① to ⑥ (fast: ``train``).
"""

from . import convolution, optimizers, training_step

__all__ = ["convolution", "optimizers", "training_step"]
