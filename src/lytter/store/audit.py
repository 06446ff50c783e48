"""The audit aggregate of the SQL store: the hash-chained, append-only log and its head."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from lytter.domain.audit import GENESIS, AuditDraft, AuditEntry, entry_hash
from lytter.store.base import Clock
from lytter.store.tables import audit_heads, audit_log


def _entry(r: Any) -> AuditEntry:
    return AuditEntry(
        r.workspace_id,
        r.seq,
        r.at,
        r.actor,
        r.action,
        r.subject,
        r.reason,
        dict(r.evidence),
        dict(r.details),
        r.prev_hash,
        r.hash,
    )


class SqlAudit:
    """The audit log; mixed into SqlStore, which supplies the engine."""

    engine: sa.Engine
    clock: Clock

    if TYPE_CHECKING:  # supplied by SqlStore and its engine subclasses

        def _write(self) -> AbstractContextManager[sa.Connection]: ...
        def _insert(self, table: sa.Table) -> Any: ...

    def append_audit(self, workspace_id: int, draft: AuditDraft) -> AuditEntry:
        """Write `draft` as the workspace's next audit entry, chained to the newest one."""
        with self._write() as conn:
            return self.append_audit_in(conn, workspace_id, draft)

    def append_audit_in(
        self, conn: sa.Connection, workspace_id: int, draft: AuditDraft
    ) -> AuditEntry:
        """`append_audit` inside a transaction the caller holds (the act and its entry commit
        together, or neither does)."""
        conn.execute(
            self._insert(audit_heads)
            .values(workspace_id=workspace_id, seq=0, hash=GENESIS)
            .on_conflict_do_nothing(index_elements=["workspace_id"])
        )
        # The head row is the chain's lock: concurrent writers take their turn here.
        head = conn.execute(
            sa.select(audit_heads.c.seq, audit_heads.c.hash)
            .where(audit_heads.c.workspace_id == workspace_id)
            .with_for_update()
        ).one()
        seq, at = head.seq + 1, self.clock()
        entry = AuditEntry(
            workspace_id,
            seq,
            at,
            draft.actor,
            draft.action,
            draft.subject,
            draft.reason,
            dict(draft.evidence),
            dict(draft.details),
            head.hash,
            entry_hash(workspace_id, seq, at, draft, head.hash),
        )
        conn.execute(
            audit_log.insert().values(
                workspace_id=workspace_id,
                seq=seq,
                at=at,
                actor=entry.actor,
                action=entry.action,
                subject=entry.subject,
                reason=entry.reason,
                evidence=entry.evidence,
                details=entry.details,
                prev_hash=entry.prev_hash,
                hash=entry.hash,
            )
        )
        conn.execute(
            audit_heads.update()
            .where(audit_heads.c.workspace_id == workspace_id)
            .values(seq=seq, hash=entry.hash)
        )
        return entry

    def audit_entries(
        self, workspace_id: int, after: int = 0, limit: int | None = None
    ) -> list[AuditEntry]:
        """The workspace's audit entries after number `after`, oldest first."""
        query = (
            sa.select(audit_log)
            .where(audit_log.c.workspace_id == workspace_id, audit_log.c.seq > after)
            .order_by(audit_log.c.seq)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [_entry(r) for r in conn.execute(query)]

    def audit_head(self, workspace_id: int) -> tuple[int, str] | None:
        """(seq, hash) of the workspace's newest audit entry as the store recorded it."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(audit_heads.c.seq, audit_heads.c.hash).where(
                    audit_heads.c.workspace_id == workspace_id
                )
            ).first()
        return None if row is None else (row.seq, row.hash)
