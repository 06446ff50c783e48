"""Webhooks: Meta (Facebook pages' `feed`, Instagram's `comments`) tells Lytter the moment
something is said, instead of waiting for the next poll.

https://developers.facebook.com/docs/graph-api/webhooks/getting-started: a subscription is
confirmed by answering a GET with `hub.challenge` when `hub.verify_token` is ours; each
notification is a POST signed with `X-Hub-Signature-256: sha256=HMAC(app secret, body)`.

A notification is answered 200 only once its posts are stored: Meta sends it again when the
answer is anything else, so a crash loses nothing, and storing is idempotent, so nothing is
doubled. Its entries name a page or an account, not a workspace: every workspace collecting
from that page gets the posts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from collections import defaultdict
from dataclasses import dataclass, field

from lytter.connectors.facebook import FacebookConnector
from lytter.connectors.instagram import InstagramConnector
from lytter.domain.posts import PostDraft, SourceRef
from lytter.services import analysing
from lytter.services import queries as query_service
from lytter.services.errors import UserError
from lytter.store.base import Store

log = logging.getLogger("lytter.webhooks")

VERIFY_TOKEN_ENV = "LYTTER_META_VERIFY_TOKEN"
APP_SECRET_ENV = "LYTTER_META_APP_SECRET"
_OBJECTS = {"page": ("facebook", "feed"), "instagram": ("instagram", "comments")}


class WebhookRefused(UserError):
    """A request that is not Meta's (a wrong token or signature), or one we cannot read."""

    code = "webhook_refused"
    status = 403


@dataclass(frozen=True)
class WebhookSettings:
    """The verify token typed into the app dashboard, and the app secret that signs."""

    verify_token: str | None
    app_secret: str | None

    @classmethod
    def from_env(cls) -> WebhookSettings:
        return cls(os.environ.get(VERIFY_TOKEN_ENV), os.environ.get(APP_SECRET_ENV))


@dataclass
class Delivery:
    """What one notification brought."""

    changes: int = 0
    posts: int = 0
    ignored: int = 0  # reactions, removals, other fields
    unknown_accounts: set[str] = field(default_factory=set)


def confirm_subscription(params: dict[str, str], settings: WebhookSettings) -> str:
    """The challenge to echo when the verification request carries our token."""
    if not settings.verify_token:
        raise WebhookRefused(
            "webhooks are off: set {env} to the verify token of the app", env=VERIFY_TOKEN_ENV
        )
    if params.get("hub.mode") != "subscribe":
        raise WebhookRefused("not a subscription request (hub.mode must be subscribe)")
    if not hmac.compare_digest(params.get("hub.verify_token", ""), settings.verify_token):
        raise WebhookRefused("the verify token does not match")
    return params.get("hub.challenge", "")


def signed(body: bytes, header: str | None, secret: str) -> bool:
    """Whether `X-Hub-Signature-256` is the HMAC-SHA256 of the body with the app secret."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.removeprefix("sha256="), expected)


def receive(
    store: Store, body: bytes, signature: str | None, settings: WebhookSettings
) -> Delivery:
    """Store the posts a signed notification carries; WebhookRefused when it is not Meta's."""
    if not settings.app_secret:
        raise WebhookRefused("webhooks are off: set {env} to the app secret", env=APP_SECRET_ENV)
    if not signed(body, signature, settings.app_secret):
        raise WebhookRefused("the X-Hub-Signature-256 signature does not match the body")
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise WebhookRefused("the notification is not JSON") from exc
    if not isinstance(payload, dict) or payload.get("object") not in _OBJECTS:
        raise WebhookRefused("the notification is not for a page or an Instagram account")
    platform, wanted = _OBJECTS[payload["object"]]
    kind = FacebookConnector if platform == "facebook" else InstagramConnector
    delivery = Delivery()
    per_workspace: dict[int, list[PostDraft]] = defaultdict(list)
    entries = payload.get("entry")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        account = str(entry.get("id") or "")
        changes = entry.get("changes")
        changes = changes if isinstance(changes, list) else []
        delivery.changes += len(changes)
        sources = store.sources_with_platform_id(platform, account)
        if not sources:
            delivery.unknown_accounts.add(account)
            delivery.ignored += len(changes)
            continue
        for change in changes:
            value = change.get("value") if isinstance(change, dict) else None
            if change.get("field") != wanted or not isinstance(value, dict):
                delivery.ignored += 1
                continue
            for source in sources:
                ref = SourceRef(source.external_id, source.name, source.url)
                draft = kind.change_draft(value, ref)
                if draft is None:
                    delivery.ignored += 1
                    break
                per_workspace[source.workspace_id].append(draft)
                delivery.posts += 1
    for workspace_id, drafts in per_workspace.items():
        store.save_posts(workspace_id, drafts)
        query_service.match_new_posts(store, workspace_id)
        analysing.analyse_new_posts(store, workspace_id)
    if delivery.unknown_accounts:
        log.warning(
            "webhook for accounts Lytter does not collect from: %s",
            ", ".join(sorted(delivery.unknown_accounts)),
        )
    log.info(
        "webhook: %d changes, %d posts stored, %d ignored",
        delivery.changes,
        delivery.posts,
        delivery.ignored,
    )
    return delivery
