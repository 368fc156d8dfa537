"""The speed devices, each with its measured reason; nothing in this package is on a
slide: the convolution as products over im2col columns, the flipped-kernel path, the
batch-innermost image layout, and the optimizers' flat buffer, in-place updates, threads,
subnormal flush and folded weight decay.

Each module computes what a slide's piece computes, faster, and says in its docstring
what it buys, measured (``benchmarks/``). The pieces that use one call it through one
seam, and the tests tie each to its plain version (``minae.plain``) in float64:

- the convolution as matrix products over columns (``im2col.py``, ``conv2d_products.py``),
  the flipped-kernel path for channel-reducing convolutions (``conv2d_flipped.py``), and
  the batch-innermost memory layout of images (``image_layout.py``);
- the optimizers' machinery: parameters packed into one buffer (``flat_parameters.py``),
  updates without temporaries (``in_place.py``), on several threads (``parallel.py``),
  decaying buffers kept out of the subnormal range (``subnormals.py``), and weight decay's
  β W added inside the update's pass (``folded_decay.py``).
"""

from .flat_parameters import FlatParameters
from .parallel import BlockMap

__all__ = ["BlockMap", "FlatParameters"]
