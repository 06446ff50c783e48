"""The inbox: every conversation on an own page that waits for an answer, as one item.

A customer's comment on the bank's page opens an item for its thread; the page's reply answers
it (the first answer is the first response); a new comment in a resolved thread opens it
again. People move an item through its states by the actions in `TRANSITIONS`, assign it,
tag it and write internal notes; every change is an event in the item's history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from lytter.domain.sla import SlaClock


class ItemState(StrEnum):
    NEW = "new"  # nobody has looked at it
    OPEN = "open"  # being handled
    PENDING = "pending"  # waiting for the customer: the SLA clock stands still
    SNOOZED = "snoozed"  # put away until a time
    RESOLVED = "resolved"  # done


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class ItemAction(StrEnum):
    OPEN = "open"  # take it up (or back up)
    WAIT = "wait"  # now the customer must answer: pending
    SNOOZE = "snooze"  # until a time
    RESOLVE = "resolve"
    REOPEN = "reopen"


TRANSITIONS: dict[tuple[ItemState, ItemAction], ItemState] = {
    (ItemState.NEW, ItemAction.OPEN): ItemState.OPEN,
    (ItemState.NEW, ItemAction.WAIT): ItemState.PENDING,
    (ItemState.NEW, ItemAction.SNOOZE): ItemState.SNOOZED,
    (ItemState.NEW, ItemAction.RESOLVE): ItemState.RESOLVED,
    (ItemState.OPEN, ItemAction.WAIT): ItemState.PENDING,
    (ItemState.OPEN, ItemAction.SNOOZE): ItemState.SNOOZED,
    (ItemState.OPEN, ItemAction.RESOLVE): ItemState.RESOLVED,
    (ItemState.PENDING, ItemAction.OPEN): ItemState.OPEN,
    (ItemState.PENDING, ItemAction.SNOOZE): ItemState.SNOOZED,
    (ItemState.PENDING, ItemAction.RESOLVE): ItemState.RESOLVED,
    (ItemState.SNOOZED, ItemAction.OPEN): ItemState.OPEN,
    (ItemState.SNOOZED, ItemAction.WAIT): ItemState.PENDING,
    (ItemState.SNOOZED, ItemAction.RESOLVE): ItemState.RESOLVED,
    (ItemState.RESOLVED, ItemAction.REOPEN): ItemState.OPEN,
}
"""What each action does in each state; an action not listed is refused."""


def next_state(state: ItemState, action: ItemAction) -> ItemState | None:
    """The state `action` leads to from `state`, or None when it is not allowed there."""
    return TRANSITIONS.get((state, action))


@dataclass(frozen=True, slots=True)
class InboxItem:
    """One conversation that needs (or needed) an answer: a thread on one page.

    `waiting_since` is when the oldest post not answered yet was written (None: answered);
    `first_response_at` when the page first answered in the thread.
    """

    id: int
    workspace_id: int
    source_id: int | None
    platform: str
    thread: str  # the thread's root post id on the platform
    state: ItemState
    priority: Priority
    assignee_id: int | None
    tags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    waiting_since: datetime | None = None
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    snoozed_until: datetime | None = None
    flagged: bool = False  # a person added it (a post anywhere), rather than the page's rules
    posts: int = 0  # the thread's posts in the item
    version: int = 1  # one more at every change
    desk_id: int | None = None


@dataclass(frozen=True, slots=True)
class ItemEvent:
    """One thing that happened to an item: created, a new post, answered, a state change,
    assigned, priority, tags, a note; `details` says what (`{"from": "new", "to": "open"}`)."""

    id: int
    item_id: int
    at: datetime
    actor: str
    kind: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ThreadPost:
    """A post as the inbox reads it: in which thread, when, and whether the page wrote it."""

    post_id: int
    source_id: int | None
    platform: str
    thread: str
    created_at: datetime
    from_page: bool


@dataclass(frozen=True, slots=True)
class ItemChange:
    """What absorbing posts does to one thread's item: its new fields and the events."""

    key: tuple[str, str]  # (platform, thread)
    fields: dict[str, Any]
    events: list[tuple[datetime, str, dict[str, Any]]]  # (at, kind, details)
    new: bool


def absorb(current: dict[tuple[str, str], InboxItem], posts: list[ThreadPost]) -> list[ItemChange]:
    """What new posts do to their threads' items, read in the order they were written (a
    collected page or an import may bring a reply before the post it answers).

    A customer's post opens an item for its thread (or opens a resolved one again) and waits
    for an answer; the page's post answers what waits, the first time as the first response. A
    page's post in a thread with no item opens none.
    """
    state: dict[tuple[str, str], dict[str, Any]] = {}
    changes: dict[tuple[str, str], ItemChange] = {}
    for post in sorted(posts, key=lambda p: (p.created_at, p.post_id)):
        key = (post.platform, post.thread)
        item = current.get(key)
        fields = state.get(key)
        if fields is None:
            if item is None and post.from_page:
                continue
            fields = state[key] = (
                {}
                if item is None
                else {
                    "state": item.state,
                    "waiting_since": item.waiting_since,
                    "first_response_at": item.first_response_at,
                    "posts": item.posts,
                }
            )
            changes[key] = ItemChange(key, fields, [], item is None)
        events = changes[key].events
        if not fields:  # a new item
            fields.update(
                state=ItemState.NEW,
                waiting_since=post.created_at,
                first_response_at=None,
                posts=1,
                source_id=post.source_id,
                created_at=post.created_at,
            )
            events.append((post.created_at, "created", {"post_id": post.post_id}))
            continue
        fields["posts"] += 1
        if post.from_page:
            if fields["waiting_since"] is not None and post.created_at >= fields["waiting_since"]:
                first = fields["first_response_at"] is None
                if first:
                    fields["first_response_at"] = post.created_at
                fields["waiting_since"] = None
                events.append(
                    (post.created_at, "answered", {"post_id": post.post_id, "first": first})
                )
            continue
        if fields["state"] == ItemState.RESOLVED:
            fields["state"] = ItemState.OPEN
            fields["resolved_at"] = None
            events.append((post.created_at, "reopened", {"post_id": post.post_id}))
        else:
            events.append((post.created_at, "post", {"post_id": post.post_id}))
        if fields["waiting_since"] is None:
            fields["waiting_since"] = post.created_at
    return list(changes.values())


@dataclass(frozen=True, slots=True)
class Desk:
    """A team that owns a kind of item ("det rette bord"): its members and working hours, in
    which its SLA targets are counted."""

    id: int
    workspace_id: int
    name: str
    hours: str  # as lytter.domain.sla.parse_hours reads it: "mon-fri 08:00-16:00"
    timezone: str
    members: tuple[int, ...] = ()  # user ids
    signature: str | None = None  # what replies end with: "/Kundeservice" or "/{agent}"
    shifts: tuple[tuple[int, str], ...] = ()  # (member, their own weekly shift), the rest: hours

    def shift_of(self, user_id: int) -> str:
        """The member's weekly shift on this desk: their own, or the desk's hours."""
        return dict(self.shifts).get(user_id, self.hours)


@dataclass(frozen=True, slots=True)
class Absence:
    """A person is away from `starts_at` to `ends_at` (holiday, illness, a course): on no
    desk's shift then, so routing gives them nothing."""

    id: int
    user_id: int
    starts_at: datetime
    ends_at: datetime
    note: str | None = None

    def covers(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """A desk's promise for items of one priority: the first answer and the resolution within
    these amounts of open time (None: no promise), a warning `warn_before` a breach."""

    desk_id: int
    priority: Priority
    first_response: timedelta | None
    resolution: timedelta | None
    warn_before: timedelta


def sla_clocks(
    item: InboxItem, events: list[ItemEvent], policy: SlaPolicy
) -> tuple[SlaClock | None, SlaClock | None]:
    """The item's first-response and resolution clocks under `policy` (None: no target).

    Both start when the item was created. The first-response clock stops at the page's first
    answer; the resolution clock stands still while the item is pending or resolved, and is
    done when it is resolved.
    """
    first = None
    if policy.first_response is not None:
        first = SlaClock(
            policy.first_response, [(item.created_at, None)], done_at=item.first_response_at
        )
    if policy.resolution is None:
        return first, None
    spans: list[tuple[datetime, datetime | None]] = []
    running_since: datetime | None = item.created_at
    for event in events:
        if event.kind not in ("state", "reopened"):
            continue
        to = ItemState.OPEN if event.kind == "reopened" else ItemState(event.details["to"])
        stops = to in (ItemState.PENDING, ItemState.RESOLVED)
        if stops and running_since is not None:
            spans.append((running_since, event.at))
            running_since = None
        elif not stops and running_since is None:
            running_since = event.at
    if running_since is not None:
        spans.append((running_since, None))
    done = item.resolved_at if item.state == ItemState.RESOLVED else None
    if done is not None and not spans:
        spans = [(item.created_at, done)]
    return first, SlaClock(policy.resolution, spans, done_at=done)
