"""The exercises' stubs: the files ``python -m minae.exercises start DIR`` copies for a
student to fill in. Each function states its equation and shapes in the slides'
notation, names its slide and lesson, and raises ``NotImplementedError`` where the
student writes; ``python -m minae.exercises check DIR`` grades them."""
