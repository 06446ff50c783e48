"""Moderation with a documented trail: hide, delete and block, each for a published reason.

`moderate` does, in this order:
1. checks the reason is one of the workspace's guidelines and the platform can do the act;
2. keeps the evidence (payload, HTML and PNG snapshot, SHA-256 of each) and records the act
   as started, so a crash after this point still leaves the evidence and a trace;
3. asks the platform (a refusal marks the act failed and changes nothing there);
4. tells the author why, from the workspace's notice template, by a reply on the platform or
   by e-mail;
5. marks the act done and writes its audit entry (who, what, when, why, evidence hashes) and
   the item's history in one transaction.

Deleting a post on the platform never deletes it here, and evidence is never changed or
deleted (the database refuses it).
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from lytter.connectors.base import Capability, Connector, ConnectorError, Target
from lytter.connectors.http import Http
from lytter.domain.access import Actor, Permission
from lytter.domain.audit import AuditDraft
from lytter.domain.moderation import (
    BLOCK_EXPIRY,
    BLOCK_REVIEW,
    ActStatus,
    Evidence,
    Guideline,
    ModerationAct,
    ModerationAction,
    NoticeChannel,
    valid_code,
)
from lytter.domain.posts import Post
from lytter.domain.replies import ReplyKind, fill
from lytter.domain.sources import Source
from lytter.services import evidence as evidence_service
from lytter.services.access import require
from lytter.services.collecting import connector_for
from lytter.services.errors import NotFound, PlatformRefused, UserError
from lytter.services.mail import Mailer
from lytter.store.base import Store

CAPABILITY = {
    ModerationAction.HIDE: Capability.HIDE,
    ModerationAction.UNHIDE: Capability.UNHIDE,
    ModerationAction.DELETE: Capability.DELETE,
    ModerationAction.BLOCK: Capability.BLOCK_AUTHOR,
    ModerationAction.UNBLOCK: Capability.UNBLOCK_AUTHOR,
}

ACTION_WORDS = {
    "da": {
        ModerationAction.HIDE: "skjult",
        ModerationAction.DELETE: "slettet",
        ModerationAction.BLOCK: "blokeret",
    },
    "en": {
        ModerationAction.HIDE: "hidden",
        ModerationAction.DELETE: "deleted",
        ModerationAction.BLOCK: "blocked",
    },
}

DEFAULT_NOTICES = {
    "da": (
        "Hej {author}. Dit indlæg på {page} er blevet {action}, fordi det strider mod vores "
        "retningslinjer for debat: {guideline}. Du er velkommen til at skrive igen inden for "
        "retningslinjerne."
    ),
    "en": (
        "Hi {author}. Your post on {page} has been {action} because it breaks our community "
        "guidelines: {guideline}. You are welcome to post again within the guidelines."
    ),
}
"""What an author is told when the workspace has no notice template of its own."""

DEFAULT_GUIDELINES = [
    (
        "personal-data",
        "Personoplysninger / Personal data",
        "Vi skjuler indlæg med CPR-numre, kontonumre, adresser eller andre personlige "
        "oplysninger, for din egen skyld. / We hide posts with ID or account numbers, "
        "addresses or other personal data, for your own sake.",
    ),
    (
        "abuse",
        "Chikane og hadefuld tale / Harassment and hate speech",
        "Vi fjerner trusler, chikane og nedsættende udtalelser om personer eller grupper. / "
        "We remove threats, harassment and slurs against people or groups.",
    ),
    (
        "spam",
        "Spam og reklame / Spam and advertising",
        "Vi fjerner gentagne indlæg, reklame og links til svindel. / We remove repeated posts, "
        "advertising and links to scams.",
    ),
    (
        "off-topic",
        "Uvedkommende indhold / Off topic",
        "Vi skjuler indlæg, der intet har med siden eller tråden at gøre. / We hide posts that "
        "have nothing to do with the page or thread.",
    ),
]
"""A sensible start, written into a workspace by `ensure_default_guidelines` (and the demo)."""


# -- guidelines --------------------------------------------------------------------------------


def guidelines(store: Store, actor: Actor, *, all_: bool = False) -> list[Guideline]:
    """The workspace's published guidelines (with `all_`, also those no longer used)."""
    require(actor, Permission.READ)
    return [g for g in store.list_guidelines(actor.workspace_id) if all_ or g.active]


def save_guideline(
    store: Store, actor: Actor, code: str, title: str, body: str, *, active: bool = True
) -> Guideline:
    """Publish the guideline `code`, or change its title and text (acts keep the title they
    were done with)."""
    require(actor, Permission.MANAGE_REPLIES)
    code = code.strip().lower()
    if not valid_code(code):
        raise UserError(
            "a guideline's code is a short slug of a-z, 0-9 and '-', like 'personal-data'",
            field="code",
        )
    if not title.strip() or len(title) > 200:
        raise UserError("a guideline needs a title of at most 200 characters", field="title")
    if not body.strip():
        raise UserError("a guideline needs a text that says what is not allowed", field="body")
    return store.save_guideline(actor.workspace_id, code, title.strip(), body.strip(), active)


def ensure_default_guidelines(store: Store, actor: Actor) -> list[Guideline]:
    """Publish the default guidelines in a workspace that has none yet."""
    if not store.list_guidelines(actor.workspace_id):
        for code, title, body in DEFAULT_GUIDELINES:
            save_guideline(store, actor, code, title, body)
    return guidelines(store, actor)


def _guideline(store: Store, actor: Actor, code: str) -> Guideline:
    published = guidelines(store, actor)
    for guideline in published:
        if guideline.code == code.strip().lower():
            return guideline
    codes = ", ".join(g.code for g in published) or "none yet: publish one with lytter guideline"
    raise UserError(
        "'{code}' is not one of the workspace's moderation guidelines ({codes})",
        code=code,
        codes=codes,
        field="guideline",
    )


# -- acts ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Notice:
    channel: NoticeChannel
    to: str | None
    text: str | None
    status: str


def _parse_action(action: str) -> ModerationAction:
    try:
        return ModerationAction(action.strip().lower())
    except ValueError:
        raise UserError(
            "unknown moderation act '{action}': use hide, unhide, delete, block or unblock",
            action=action,
            field="action",
        ) from None


def _source(store: Store, actor: Actor, post: Post) -> Source:
    source = store.get_source(actor.workspace_id, post.source_id) if post.source_id else None
    if source is None or not source.collectable:
        raise UserError(
            "post {post_id} is not on a page Lytter is connected to, so it cannot be moderated "
            "there",
            post_id=post.id,
        )
    return source


def notice_text(
    store: Store, actor: Actor, post: Post, page: str, action: ModerationAction, guideline: str
) -> str:
    """What the author is told: the workspace's notice in the post's language (else Danish,
    else the built-in one), filled in."""
    language = post.language if post.language in ACTION_WORDS else "da"
    notices = [r for r in store.list_replies(actor.workspace_id) if r.kind == ReplyKind.NOTICE]
    chosen = next((r for r in notices if r.language == language), None)
    if chosen is None and notices:
        chosen = next((r for r in notices if r.language == "da"), notices[0])
    if chosen is not None:
        language = chosen.language if chosen.language in ACTION_WORDS else language
    body = DEFAULT_NOTICES[language] if chosen is None else chosen.body
    values = {
        "author": post.author_name or post.author_handle,
        "page": page,
        "action": ACTION_WORDS[language].get(action, action.done),
        "guideline": guideline,
    }
    return fill(body, values)


def _tell(
    connector: Connector,
    post: Post,
    page: str,
    text: str,
    channel: str,
    email: str | None,
    mailer: Mailer | None,
    action: ModerationAction,
) -> Notice:
    channel = _channel(connector, channel, email, action)
    if channel == "unreachable":
        why = "not told: the platform cannot message them; give an e-mail to tell them"
        return Notice(NoticeChannel.NONE, None, text, why)
    if channel == NoticeChannel.NONE.value:
        return Notice(NoticeChannel.NONE, None, text, "not told: the moderator chose not to")
    if channel == NoticeChannel.EMAIL.value:
        if not email or "@" not in email:
            return Notice(NoticeChannel.NONE, None, text, "not told: no e-mail address given")
        try:
            message_id = (mailer or Mailer.from_env()).send(
                email, f"Dit indlæg på {page} / Your post on {page}", text
            )
        except (OSError, smtplib.SMTPException) as exc:
            return Notice(NoticeChannel.EMAIL, email, text, f"failed: {exc}"[:300])
        return Notice(NoticeChannel.EMAIL, email, text, f"sent {message_id}")
    target = Target(post.external_id, post.author_handle, post.raw or {})
    private = _private(connector, action)
    try:
        sent = connector.private_reply(target, text) if private else connector.reply(target, text)
    except ConnectorError as exc:
        return Notice(NoticeChannel.PLATFORM, post.author_handle, text, f"failed: {exc}"[:300])
    how = "sent privately as" if private else "sent as"
    return Notice(NoticeChannel.PLATFORM, post.author_handle, text, f"{how} {sent}")


def _private(connector: Connector, action: ModerationAction) -> bool:
    """A deleted or blocked author is told in a private message where the platform has them
    (a public reply to a hidden comment reaches its author, who still sees it)."""
    return action != ModerationAction.HIDE and Capability.PRIVATE_REPLY in connector.capabilities


def _channel(
    connector: Connector, channel: str, email: str | None, action: ModerationAction
) -> str:
    """How the author is told: the moderator's choice, or (auto) by e-mail when an address is
    given, else on the platform where it can reach them ("unreachable" when it cannot)."""
    if channel != "auto":
        return channel
    if email:
        return NoticeChannel.EMAIL.value
    if _private(connector, action) or (
        action == ModerationAction.HIDE and Capability.REPLY in connector.capabilities
    ):
        return NoticeChannel.PLATFORM.value
    return "unreachable"


def moderate(
    store: Store,
    actor: Actor,
    post_id: int,
    action: str,
    guideline: str | None,
    *,
    note: str | None = None,
    notify: str = "auto",
    email: str | None = None,
    expires: timedelta | None = None,
    review: timedelta | None = None,
    item_id: int | None = None,
    http: Http | None = None,
    mailer: Mailer | None = None,
) -> ModerationAct:
    """Hide, unhide, delete, block or unblock on the platform, for a guideline's reason, with
    the evidence kept first and the act audited. `notify`: auto (e-mail when an address is
    given, else a reply on the platform to a hidden post), platform, email or none."""
    require(actor, Permission.ACT)
    chosen = _parse_action(action)
    if notify not in ("auto", *(c.value for c in NoticeChannel)):
        raise UserError("notify is auto, platform, email or none", field="notify")
    post = store.get_post(actor.workspace_id, post_id)
    if post is None or not actor.sees_source(post.source_id):
        raise NotFound("post {post_id} does not exist", post_id=post_id)
    if chosen.undoes:
        rule = None
        reason = (note or "").strip() or f"{chosen.value}: taken back"
    else:
        if not guideline:
            raise UserError(
                "say which guideline the post breaks (--reason CODE): nothing is {done} "
                "without a published reason",
                done=chosen.done,
                field="guideline",
            )
        rule = _guideline(store, actor, guideline)
        reason = rule.title
    source = _source(store, actor, post)
    connector = connector_for(store, source, http)
    if CAPABILITY[chosen] not in connector.capabilities:
        raise UserError(
            "{platform} pages cannot {action} from Lytter",
            platform=source.platform,
            action=chosen.value,
            field="action",
        )
    now = store.clock()
    kept: Evidence | None = None
    if not chosen.undoes:
        parent = None
        if post.parent_id and post.parent_id != post.external_id:
            parent = next(
                (
                    p
                    for p in store.thread(actor.workspace_id, post)
                    if p.external_id == post.parent_id
                ),
                None,
            )
        draft = evidence_service.capture(post, source.name, now.isoformat(), parent)
        kept = store.keep_evidence(actor.workspace_id, draft)
    fields: dict[str, Any] = {
        "post_id": post.id,
        "item_id": item_id,
        "action": chosen.value,
        "guideline": "" if rule is None else rule.code,
        "reason": reason,
        "note": (note or "").strip() or None,
        "actor": actor.name,
        "at": now,
        "evidence_id": None if kept is None else kept.id,
        "author_handle": post.author_handle,
    }
    if chosen == ModerationAction.BLOCK:
        fields["expires_at"] = now + (expires or BLOCK_EXPIRY)
        fields["review_at"] = now + (review or BLOCK_REVIEW)
    act = store.start_act(actor.workspace_id, fields)
    target = Target(post.external_id, post.author_handle, post.raw or {})
    notice = None
    if chosen == ModerationAction.DELETE and (
        _channel(connector, notify, email, chosen) == NoticeChannel.PLATFORM.value
    ):  # a private reply needs the comment: sent just before it is deleted
        text = notice_text(store, actor, post, source.name, chosen, reason)
        notice = _tell(connector, post, source.name, text, notify, email, mailer, chosen)
    try:
        _ask_platform(connector, chosen, target)
    except ConnectorError as exc:
        failed = {"status": ActStatus.FAILED.value, "error": str(exc)[:500]}
        if notice is not None:
            failed |= _notice_fields(notice)
        store.finish_act(act.id, failed, None)
        raise PlatformRefused(
            "{platform} did not {action} post {post_id}: {reason} (the evidence is kept; "
            "nothing changed on the platform)",
            platform=source.platform,
            action=chosen.value,
            post_id=post.id,
            reason=str(exc),
        ) from exc
    if notice is None and not chosen.undoes:
        text = notice_text(store, actor, post, source.name, chosen, reason)
        notice = _tell(connector, post, source.name, text, notify, email, mailer, chosen)
    lifted: list[int] = []
    if chosen == ModerationAction.UNBLOCK:
        lifted = [  # every block of the author not lifted yet, expired ones too
            a.id
            for a in store.moderation_acts(
                actor.workspace_id, action=ModerationAction.BLOCK, limit=10_000
            )
            if a.author_handle == post.author_handle
            and a.status == ActStatus.DONE
            and a.lifted_at is None
        ]
        store.lift_blocks(lifted, now)
    done: dict[str, Any] = {"status": ActStatus.DONE.value}
    details: dict[str, Any] = {
        "act": act.id,
        "post_id": post.id,
        "platform": post.platform,
        "external_id": post.external_id,
        "author": post.author_handle,
        "page": source.name,
    }
    if item_id is not None:
        details["item_id"] = item_id
    if rule is not None:
        details["guideline"] = rule.code
    if note and note.strip():
        details["note"] = note.strip()
    if notice is not None:
        done |= _notice_fields(notice)
        details["notice"] = {"channel": notice.channel.value, "status": notice.status}
    if chosen == ModerationAction.BLOCK:
        details["expires_at"] = fields["expires_at"].isoformat()
        details["review_at"] = fields["review_at"].isoformat()
    if lifted:
        details["lifted_blocks"] = lifted
    audit = AuditDraft(
        actor.name,
        f"moderation.{chosen.value}",
        f"post {post.id}",
        reason if rule is None else f"{rule.code}: {rule.title}",
        {} if kept is None else kept.hashes,
        details,
    )
    event = {
        "kind": "moderated",
        "details": {"action": chosen.value, "act": act.id, "reason": reason},
    }
    return store.finish_act(act.id, done, audit, event)


def _notice_fields(notice: Notice) -> dict[str, Any]:
    return {
        "notice_channel": notice.channel.value,
        "notice_to": notice.to,
        "notice_text": notice.text,
        "notice_status": notice.status,
    }


def _ask_platform(connector: Connector, action: ModerationAction, target: Target) -> None:
    if action == ModerationAction.HIDE:
        connector.hide(target, True)
    elif action == ModerationAction.UNHIDE:
        connector.hide(target, False)
    elif action == ModerationAction.DELETE:
        connector.delete(target)
    elif action == ModerationAction.BLOCK:
        connector.block_author(target)
    else:
        connector.unblock_author(target)


def acts(
    store: Store, actor: Actor, *, post_id: int | None = None, limit: int = 100
) -> list[ModerationAct]:
    """The workspace's moderation acts, newest first (on the pages the actor sees)."""
    require(actor, Permission.READ)
    found = store.moderation_acts(actor.workspace_id, post_id=post_id, limit=limit)
    if actor.source_ids is None:
        return found
    visible = []
    for act in found:
        post = store.get_post(actor.workspace_id, act.post_id)
        if post is not None and actor.sees_source(post.source_id):
            visible.append(act)
    return visible


def get_act(store: Store, actor: Actor, act_id: int) -> ModerationAct:
    found = store.moderation_acts(actor.workspace_id, act_id=act_id, limit=1)
    if found:
        post = store.get_post(actor.workspace_id, found[0].post_id)
        if post is not None and actor.sees_source(post.source_id):
            require(actor, Permission.READ)
            return found[0]
    raise NotFound("moderation act {act_id} does not exist", act_id=act_id)


def evidence_of(store: Store, actor: Actor, act_id: int) -> Evidence:
    act = get_act(store, actor, act_id)
    kept = (
        None if act.evidence_id is None else store.get_evidence(actor.workspace_id, act.evidence_id)
    )
    if kept is None:
        raise NotFound(
            "moderation act {act_id} kept no evidence (it took an act back)", act_id=act_id
        )
    return kept


def blocks(store: Store, actor: Actor, now: datetime | None = None) -> list[ModerationAct]:
    """The blocks in force, the soonest to review first."""
    require(actor, Permission.READ)
    at = now or store.clock()
    found = store.moderation_acts(actor.workspace_id, action=ModerationAction.BLOCK, limit=10_000)
    active = [a for a in found if a.active_block(at)]
    return sorted(active, key=lambda a: (a.review_at or a.at, a.id))


def lift_expired_blocks(
    store: Store, workspace_id: int, http: Http | None = None
) -> tuple[list[ModerationAct], list[str]]:
    """Unblock on the platform every author whose blocks have all run out (`lytter run` does
    it every round): each an unblock act by "system", audited, which lifts their blocks. An
    author with a block still in force stays blocked. Returns the unblocks and, for those the
    platform refused (tried again next time), why."""
    now = store.clock()
    actor = Actor.system(workspace_id)
    found = store.moderation_acts(workspace_id, action=ModerationAction.BLOCK, limit=10_000)
    in_force = {a.author_handle for a in found if a.active_block(now)}
    expired: dict[str | None, ModerationAct] = {}
    for act in sorted(found, key=lambda a: a.id):
        if (
            act.status == ActStatus.DONE
            and act.lifted_at is None
            and act.expires_at is not None
            and act.expires_at <= now
            and act.author_handle not in in_force
        ):
            expired.setdefault(act.author_handle, act)
    done: list[ModerationAct] = []
    problems: list[str] = []
    for act in expired.values():
        assert act.expires_at is not None
        try:
            done.append(
                moderate(
                    store,
                    actor,
                    act.post_id,
                    ModerationAction.UNBLOCK.value,
                    None,
                    note=f"block {act.id} expired {act.expires_at:%Y-%m-%d %H:%M} UTC",
                    http=http,
                )
            )
        except UserError as exc:  # the platform refused, or the page is gone: next round
            problems.append(f"block {act.id} of {act.author_handle}: {exc}")
    return done, problems


def as_dict(act: ModerationAct) -> dict[str, Any]:
    """The act as plain values (the CLI's JSON and the API's body)."""
    return {
        "id": act.id,
        "post_id": act.post_id,
        "item_id": act.item_id,
        "action": act.action.value,
        "guideline": act.guideline,
        "reason": act.reason,
        "note": act.note,
        "actor": act.actor,
        "at": act.at.isoformat(),
        "status": act.status.value,
        "error": act.error,
        "evidence_id": act.evidence_id,
        "notice_channel": None if act.notice_channel is None else act.notice_channel.value,
        "notice_status": act.notice_status,
        "expires_at": act.expires_at.isoformat() if act.expires_at else None,
        "review_at": act.review_at.isoformat() if act.review_at else None,
        "lifted_at": act.lifted_at.isoformat() if act.lifted_at else None,
        "audit_seq": act.audit_seq,
    }
