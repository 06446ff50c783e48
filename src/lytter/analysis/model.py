"""The shipped linear models: weights over hashed features (features.py), stored as float16 in
`models/NAME.npz` with their classes and a JSON card (what they were trained on, how well
they did). Trained by scripts/train_models.py; nothing is downloaded at run time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
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

    def save(self, path: str) -> None:
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            classes=np.array(self.classes),
            card=np.array(json.dumps(self.card, ensure_ascii=False)),
        )


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
