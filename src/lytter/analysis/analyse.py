"""A post's analysis: its language, tone (negative/neutral/positive with a score from -1 to 1)
and the probability that it is offensive. One pass over a batch of texts.

Danish and English have models of their own (trained by scripts/train_models.py). Swedish and
Norwegian are read with the Danish ones, which share most of their words; other languages with
the English ones. The features are computed once per post and shared by both models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from lytter.analysis.features import raw_features
from lytter.analysis.language import DEFAULT_LANGUAGES, identify
from lytter.analysis.lexicon import lexicon
from lytter.analysis.model import batch_scores, load, to_probabilities

NORDIC = frozenset({"da", "sv", "nb", "nn", "no"})
SENTIMENTS = ("negative", "neutral", "positive")
CHUNK = 5_000


@dataclass(frozen=True, slots=True)
class Analysis:
    language: str | None
    sentiment: str  # negative, neutral or positive
    sentiment_score: float  # P(positive) - P(negative), from -1 to 1
    offensive: float  # the probability that the post is offensive

    def as_dict(self) -> dict[str, object]:
        return {
            "language": self.language,
            "sentiment": self.sentiment,
            "sentiment_score": round(self.sentiment_score, 4),
            "offensive": round(self.offensive, 4),
        }


def model_language(language: str | None) -> str:
    """Whose models read a language: da for the Nordic languages, en for the rest."""
    return "da" if language in NORDIC else "en"


def analyse(
    texts: Sequence[str],
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
    known: Sequence[str | None] | None = None,
    precise: bool = False,
) -> list[Analysis]:
    """Analyse a batch. `known` gives languages already known (from the platform or the
    import file); the others are identified among `languages`. `precise` mixes in the
    embedding model's reading (lytter.analysis.precise: more accurate, ~200x the cost)."""
    if len(texts) > CHUNK:  # bounded memory however many texts are given
        return [
            found
            for start in range(0, len(texts), CHUNK)
            for found in analyse(
                texts[start : start + CHUNK],
                languages,
                None if known is None else known[start : start + CHUNK],
                precise,
            )
        ]
    given: list[str | None] = list(known) if known is not None else [None] * len(texts)
    missing = [i for i, code in enumerate(given) if not code]
    if missing:
        for i, code in zip(missing, identify([texts[i] for i in missing], languages), strict=True):
            given[i] = code
    results: list[Analysis | None] = [None] * len(texts)
    for reader in ("da", "en"):
        chosen = [i for i, code in enumerate(given) if model_language(code) == reader]
        if not chosen:
            continue
        lex = lexicon(reader)
        weights, bias, tone_columns = _readers(reader)
        vectors = [raw_features(texts[i], lex) for i in chosen]
        z = batch_scores(weights, bias, vectors, normalise=True)
        if precise:
            from lytter.analysis.precise import mix_scores

            tone, offensive = mix_scores(
                reader, [texts[i] for i in chosen], z[:, :tone_columns], z[:, tone_columns:]
            )
        else:
            tone = to_probabilities(z[:, :tone_columns], len(SENTIMENTS))
            offensive = to_probabilities(z[:, tone_columns:], 2)[:, 1]
        labels = tone.argmax(axis=1)
        for row, i in enumerate(chosen):
            results[i] = Analysis(
                given[i],
                SENTIMENTS[labels[row]],
                float(tone[row, 2] - tone[row, 0]),
                float(offensive[row]),
            )
    return [r for r in results if r is not None]


@cache
def _readers(reader: str) -> tuple[np.ndarray, np.ndarray, int]:
    """One language's sentiment and offensive weights side by side, so a batch's feature rows
    are gathered once for both: (weights, bias, how many columns are the tone's)."""
    tone, offensive = load(f"sentiment-{reader}"), load(f"offensive-{reader}")
    if tone.classes != SENTIMENTS or offensive.classes != ("not", "offensive"):
        raise RuntimeError(f"unexpected classes in the {reader} models")
    weights = np.hstack([tone.weights, offensive.weights])
    bias = np.concatenate([tone.bias, offensive.bias])
    return weights, bias, tone.weights.shape[1]
