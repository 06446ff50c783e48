"""What the models read in a stored post, a person's correction of it, and when a term is
emerging in a workspace."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

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
    # The post's terms as emerging-term detection counts them (lytter.analysis.terms: packed
    # codes); None where they were not read.
    terms: bytes | None = None


@dataclass(frozen=True, slots=True)
class PostText:
    """What the models read of a post."""

    id: int
    text: str
    language: str | None  # as the platform or import gave it


@dataclass(frozen=True, slots=True)
class PostTerms:
    """A post as emerging-term detection reads it from the store."""

    id: int
    created_at: datetime
    author_id: int | None
    language: str | None  # the language its terms were read in
    terms: bytes | None  # packed codes (lytter.analysis.terms); None: not read yet
    text: str | None  # only where `terms` is None


@dataclass(frozen=True, slots=True)
class TrendSettings:
    """When a term counts as emerging (lytter.analysis.trends); each workspace can set its own."""

    min_count: int = 5  # posts in the window, at least
    min_ratio: float = 4.0  # posts in the window over what the baseline expects, at least
    threshold: float = 25.0  # the burst score G, at least
    baseline_days: int = 14  # how far back a term's usual share is measured
    windows: tuple[int, ...] = (1, 3, 6, 24)  # hours

    def __post_init__(self) -> None:
        if not 1 <= self.min_count <= 10_000:
            raise ValueError(f"min_count must be between 1 and 10000, not {self.min_count}")
        if not 1 <= self.min_ratio <= 1_000:
            raise ValueError(f"min_ratio must be between 1 and 1000, not {self.min_ratio}")
        if not 0 < self.threshold <= 10_000:
            raise ValueError(f"threshold must be above 0 and at most 10000, not {self.threshold}")
        if not 1 <= self.baseline_days <= 90:
            raise ValueError(f"baseline_days must be between 1 and 90, not {self.baseline_days}")
        if not self.windows or any(not 1 <= w <= 168 for w in self.windows):
            raise ValueError(f"windows must be between 1 and 168 hours, not {self.windows}")

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "windows": list(self.windows)}

    @classmethod
    def from_dict(cls, values: dict[str, Any] | None) -> TrendSettings:
        """Settings from stored or given values; a missing one keeps its default."""
        known = {f.name for f in fields(cls)}
        given = {k: v for k, v in (values or {}).items() if k in known}
        if "windows" in given:
            given["windows"] = tuple(sorted({int(w) for w in given["windows"]}))
        return cls(**given)
