"""Multinomial logistic regression over sparse binary features, in numpy.

Training is deterministic: weights start at zero, every step uses the whole data set in a fixed
order (Adam on the mean log-loss plus L2), and the saved weights are rounded, so the same rows
give the same bytes. Scoring a sentence is a sum of a few dozen weight rows and a softmax.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

DECIMALS = 4


@dataclass(frozen=True)
class LinearModel:
    """Class labels, feature vocabulary (sorted) and a (features x classes) weight matrix."""

    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    weights: np.ndarray

    def probabilities(self, features: Sequence[str]) -> dict[str, float]:
        rows = [self.vocabulary[f] for f in features if f in self.vocabulary]
        scores = self.weights[rows].sum(axis=0) if rows else np.zeros(len(self.labels))
        return dict(zip(self.labels, _softmax(scores[None, :])[0].tolist()))

    def predict(self, features: Sequence[str]) -> tuple[str, float]:
        """The most probable label and its probability."""
        probabilities = self.probabilities(features)
        label = max(self.labels, key=lambda name: (probabilities[name], -self.labels.index(name)))
        return label, probabilities[label]

    def explain(self, features: Sequence[str], label: str, top: int = 5) -> list[tuple[str, float]]:
        """The features that pushed most towards `label` (for reports and debugging)."""
        column = self.labels.index(label)
        weighted = [(f, float(self.weights[self.vocabulary[f], column])) for f in features if f in self.vocabulary]
        return sorted(weighted, key=lambda item: (-item[1], item[0]))[:top]

    def to_dict(self) -> dict[str, Any]:
        names = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return {
            "labels": list(self.labels),
            "features": names,
            "weights": [[round(float(w), DECIMALS) for w in row] for row in self.weights],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "LinearModel":
        names = data["features"]
        weights = np.asarray(data["weights"], dtype=np.float64).reshape(len(names), len(data["labels"]))
        return cls(tuple(data["labels"]), {name: i for i, name in enumerate(names)}, weights)


def train(
    rows: Sequence[Sequence[str]],
    targets: Sequence[str],
    *,
    labels: Sequence[str] | None = None,
    min_count: int = 2,
    l2: float = 1e-4,
    steps: int = 300,
    learning_rate: float = 0.05,
) -> LinearModel:
    """Fit a model on feature lists and their labels (deterministic)."""
    if len(rows) != len(targets) or not rows:
        raise ValueError("need as many targets as rows, and at least one row")
    classes = tuple(labels) if labels is not None else tuple(sorted(set(targets)))
    counts = Counter(f for row in rows for f in set(row))
    names = sorted(f for f, n in counts.items() if n >= min_count or f == "bias")
    vocabulary = {name: i for i, name in enumerate(names)}
    indices, lengths = _csr(rows, vocabulary)
    y = np.zeros((len(rows), len(classes)))
    y[np.arange(len(rows)), [classes.index(t) for t in targets]] = 1.0
    weights = np.zeros((len(names), len(classes)))
    first, second = np.zeros_like(weights), np.zeros_like(weights)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    row_of_entry = np.repeat(np.arange(len(rows)), lengths)
    for step in range(1, steps + 1):
        scores = np.add.reduceat(weights[indices], starts, axis=0)
        error = (_softmax(scores) - y) / len(rows)
        # X^T @ error, one class at a time (bincount adds in entry order: deterministic).
        spread = error[row_of_entry]
        gradient = l2 * weights + np.stack(
            [np.bincount(indices, weights=spread[:, j], minlength=len(names)) for j in range(len(classes))], axis=1
        )
        first = 0.9 * first + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient * gradient
        corrected = (first / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
        weights = weights - learning_rate * corrected
    return LinearModel(classes, vocabulary, np.round(weights, DECIMALS))


def _csr(rows: Sequence[Sequence[str]], vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    indices: list[int] = []
    lengths: list[int] = []
    for row in rows:
        known = sorted({vocabulary[f] for f in row if f in vocabulary} | {vocabulary["bias"]})
        indices.extend(known)
        lengths.append(len(known))
    return np.asarray(indices, dtype=np.int64), np.asarray(lengths, dtype=np.int64)


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    probabilities: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return probabilities
