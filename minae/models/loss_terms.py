"""The named terms of R̂ for one batch, as a model's ``loss`` returns them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping


class LossTerms(Mapping):
    """R̂ = reconstruction + Σ_k λ_k (penalty k), term by term, for one batch.

    ``terms["reconstruction"]`` is L(X̂, X), summed over the features of an example and
    averaged over the batch. Every penalty appears under its name, *unweighted* (S(Z) or
    Ω(θ) itself; each penalty's docstring says how it reduces); ``weights`` holds each
    λ_k. ``total`` is R̂ with the weights applied. ``squared_error`` is ||X̂ - X||² per
    example whatever the loss, the figure of Hinton & Salakhutdinov (2006); it is reported,
    not part of R̂. Reading works by key or attribute: ``terms.total``, ``terms["kl"]``.

    Each term is a float: the mean over the B examples of a batch X of shape (B, *shape).
    The terms are those of slides 001's "Training Sparse AEs", R̂ = L(X̂, X) + λ S(Z);
    lesson 06 prints them.

    Parameters
    ----------
    terms : dict of str to float
        The reconstruction term and each penalty, unweighted, by name.
    weights : dict of str to float
        λ_k for each penalty (a term without one has weight 1).
    squared_error : float
        ||X̂ - X||² per example.
    """

    def __init__(self, terms: dict[str, float], weights: dict[str, float], squared_error: float):
        self._terms = dict(terms)
        self.weights = dict(weights)
        self.total = sum(v * self.weights.get(k, 1.0) for k, v in self._terms.items())
        self.squared_error = squared_error

    def as_dict(self) -> dict[str, float]:
        """Every term, then ``total`` and ``squared_error``: what the training history logs."""
        return {**self._terms, "total": self.total, "squared_error": self.squared_error}

    def __getitem__(self, name: str) -> float:
        return self.as_dict()[name]

    def __getattr__(self, name: str) -> float:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._terms[name]
        except KeyError:
            raise AttributeError(
                f"no loss term {name!r}; terms are {sorted(self._terms)}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.as_dict())

    def __len__(self) -> int:
        return len(self._terms) + 2

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v:.6g}" for k, v in self.as_dict().items())
        return f"LossTerms({shown})"
