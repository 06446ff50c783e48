"""A post's analysis: its language, tone (negative/neutral/positive with a score from -1 to 1)
and the probability that it is offensive. One pass over a batch of texts.

Danish and English have models of their own (trained by scripts/train_models.py). Swedish and
Norwegian are read with the Danish ones, which share most of their words; other languages with
the English ones. The features are computed once per post and shared by both models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lytter.analysis.features import featurise
from lytter.analysis.language import DEFAULT_LANGUAGES, identify
from lytter.analysis.lexicon import lexicon
from lytter.analysis.model import load

NORDIC = frozenset({"da", "sv", "nb", "nn", "no"})
SENTIMENTS = ("negative", "neutral", "positive")


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
) -> list[Analysis]:
    """Analyse a batch. `known` gives languages already known (from the platform or the
    import file); the others are identified among `languages`."""
    given: list[str | None] = list(known) if known is not None else [None] * len(texts)
    missing = [i for i, code in enumerate(given) if not code]
    if missing:
        for i, code in zip(missing, identify([texts[i] for i in missing], languages), strict=True):
            given[i] = code
    results = []
    for text, language in zip(texts, given, strict=True):
        reader = model_language(language)
        vector = featurise(text, lexicon(reader))
        tone = load(f"sentiment-{reader}").probabilities(vector)
        label = max(SENTIMENTS, key=lambda s: tone[s])
        offensive = load(f"offensive-{reader}").probabilities(vector)["offensive"]
        results.append(Analysis(language, label, tone["positive"] - tone["negative"], offensive))
    return results
