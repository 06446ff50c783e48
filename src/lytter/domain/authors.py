"""Authors: the people and accounts behind posts, one per platform handle, and what kind of
voice each is to the workspace (critic, troll, ambassador), with the reasons."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

AUTHOR_TYPES = ("critic", "troll", "ambassador")
NO_TYPE = "none"
"""An author who is none of the three (or has written too little to tell)."""


@dataclass(frozen=True, slots=True)
class Author:
    """Someone who wrote a post on a platform; de-duplicated per workspace, platform and handle."""

    id: int
    workspace_id: int
    platform: str
    handle: str
    name: str | None
    followers: int | None


@dataclass(frozen=True, slots=True)
class Reason:
    """One piece of evidence for (or against) a type, as a code and its numbers, so each door
    can word it in its own language. `count` of `of` posts, or a single count, or a value."""

    code: str
    count: int = 0
    of: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "count": self.count, "of": self.of}

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> Reason:
        return cls(str(value["code"]), int(value.get("count", 0)), int(value.get("of", 0)))


@dataclass(frozen=True, slots=True)
class AuthorPost:
    """One of an author's posts as the classifier reads it."""

    text: str
    sentiment: str  # negative, neutral or positive (a person's correction first)
    offensive: float  # the probability that it is offensive
    created_at: datetime | None = None
    source_id: int | None = None
    answers_other: bool = False  # a reply to someone else's post (not the brand's own)
    engagement: int | None = None  # likes + comments + shares, None where unknown


@dataclass(frozen=True, slots=True)
class AuthorPosts:
    """An author as the classifier reads them: their followers and analysed posts, oldest first."""

    author_id: int
    followers: int | None
    posts: list[AuthorPost]
    own_voice: bool = False  # one of the workspace's own sources (a page answering itself)


@dataclass(frozen=True, slots=True)
class AuthorStats:
    """What an author's posts add up to; the evidence a type is read from."""

    posts: int = 0
    negative: int = 0
    neutral: int = 0
    positive: int = 0
    offensive: int = 0
    substance: int = 0  # inoffensive posts with a question, number, reason or argument
    negative_with_substance: int = 0
    repeats: int = 0  # posts that say again what an earlier post of theirs said
    baiting: int = 0  # shouting, !!!, or a storm of @mentions, with no substance
    helpful_replies: int = 0  # answers to other people in threads, not negative or offensive
    pages: int = 0  # sources they wrote on
    followers: int | None = None
    engagement: int | None = None  # likes, comments and shares their posts got; None: unknown
    first_post: datetime | None = None
    last_post: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        # Flat fields only, so no deep copy (dataclasses.asdict) is needed.
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for key in ("first_post", "last_post"):
            values[key] = values[key].isoformat() if values[key] else None
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> AuthorStats:
        known = {f.name for f in fields(cls)}
        given = {k: v for k, v in values.items() if k in known}
        for key in ("first_post", "last_post"):
            if given.get(key):
                given[key] = datetime.fromisoformat(given[key])
        return cls(**given)


@dataclass(frozen=True, slots=True)
class AuthorSettings:
    """When an author counts as a critic, a troll or an ambassador; each workspace can set its
    own (lytter.analysis.authors reads them)."""

    min_posts: int = 3  # posts before any type is given
    troll_offensive_share: float = 0.4  # offensive posts, at least this share: a troll
    troll_repeat_share: float = 0.5  # repeated or baiting posts, at least this share ...
    troll_max_substance_share: float = 0.25  # ... with substance in at most this share
    critic_negative_share: float = 0.3  # negative posts, at least this share ...
    critic_substance_share: float = 0.5  # ... with substance in at least this share of those
    ambassador_positive_share: float = 0.5  # positive posts, at least this share, or ...
    ambassador_min_helps: int = 2  # ... at least this many helpful answers to others
    min_followers: int = 100  # reach: this many followers ...
    min_engagement: int = 20  # ... or this many reactions to their posts, where known

    def __post_init__(self) -> None:
        if not 1 <= self.min_posts <= 1_000:
            raise ValueError(f"min_posts must be between 1 and 1000, not {self.min_posts}")
        for name in (
            "troll_offensive_share",
            "troll_repeat_share",
            "troll_max_substance_share",
            "critic_negative_share",
            "critic_substance_share",
            "ambassador_positive_share",
        ):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name} must be a share between 0 and 1, not {value}")
        for name in ("ambassador_min_helps", "min_followers", "min_engagement"):
            value = getattr(self, name)
            if not 0 <= value <= 100_000_000:
                raise ValueError(f"{name} must be between 0 and 100000000, not {value}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any] | None) -> AuthorSettings:
        """Settings from stored or given values; a missing one keeps its default."""
        known = {f.name: f.type for f in fields(cls)}
        given = {k: v for k, v in (values or {}).items() if k in known}
        return cls(**given)


@dataclass(frozen=True, slots=True)
class AuthorType:
    """An author's type as read from their posts, and a person's override of it, which wins."""

    author_id: int
    computed: str  # critic, troll, ambassador or none
    reasons: tuple[Reason, ...]
    stats: AuthorStats
    computed_at: datetime
    override: str | None = None
    override_note: str | None = None
    override_by: str | None = None  # the e-mail of whoever set it
    override_at: datetime | None = None

    @property
    def type(self) -> str:
        return self.override or self.computed


@dataclass(frozen=True, slots=True)
class AuthorSummary:
    """An author in a list: who, their type, and how much they wrote."""

    author: Author
    label: AuthorType
