"""Posts, the drafts that become posts on ingest, and the kept history of edits."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from operator import itemgetter
from typing import Any, NamedTuple

from lytter.querylang.narrow import Narrowing

MAX_TEXT_BYTES = 100_000
"""The longest post text accepted, in UTF-8 bytes (100 kB)."""


# The value types of the ingest hot path are NamedTuples rather than frozen dataclasses: just as
# immutable and typed, but built ~40% faster. Millions of them are made per import.

_tuple_new = tuple.__new__
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class Engagement(NamedTuple):
    """Counts of reactions a post has had; None where the platform does not say."""

    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    views: int | None = None


class AuthorRef(NamedTuple):
    """An author as a post names them, before they have a row of their own."""

    handle: str
    name: str | None = None
    followers: int | None = None


class SourceRef(NamedTuple):
    """A source as a post names it, before it has a row of its own."""

    external_id: str
    name: str
    url: str | None = None


class PostDraft(NamedTuple):
    """A post as a connector or an import file gives it: validated, not yet stored.

    `root_id` and `parent_id` are the platform's ids of the thread's first post and of the
    post this one answers; both are None for a post that starts a thread. The raw payload is
    `raw`, or `raw_json` (the same, as the JSON text received), which stores prefer when set.
    """

    platform: str
    external_id: str
    text: str
    created_at: datetime
    author: AuthorRef | None = None
    source: SourceRef | None = None
    root_id: str | None = None
    parent_id: str | None = None
    language: str | None = None
    url: str | None = None
    engagement: Engagement = Engagement()
    collected_at: datetime | None = None
    raw: dict[str, Any] | None = None
    mapper: str = "import/1"
    raw_json: str | None = None

    def row(self) -> DraftRow:
        """This draft flattened, as stores take drafts (the raw payload as JSON text)."""
        a, s, e = self.author, self.source, self.engagement
        raw = self.raw_json
        if raw is None and self.raw is not None:
            raw = _dumps(self.raw)
        return _tuple_new(
            DraftRow,
            (
                self.platform,
                self.external_id,
                self.text,
                self.created_at,
                None if a is None else a.handle,
                None if a is None else a.name,
                None if a is None else a.followers,
                None if s is None else s.external_id,
                None if s is None else s.name,
                None if s is None else s.url,
                self.root_id,
                self.parent_id,
                self.language,
                self.url,
                e.likes,
                e.comments,
                e.shares,
                e.views,
                self.collected_at,
                raw,
                self.mapper,
                None,
            ),
        )


class DraftRow(NamedTuple):
    """A PostDraft flattened into one plain tuple (`PostDraft.row()`): the form stores save in
    bulk, and the form an import's reader process hands its batches over in. One flat tuple of
    plain values unpickles about twice as quickly as a draft with its nested author, source and
    counts (~1.5 µs against ~4), and the writer's core is an import's bottleneck.

    `prepared` is what the store writes for the row, worked out from the row alone by the
    store's `row_preparer` on another core (an import's reader process): None until then,
    and the store works it out itself. See `with_prepared`.
    """

    platform: str
    external_id: str
    text: str
    created_at: datetime
    author_handle: str | None
    author_name: str | None
    author_followers: int | None
    source_external_id: str | None
    source_name: str | None
    source_url: str | None
    root_id: str | None
    parent_id: str | None
    language: str | None
    url: str | None
    likes: int | None
    comments: int | None
    shares: int | None
    views: int | None
    collected_at: datetime | None
    raw_json: str | None
    mapper: str
    prepared: Any

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt by tuple.__new__ itself: no Python-level __new__ per row when unpickled.
        return (_tuple_new, (DraftRow, tuple(self)))


# A row's keys, taken in C: its post's, its source's and its author's, each with its platform.
POST_KEY = itemgetter(0, 1)  # (platform, external_id)
SOURCE_KEY = itemgetter(0, 7)  # (platform, source_external_id)
AUTHOR_KEY = itemgetter(0, 4)  # (platform, author_handle)


def with_prepared(rows: list[DraftRow], prepare: Callable[[DraftRow], Any]) -> list[DraftRow]:
    """`rows` with `prepared` set to `prepare(row)`; but for `prepare`, all in C."""
    firsts = map(_ALL_BUT_PREPARED, rows)
    lasts = zip(map(prepare, rows), strict=True)  # 1-tuples
    return list(map(_tuple_new, repeat(DraftRow), map(tuple.__add__, firsts, lasts)))


_ALL_BUT_PREPARED = itemgetter(slice(0, -1))


def as_rows(tuples: Iterable[tuple[Any, ...]]) -> list[DraftRow]:
    """Plain tuples of DraftRow's fields as DraftRows, in one pass in C."""
    return list(map(_tuple_new, repeat(DraftRow), tuples))


@dataclass(frozen=True, slots=True)
class Post:
    """A stored post: one row per (workspace, platform, external id), however often ingested."""

    id: int
    workspace_id: int
    platform: str
    external_id: str
    source_id: int | None
    source_name: str | None
    author_id: int | None
    author_handle: str | None
    author_name: str | None
    root_id: str | None
    parent_id: str | None
    text: str
    language: str | None
    created_at: datetime
    collected_at: datetime
    url: str | None
    engagement: Engagement
    raw: dict[str, Any] | None
    source_external_id: str | None = None


@dataclass(frozen=True, slots=True)
class PostEdit:
    """An earlier text of a post, kept when a later ingest brought a changed text."""

    id: int
    post_id: int
    old_text: str
    replaced_at: datetime


@dataclass(frozen=True, slots=True)
class PostFilter:
    """Which posts to list: every field narrows, None means "any"."""

    workspace_id: int
    text: str | None = None  # a query in the query language (docs/query-language.md)
    source_ids: tuple[int, ...] = ()
    platforms: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    sentiments: tuple[str, ...] = ()  # the tone people see (a correction first), of analysed posts
    offensive: bool | None = None  # True: offensive posts only; False: all but offensive ones
    author_types: tuple[str, ...] = ()  # by authors of these types (an override first)
    author_ids: tuple[int, ...] = ()  # only these authors' posts
    # The sources the asking user may see (None: all); set by the services, never by a user.
    visible_sources: tuple[int, ...] | None = None
    query_id: int | None = None  # only posts matching this saved query
    post_ids: tuple[int, ...] = ()  # only these posts
    # Set by the search service from `text`: words the index narrows by (the stores ignore
    # `text` itself), and a place in the newest-first order to continue after.
    narrowing: Narrowing | None = None
    before: tuple[datetime, int] | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What one batch did to the posts table."""

    inserted: int = 0
    updated: int = 0
    edited: int = 0
    unchanged: int = 0

    def __add__(self, other: SaveResult) -> SaveResult:
        return SaveResult(
            self.inserted + other.inserted,
            self.updated + other.updated,
            self.edited + other.edited,
            self.unchanged + other.unchanged,
        )
