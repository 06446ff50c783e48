"""Goals kept per workspace (lytter.domain.goals); mixed into SqlStore."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from lytter.domain.goals import Cadence, Comparison, Goal
from lytter.store.base import Clock
from lytter.store.tables import goals


def _goal(r: Any) -> Goal:
    return Goal(
        r.id,
        r.workspace_id,
        r.name,
        r.metric,
        Comparison(r.comparison),
        float(r.target),
        Cadence(r.cadence),
        r.source_id,
        r.desk_id,
        r.created_at,
        r.created_by,
    )


class SqlGoals:
    engine: sa.Engine
    clock: Clock

    if TYPE_CHECKING:

        def _write(self) -> AbstractContextManager[sa.Connection]: ...

    def add_goal(
        self,
        workspace_id: int,
        name: str,
        metric: str,
        comparison: Comparison,
        target: float,
        cadence: Cadence,
        source_id: int | None,
        desk_id: int | None,
        created_by: str,
    ) -> Goal:
        with self._write() as conn:
            row = conn.execute(
                goals.insert()
                .values(
                    workspace_id=workspace_id,
                    name=name,
                    metric=metric,
                    comparison=comparison.value,
                    target=target,
                    cadence=cadence.value,
                    source_id=source_id,
                    desk_id=desk_id,
                    created_at=self.clock(),
                    created_by=created_by,
                )
                .returning(*goals.c)
            ).one()
        return _goal(row)

    def list_goals(self, workspace_id: int) -> list[Goal]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                goals.select().where(goals.c.workspace_id == workspace_id).order_by(goals.c.name)
            )
            return [_goal(r) for r in rows]

    def delete_goal(self, goal_id: int) -> None:
        with self._write() as conn:
            conn.execute(goals.delete().where(goals.c.id == goal_id))
