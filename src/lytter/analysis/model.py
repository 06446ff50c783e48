"""The shipped linear models: weights over hashed features (features.py), stored as float16 in
`models/NAME.npz` with their classes and a JSON card (what they were trained on, how well
they did). Trained by scripts/train_models.py; nothing is downloaded at run time."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import chain
from typing import Any

import numpy as np

from lytter.analysis.features import DIM


@dataclass(frozen=True)
class LinearModel:
    """Multinomial (or binary) logistic regression over hashed features."""

    name: str
    classes: tuple[str, ...]
    weights: np.ndarray  # DIM × classes (one column for a binary model)
    bias: np.ndarray
    card: dict[str, Any]

    def scores(self, vector: dict[int, float]) -> np.ndarray:
        if not vector:
            return np.asarray(self.bias, dtype=np.float64)
        idx = np.fromiter(vector.keys(), dtype=np.int64, count=len(vector))
        val = np.fromiter(vector.values(), dtype=np.float32, count=len(vector))
        out: np.ndarray = (val @ self.weights[idx]).astype(np.float64) + self.bias
        return out

    def probabilities(self, vector: dict[int, float]) -> dict[str, float]:
        z = self.scores(vector)
        if len(self.classes) == 2 and z.shape[0] == 1:
            p = 1.0 / (1.0 + np.exp(-z[0]))
            return {self.classes[0]: float(1 - p), self.classes[1]: float(p)}
        e = np.exp(z - z.max())
        p = e / e.sum()
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}

    def scores_batch(self, vectors: Sequence[dict[int, float]]) -> np.ndarray:
        """`scores` of many vectors at once: one gather of weight rows for the whole batch."""
        return batch_scores(self.weights, self.bias, vectors)

    def probabilities_batch(self, vectors: Sequence[dict[int, float]]) -> np.ndarray:
        """Each vector's class probabilities, one row per vector, columns in `classes` order."""
        return to_probabilities(self.scores_batch(vectors), len(self.classes))

    def save(self, path: str) -> None:
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            classes=np.array(self.classes),
            card=np.array(json.dumps(self.card, ensure_ascii=False)),
        )


def batch_scores(
    weights: np.ndarray,
    bias: np.ndarray,
    vectors: Sequence[dict[int, float]],
    normalise: bool = False,
) -> np.ndarray:
    """Linear scores (vectors × weight columns) of sparse {bucket: value} vectors; with
    `normalise`, each vector is first L2-normalised (as `features.featurise` does)."""
    lengths = np.fromiter((len(v) for v in vectors), dtype=np.int64, count=len(vectors))
    total = int(lengths.sum())
    idx = np.fromiter(chain.from_iterable(v.keys() for v in vectors), np.int64, count=total)
    val = np.fromiter(chain.from_iterable(v.values() for v in vectors), np.float64, count=total)
    rows = np.repeat(np.arange(len(vectors)), lengths)
    if normalise:
        norms = np.sqrt(np.bincount(rows, val * val, minlength=len(vectors)))
        val = val / np.where(norms > 0, norms, 1.0)[rows]
    contributions = weights[idx] * val[:, None]
    out = np.empty((len(vectors), weights.shape[1]), dtype=np.float64)
    for column in range(weights.shape[1]):
        out[:, column] = np.bincount(rows, contributions[:, column], minlength=len(vectors))
    out += bias
    return out


def to_probabilities(z: np.ndarray, classes: int) -> np.ndarray:
    """Scores to probabilities: a sigmoid for a binary model's one column, else a softmax."""
    if classes == 2 and z.shape[1] == 1:
        p = 1.0 / (1.0 + np.exp(-z[:, 0]))
        return np.column_stack([1.0 - p, p])
    e = np.exp(z - z.max(axis=1, keepdims=True))
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


@cache
def load(name: str) -> LinearModel:
    """A shipped model by name (sentiment-da, sentiment-en, offensive-da, offensive-en)."""
    path = resources.files("lytter.analysis") / "models" / f"{name}.npz"
    with resources.as_file(path) as file, np.load(file) as data:
        weights = data["weights"].astype(np.float32)
        if weights.shape[0] != DIM:
            raise RuntimeError(f"model {name} has {weights.shape[0]} features, not {DIM}")
        return LinearModel(
            name=name,
            classes=tuple(str(c) for c in data["classes"]),
            weights=weights,
            bias=data["bias"].astype(np.float64),
            card=json.loads(str(data["card"])),
        )
