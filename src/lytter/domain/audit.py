"""The audit log: every moderation act (and every act that must be answerable for) as an
append-only, hash-chained entry: who, what, when, why, and the hashes of the evidence kept.

Each entry's hash covers its own fields and the hash of the entry before it, so editing an
entry breaks its own hash, removing one breaks the next entry's link, and removing the newest
ones is caught against the head (the newest entry's number and hash) the store keeps beside the
log — and against a head written down elsewhere (`lytter audit verify --expect HASH`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64  # what the first entry follows


@dataclass(frozen=True, slots=True)
class AuditDraft:
    """An act about to be written: `subject` names what it was done to (`post:123`,
    `author:45`), `evidence` maps each kept piece (payload, html, png) to its SHA-256."""

    actor: str
    action: str
    subject: str
    reason: str
    evidence: Mapping[str, str] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """A written act: number `seq` (1, 2, ...) in its workspace's chain."""

    workspace_id: int
    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    reason: str
    evidence: Mapping[str, str]
    details: Mapping[str, Any]
    prev_hash: str
    hash: str


def entry_hash(workspace_id: int, seq: int, at: datetime, draft: AuditDraft, prev: str) -> str:
    """The SHA-256 of an entry: its fields as canonical JSON, after the previous entry's hash."""
    fields = {
        "workspace_id": workspace_id,
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": draft.actor,
        "action": draft.action,
        "subject": draft.subject,
        "reason": draft.reason,
        "evidence": dict(draft.evidence),
        "details": dict(draft.details),
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev}\n{canonical}".encode()).hexdigest()


def draft_of(entry: AuditEntry) -> AuditDraft:
    return AuditDraft(
        entry.actor, entry.action, entry.subject, entry.reason, entry.evidence, entry.details
    )


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """What checking a chain found: `problem` is None when it is intact."""

    entries: int
    head: str  # the newest entry's hash (GENESIS when there is none)
    problem: str | None = None
    seq: int | None = None  # the entry where the problem is

    @property
    def intact(self) -> bool:
        return self.problem is None


def check_chain(
    entries: Sequence[AuditEntry],
    head: tuple[int, str] | None,
    expect: str | None = None,
) -> ChainCheck:
    """Check `entries` (oldest first) against each other, the stored `head` (seq, hash) and,
    when given, a head hash kept elsewhere (`expect`)."""
    prev, seq = GENESIS, 0
    for entry in entries:
        seq += 1
        if entry.seq != seq:
            return ChainCheck(seq - 1, prev, f"entry {seq} is missing", seq)
        if entry.prev_hash != prev:
            return ChainCheck(seq - 1, prev, f"entry {seq} does not follow entry {seq - 1}", seq)
        if entry_hash(entry.workspace_id, seq, entry.at, draft_of(entry), prev) != entry.hash:
            problem = f"entry {seq} was changed after it was written (its hash does not match)"
            return ChainCheck(seq - 1, prev, problem, seq)
        prev = entry.hash
    stored_seq, stored_hash = head or (0, GENESIS)
    if stored_seq > seq:
        removed = f"entry {stored_seq}" if stored_seq == seq + 1 else f"entries {seq + 1}"
        removed += " was removed" if stored_seq == seq + 1 else f" to {stored_seq} were removed"
        return ChainCheck(seq, prev, f"{removed} (the log ends at entry {seq})", seq + 1)
    if (stored_seq, stored_hash) != (seq, prev):
        return ChainCheck(seq, prev, "the log's head does not match its newest entry", seq)
    if expect is not None and expect.lower() not in {prev, *(e.hash for e in entries)}:
        problem = f"the head {expect} written down elsewhere is not in this log"
        return ChainCheck(seq, prev, problem, None)
    return ChainCheck(seq, prev)
