"""What each store writes for a new post, worked out from its draft row alone.

An import's writer (the store) is its bottleneck, so what needs nothing from the database is
worked out beforehand on the reader's core (`DraftRow.prepared`, set by `with_prepared`): the
writer then hands the rows' values on with the ids it resolved, without a Python step per post.
A store prepares the rows that arrive without them (connectors, webhooks) itself, with the
same function, so there is one way a post is written.

This module imports nothing heavy: the reader process loads it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from lytter.domain.posts import DraftRow
from lytter.text.index import search_vector


def sqlite_time(value: datetime) -> str:
    """A time as UtcDateTime stores it on SQLite: UTC wall time, 'YYYY-MM-DD HH:MM:SS.ffffff'."""
    if value.tzinfo is not UTC:
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: Lytter stores aware times only")
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]  # without its "+00:00"


def sqlite_prepared(r: DraftRow) -> str:
    """What SQLite needs worked out for a new post: its created_at as UtcDateTime stores it
    (formatting a time is most of the Python work left per post; the rest of the row goes to
    sqlite3 as it is)."""
    return sqlite_time(r.created_at)


def postgres_prepared(r: DraftRow) -> str:
    """What PostgreSQL needs worked out for a new post: its full-text index words, as a
    tsvector literal (`lytter.text.index`); the rest it takes as the row gives it."""
    return search_vector(r.text)
