"""Alerts: something a community team should know now (an emerging term, a volume spike, a
sentiment drop, SLA breaches, a dormant page, a goal at risk), told in the app, by e-mail and
by webhook.

A check produces `Signal`s, each with a `key` naming its incident ("dormant-page:12"); an
alert opens when a key is first seen and closes when a check no longer sees it, so one incident
is one alert however often it is checked. A webhook's body is Slack- and Teams-compatible JSON
(`text` is what both show), signed with HMAC-SHA256 (`sign`).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class AlertKind(StrEnum):
    EMERGING_TERM = "emerging-term"
    VOLUME_SPIKE = "volume-spike"
    SENTIMENT_DROP = "sentiment-drop"
    SLA_BREACH = "sla-breach"
    DORMANT_PAGE = "dormant-page"
    GOAL_AT_RISK = "goal-at-risk"


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


@dataclass(frozen=True, slots=True)
class Signal:
    """What one check saw: an incident, named by its key."""

    kind: AlertKind
    key: str
    title: str  # one line, English (details carry the numbers for other languages)
    details: dict[str, Any]
    source_id: int | None = None  # a page's incident: only those who see the page see it


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    workspace_id: int
    kind: AlertKind
    key: str
    source_id: int | None
    title: str
    details: dict[str, Any]
    opened_at: datetime
    seen_at: datetime
    closed_at: datetime | None

    @property
    def open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    workspace_id: int
    user_id: int
    channel: Channel
    address: str  # an e-mail address or a webhook URL
    kinds: frozenset[AlertKind] | None  # None: every kind
    secret: str | None  # the webhook's signing secret (encrypted at rest)
    created_at: datetime

    def wants(self, kind: AlertKind) -> bool:
        return self.kinds is None or kind in self.kinds


SIGNATURE_HEADER = "X-Lytter-Signature"
TIMESTAMP_HEADER = "X-Lytter-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature a webhook receiver checks: `sha256=` and the hex HMAC-SHA256, keyed by
    the subscription's secret, of the timestamp, a dot and the body (as Slack signs)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def payload(alert: Alert, workspace: str, link: str | None = None) -> dict[str, Any]:
    """The webhook body: `text` for Slack and Teams, and the alert itself for programs."""
    text = f"[{workspace}] {alert.title}"
    if link:
        text += f" <{link}>"
    return {
        "text": text,
        "alert": {
            "id": alert.id,
            "kind": alert.kind.value,
            "key": alert.key,
            "title": alert.title,
            "details": alert.details,
            "opened_at": alert.opened_at.isoformat(),
            "workspace": workspace,
        },
    }
