"""The audit log's service: writing an act with its evidence, checking the chain, exporting it.

Moderation acts (the inbox's hide, delete, block) call `record` inside their own transaction
through the store; `verify` and `export` are what an auditor runs (`lytter audit`, the API).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import Any

from lytter.domain.access import Actor, Permission
from lytter.domain.audit import AuditDraft, AuditEntry, ChainCheck, check_chain
from lytter.services.access import require
from lytter.services.errors import UserError
from lytter.store.base import Store

FORMATS = ("json", "jsonl", "csv")
COLUMNS = (
    "seq",
    "at",
    "actor",
    "action",
    "subject",
    "reason",
    "evidence",
    "details",
    "prev_hash",
    "hash",
)
_PAGE = 10_000  # entries read at a time


def record(
    store: Store,
    actor: Actor,
    action: str,
    subject: str,
    reason: str,
    evidence: Mapping[str, str] | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Write one act to the workspace's audit log, chained to the entry before it."""
    if not reason.strip():
        raise UserError("an audited act needs a reason", field="reason")
    draft = AuditDraft(actor.name, action, subject, reason.strip(), evidence or {}, details or {})
    return store.append_audit(actor.workspace_id, draft)


def page(store: Store, actor: Actor, after: int = 0, limit: int = 100) -> list[AuditEntry]:
    """Up to `limit` entries after number `after`, oldest first."""
    require(actor, Permission.AUDIT)
    return store.audit_entries(actor.workspace_id, after=after, limit=limit)


def entries(store: Store, actor: Actor) -> Iterator[AuditEntry]:
    """Every entry of the workspace's log, oldest first, read a page at a time."""
    require(actor, Permission.AUDIT)
    after = 0
    while page := store.audit_entries(actor.workspace_id, after=after, limit=_PAGE):
        yield from page
        after = page[-1].seq


def verify(store: Store, actor: Actor, expect: str | None = None) -> ChainCheck:
    """Check the workspace's chain: every entry unchanged, none removed, the head where the
    store recorded it and, with `expect`, a head hash written down earlier still in the log."""
    require(actor, Permission.AUDIT)
    head = store.audit_head(actor.workspace_id)
    return check_chain(list(entries(store, actor)), head, expect)


def as_dict(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "subject": entry.subject,
        "reason": entry.reason,
        "evidence": dict(entry.evidence),
        "details": dict(entry.details),
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def export(store: Store, actor: Actor, fmt: str) -> Iterator[str]:
    """The log as text in `fmt` (json: one array; jsonl: one object a line; csv), in pieces;
    a bad format or a role without the right fails here, before any piece."""
    require(actor, Permission.AUDIT)
    if fmt not in FORMATS:
        raise UserError(
            "unknown export format '{fmt}': use json, jsonl or csv", fmt=fmt, field="format"
        )
    return _pieces(store, actor, fmt)


def _pieces(store: Store, actor: Actor, fmt: str) -> Iterator[str]:
    rows = map(as_dict, entries(store, actor))
    if fmt == "jsonl":
        for row in rows:
            yield json.dumps(row, ensure_ascii=False) + "\n"
    elif fmt == "json":
        yield "["
        for n, row in enumerate(rows):
            yield ("," if n else "") + "\n  " + json.dumps(row, ensure_ascii=False)
        yield "\n]\n"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    **row,
                    "evidence": json.dumps(row["evidence"]),
                    "details": json.dumps(row["details"]),
                }
            )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()
