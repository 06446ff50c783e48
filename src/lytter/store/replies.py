"""The replies aggregate of the SQL store: saved replies and notices, and who has an item open."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from lytter.domain.replies import ReplyKind, SavedReply
from lytter.store.base import Clock
from lytter.store.tables import item_viewers, saved_replies


def _saved(r: Any) -> SavedReply:
    return SavedReply(
        r.id, r.workspace_id, r.name, ReplyKind(r.kind), r.language, r.body, r.updated_at
    )


class SqlReplies:
    """Saved replies and item viewers; mixed into SqlStore, which supplies the engine."""

    engine: sa.Engine
    clock: Clock

    if TYPE_CHECKING:  # supplied by SqlStore and its engine subclasses

        def _write(self) -> AbstractContextManager[sa.Connection]: ...
        def _insert(self, table: sa.Table) -> Any: ...

    def save_reply(
        self, workspace_id: int, name: str, kind: ReplyKind, language: str, body: str
    ) -> SavedReply:
        """Add the saved reply `name` in `language`, or change its text."""
        values = {"kind": kind.value, "body": body, "updated_at": self.clock()}
        with self._write() as conn:
            conn.execute(
                self._insert(saved_replies)
                .values(workspace_id=workspace_id, name=name, language=language, **values)
                .on_conflict_do_update(
                    index_elements=["workspace_id", "name", "language"], set_=values
                )
            )
            row = conn.execute(
                sa.select(saved_replies).where(
                    (saved_replies.c.workspace_id == workspace_id)
                    & (saved_replies.c.name == name)
                    & (saved_replies.c.language == language)
                )
            ).one()
        return _saved(row)

    def list_replies(self, workspace_id: int) -> list[SavedReply]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(saved_replies)
                .where(saved_replies.c.workspace_id == workspace_id)
                .order_by(saved_replies.c.kind, saved_replies.c.name, saved_replies.c.language)
            )
            return [_saved(r) for r in rows]

    def delete_reply(self, reply_id: int) -> None:
        with self._write() as conn:
            conn.execute(saved_replies.delete().where(saved_replies.c.id == reply_id))

    # -- who has an item open ----------------------------------------------------------------

    def see_item(self, item_id: int, user_id: int, composing: bool) -> None:
        """The user has the item open now (and is writing a reply to it, or not)."""
        values = {"seen_at": self.clock(), "composing": composing}
        with self._write() as conn:
            conn.execute(
                self._insert(item_viewers)
                .values(item_id=item_id, user_id=user_id, **values)
                .on_conflict_do_update(index_elements=["item_id", "user_id"], set_=values)
            )

    def leave_item(self, item_id: int, user_id: int) -> None:
        with self._write() as conn:
            conn.execute(
                item_viewers.delete().where(
                    (item_viewers.c.item_id == item_id) & (item_viewers.c.user_id == user_id)
                )
            )

    def item_viewers(self, item_id: int, since: datetime) -> list[tuple[int, datetime, bool]]:
        """(user id, seen at, composing) of those who had the item open since `since`."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(item_viewers.c.user_id, item_viewers.c.seen_at, item_viewers.c.composing)
                .where((item_viewers.c.item_id == item_id) & (item_viewers.c.seen_at >= since))
                .order_by(item_viewers.c.seen_at.desc())
            )
            return [(r.user_id, r.seen_at, r.composing) for r in rows]
