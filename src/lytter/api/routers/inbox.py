"""The inbox: conversations on own pages that wait for an answer, and what people do to them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import (
    FlagIn,
    InboxItemDetail,
    InboxItemOut,
    ItemActionIn,
    ItemAssignIn,
    ItemChangeIn,
    ItemEventOut,
    ItemNoteIn,
    PresenceIn,
    ReplyIn,
    ReplyOut,
    ViewerOut,
)
from lytter.domain.inbox import ItemState
from lytter.services import inbox as inbox_service
from lytter.services import replies as reply_service
from lytter.services.errors import UserError

router = APIRouter(prefix="/inbox", tags=["inbox"])


@router.get("", summary="Items on the caller's pages, the longest waiting first")
def list_items(
    store: StoreDep,
    actor: ActorDep,
    state: Annotated[list[ItemState] | None, Query(description="Only these states")] = None,
    mine: Annotated[bool, Query(description="Only items assigned to the caller")] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[InboxItemOut]:
    found = inbox_service.items(
        store, actor, states=tuple(state or ()), mine=mine, limit=limit, offset=offset
    )
    return [InboxItemOut.of(i) for i in found]


@router.post("/flag", summary="Put a post the caller sees in the inbox (its thread's item)")
def flag(store: StoreDep, actor: ActorDep, body: FlagIn) -> InboxItemOut:
    return InboxItemOut.of(inbox_service.flag(store, actor, body.post_id))


@router.get("/{item_id}", summary="An item with its conversation and history")
def get_item(store: StoreDep, actor: ActorDep, item_id: int) -> InboxItemDetail:
    return InboxItemDetail.of(inbox_service.item_view(store, actor, item_id))


@router.post("/{item_id}/actions", summary="open, wait, snooze, resolve or reopen the item")
def act(store: StoreDep, actor: ActorDep, item_id: int, body: ItemActionIn) -> InboxItemOut:
    item = inbox_service.act(
        store, actor, item_id, body.action, until=body.until, seen_version=body.seen_version
    )
    return InboxItemOut.of(item)


@router.post("/{item_id}/assign", summary="Give the item to a user who sees its page")
def assign(store: StoreDep, actor: ActorDep, item_id: int, body: ItemAssignIn) -> InboxItemOut:
    item = inbox_service.assign(store, actor, item_id, body.email, seen_version=body.seen_version)
    return InboxItemOut.of(item)


@router.post("/{item_id}/notes", summary="An internal note in the item's history")
def add_note(store: StoreDep, actor: ActorDep, item_id: int, body: ItemNoteIn) -> ItemEventOut:
    event = inbox_service.note(store, actor, item_id, body.text)
    return ItemEventOut(at=event.at, actor=event.actor, kind=event.kind, details=event.details)


@router.patch("/{item_id}", summary="Tags and priority")
def change(store: StoreDep, actor: ActorDep, item_id: int, body: ItemChangeIn) -> InboxItemOut:
    if body.add_tags or body.remove_tags:
        inbox_service.tag(store, actor, item_id, tuple(body.add_tags), tuple(body.remove_tags))
    if body.priority is not None:
        inbox_service.set_priority(store, actor, item_id, body.priority.value)
    return InboxItemOut.of(inbox_service.get_item(store, actor, item_id))


@router.post(
    "/{item_id}/reply",
    summary="Answer the item on its platform (signed as its desk signs)",
    status_code=201,
    responses={
        409: {"description": "The item changed since seen_version"},
        502: {"description": "The platform did not take the reply"},
    },
)
def reply(store: StoreDep, actor: ActorDep, item_id: int, body: ReplyIn) -> ReplyOut:
    if (body.text is None) == (body.saved is None):
        raise UserError("give the answer's text, or a saved reply's name", field="text")
    text = body.text
    if body.saved is not None:
        text = reply_service.compose(store, actor, item_id, body.saved, body.language)
    sent = reply_service.send(
        store,
        actor,
        item_id,
        text or "",
        seen_version=body.seen_version,
        to_post_id=body.to_post_id,
    )
    return ReplyOut(
        item=InboxItemOut.of(sent.item),
        post_id=sent.post.id,
        external_id=sent.post.external_id,
        text=sent.text,
    )


@router.post(
    "/{item_id}/presence",
    summary="Say the caller has the item open (and is writing); who else has",
)
def presence(
    store: StoreDep,
    actor: ActorDep,
    item_id: int,
    body: Annotated[PresenceIn | None, Body()] = None,
) -> list[ViewerOut]:
    composing = body is not None and body.composing
    others = reply_service.presence(store, actor, item_id, composing=composing)
    return [
        ViewerOut(email=v.email, name=v.name, seen_at=v.seen_at, composing=v.composing)
        for v in others
    ]
