"""The machinery every piece stands on, none of it on a slide: the array module (NumPy
or CuPy), BLAS threads, random numbers, input checks, files written whole, parameters and
whole training runs as ``.npz``, console output.

Which array module computes (``backend.py``) and how many BLAS threads it may use
(``blas_threads.py``); random numbers from host Generators (``random_numbers.py``); input
checks (``validation.py``, and the image layers' arguments, ``image_args.py``); files that
appear whole (``files.py``); parameters as ``.npz`` (``serialization.py``) and whole
training runs (``checkpoint.py``); output that survives any console (``console.py``).
"""
