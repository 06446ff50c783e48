"""Moderation with a documented trail: what may be done to a post, why, and what is kept.

Nothing is hidden, deleted or blocked without a reason from the workspace's published
guidelines. Before the platform is asked, the evidence is kept: the platform's raw payload and
a rendered snapshot of the post (HTML, and a PNG from the headless browser), each with its
SHA-256. The act is written to the audit log with those hashes, the author is told why, and a
block has an expiry and a date to look at it again.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class ModerationAction(StrEnum):
    HIDE = "hide"
    UNHIDE = "unhide"
    DELETE = "delete"
    BLOCK = "block"
    UNBLOCK = "unblock"

    @property
    def undoes(self) -> bool:
        """Whether the act takes an earlier one back (it needs no notice to the author)."""
        return self in (ModerationAction.UNHIDE, ModerationAction.UNBLOCK)

    @property
    def done(self) -> str:
        """The past participle a notice uses: "hidden", "deleted", "blocked"."""
        return {
            ModerationAction.HIDE: "hidden",
            ModerationAction.UNHIDE: "shown again",
            ModerationAction.DELETE: "deleted",
            ModerationAction.BLOCK: "blocked",
            ModerationAction.UNBLOCK: "unblocked",
        }[self]


class ActStatus(StrEnum):
    STARTED = "started"  # evidence kept, the platform asked (or about to be)
    DONE = "done"  # the platform did it; audited
    FAILED = "failed"  # the platform refused; nothing changed there


class NoticeChannel(StrEnum):
    PLATFORM = "platform"  # a reply to the post on the platform
    EMAIL = "email"  # a mail to an address the author gave
    NONE = "none"  # nobody told (the act records why)


BLOCK_EXPIRY = timedelta(days=30)
"""A block's default length; `BLOCK_REVIEW` is when someone looks at it again."""
BLOCK_REVIEW = timedelta(days=7)

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def valid_code(code: str) -> bool:
    """Guideline codes are short slugs people type: `spam`, `personal-data`."""
    return bool(_CODE.match(code))


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


@dataclass(frozen=True, slots=True)
class Guideline:
    """One rule of the workspace's published moderation guidelines."""

    id: int
    workspace_id: int
    code: str
    title: str
    body: str
    position: int
    active: bool
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a post was when it was moderated. `png` is None where no browser could render it
    (`png_missing` says why); the HTML is always kept."""

    id: int
    workspace_id: int
    post_id: int
    captured_at: datetime
    payload: str
    payload_sha256: str
    html: str
    html_sha256: str
    png: bytes | None
    png_sha256: str | None
    png_missing: str | None = None

    @property
    def hashes(self) -> dict[str, str]:
        found = {"payload_sha256": self.payload_sha256, "html_sha256": self.html_sha256}
        if self.png_sha256:
            found["png_sha256"] = self.png_sha256
        return found

    def intact(self) -> bool:
        """Whether the kept files still have the hashes taken when they were kept."""
        return (
            sha256(self.payload) == self.payload_sha256
            and sha256(self.html) == self.html_sha256
            and (self.png is None or sha256(self.png) == self.png_sha256)
        )


@dataclass(frozen=True, slots=True)
class EvidenceDraft:
    post_id: int
    payload: str
    html: str
    png: bytes | None
    png_missing: str | None = None


@dataclass(frozen=True, slots=True)
class ModerationAct:
    id: int
    workspace_id: int
    post_id: int
    item_id: int | None
    action: ModerationAction
    guideline: str  # the guideline's code
    reason: str  # its title when the act was done
    note: str | None
    actor: str
    at: datetime
    evidence_id: int | None
    status: ActStatus
    error: str | None = None
    notice_channel: NoticeChannel | None = None
    notice_to: str | None = None
    notice_text: str | None = None
    notice_status: str | None = None
    author_handle: str | None = None
    expires_at: datetime | None = None
    review_at: datetime | None = None
    lifted_at: datetime | None = None
    audit_seq: int | None = None

    def active_block(self, now: datetime) -> bool:
        return (
            self.action == ModerationAction.BLOCK
            and self.status == ActStatus.DONE
            and self.lifted_at is None
            and (self.expires_at is None or self.expires_at > now)
        )
