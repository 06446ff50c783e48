"""Metric roll-ups: kept up to date from the days and items triggers mark as changed, read
back summed per day (lytter.services.metrics).

A refresh recomputes each marked day from the raw rows of that day (so a roll-up is always
exactly what its day's posts add up to) and each marked item's facts, then clears the marks,
all in one transaction. On PostgreSQL the transaction locks the mark tables first: a writer
that marks a day waits until the refresh has committed, so no mark is cleared unseen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from lytter.domain.inbox import InboxItem, ItemEvent
from lytter.domain.metrics import ItemFact, PostSums, Scope, day_bounds
from lytter.store.base import Clock
from lytter.store.inbox import _item
from lytter.store.tables import (
    authors,
    inbox_events,
    inbox_items,
    item_facts,
    metric_authors,
    metric_dirty_days,
    metric_dirty_items,
    metric_rollups,
    post_analyses,
    posts,
    queries,
    query_matches,
    sources,
)

IsOwn = Callable[[str | None, str, str], bool]
"""Whether an author (handle) is the page (its handle, its name) itself."""

FactsOf = Callable[[Sequence[InboxItem], dict[int, list[ItemEvent]]], list[ItemFact]]


@dataclass(frozen=True, slots=True)
class RawPost:
    """One post as the raw computation of metrics reads it."""

    created_at: datetime
    source_id: int | None
    platform: str
    author_id: int | None
    own: bool
    reply: bool
    likes: int
    comments: int
    shares: int
    views: int
    sentiment: str | None


@dataclass(frozen=True, slots=True)
class RollupFilter:
    """What a roll-up read counts: a scope, pages (None: all), a platform (None: all)."""

    scope: Scope
    scope_id: int
    source_ids: frozenset[int] | None
    platform: str | None


@dataclass(frozen=True, slots=True)
class ItemFilter:
    source_ids: frozenset[int] | None
    platform: str | None
    desk_id: int | None
    assignee_id: int | None


def local_days_of(utc_day: date, zone: ZoneInfo) -> set[date]:
    """The local days a UTC day overlaps."""
    start = datetime.combine(utc_day, time(0), UTC)
    return {
        start.astimezone(zone).date(),
        (start + timedelta(days=1) - timedelta(microseconds=1)).astimezone(zone).date(),
    }


_TONE = sa.func.coalesce(post_analyses.c.corrected, post_analyses.c.sentiment)
_SUMS = (
    sa.func.count(),
    sa.func.sum(sa.case((posts.c.parent_id.is_not(None), 1), else_=0)),
    sa.func.sum(sa.func.coalesce(posts.c.likes, 0)),
    sa.func.sum(sa.func.coalesce(posts.c.comments, 0)),
    sa.func.sum(sa.func.coalesce(posts.c.shares, 0)),
    sa.func.sum(sa.func.coalesce(posts.c.views, 0)),
    sa.func.count(post_analyses.c.post_id),
    sa.func.sum(
        sa.case(
            (
                sa.func.coalesce(post_analyses.c.corrected, post_analyses.c.sentiment)
                == "positive",
                1,
            ),
            else_=0,
        )
    ),
    sa.func.sum(
        sa.case(
            (
                sa.func.coalesce(post_analyses.c.corrected, post_analyses.c.sentiment)
                == "negative",
                1,
            ),
            else_=0,
        )
    ),
)


def _sums(values: Sequence[Any]) -> PostSums:
    return PostSums(int(values[0]), 0, *(int(v or 0) for v in values[1:]))


class SqlMetrics:
    """Metric roll-ups; mixed into SqlStore, which supplies the engine."""

    engine: sa.Engine
    clock: Clock
    backend: str

    if TYPE_CHECKING:

        def _write(self) -> AbstractContextManager[sa.Connection]: ...
        def _insert(self, table: sa.Table) -> Any: ...

    # -- keeping the roll-ups ---------------------------------------------------------------

    def metrics_stale(self, workspace_id: int) -> bool:
        """Whether any day or item of the workspace changed since the roll-ups were computed."""
        with self.engine.connect() as conn:
            day = conn.execute(
                sa.select(metric_dirty_days.c.day)
                .where(metric_dirty_days.c.workspace_id == workspace_id)
                .limit(1)
            ).first()
            item = conn.execute(sa.select(metric_dirty_items.c.item_id).limit(1)).first()
        return day is not None or item is not None

    def refresh_metrics(
        self,
        workspace_id: int,
        zone: ZoneInfo,
        own: IsOwn,
        facts_of: FactsOf,
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[int, int]:
        """Recompute the marked days' roll-ups and the marked items' facts; (days, items)."""
        with self._write() as conn:
            if self.backend == "postgresql":
                conn.execute(
                    sa.text("LOCK TABLE metric_dirty_days, metric_dirty_items IN EXCLUSIVE MODE")
                )
            marked = [
                r[0]
                for r in conn.execute(
                    sa.select(metric_dirty_days.c.day).where(
                        metric_dirty_days.c.workspace_id == workspace_id
                    )
                )
            ]
            local: set[date] = set()
            for text in marked:
                local |= local_days_of(date.fromisoformat(text), zone)
            pages = {
                r.id: (r.external_id, r.name)
                for r in conn.execute(
                    sa.select(sources.c.id, sources.c.external_id, sources.c.name).where(
                        sources.c.workspace_id == workspace_id
                    )
                )
            }
            scopes = self._scopes(conn, workspace_id)
            ordered = sorted(local)
            for n, day in enumerate(ordered, 1):
                self._recompute_day(conn, workspace_id, day, zone, pages, own, scopes)
                if progress is not None:
                    progress(n, len(ordered))
            if marked:
                conn.execute(
                    metric_dirty_days.delete().where(
                        metric_dirty_days.c.workspace_id == workspace_id
                    )
                )
            items = self._refresh_items(conn, workspace_id, zone, facts_of)
        return len(ordered), items

    @staticmethod
    def _scopes(conn: sa.Connection, workspace_id: int) -> set[tuple[str, int]]:
        """Every (scope, id) with roll-up rows in the workspace, and the current ones."""
        found: set[tuple[str, int]] = {(Scope.ALL.value, 0)}
        for r in conn.execute(
            sa.select(queries.c.id, queries.c.brand_id).where(
                queries.c.workspace_id == workspace_id
            )
        ):
            found.add((Scope.QUERY.value, r.id))
            if r.brand_id is not None:
                found.add((Scope.BRAND.value, r.brand_id))
        for table in (metric_rollups, metric_authors):
            found.update(
                (r[0], r[1])
                for r in conn.execute(
                    sa.select(table.c.scope, table.c.scope_id)
                    .where(table.c.workspace_id == workspace_id)
                    .distinct()
                )
            )
        return found

    def _recompute_day(
        self,
        conn: sa.Connection,
        workspace_id: int,
        day: date,
        zone: ZoneInfo,
        pages: dict[int, tuple[str, str]],
        own: IsOwn,
        scopes: set[tuple[str, int]],
    ) -> None:
        for table in (metric_rollups, metric_authors):
            for scope, scope_id in scopes:
                conn.execute(
                    table.delete().where(
                        table.c.workspace_id == workspace_id,
                        table.c.scope == scope,
                        table.c.scope_id == scope_id,
                        table.c.day == day,
                    )
                )
        start, end = day_bounds(day, zone)
        in_day = (
            (posts.c.workspace_id == workspace_id)
            & (posts.c.created_at >= start)
            & (posts.c.created_at < end)
        )
        keys = (posts.c.source_id, posts.c.platform, posts.c.author_id, authors.c.handle)

        def base(*extra: Any) -> sa.Select[Any]:
            return (
                sa.select(*extra, *keys, *_SUMS)
                .select_from(posts)
                .outerjoin(post_analyses, post_analyses.c.post_id == posts.c.id)
                .outerjoin(authors, authors.c.id == posts.c.author_id)
            )

        every = base(sa.literal(0)).where(in_day).group_by(*keys)
        per_query = (
            base(query_matches.c.query_id)
            .join(query_matches, query_matches.c.post_id == posts.c.id)
            .where(in_day)
            .group_by(query_matches.c.query_id, *keys)
        )
        branded = (
            sa.select(queries.c.brand_id, query_matches.c.post_id)
            .join(queries, queries.c.id == query_matches.c.query_id)
            .where(queries.c.workspace_id == workspace_id, queries.c.brand_id.is_not(None))
            .distinct()
            .subquery()
        )
        per_brand = (
            base(branded.c.brand_id)
            .join(branded, branded.c.post_id == posts.c.id)
            .where(in_day)
            .group_by(branded.c.brand_id, *keys)
        )
        rollups: dict[tuple[str, int, int, str, bool], PostSums] = {}
        writers: set[tuple[str, int, int, str, int]] = set()
        for scope, query in (
            (Scope.ALL, every),
            (Scope.QUERY, per_query),
            (Scope.BRAND, per_brand),
        ):
            for r in conn.execute(query):
                scope_id, source_id, platform, author_id, handle = r[:5]
                page = pages.get(source_id) if source_id is not None else None
                is_own = page is not None and own(handle, page[0], page[1])
                key = (scope.value, int(scope_id), source_id or 0, platform, is_own)
                sums = _sums(r[5:])
                if is_own:
                    sums.own_posts = sums.posts
                    sums.own_replies = sums.replies
                rollups.setdefault(key, PostSums()).add(sums)
                if author_id is not None:
                    writers.add((scope.value, int(scope_id), source_id or 0, platform, author_id))
        if rollups:
            conn.execute(
                metric_rollups.insert(),
                [
                    {
                        "workspace_id": workspace_id,
                        "scope": scope,
                        "scope_id": scope_id,
                        "day": day,
                        "source_id": source_id,
                        "platform": platform,
                        "own": is_own,
                        "posts": s.posts,
                        "replies": s.replies,
                        "likes": s.likes,
                        "comments": s.comments,
                        "shares": s.shares,
                        "views": s.views,
                        "analysed": s.analysed,
                        "positive": s.positive,
                        "negative": s.negative,
                    }
                    for (scope, scope_id, source_id, platform, is_own), s in rollups.items()
                ],
            )
        if writers:
            conn.execute(
                metric_authors.insert(),
                [
                    {
                        "workspace_id": workspace_id,
                        "scope": scope,
                        "scope_id": scope_id,
                        "day": day,
                        "source_id": source_id,
                        "platform": platform,
                        "author_id": author_id,
                    }
                    for scope, scope_id, source_id, platform, author_id in writers
                ],
            )

    def _refresh_items(
        self, conn: sa.Connection, workspace_id: int, zone: ZoneInfo, facts_of: FactsOf
    ) -> int:
        marked = sa.select(metric_dirty_items.c.item_id)
        # Marks of items that are gone are dropped with the rest.
        ids = [
            r[0]
            for r in conn.execute(
                sa.select(inbox_items.c.id).where(
                    inbox_items.c.workspace_id == workspace_id, inbox_items.c.id.in_(marked)
                )
            )
        ]
        for start in range(0, len(ids), 1_000):
            chunk = ids[start : start + 1_000]
            items = [
                _item(r)
                for r in conn.execute(sa.select(inbox_items).where(inbox_items.c.id.in_(chunk)))
            ]
            events: dict[int, list[ItemEvent]] = {i: [] for i in chunk}
            for r in conn.execute(
                sa.select(inbox_events)
                .where(inbox_events.c.item_id.in_(chunk))
                .order_by(inbox_events.c.item_id, inbox_events.c.id)
            ):
                events[r.item_id].append(
                    ItemEvent(r.id, r.item_id, r.at, r.actor, r.kind, dict(r.details))
                )
            facts = facts_of(items, events)
            conn.execute(item_facts.delete().where(item_facts.c.item_id.in_(chunk)))
            if facts:
                conn.execute(
                    item_facts.insert(),
                    [
                        {
                            "item_id": f.item_id,
                            "workspace_id": workspace_id,
                            "day": f.day,
                            "source_id": f.source_id,
                            "platform": f.platform,
                            "desk_id": f.desk_id,
                            "assignee_id": f.assignee_id,
                            "first_response_s": f.first_response_s,
                            "resolution_s": f.resolution_s,
                            "first_state": f.first_state,
                            "first_due": f.first_due,
                            "resolution_state": f.resolution_state,
                            "resolution_due": f.resolution_due,
                        }
                        for f in facts
                    ],
                )
            conn.execute(metric_dirty_items.delete().where(metric_dirty_items.c.item_id.in_(chunk)))
        gone = sa.select(inbox_items.c.id)
        conn.execute(metric_dirty_items.delete().where(metric_dirty_items.c.item_id.not_in(gone)))
        return len(ids)

    def forget_metrics(self, workspace_id: int) -> None:
        """Mark every day and item of the workspace for recomputing (after its time zone
        changed, or to rebuild)."""
        day = (
            sa.func.substr(sa.cast(posts.c.created_at, sa.String), 1, 10)
            if self.backend == "sqlite"
            else sa.func.to_char(sa.func.timezone("UTC", posts.c.created_at), "YYYY-MM-DD")
        )
        with self._write() as conn:
            for table in (metric_rollups, metric_authors, item_facts):
                conn.execute(table.delete().where(table.c.workspace_id == workspace_id))
            conn.execute(
                self._insert(metric_dirty_days)
                .from_select(
                    ["workspace_id", "day"],
                    sa.select(posts.c.workspace_id, day)
                    .where(posts.c.workspace_id == workspace_id)
                    .distinct(),
                )
                .on_conflict_do_nothing()
            )
            conn.execute(
                self._insert(metric_dirty_items)
                .from_select(
                    ["item_id"],
                    sa.select(inbox_items.c.id).where(inbox_items.c.workspace_id == workspace_id),
                )
                .on_conflict_do_nothing()
            )

    # -- reading them -----------------------------------------------------------------------

    @staticmethod
    def _limit(table: sa.Table, where: RollupFilter) -> list[sa.ColumnElement[bool]]:
        found = [table.c.scope == where.scope.value, table.c.scope_id == where.scope_id]
        if where.source_ids is not None:
            found.append(table.c.source_id.in_(sorted(where.source_ids)))
        if where.platform is not None:
            found.append(table.c.platform == where.platform)
        return found

    def rollup_days(
        self, workspace_id: int, first: date, last: date, where: RollupFilter
    ) -> dict[date, PostSums]:
        """Per day from `first` to `last`: what the posts add up to."""
        t = metric_rollups
        own_posts = sa.func.sum(sa.case((t.c.own, t.c.posts), else_=0))
        query = (
            sa.select(
                t.c.day,
                sa.func.sum(t.c.posts),
                own_posts,
                sa.func.sum(t.c.replies),
                sa.func.sum(t.c.likes),
                sa.func.sum(t.c.comments),
                sa.func.sum(t.c.shares),
                sa.func.sum(t.c.views),
                sa.func.sum(t.c.analysed),
                sa.func.sum(t.c.positive),
                sa.func.sum(t.c.negative),
                sa.func.sum(sa.case((t.c.own, t.c.replies), else_=0)),
            )
            .where(
                t.c.workspace_id == workspace_id,
                t.c.day >= first,
                t.c.day <= last,
                *self._limit(t, where),
            )
            .group_by(t.c.day)
        )
        with self.engine.connect() as conn:
            return {r[0]: PostSums(*(int(v or 0) for v in r[1:])) for r in conn.execute(query)}

    def unique_authors(
        self, workspace_id: int, spans: Sequence[tuple[date, date]], where: RollupFilter
    ) -> list[int]:
        """How many distinct authors wrote in each span (first and last day included)."""
        t = metric_authors
        found = []
        with self.engine.connect() as conn:
            for first, last in spans:
                found.append(
                    int(
                        conn.execute(
                            sa.select(sa.func.count(sa.distinct(t.c.author_id))).where(
                                t.c.workspace_id == workspace_id,
                                t.c.day >= first,
                                t.c.day <= last,
                                *self._limit(t, where),
                            )
                        ).scalar_one()
                    )
                )
        return found

    def voice(
        self, workspace_id: int, first: date, last: date, where: RollupFilter
    ) -> dict[int, int]:
        """Per brand: the posts matching any of its saved queries, from `first` to `last`."""
        t = metric_rollups
        limits = self._limit(t, RollupFilter(Scope.BRAND, 0, where.source_ids, where.platform))
        query = (
            sa.select(t.c.scope_id, sa.func.sum(t.c.posts))
            .where(
                t.c.workspace_id == workspace_id,
                t.c.day >= first,
                t.c.day <= last,
                *limits[:1],
                *limits[2:],
            )
            .group_by(t.c.scope_id)
        )
        with self.engine.connect() as conn:
            return {int(r[0]): int(r[1]) for r in conn.execute(query)}

    def breached_per_desk(self, workspace_id: int, now: datetime) -> dict[int | None, int]:
        """Per desk (None: no desk): the unresolved items past an SLA target at `now`."""
        f = item_facts

        def past(state: sa.ColumnElement[Any], due: sa.ColumnElement[Any]) -> Any:
            return sa.or_(state == "breached", sa.and_(state == "running", due <= now))

        query = (
            sa.select(f.c.desk_id, sa.func.count())
            .where(
                f.c.workspace_id == workspace_id,
                f.c.resolution_s.is_(None),
                sa.or_(
                    past(f.c.first_state, f.c.first_due),
                    past(f.c.resolution_state, f.c.resolution_due),
                ),
            )
            .group_by(f.c.desk_id)
        )
        with self.engine.connect() as conn:
            return {r[0]: int(r[1]) for r in conn.execute(query)}

    def facts(
        self, workspace_id: int, first: date, last: date, where: ItemFilter
    ) -> list[ItemFact]:
        """The facts of the inbox items that started from `first` to `last`."""
        t = item_facts
        query = sa.select(t).where(
            t.c.workspace_id == workspace_id, t.c.day >= first, t.c.day <= last
        )
        if where.source_ids is not None:
            query = query.where(t.c.source_id.in_(sorted(where.source_ids)))
        if where.platform is not None:
            query = query.where(t.c.platform == where.platform)
        if where.desk_id is not None:
            query = query.where(t.c.desk_id == where.desk_id)
        if where.assignee_id is not None:
            query = query.where(t.c.assignee_id == where.assignee_id)
        with self.engine.connect() as conn:
            return [
                ItemFact(
                    r.item_id,
                    r.day,
                    r.source_id,
                    r.platform,
                    r.desk_id,
                    r.assignee_id,
                    r.first_response_s,
                    r.resolution_s,
                    r.first_state,
                    r.first_due,
                    r.resolution_state,
                    r.resolution_due,
                )
                for r in conn.execute(query)
            ]

    # -- the same from the raw rows (to check the roll-ups, and as the benchmark's baseline) --

    def raw_posts(
        self,
        workspace_id: int,
        start: datetime,
        end: datetime,
        where: RollupFilter,
        own: IsOwn,
    ) -> Iterable[RawPost]:
        """Every post from `start` to `end` (excluded) that `where` counts, one by one."""
        pages = {s.id: (s.external_id, s.name) for s in self._pages(workspace_id)}
        query = (
            sa.select(
                posts.c.created_at,
                posts.c.source_id,
                posts.c.platform,
                posts.c.author_id,
                authors.c.handle,
                posts.c.likes,
                posts.c.comments,
                posts.c.shares,
                posts.c.views,
                sa.func.coalesce(post_analyses.c.corrected, post_analyses.c.sentiment),
                posts.c.parent_id,
            )
            .select_from(posts)
            .outerjoin(post_analyses, post_analyses.c.post_id == posts.c.id)
            .outerjoin(authors, authors.c.id == posts.c.author_id)
            .where(
                posts.c.workspace_id == workspace_id,
                posts.c.created_at >= start,
                posts.c.created_at < end,
            )
        )
        if where.scope is Scope.QUERY:
            query = query.where(
                posts.c.id.in_(
                    sa.select(query_matches.c.post_id).where(
                        query_matches.c.query_id == where.scope_id
                    )
                )
            )
        elif where.scope is Scope.BRAND:
            query = query.where(
                posts.c.id.in_(
                    sa.select(query_matches.c.post_id)
                    .join(queries, queries.c.id == query_matches.c.query_id)
                    .where(queries.c.brand_id == where.scope_id)
                )
            )
        if where.source_ids is not None:
            query = query.where(posts.c.source_id.in_(sorted(where.source_ids)))
        if where.platform is not None:
            query = query.where(posts.c.platform == where.platform)
        with self.engine.connect() as conn:
            for r in conn.execute(query):
                page = pages.get(r[1]) if r[1] is not None else None
                yield RawPost(
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    page is not None and own(r[4], page[0], page[1]),
                    r[10] is not None,
                    r[5] or 0,
                    r[6] or 0,
                    r[7] or 0,
                    r[8] or 0,
                    r[9],
                )

    def _pages(self, workspace_id: int) -> list[Any]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    sa.select(sources.c.id, sources.c.external_id, sources.c.name).where(
                        sources.c.workspace_id == workspace_id
                    )
                )
            )

    def raw_items(self, workspace_id: int, start: datetime, end: datetime) -> list[InboxItem]:
        """The inbox items that started from `start` to `end` (excluded)."""
        with self.engine.connect() as conn:
            return [
                _item(r)
                for r in conn.execute(
                    sa.select(inbox_items).where(
                        inbox_items.c.workspace_id == workspace_id,
                        inbox_items.c.created_at >= start,
                        inbox_items.c.created_at < end,
                    )
                )
            ]
