"""What the models read in a stored post, and a person's correction of it."""

from __future__ import annotations

from dataclasses import dataclass

SENTIMENTS = ("negative", "neutral", "positive")
OFFENSIVE_AT = 0.5  # a post counts as offensive from this probability


@dataclass(frozen=True, slots=True)
class PostAnalysis:
    """A post's language, tone and offensiveness. `sentiment` is what people see: a person's
    correction where there is one, else the model's (`model_sentiment`)."""

    post_id: int
    language: str | None
    sentiment: str
    model_sentiment: str
    sentiment_score: float  # the model's P(positive) - P(negative), from -1 to 1
    offensive: float  # the model's probability that the post is offensive
    model: str
    corrected: bool = False

    @property
    def is_offensive(self) -> bool:
        return self.offensive >= OFFENSIVE_AT


@dataclass(frozen=True, slots=True)
class AnalysisRow:
    """One post's analysis as the pipeline stores it."""

    post_id: int
    language: str | None
    sentiment: str
    sentiment_score: float
    offensive: float
