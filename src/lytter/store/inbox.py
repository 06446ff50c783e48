"""The inbox aggregate of the SQL store: items, their history, and the posts read into them."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from lytter.domain.inbox import (
    Absence,
    Desk,
    InboxItem,
    ItemChange,
    ItemEvent,
    ItemState,
    Priority,
    SlaPolicy,
    ThreadPost,
)
from lytter.domain.metrics import day_bounds
from lytter.store.base import Clock
from lytter.store.tables import (
    absences,
    authors,
    brands,
    desk_members,
    desks,
    inbox_events,
    inbox_item_posts,
    inbox_items,
    inbox_progress,
    metric_rollups,
    posts,
    sla_policies,
    sources,
)

Absorb = Callable[[dict[tuple[str, str], InboxItem], list[ThreadPost]], list[ItemChange]]


@dataclass(frozen=True, slots=True)
class PostOnPage:
    """A post on one of the workspace's own pages, with what tells whether the page wrote it."""

    post_id: int
    source_id: int
    platform: str
    thread: str
    created_at: datetime
    author_handle: str | None
    page_handle: str  # the source's id on the platform
    page_name: str


@dataclass(frozen=True, slots=True)
class PageActivity:
    """One author's newest post and newest reply on one of the workspace's own pages."""

    source_id: int
    page_name: str
    page_handle: str
    platform: str
    author_handle: str | None
    last_post: datetime | None  # newest post that starts a conversation
    last_reply: datetime | None  # newest reply in one


def _queue_order(item: InboxItem) -> tuple[bool, float, float, int]:
    """The inbox's order: the longest waiting first, then the newest."""
    waiting = item.waiting_since.timestamp() if item.waiting_since else 0.0
    return (item.waiting_since is None, waiting, -item.created_at.timestamp(), -item.id)


def _item(r: Any) -> InboxItem:
    return InboxItem(
        r.id,
        r.workspace_id,
        r.source_id,
        r.platform,
        r.thread,
        ItemState(r.state),
        Priority(r.priority),
        r.assignee_id,
        tuple(r.tags),
        r.created_at,
        r.updated_at,
        r.waiting_since,
        r.first_response_at,
        r.resolved_at,
        r.snoozed_until,
        r.flagged,
        r.posts,
        r.version,
        r.desk_id,
    )


class SqlInbox:
    """Inbox items; mixed into SqlStore, which supplies the engine."""

    engine: sa.Engine
    clock: Clock

    if TYPE_CHECKING:  # supplied by SqlStore and its engine subclasses

        def _write(self) -> AbstractContextManager[sa.Connection]: ...
        def _insert(self, table: sa.Table) -> Any: ...

    # -- reading posts into the inbox -----------------------------------------------------------

    def inbox_progress(self, workspace_id: int) -> int:
        """The id of the last post read into the workspace's inbox (0: none yet)."""
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(inbox_progress.c.last_post_id).where(
                    inbox_progress.c.workspace_id == workspace_id
                )
            ).scalar()
        return int(found or 0)

    def posts_on_own_pages(self, workspace_id: int, after: int, limit: int) -> list[PostOnPage]:
        """Posts after id `after` on sources of the workspace's own brands, oldest id first."""
        query = (
            sa.select(
                posts.c.id,
                posts.c.source_id,
                posts.c.platform,
                sa.func.coalesce(posts.c.root_id, posts.c.external_id).label("thread"),
                posts.c.created_at,
                authors.c.handle,
                sources.c.external_id.label("page_handle"),
                sources.c.name.label("page_name"),
            )
            .join(sources, sources.c.id == posts.c.source_id)
            .join(brands, brands.c.id == sources.c.brand_id)
            .outerjoin(authors, authors.c.id == posts.c.author_id)
            .where(
                posts.c.workspace_id == workspace_id,
                posts.c.id > after,
                brands.c.kind == "own",
            )
            .order_by(posts.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [PostOnPage(*r) for r in conn.execute(query)]

    def page_activity(self, workspace_id: int, zone: ZoneInfo) -> list[PageActivity]:
        """Per own page and author: their newest post and newest reply, read only on the last
        local day the page wrote a post and a reply itself (from the metric roll-ups, which
        must be fresh); the service tells which author is the page itself."""
        pages = {
            r.id: r
            for r in self._connect_execute(
                sa.select(sources.c.id, sources.c.name, sources.c.external_id, sources.c.platform)
                .join(brands, brands.c.id == sources.c.brand_id)
                .where(sources.c.workspace_id == workspace_id, brands.c.kind == "own")
            )
        }
        t = metric_rollups
        last = self._connect_execute(
            sa.select(
                t.c.source_id,
                sa.func.max(sa.case((t.c.posts > t.c.replies, t.c.day), else_=None)),
                sa.func.max(sa.case((t.c.replies > 0, t.c.day), else_=None)),
            )
            .where(
                t.c.workspace_id == workspace_id,
                t.c.scope == "all",
                t.c.scope_id == 0,
                t.c.own,
                t.c.source_id.in_(sorted(pages)),
            )
            .group_by(t.c.source_id)
        )
        spans = []
        for source_id, post_day, reply_day in last:
            for day in {post_day, reply_day} - {None}:
                start, end = day_bounds(day, zone)
                spans.append(
                    (posts.c.source_id == source_id)
                    & (posts.c.created_at >= start)
                    & (posts.c.created_at < end)
                )
        newest: dict[tuple[int, str | None], list[datetime | None]] = {}
        if spans:
            is_reply = posts.c.parent_id.is_not(None)
            for r in self._connect_execute(
                sa.select(
                    posts.c.source_id,
                    authors.c.handle,
                    sa.func.max(sa.case((is_reply, None), else_=posts.c.created_at)),
                    sa.func.max(sa.case((is_reply, posts.c.created_at), else_=None)),
                )
                .outerjoin(authors, authors.c.id == posts.c.author_id)
                .where(posts.c.workspace_id == workspace_id, sa.or_(*spans))
                .group_by(posts.c.source_id, authors.c.handle)
            ):
                newest[(r[0], r[1])] = [r[2], r[3]]
        found = [
            PageActivity(
                source_id,
                pages[source_id].name,
                pages[source_id].external_id,
                pages[source_id].platform,
                handle,
                post,
                reply,
            )
            for (source_id, handle), (post, reply) in newest.items()
        ]
        seen = {a.source_id for a in found}
        found += [
            PageActivity(p.id, p.name, p.external_id, p.platform, None, None, None)
            for p in pages.values()
            if p.id not in seen
        ]
        return found

    def _connect_execute(self, query: sa.Executable) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(query))

    def waiting_per_source(self, workspace_id: int) -> dict[int, tuple[int, datetime]]:
        """Per page: how many conversations wait for its answer, and since when the oldest."""
        query = (
            sa.select(
                inbox_items.c.source_id, sa.func.count(), sa.func.min(inbox_items.c.waiting_since)
            )
            .where(
                inbox_items.c.workspace_id == workspace_id,
                inbox_items.c.waiting_since.is_not(None),
                inbox_items.c.state != ItemState.RESOLVED.value,
                inbox_items.c.source_id.is_not(None),
            )
            .group_by(inbox_items.c.source_id)
        )
        with self.engine.connect() as conn:
            return {r[0]: (int(r[1]), r[2]) for r in conn.execute(query)}

    def last_post_id(self, workspace_id: int) -> int:
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(sa.func.max(posts.c.id)).where(posts.c.workspace_id == workspace_id)
            ).scalar()
        return int(found or 0)

    def absorb_posts(
        self,
        workspace_id: int,
        thread_posts: Sequence[ThreadPost],
        absorb: Absorb,
        *,
        last_post_id: int | None = None,
        actor: str = "system",
        flagged: bool = False,
    ) -> list[tuple[int, bool]]:
        """Apply `absorb` (lytter.domain.inbox.absorb) to the posts and their threads' items in
        one transaction, moving the progress to `last_post_id` when given; the items' ids, each
        with whether it is new."""
        now = self.clock()
        keys = {(p.platform, p.thread) for p in thread_posts}
        with self._write() as conn:
            current: dict[tuple[str, str], InboxItem] = {}
            if keys:
                rows = conn.execute(
                    sa.select(inbox_items).where(
                        inbox_items.c.workspace_id == workspace_id,
                        sa.tuple_(inbox_items.c.platform, inbox_items.c.thread).in_(list(keys)),
                    )
                )
                current = {(r.platform, r.thread): _item(r) for r in rows}
            ids: list[tuple[int, bool]] = []
            for change in absorb(current, list(thread_posts)):
                fields = dict(change.fields, updated_at=now)
                if change.new:
                    item_id = conn.execute(
                        inbox_items.insert()
                        .values(
                            workspace_id=workspace_id,
                            platform=change.key[0],
                            thread=change.key[1],
                            priority=Priority.NORMAL,
                            tags=[],
                            flagged=flagged,
                            **fields,
                        )
                        .returning(inbox_items.c.id)
                    ).scalar_one()
                else:
                    item_id = current[change.key].id
                    fields["version"] = inbox_items.c.version + 1
                    if flagged:
                        fields["flagged"] = True
                    conn.execute(
                        inbox_items.update().where(inbox_items.c.id == item_id).values(**fields)
                    )
                ids.append((item_id, change.new))
                linked = [
                    {"item_id": item_id, "post_id": details["post_id"]}
                    for _, kind, details in change.events
                    if kind in ("created", "post", "reopened")
                ]
                if linked:
                    conn.execute(self._insert(inbox_item_posts).on_conflict_do_nothing(), linked)
                if change.events:
                    conn.execute(
                        inbox_events.insert(),
                        [
                            {
                                "item_id": item_id,
                                "at": at,
                                "actor": actor,
                                "kind": kind,
                                "details": details,
                            }
                            for at, kind, details in change.events
                        ],
                    )
            if last_post_id is not None:
                conn.execute(
                    self._insert(inbox_progress)
                    .values(workspace_id=workspace_id, last_post_id=last_post_id, updated_at=now)
                    .on_conflict_do_update(
                        index_elements=["workspace_id"],
                        set_={"last_post_id": last_post_id, "updated_at": now},
                    )
                )
        return ids

    # -- items --------------------------------------------------------------------------------

    def inbox_items(
        self,
        workspace_id: int,
        *,
        states: Sequence[ItemState] = (),
        assignee_id: int | None = None,
        source_ids: Sequence[int] | None = None,
        ids: Sequence[int] | None = None,
        since: datetime | None = None,
        desk_id: int | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[InboxItem]:
        """Items, the longest waiting first, then the newest; `source_ids` None: any page;
        `ids`: only these; `since`: only those created then or later; `desk_id`: one desk's
        queue (0: the items on no desk)."""
        query = sa.select(inbox_items).where(inbox_items.c.workspace_id == workspace_id)
        if desk_id is not None:
            query = query.where(
                inbox_items.c.desk_id.is_(None)
                if desk_id == 0
                else inbox_items.c.desk_id == desk_id
            )
        if ids is not None:
            query = query.where(inbox_items.c.id.in_(list(ids)))
        if since is not None:
            query = query.where(inbox_items.c.created_at >= since)
        if states:
            query = query.where(inbox_items.c.state.in_([s.value for s in states]))
        if assignee_id is not None:
            query = query.where(inbox_items.c.assignee_id == assignee_id)
        if source_ids is not None:
            query = query.where(inbox_items.c.source_id.in_(list(source_ids)))
        order = (
            inbox_items.c.waiting_since.is_(None),
            inbox_items.c.waiting_since,
            inbox_items.c.created_at.desc(),
            inbox_items.c.id.desc(),
        )
        if ids is not None:
            # By primary key alone, the rest checked here: with the workspace (or an ORDER BY)
            # in the SQL, SQLite's planner walks a whole index instead of looking ids up.
            with self.engine.connect() as conn:
                rows = conn.execute(sa.select(inbox_items).where(inbox_items.c.id.in_(list(ids))))
                found = [_item(r) for r in rows]
            wanted = {s.value for s in states}
            visible = None if source_ids is None else set(source_ids)
            found = [
                i
                for i in found
                if i.workspace_id == workspace_id
                and (not wanted or i.state.value in wanted)
                and (assignee_id is None or i.assignee_id == assignee_id)
                and (visible is None or i.source_id in visible)
                and (since is None or i.created_at >= since)
                and (desk_id is None or i.desk_id == (desk_id or None))
            ]
            found.sort(key=_queue_order)
            return found[offset : offset + limit]
        chosen = query.order_by(*order).limit(limit).offset(offset)
        if ids is None:
            # The page's ids first, sorted from the index alone (a desk's queue holds
            # thousands of rows), then only those rows.
            page = query.with_only_columns(inbox_items.c.id).order_by(*order).limit(limit)
            chosen = (
                sa.select(inbox_items)
                .where(inbox_items.c.id.in_(page.offset(offset).scalar_subquery()))
                .order_by(*order)
            )
        with self.engine.connect() as conn:
            return [_item(r) for r in conn.execute(chosen)]

    def newest_item_at(self, workspace_id: int) -> datetime | None:
        """When the workspace's newest item was created."""
        with self.engine.connect() as conn:
            found: datetime | None = conn.execute(
                sa.select(inbox_items.c.created_at)
                .where(inbox_items.c.workspace_id == workspace_id)
                .order_by(inbox_items.c.created_at.desc())
                .limit(1)
            ).scalar()
        return found

    def inbox_item(self, workspace_id: int, item_id: int) -> InboxItem | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(inbox_items).where(
                    inbox_items.c.workspace_id == workspace_id, inbox_items.c.id == item_id
                )
            ).first()
        return None if row is None else _item(row)

    def item_events(self, item_id: int) -> list[ItemEvent]:
        """The item's history, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(inbox_events)
                .where(inbox_events.c.item_id == item_id)
                .order_by(inbox_events.c.id)
            )
            return [
                ItemEvent(r.id, r.item_id, r.at, r.actor, r.kind, dict(r.details)) for r in rows
            ]

    def items_events(self, item_ids: Sequence[int]) -> dict[int, list[ItemEvent]]:
        """The histories of these items (each oldest first), read in one query per chunk."""
        found: dict[int, list[ItemEvent]] = {i: [] for i in item_ids}
        ids = sorted(set(item_ids))
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 1_000):
                rows = conn.execute(
                    sa.select(inbox_events)
                    .where(inbox_events.c.item_id.in_(ids[start : start + 1_000]))
                    .order_by(inbox_events.c.item_id, inbox_events.c.id)
                )
                for r in rows:
                    found[r.item_id].append(
                        ItemEvent(r.id, r.item_id, r.at, r.actor, r.kind, dict(r.details))
                    )
        return found

    def change_item(
        self,
        item_id: int,
        fields: dict[str, Any],
        actor: str,
        kind: str,
        details: dict[str, Any],
        *,
        seen_version: int | None = None,
    ) -> InboxItem | None:
        """Change an item and write the event in one transaction; None when the item is no
        longer at `seen_version` (someone else changed it first) or does not exist."""
        now = self.clock()
        with self._write() as conn:
            condition = inbox_items.c.id == item_id
            if seen_version is not None:
                condition = condition & (inbox_items.c.version == seen_version)
            updated = conn.execute(
                inbox_items.update()
                .where(condition)
                .values(**fields, updated_at=now, version=inbox_items.c.version + 1)
            ).rowcount
            if not updated:
                return None
            conn.execute(
                inbox_events.insert().values(
                    item_id=item_id, at=now, actor=actor, kind=kind, details=details
                )
            )
            row = conn.execute(sa.select(inbox_items).where(inbox_items.c.id == item_id)).one()
        return _item(row)

    def change_items(
        self,
        changes: Sequence[tuple[int, dict[str, Any], dict[str, Any]]],
        actor: str,
        kind: str,
    ) -> None:
        """Many items' changes (item id, fields, event details) and their events in one
        transaction; items given the same fields are updated in one statement."""
        if not changes:
            return
        now = self.clock()
        same: dict[str, tuple[dict[str, Any], list[int]]] = {}
        for item_id, fields, _ in changes:
            key = json.dumps(fields, sort_keys=True, default=str)
            same.setdefault(key, (fields, []))[1].append(item_id)
        with self._write() as conn:
            for fields, ids in same.values():
                conn.execute(
                    inbox_items.update()
                    .where(inbox_items.c.id == sa.bindparam("item"))
                    .values(**fields, updated_at=now, version=inbox_items.c.version + 1),
                    [{"item": i} for i in ids],
                )
            conn.execute(
                inbox_events.insert(),
                [
                    {"item_id": i, "at": now, "actor": actor, "kind": kind, "details": details}
                    for i, _, details in changes
                ],
            )

    # -- desks and their SLA targets ----------------------------------------------------------

    def add_desk(self, workspace_id: int, name: str, hours: str, timezone: str) -> Desk:
        with self._write() as conn:
            desk_id = conn.execute(
                desks.insert()
                .values(
                    workspace_id=workspace_id,
                    name=name,
                    hours=hours,
                    timezone=timezone,
                    created_at=self.clock(),
                )
                .returning(desks.c.id)
            ).scalar_one()
        return Desk(desk_id, workspace_id, name, hours, timezone)

    def update_desk(self, desk_id: int, **fields: Any) -> None:
        with self._write() as conn:
            conn.execute(desks.update().where(desks.c.id == desk_id).values(**fields))

    def list_desks(self, workspace_id: int) -> list[Desk]:
        with self.engine.connect() as conn:
            members: dict[int, list[int]] = {}
            shifts: dict[int, list[tuple[int, str]]] = {}
            for r in conn.execute(
                sa.select(desk_members.c.desk_id, desk_members.c.user_id, desk_members.c.shift)
                .join(desks, desks.c.id == desk_members.c.desk_id)
                .where(desks.c.workspace_id == workspace_id)
                .order_by(desk_members.c.user_id)
            ):
                members.setdefault(r.desk_id, []).append(r.user_id)
                if r.shift is not None:
                    shifts.setdefault(r.desk_id, []).append((r.user_id, r.shift))
            rows = conn.execute(
                sa.select(desks).where(desks.c.workspace_id == workspace_id).order_by(desks.c.name)
            )
            return [
                Desk(
                    r.id,
                    r.workspace_id,
                    r.name,
                    r.hours,
                    r.timezone,
                    tuple(members.get(r.id, ())),
                    r.signature,
                    tuple(shifts.get(r.id, ())),
                )
                for r in rows
            ]

    def set_desk_members(self, desk_id: int, user_ids: Sequence[int]) -> None:
        """The desk's members are exactly these; those who stay keep their shifts."""
        wanted = set(user_ids)
        with self._write() as conn:
            current = set(
                conn.execute(
                    sa.select(desk_members.c.user_id).where(desk_members.c.desk_id == desk_id)
                ).scalars()
            )
            if current - wanted:
                conn.execute(
                    desk_members.delete().where(
                        desk_members.c.desk_id == desk_id,
                        desk_members.c.user_id.in_(sorted(current - wanted)),
                    )
                )
            if wanted - current:
                conn.execute(
                    desk_members.insert(),
                    [{"desk_id": desk_id, "user_id": u} for u in sorted(wanted - current)],
                )

    def set_shift(self, desk_id: int, user_id: int, shift: str | None) -> None:
        with self._write() as conn:
            conn.execute(
                desk_members.update()
                .where(desk_members.c.desk_id == desk_id, desk_members.c.user_id == user_id)
                .values(shift=shift)
            )

    def add_absence(
        self,
        workspace_id: int,
        user_id: int,
        starts_at: datetime,
        ends_at: datetime,
        note: str | None,
        created_by: str,
    ) -> Absence:
        with self._write() as conn:
            absence_id = conn.execute(
                absences.insert()
                .values(
                    workspace_id=workspace_id,
                    user_id=user_id,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    note=note,
                    created_by=created_by,
                )
                .returning(absences.c.id)
            ).scalar_one()
        return Absence(absence_id, user_id, starts_at, ends_at, note)

    def absences(self, workspace_id: int, ending_after: datetime) -> list[Absence]:
        """The workspace's absences not over by `ending_after`, the soonest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(absences)
                .where(absences.c.workspace_id == workspace_id, absences.c.ends_at > ending_after)
                .order_by(absences.c.starts_at, absences.c.id)
            )
            return [Absence(r.id, r.user_id, r.starts_at, r.ends_at, r.note) for r in rows]

    def delete_absence(self, workspace_id: int, absence_id: int) -> bool:
        with self._write() as conn:
            gone = conn.execute(
                absences.delete().where(
                    absences.c.workspace_id == workspace_id, absences.c.id == absence_id
                )
            ).rowcount
        return bool(gone)

    def set_sla_policy(self, policy: SlaPolicy) -> None:
        def minutes(value: timedelta | None) -> int | None:
            return None if value is None else int(value.total_seconds() // 60)

        values = {
            "first_response_minutes": minutes(policy.first_response),
            "resolution_minutes": minutes(policy.resolution),
            "warn_minutes": minutes(policy.warn_before) or 0,
        }
        with self._write() as conn:
            conn.execute(
                self._insert(sla_policies)
                .values(desk_id=policy.desk_id, priority=policy.priority.value, **values)
                .on_conflict_do_update(index_elements=["desk_id", "priority"], set_=values)
            )

    def sla_policies(self, workspace_id: int) -> list[SlaPolicy]:
        def span(value: int | None) -> timedelta | None:
            return None if value is None else timedelta(minutes=value)

        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(sla_policies)
                .join(desks, desks.c.id == sla_policies.c.desk_id)
                .where(desks.c.workspace_id == workspace_id)
                .order_by(sla_policies.c.desk_id, sla_policies.c.priority)
            )
            return [
                SlaPolicy(
                    r.desk_id,
                    Priority(r.priority),
                    span(r.first_response_minutes),
                    span(r.resolution_minutes),
                    timedelta(minutes=r.warn_minutes),
                )
                for r in rows
            ]
