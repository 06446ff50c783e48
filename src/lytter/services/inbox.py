"""The inbox's service: reading new posts into items, and what people do to an item.

`gather` runs after every import and collection (and as `lytter inbox gather`): each new post
on an own page (a source of a brand the workspace marks `own`) that the page did not write
itself opens or extends its thread's item, and the page's own replies answer it. A person can
add any post they see with `flag`. Every change goes through the states of
`lytter.domain.inbox.TRANSITIONS` and is written to the item's history with who did it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lytter.domain.access import PAGE_SCOPED_ROLES, Actor, Permission
from lytter.domain.inbox import (
    Desk,
    InboxItem,
    ItemAction,
    ItemEvent,
    ItemState,
    Priority,
    SlaPolicy,
    ThreadPost,
    absorb,
    next_state,
    sla_clocks,
)
from lytter.domain.posts import Post
from lytter.domain.sla import SlaClock, SlaState
from lytter.domain.users import Role
from lytter.services import desks
from lytter.services.access import require
from lytter.services.errors import Conflict, NotFound, UserError
from lytter.services.routing import route
from lytter.store.base import Store
from lytter.store.inbox import PostOnPage

BATCH = 2_000
MAX_NOTE = 5_000


def _handle(value: str | None) -> str:
    return (value or "").strip().lstrip("@").casefold()


def from_page(post: PostOnPage) -> bool:
    """Whether the page wrote the post itself: its author is the page's account."""
    return is_page(post.author_handle, post.page_handle, post.page_name)


def is_page(author_handle: str | None, page_handle: str, page_name: str) -> bool:
    """Whether an author is the page's own account (by its id or its name)."""
    author = _handle(author_handle)
    return bool(author) and author in {_handle(page_handle), _handle(page_name)}


def gather(store: Store, workspace_id: int) -> int:
    """Read the posts stored since the last time into the inbox, and route the new items by
    the workspace's rules; how many items opened or changed."""
    after = store.inbox_progress(workspace_id)
    changed = 0
    while batch := store.posts_on_own_pages(workspace_id, after, BATCH):
        thread_posts = [
            ThreadPost(p.post_id, p.source_id, p.platform, p.thread, p.created_at, from_page(p))
            for p in batch
        ]
        after = batch[-1].post_id
        ids = store.absorb_posts(workspace_id, thread_posts, absorb, last_post_id=after)
        changed += len(ids)
        new = [item_id for item_id, is_new in ids if is_new]
        if new and store.list_rules(workspace_id):
            route(store, Actor.system(workspace_id), new)
    newest = store.last_post_id(workspace_id)
    if newest > after:  # posts on other pages: read, nothing for the inbox
        store.absorb_posts(workspace_id, [], absorb, last_post_id=newest)
    return changed


@dataclass(frozen=True, slots=True)
class ItemView:
    """An item with its conversation (the posts the actor may see) and its history."""

    item: InboxItem
    thread: list[Post]
    events: list[ItemEvent]


def items(
    store: Store,
    actor: Actor,
    *,
    states: tuple[ItemState, ...] = (),
    mine: bool = False,
    desk_id: int | None = None,
    source_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[InboxItem]:
    """The items on the actor's pages, the longest waiting first; `desk_id`: one desk's
    queue (0: items on no desk); `source_id`: one page's."""
    require(actor, Permission.READ)
    if mine and actor.user is None:
        raise UserError("only a user has items of their own: act as one (--as EMAIL)")
    visible = None if actor.source_ids is None else sorted(actor.source_ids)
    if source_id is not None:
        visible = [source_id] if actor.sees_source(source_id) else []
    return store.inbox_items(
        actor.workspace_id,
        states=states,
        assignee_id=actor.user.id if mine and actor.user else None,
        source_ids=visible,
        desk_id=desk_id,
        limit=limit,
        offset=offset,
    )


def get_item(store: Store, actor: Actor, item_id: int) -> InboxItem:
    """The item, if it is on one of the actor's pages (NotFound otherwise, as if missing)."""
    require(actor, Permission.READ)
    item = store.inbox_item(actor.workspace_id, item_id)
    if item is None or not actor.sees_source(item.source_id):
        raise NotFound("inbox item {item_id} does not exist", item_id=item_id)
    return item


def item_view(store: Store, actor: Actor, item_id: int) -> ItemView:
    item = get_item(store, actor, item_id)
    events = store.item_events(item.id)
    first = next((e.details.get("post_id") for e in events if e.kind == "created"), None)
    root = None if first is None else store.get_post(actor.workspace_id, int(first))
    thread = [] if root is None else store.thread(actor.workspace_id, root)
    return ItemView(item, [p for p in thread if actor.sees_source(p.source_id)], events)


def _change(
    store: Store,
    actor: Actor,
    item: InboxItem,
    fields: dict[str, Any],
    kind: str,
    details: dict[str, Any],
    seen_version: int | None,
) -> InboxItem:
    changed = store.change_item(
        item.id, fields, actor.name, kind, details, seen_version=seen_version
    )
    if changed is None:
        raise Conflict(
            "inbox item {item_id} changed since you opened it: look again before you act",
            item_id=item.id,
        )
    return changed


def act(
    store: Store,
    actor: Actor,
    item_id: int,
    action: ItemAction,
    *,
    until: datetime | None = None,
    seen_version: int | None = None,
) -> InboxItem:
    """Move the item by `action` (open, wait, snooze until a time, resolve, reopen).

    `seen_version`: the item's version when the actor last saw it; if it changed since,
    Conflict, so two people never act on the same item without seeing what the other did.
    """
    require(actor, Permission.ACT)
    item = get_item(store, actor, item_id)
    target = next_state(item.state, action)
    if target is None:
        raise UserError(
            "an item that is {state} cannot {action}",
            state=item.state.value,
            action=action.value,
            field="action",
        )
    fields: dict[str, Any] = {"state": target.value, "snoozed_until": None}
    if action == ItemAction.SNOOZE:
        if until is None or until <= store.clock():
            raise UserError("snoozing needs a time in the future to wake up", field="until")
        fields["snoozed_until"] = until
    if target == ItemState.RESOLVED:
        fields["resolved_at"] = store.clock()
    elif item.state == ItemState.RESOLVED:
        fields["resolved_at"] = None
    details: dict[str, Any] = {"from": item.state.value, "to": target.value}
    if until is not None and action == ItemAction.SNOOZE:
        details["until"] = until.isoformat()
    return _change(store, actor, item, fields, "state", details, seen_version)


def assign(
    store: Store, actor: Actor, item_id: int, email: str | None, *, seen_version: int | None = None
) -> InboxItem:
    """Give the item to a user of the workspace who sees its page (None: to nobody)."""
    require(actor, Permission.ACT)
    item = get_item(store, actor, item_id)
    user_id = None
    if email is not None:
        user = store.find_user(email.strip().lower())
        if user is None or user.workspace_id != actor.workspace_id:
            raise NotFound("no user {email} in this workspace", email=email)
        scoped = user.role in PAGE_SCOPED_ROLES
        if scoped and item.source_id not in store.granted_sources(user.id):
            raise UserError(
                "{email} has no access to this item's page", email=email, field="assignee"
            )
        if user.role == Role.VIEWER:
            raise UserError("{email} is a viewer and cannot answer", email=email, field="assignee")
        user_id = user.id
    details = {"from": item.assignee_id, "to": user_id, "email": email}
    return _change(store, actor, item, {"assignee_id": user_id}, "assigned", details, seen_version)


def set_priority(store: Store, actor: Actor, item_id: int, priority: str) -> InboxItem:
    require(actor, Permission.ACT)
    try:
        chosen = Priority(priority.lower())
    except ValueError:
        raise UserError(
            "unknown priority '{priority}': use low, normal, high or urgent",
            priority=priority,
            field="priority",
        ) from None
    item = get_item(store, actor, item_id)
    details = {"from": item.priority.value, "to": chosen.value}
    return _change(store, actor, item, {"priority": chosen.value}, "priority", details, None)


def tag(
    store: Store, actor: Actor, item_id: int, add: tuple[str, ...], remove: tuple[str, ...] = ()
) -> InboxItem:
    require(actor, Permission.ACT)
    item = get_item(store, actor, item_id)
    tags = [t for t in item.tags if t not in remove]
    tags += [t for t in dict.fromkeys(x.strip() for x in add) if t and t not in tags]
    details = {"added": [t for t in add if t not in item.tags], "removed": list(remove)}
    return _change(store, actor, item, {"tags": tags}, "tags", details, None)


def note(store: Store, actor: Actor, item_id: int, text: str) -> ItemEvent:
    """An internal note on the item (never sent to the customer)."""
    require(actor, Permission.ACT)
    text = text.strip()
    if not text:
        raise UserError("a note needs some text", field="text")
    if len(text) > MAX_NOTE:
        raise UserError("a note is at most {n} characters", n=MAX_NOTE, field="text")
    item = get_item(store, actor, item_id)
    _change(store, actor, item, {}, "note", {"text": text}, None)
    return store.item_events(item.id)[-1]


def flag(store: Store, actor: Actor, post_id: int) -> InboxItem:
    """Put a post the actor sees (on any page) in the inbox: its thread becomes an item."""
    require(actor, Permission.ACT)
    post = store.get_post(actor.workspace_id, post_id)
    if post is None or not actor.sees_source(post.source_id):
        raise NotFound("post {post_id} does not exist", post_id=post_id)
    thread = post.root_id or post.external_id
    flagged = ThreadPost(post.id, post.source_id, post.platform, thread, post.created_at, False)
    ((item_id, _),) = store.absorb_posts(
        actor.workspace_id, [flagged], absorb, actor=actor.name, flagged=True
    )
    return get_item(store, actor, item_id)


def move(
    store: Store, actor: Actor, item_id: int, desk_ref: str | None, *, why: str | None = None
) -> InboxItem:
    """Put the item on a desk (None: on none); `why` says so in its history (a routing rule)."""
    require(actor, Permission.ACT)
    item = get_item(store, actor, item_id)
    desk = None if desk_ref is None else desks.find_desk(store, actor, desk_ref)
    details: dict[str, Any] = {"from": item.desk_id, "to": None if desk is None else desk.id}
    if desk is not None:
        details["desk"] = desk.name
    if why:
        details["why"] = why
    return _change(store, actor, item, {"desk_id": details["to"]}, "desk", details, None)


@dataclass(frozen=True, slots=True)
class SlaTarget:
    due: datetime | None  # None while the clock stands still (or it is done)
    state: SlaState


@dataclass(frozen=True, slots=True)
class ItemSla:
    """Where an item stands against its desk's targets for its priority."""

    first_response: SlaTarget | None
    resolution: SlaTarget | None

    @property
    def worst(self) -> SlaState | None:
        order = [
            SlaState.BREACHED,
            SlaState.WARNING,
            SlaState.RUNNING,
            SlaState.PAUSED,
            SlaState.MISSED,
            SlaState.MET,
        ]
        found = [t.state for t in (self.first_response, self.resolution) if t is not None]
        return min(found, key=order.index) if found else None


Known = tuple[dict[int, Desk], dict[tuple[int, Priority], SlaPolicy]]


def item_slas(
    store: Store, actor: Actor, items: Sequence[InboxItem], *, known: Known | None = None
) -> list[ItemSla | None]:
    """Each item's SLA status now (see `item_sla`), the histories read in one go."""
    known = known or (
        {d.id: d for d in desks.list_desks(store, actor)},
        desks.policies(store, actor),
    )
    by_id, policies = known
    counted = [i for i in items if i.desk_id in by_id and (i.desk_id, i.priority) in policies]
    events = store.items_events([i.id for i in counted])
    return [
        item_sla(store, actor, item, known=known, events=events.get(item.id, []))
        if item.id in events
        else None
        for item in items
    ]


def item_sla(
    store: Store,
    actor: Actor,
    item: InboxItem,
    *,
    known: Known | None = None,
    events: list[ItemEvent] | None = None,
) -> ItemSla | None:
    """The item's SLA status now, counted in its desk's business hours; None when it is on no
    desk or its desk promises nothing for its priority. `known`: desks and policies already
    read; `events`: its history, already read (lists use `item_slas`)."""
    if item.desk_id is None:
        return None
    by_id, policies = known or (
        {d.id: d for d in desks.list_desks(store, actor)},
        desks.policies(store, actor),
    )
    policy = policies.get((item.desk_id, item.priority))
    if policy is None or item.desk_id not in by_id:
        return None
    hours = desks.hours_of(by_id[item.desk_id])
    now = store.clock()
    history = store.item_events(item.id) if events is None else events
    first, resolution = sla_clocks(item, history, policy)

    def target(clock: SlaClock | None) -> SlaTarget | None:
        if clock is None:
            return None
        state = clock.state(hours, now, policy.warn_before)
        due = clock.due(hours) if clock.done_at is None else None
        return SlaTarget(due, state)

    return ItemSla(target(first), target(resolution))
