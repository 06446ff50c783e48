"""Saved queries (topics) and synonym sets: what a workspace listens for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SavedQuery:
    """A named listening query, e.g. "Netbank nede" or "Konkurrent: Nordea".

    `languages` limits it to posts in those languages (empty: every language); `brand_id`
    says whose mentions it counts (own brand or competitor), for share of voice; `compounds`
    lets its plain words count as the head or tail of Danish compounds.
    """

    id: int
    workspace_id: int
    name: str
    text: str
    brand_id: int | None
    tags: tuple[str, ...]
    languages: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    compounds: str = "none"  # none, head or tail (of a Danish compound), or both


@dataclass(frozen=True, slots=True)
class SynonymSet:
    """`$name` in a query stands for any of `entries` (each a word, "phrase" or small query)."""

    id: int
    workspace_id: int
    name: str
    entries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PostForMatching:
    """What the matcher needs of a stored post."""

    id: int
    text: str
    language: str | None
    platform: str
    url: str | None
    author: tuple[str, ...]
    page: tuple[str, ...]
    created_at: datetime | None = None
