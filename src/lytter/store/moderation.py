"""The moderation aggregate of the SQL store: guidelines, kept evidence and the acts.

An act is written twice: `start_act` before the platform is asked (so a crash in between
leaves a trace, and the evidence a reference), and `finish_act` after, which writes its audit
entry (and the item's history) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from lytter.domain.audit import AuditDraft, AuditEntry
from lytter.domain.moderation import (
    ActStatus,
    Evidence,
    EvidenceDraft,
    Guideline,
    ModerationAct,
    ModerationAction,
    NoticeChannel,
    sha256,
)
from lytter.store.base import Clock
from lytter.store.tables import evidence, inbox_events, moderation_acts, moderation_guidelines


def _guideline(r: Any) -> Guideline:
    return Guideline(
        r.id, r.workspace_id, r.code, r.title, r.body, r.position, r.active, r.updated_at
    )


def _evidence(r: Any) -> Evidence:
    return Evidence(
        r.id,
        r.workspace_id,
        r.post_id,
        r.captured_at,
        r.payload,
        r.payload_sha256,
        r.html,
        r.html_sha256,
        None if r.png is None else bytes(r.png),
        r.png_sha256,
        r.png_missing,
    )


def _act(r: Any) -> ModerationAct:
    return ModerationAct(
        r.id,
        r.workspace_id,
        r.post_id,
        r.item_id,
        ModerationAction(r.action),
        r.guideline,
        r.reason,
        r.note,
        r.actor,
        r.at,
        r.evidence_id,
        ActStatus(r.status),
        r.error,
        None if r.notice_channel is None else NoticeChannel(r.notice_channel),
        r.notice_to,
        r.notice_text,
        r.notice_status,
        r.author_handle,
        r.expires_at,
        r.review_at,
        r.lifted_at,
        r.audit_seq,
    )


class SqlModeration:
    """Guidelines, evidence and moderation acts; mixed into SqlStore, which supplies the engine."""

    engine: sa.Engine
    clock: Clock

    if TYPE_CHECKING:  # supplied by SqlStore and its engine subclasses

        def _write(self) -> AbstractContextManager[sa.Connection]: ...
        def append_audit_in(
            self, conn: sa.Connection, workspace_id: int, draft: AuditDraft
        ) -> AuditEntry: ...

    # -- guidelines --------------------------------------------------------------------------

    def list_guidelines(self, workspace_id: int) -> list[Guideline]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(moderation_guidelines)
                .where(moderation_guidelines.c.workspace_id == workspace_id)
                .order_by(moderation_guidelines.c.position, moderation_guidelines.c.id)
            )
            return [_guideline(r) for r in rows]

    def save_guideline(
        self, workspace_id: int, code: str, title: str, body: str, active: bool = True
    ) -> Guideline:
        """Add the guideline `code` (last) or change its title, text and whether it is used."""
        now = self.clock()
        with self._write() as conn:
            where = (moderation_guidelines.c.workspace_id == workspace_id) & (
                moderation_guidelines.c.code == code
            )
            values = {"title": title, "body": body, "active": active, "updated_at": now}
            if not conn.execute(
                moderation_guidelines.update().where(where).values(**values)
            ).rowcount:
                last = conn.execute(
                    sa.select(
                        sa.func.coalesce(sa.func.max(moderation_guidelines.c.position), 0)
                    ).where(moderation_guidelines.c.workspace_id == workspace_id)
                ).scalar_one()
                conn.execute(
                    moderation_guidelines.insert().values(
                        workspace_id=workspace_id, code=code, position=last + 1, **values
                    )
                )
            return _guideline(conn.execute(sa.select(moderation_guidelines).where(where)).one())

    # -- evidence ----------------------------------------------------------------------------

    def keep_evidence(self, workspace_id: int, draft: EvidenceDraft) -> Evidence:
        """Keep what a post is now, with the SHA-256 of each part (never changed after)."""
        values = {
            "workspace_id": workspace_id,
            "post_id": draft.post_id,
            "captured_at": self.clock(),
            "payload": draft.payload,
            "payload_sha256": sha256(draft.payload),
            "html": draft.html,
            "html_sha256": sha256(draft.html),
            "png": draft.png,
            "png_sha256": None if draft.png is None else sha256(draft.png),
            "png_missing": draft.png_missing,
        }
        with self._write() as conn:
            evidence_id = conn.execute(
                evidence.insert().values(**values).returning(evidence.c.id)
            ).scalar_one()
            return _evidence(
                conn.execute(sa.select(evidence).where(evidence.c.id == evidence_id)).one()
            )

    def get_evidence(self, workspace_id: int, evidence_id: int) -> Evidence | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(evidence).where(
                    (evidence.c.id == evidence_id) & (evidence.c.workspace_id == workspace_id)
                )
            ).one_or_none()
        return None if row is None else _evidence(row)

    # -- acts --------------------------------------------------------------------------------

    def start_act(self, workspace_id: int, fields: dict[str, Any]) -> ModerationAct:
        """Record an act about to be done (status started)."""
        with self._write() as conn:
            act_id = conn.execute(
                moderation_acts.insert()
                .values(workspace_id=workspace_id, status=ActStatus.STARTED.value, **fields)
                .returning(moderation_acts.c.id)
            ).scalar_one()
            row = conn.execute(sa.select(moderation_acts).where(moderation_acts.c.id == act_id))
            return _act(row.one())

    def finish_act(
        self,
        act_id: int,
        fields: dict[str, Any],
        audit: AuditDraft | None,
        item_event: dict[str, Any] | None = None,
    ) -> ModerationAct:
        """Mark the act done or failed; with `audit`, its audit entry is written in the same
        transaction (and `item_event`, the line in the item's history)."""
        with self._write() as conn:
            row = conn.execute(
                sa.select(moderation_acts).where(moderation_acts.c.id == act_id)
            ).one()
            if audit is not None:
                entry = self.append_audit_in(conn, row.workspace_id, audit)
                fields = {**fields, "audit_seq": entry.seq}
            conn.execute(
                moderation_acts.update().where(moderation_acts.c.id == act_id).values(**fields)
            )
            if item_event is not None and row.item_id is not None:
                conn.execute(
                    inbox_events.insert().values(
                        item_id=row.item_id, at=self.clock(), actor=row.actor, **item_event
                    )
                )
            changed = conn.execute(
                sa.select(moderation_acts).where(moderation_acts.c.id == act_id)
            ).one()
            return _act(changed)

    def lift_blocks(self, act_ids: Sequence[int], at: datetime) -> None:
        with self._write() as conn:
            conn.execute(
                moderation_acts.update()
                .where(moderation_acts.c.id.in_(list(act_ids)))
                .values(lifted_at=at)
            )

    def moderation_acts(
        self,
        workspace_id: int,
        *,
        post_id: int | None = None,
        act_id: int | None = None,
        action: ModerationAction | None = None,
        limit: int = 100,
    ) -> list[ModerationAct]:
        """The workspace's acts, newest first."""
        query = sa.select(moderation_acts).where(moderation_acts.c.workspace_id == workspace_id)
        if post_id is not None:
            query = query.where(moderation_acts.c.post_id == post_id)
        if act_id is not None:
            query = query.where(moderation_acts.c.id == act_id)
        if action is not None:
            query = query.where(moderation_acts.c.action == action.value)
        query = query.order_by(moderation_acts.c.at.desc(), moderation_acts.c.id.desc())
        with self.engine.connect() as conn:
            return [_act(r) for r in conn.execute(query.limit(limit))]
