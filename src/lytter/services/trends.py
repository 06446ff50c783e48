"""Emerging terms of any selection of posts: the words that suddenly grow, early.

The selection is what `posts.selected_posts` gives the asking user (a query, pages, languages)
over the hours looked at (`hours`, by default the last 24) and the workspace's baseline days
before them. `lytter.analysis.trends` scores every term against its own baseline with the
workspace's thresholds (`Workspace.trends`, changed with `set_trend_settings`). Each emerging
term comes with its growth, its hourly posts, its tone (the stored analyses, a person's
correction first) and its newest posts.

The period ends at `until` when given, else at the newest matching post: a workspace whose
posts stopped coming in a month ago shows what was emerging then, and says so.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from lytter.analysis.terms import TrendText
from lytter.analysis.trends import (
    HOUR,
    EmergingTerm,
    coded_posts,
    coded_series,
    emerging_terms,
)
from lytter.domain.access import Actor, Permission
from lytter.domain.analysis import SENTIMENTS, PostTerms, TrendSettings
from lytter.domain.posts import Post, PostFilter
from lytter.services.access import require
from lytter.services.errors import N_, UserError
from lytter.services.posts import selected_posts, visible_to
from lytter.services.search import search
from lytter.services.workspaces import workspace_by_id
from lytter.store.base import Store

MAX_POSTS = 200_000
DEFAULT_HOURS = 24
MAX_HOURS = 24 * 14
MAX_TERMS = 100
KINDS = ("word", "phrase", "hashtag", "mention")
EXAMPLES = 3
_CHUNK = 5_000  # post ids a query names at once


@dataclass(frozen=True, slots=True)
class TrendSummary:
    """One emerging term as people see it."""

    term: EmergingTerm
    sentiment: dict[str, int]  # negative/neutral/positive → its posts (analysed posts only)
    examples: tuple[Post, ...]


@dataclass(frozen=True, slots=True)
class TrendReport:
    terms: list[TrendSummary]
    since: datetime  # the hours looked at: [since, until)
    until: datetime
    series_start: datetime  # the hour each term's series starts at
    posts_read: int
    capped: bool  # more posts matched than were read (the newest were read)
    settings: TrendSettings


def _hour_up(moment: datetime) -> datetime:
    floor = moment.replace(minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + HOUR


def trends(
    store: Store,
    actor: Actor,
    query: PostFilter,
    *,
    hours: int = DEFAULT_HOURS,
    settings: TrendSettings | None = None,
    limit: int = 20,
    kinds: tuple[str, ...] = KINDS,
    max_posts: int = MAX_POSTS,
    now: datetime | None = None,
) -> TrendReport:
    """The terms emerging in the `hours` up to `query.until` (default: the newest matching
    post) among the posts matching `query` that the actor may see, highest burst first."""
    if not 1 <= hours <= MAX_HOURS:
        raise UserError(
            "the hours to look at must be between 1 and {max}, not {given}",
            field="hours",
            max=MAX_HOURS,
            given=hours,
        )
    if not 1 <= limit <= MAX_TERMS:
        raise UserError(
            "the number of terms must be between 1 and {max}, not {given}",
            field="limit",
            max=MAX_TERMS,
            given=limit,
        )
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise UserError(
            "kinds of terms are {known}, not '{given}'",
            field="kinds",
            known=", ".join(KINDS),
            given=",".join(unknown),
        )
    settings = settings or workspace_by_id(store, actor.workspace_id).trends
    until = query.until
    if until is None:
        newest = selected_posts(store, actor, replace(query, since=None), 1)
        until = newest[0].created_at + timedelta(microseconds=1) if newest else None
        until = until or now or datetime.now(UTC)
    until = _hour_up(until)
    since = until - hours * HOUR
    read_from = since - timedelta(days=settings.baseline_days) - max(settings.windows) * HOUR
    if query.since is not None and query.since > read_from:
        read_from = query.since
    rows = _post_terms(store, actor, replace(query, since=read_from, until=until), max_posts + 1)
    capped = len(rows) > max_posts
    rows = rows[:max_posts]
    start = rows[-1].created_at if capped else read_from
    rows = [r for r in rows if r.created_at >= start]
    posts = coded_posts(
        [
            TrendText(r.id, r.text or "", r.created_at, r.language, _author(r.author_id))
            for r in rows
        ],
        {r.id: r.terms for r in rows if r.terms is not None},
    )
    series = coded_series(
        posts,
        start,
        until,
        min_total=settings.min_count,
        texts=lambda ids: {p.id: p.text for p in _posts(store, actor.workspace_id, ids)},
    )
    found = emerging_terms(
        series, settings, since=max(since, series.start), limit=limit, kinds=kinds
    )
    shown = {i for term in found for i in term.post_ids}
    analyses = store.analyses_of(sorted(shown)) if shown else {}
    by_id = {
        p.id: p
        for p in _posts(
            store, actor.workspace_id, {i for t in found for i in t.post_ids[:EXAMPLES]}
        )
    }
    summaries = []
    for term in found:
        tones = Counter(analyses[i].sentiment for i in term.post_ids if i in analyses)
        summaries.append(
            TrendSummary(
                term=term,
                sentiment={s: tones.get(s, 0) for s in SENTIMENTS},
                examples=tuple(by_id[i] for i in term.post_ids[:EXAMPLES] if i in by_id),
            )
        )
    return TrendReport(summaries, since, until, series.start, len(rows), capped, settings)


def _post_terms(store: Store, actor: Actor, query: PostFilter, limit: int) -> list[PostTerms]:
    """The stored terms of the newest `limit` posts matching `query` that the actor may see
    (the texts only of posts not analysed yet)."""
    query = visible_to(actor, replace(query, limit=limit, offset=0))
    if query.text is None or not query.text.strip():
        return store.post_terms(query)
    found = [p.id for p in search(store, actor, query).posts]
    stored: dict[int, PostTerms] = {}
    for begin in range(0, len(found), _CHUNK):
        ids = tuple(found[begin : begin + _CHUNK])
        chunk = PostFilter(query.workspace_id, post_ids=ids, limit=len(ids))
        stored.update((r.id, r) for r in store.post_terms(chunk))
    return [stored[i] for i in found if i in stored]


def _posts(store: Store, workspace_id: int, ids: Iterable[int]) -> list[Post]:
    wanted = tuple(sorted(ids))
    if not wanted:
        return []
    return store.find_posts(PostFilter(workspace_id, post_ids=wanted, limit=len(wanted)))


def _author(author_id: int | None) -> str | None:
    """Who wrote a post, as trends count them (one author counts once per term and hour)."""
    return None if author_id is None else f"id:{author_id}"


def author_key(post: Post) -> str | None:
    """`_author` of a post read in full."""
    return _author(post.author_id)


# Each setting's allowed range, checked here so a wrong value gets a message naming it.
_RANGES: dict[str, tuple[float, float]] = {
    "min_count": (1, 10_000),
    "min_ratio": (1, 1_000),
    "threshold": (0.1, 10_000),
    "baseline_days": (1, 90),
    "windows": (1, 168),
}


def set_trend_settings(store: Store, actor: Actor, **changes: object) -> TrendSettings:
    """Keeps the workspace's thresholds with `changes` made (see `changed`)."""
    require(actor, Permission.MANAGE_QUERIES)
    settings = changed(workspace_by_id(store, actor.workspace_id).trends, **changes)
    store.set_trend_settings(actor.workspace_id, settings)
    return settings


def changed(settings: TrendSettings, **changes: object) -> TrendSettings:
    """`settings` with `changes` made (a name of `TrendSettings` each, None to leave it as it
    is); a UserError naming the setting when a value is out of range."""
    values = settings.as_dict()
    for name, value in changes.items():
        if name not in _RANGES:
            raise UserError("there is no trend setting '{name}'", field=name, name=name)
        if value is None:
            continue
        low, high = _RANGES[name]
        given = list(value) if isinstance(value, (list, tuple)) else [value]
        numbers = [v for v in given if isinstance(v, (int, float)) and not isinstance(v, bool)]
        whole = name in ("min_count", "baseline_days", "windows")
        if (
            not given
            or len(numbers) != len(given)
            or any(not (math.isfinite(v) and low <= v <= high) for v in numbers)
            or (whole and any(v != int(v) for v in numbers))
        ):
            if name == "windows":
                message = N_("{name} must be whole hours from {low} to {high}, not {given}")
            elif whole:
                message = N_("{name} must be a whole number from {low} to {high}, not {given}")
            else:
                message = N_("{name} must be a number from {low} to {high}, not {given}")
            raise UserError(
                message,
                field=name,
                name=name,
                low=f"{low:g}",
                high=f"{high:g}",
                given=value,
            )
        values[name] = [int(v) for v in numbers] if name == "windows" else value
    return TrendSettings.from_dict(values)
