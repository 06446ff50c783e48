"""Answering an inbox item: saved replies, the desk's signature, who else is on it, and sending.

`send` answers the item's newest customer post through the page's connector, signs it the way
the item's desk signs, and stores the answer as a post of the conversation, so the inbox reads
it like any answer from the page (the first one is the first response). Before it sends it
checks that nobody changed the item since the person opened it (`seen_version`), so two people
never answer the same comment twice; `presence` tells who else has the item open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from lytter.connectors.base import Capability, ConnectorError, Target
from lytter.connectors.http import Http
from lytter.domain.access import Actor, Permission
from lytter.domain.inbox import InboxItem
from lytter.domain.posts import AuthorRef, Post, PostDraft, SourceRef
from lytter.domain.replies import (
    MAX_BODY,
    VARIABLES,
    ReplyKind,
    SavedReply,
    fill,
    first_name,
    signed,
    unknown_variables,
)
from lytter.domain.sources import Source
from lytter.services import inbox
from lytter.services.access import require
from lytter.services.collecting import connector_for
from lytter.services.errors import Conflict, NotFound, PlatformRefused, UserError
from lytter.store.base import Store

LANGUAGES = ("da", "en")
SEEN_FOR = timedelta(seconds=90)
"""How long an open item counts as being looked at after the page last said so."""


# -- saved replies and notices ---------------------------------------------------------------


def _checked_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise UserError("a saved reply needs some text", field="body")
    if len(body) > MAX_BODY:
        raise UserError("a saved reply is at most {n} characters", n=MAX_BODY, field="body")
    unknown = unknown_variables(body)
    if unknown:
        raise UserError(
            "unknown variable {{{name}}}: use {known}",
            name=unknown[0],
            known=", ".join(f"{{{v}}}" for v in VARIABLES),
            field="body",
        )
    return body


def save_reply(
    store: Store,
    actor: Actor,
    name: str,
    body: str,
    *,
    language: str = "da",
    kind: str = ReplyKind.REPLY.value,
) -> SavedReply:
    """Add or change the saved reply (or notice) `name` in `language`."""
    require(actor, Permission.MANAGE_REPLIES)
    name = name.strip()
    if not name or len(name) > 100:
        raise UserError("a saved reply needs a name of at most 100 characters", field="name")
    if language not in LANGUAGES:
        raise UserError("saved replies are in da or en, not '{language}'", language=language)
    try:
        chosen = ReplyKind(kind)
    except ValueError:
        raise UserError("a saved reply's kind is reply or notice", field="kind") from None
    return store.save_reply(actor.workspace_id, name, chosen, language, _checked_body(body))


def saved_replies(store: Store, actor: Actor, kind: ReplyKind | None = None) -> list[SavedReply]:
    require(actor, Permission.READ)
    return [r for r in store.list_replies(actor.workspace_id) if kind is None or r.kind == kind]


def find_reply(
    store: Store,
    actor: Actor,
    name: str,
    language: str | None = None,
    kind: ReplyKind | None = None,
) -> SavedReply:
    """The saved reply `name` in `language` (or in Danish, else in any language it has)."""
    found = [
        r for r in saved_replies(store, actor, kind) if r.name.casefold() == name.strip().casefold()
    ]
    if not found:
        raise NotFound("no saved reply '{name}'", name=name)
    for wanted in (language, "da"):
        for reply in found:
            if reply.language == wanted:
                return reply
    return found[0]


def remove_reply(store: Store, actor: Actor, name: str, language: str | None = None) -> int:
    """Remove the saved reply in `language` (None: in every language); how many went."""
    require(actor, Permission.MANAGE_REPLIES)
    gone = [
        r
        for r in store.list_replies(actor.workspace_id)
        if r.name.casefold() == name.strip().casefold() and language in (None, r.language)
    ]
    if not gone:
        raise NotFound("no saved reply '{name}'", name=name)
    for reply in gone:
        store.delete_reply(reply.id)
    return len(gone)


# -- the conversation's values -----------------------------------------------------------------


def customer_posts(thread: list[Post], item: InboxItem, page: Source | None) -> list[Post]:
    """The posts of the item's conversation its page did not write, oldest first."""
    handle = None if page is None else page.external_id
    return [p for p in thread if p.author_handle != handle and p.source_id == item.source_id]


def waiting_post(store: Store, actor: Actor, item: InboxItem) -> Post:
    """The post an answer goes to: the newest customer post of the item's conversation."""
    view = inbox.item_view(store, actor, item.id)
    source = store.get_source(actor.workspace_id, item.source_id) if item.source_id else None
    customers = customer_posts(view.thread, item, source)
    if not customers:
        raise UserError("inbox item {item_id} has no post to answer", item_id=item.id)
    return max(customers, key=lambda p: (p.created_at, p.id))


def values_for(
    store: Store, actor: Actor, item: InboxItem, post: Post | None = None
) -> dict[str, str | None]:
    """What the variables of a saved reply are for this item and the person answering."""
    source = store.get_source(actor.workspace_id, item.source_id) if item.source_id else None
    desk = next((d for d in store.list_desks(actor.workspace_id) if d.id == item.desk_id), None)
    user = actor.user
    return {
        "author": None if post is None else (post.author_name or post.author_handle),
        "page": None if source is None else source.name,
        "agent": first_name(user.name, user.email) if user else None,
        "desk": None if desk is None else desk.name,
    }


def compose(
    store: Store, actor: Actor, item_id: int, saved: str, language: str | None = None
) -> str:
    """The saved reply `saved` filled in for the item (what the reply box starts with)."""
    item = inbox.get_item(store, actor, item_id)
    post = waiting_post(store, actor, item)
    reply = find_reply(store, actor, saved, language or post.language, ReplyKind.REPLY)
    return fill(reply.body, values_for(store, actor, item, post))


# -- who else is on it -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Viewer:
    email: str
    name: str
    seen_at: datetime
    composing: bool


def presence(store: Store, actor: Actor, item_id: int, *, composing: bool = False) -> list[Viewer]:
    """Say the actor has the item open (and whether they are writing); the others who have."""
    item = inbox.get_item(store, actor, item_id)
    if actor.user is not None:
        store.see_item(item.id, actor.user.id, composing)
    others = []
    for user_id, seen_at, writing in store.item_viewers(item.id, store.clock() - SEEN_FOR):
        if actor.user is not None and user_id == actor.user.id:
            continue
        user = store.get_user(user_id)
        if user is not None:
            others.append(Viewer(user.email, user.name, seen_at, writing))
    return others


def leave(store: Store, actor: Actor, item_id: int) -> None:
    if actor.user is not None:
        store.leave_item(inbox.get_item(store, actor, item_id).id, actor.user.id)


# -- sending -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sent:
    item: InboxItem
    post: Post  # the reply, stored as a post of the conversation
    text: str  # as sent, signature included


def send(
    store: Store,
    actor: Actor,
    item_id: int,
    text: str,
    *,
    seen_version: int | None = None,
    to_post_id: int | None = None,
    http: Http | None = None,
) -> Sent:
    """Answer the item on its platform: sign `text` as the desk signs, send it through the
    page's connector and store it as a post of the conversation (which answers the item).

    `seen_version`: the item's version when the person opened it; Conflict when it changed.
    """
    require(actor, Permission.ACT)
    item = inbox.get_item(store, actor, item_id)
    if seen_version is not None and item.version != seen_version:
        raise Conflict(
            "inbox item {item_id} changed since you opened it (someone answered or acted): "
            "look again before you answer",
            item_id=item.id,
        )
    body = text.strip()
    if not body:
        raise UserError("a reply needs some text", field="text")
    if len(body) > MAX_BODY:
        raise UserError("a reply is at most {n} characters", n=MAX_BODY, field="text")
    source = store.get_source(actor.workspace_id, item.source_id) if item.source_id else None
    if source is None or not source.collectable:
        raise UserError(
            "inbox item {item_id} is not on a page Lytter is connected to, so it cannot "
            "answer there",
            item_id=item.id,
        )
    if to_post_id is None:
        post = waiting_post(store, actor, item)
    else:
        found = store.get_post(actor.workspace_id, to_post_id)
        if found is None or found.source_id != item.source_id:
            raise NotFound(
                "post {post_id} is not in inbox item {item_id}", post_id=to_post_id, item_id=item.id
            )
        post = found
    desk = next((d for d in store.list_desks(actor.workspace_id) if d.id == item.desk_id), None)
    values = values_for(store, actor, item, post)
    full = signed(fill(body, values), None if desk is None else desk.signature, values)
    external_id = _send(store, source, post, full, http)
    stored = _store_reply(store, actor, source, post, full, external_id)
    inbox.gather(store, actor.workspace_id)
    answered = store.change_item(
        item.id,
        {},
        actor.name,
        "replied",
        {"post_id": stored.id, "to_post_id": post.id, "text": full},
    )
    if actor.user is not None:
        store.see_item(item.id, actor.user.id, False)
    return Sent(answered or inbox.get_item(store, actor, item.id), stored, full)


def _send(store: Store, source: Source, post: Post, text: str, http: Http | None) -> str:
    connector = connector_for(store, source, http)
    if Capability.REPLY not in connector.capabilities:
        raise UserError("{platform} pages cannot be answered from Lytter", platform=source.platform)
    try:
        return connector.reply(Target(post.external_id, post.author_handle, post.raw or {}), text)
    except ConnectorError as exc:
        raise PlatformRefused(
            "{platform} did not take the reply: {reason}", platform=source.platform, reason=str(exc)
        ) from exc


def _store_reply(
    store: Store, actor: Actor, source: Source, post: Post, text: str, external_id: str
) -> Post:
    now = store.clock()
    raw: dict[str, Any] = {"id": external_id, "message": text, "sent_by": actor.name}
    draft = PostDraft(
        platform=post.platform,
        external_id=external_id,
        text=text,
        created_at=now,
        author=AuthorRef(source.external_id, source.name),
        source=SourceRef(source.external_id, source.name, source.url),
        root_id=post.root_id or post.external_id,
        parent_id=post.external_id,
        language=post.language,
        collected_at=now,
        raw=raw,
        mapper="lytter/reply",
    )
    store.save_posts(actor.workspace_id, [draft])
    for found in store.thread(actor.workspace_id, post):
        if found.external_id == external_id:
            return found
    raise NotFound("the reply was sent but is not in the conversation")  # pragma: no cover
