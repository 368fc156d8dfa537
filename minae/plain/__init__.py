"""The plain versions, each the definition as the slides or the papers write it: the
convolution, its transpose and pooling as loops over pixels, the optimizers' updates array
by array, one training round as the slide's ① to ⑥. The fast code is tested against them.

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
