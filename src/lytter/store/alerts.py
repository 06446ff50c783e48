"""Alerts, subscriptions, deliveries and read marks (lytter.domain.alerts); mixed into
SqlStore."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from lytter.domain.alerts import Alert, AlertKind, Channel, Signal, Subscription
from lytter.store.base import Clock
from lytter.store.tables import alert_deliveries, alert_reads, alert_subscriptions, alerts


def _alert(r: Any) -> Alert:
    return Alert(
        r.id,
        r.workspace_id,
        AlertKind(r.kind),
        r.key,
        r.source_id,
        r.title,
        dict(r.details or {}),
        r.opened_at,
        r.seen_at,
        r.closed_at,
    )


def _subscription(r: Any) -> Subscription:
    return Subscription(
        r.id,
        r.workspace_id,
        r.user_id,
        Channel(r.channel),
        r.address,
        None if r.kinds is None else frozenset(AlertKind(k) for k in r.kinds),
        r.secret,
        r.created_at,
    )


class SqlAlerts:
    engine: sa.Engine
    clock: Clock
    backend: str

    if TYPE_CHECKING:

        def _write(self) -> AbstractContextManager[sa.Connection]: ...

    def sync_alerts(
        self, workspace_id: int, kinds: Sequence[AlertKind], signals: Sequence[Signal]
    ) -> tuple[list[Alert], list[Alert]]:
        """Open an alert for each signal whose key has none open, touch those still seen and
        close the open alerts of `kinds` no signal names any more; (opened, closed)."""
        now = self.clock()
        wanted = {s.key: s for s in signals}
        with self._write() as conn:
            if self.backend == "postgresql":  # two checks at once: one waits for the other
                conn.exec_driver_sql("LOCK TABLE alerts IN SHARE ROW EXCLUSIVE MODE")
            current = {
                r.key: r
                for r in conn.execute(
                    alerts.select().where(
                        alerts.c.workspace_id == workspace_id,
                        alerts.c.closed_at.is_(None),
                        alerts.c.kind.in_([k.value for k in kinds]),
                    )
                )
            }
            gone = [r.id for key, r in current.items() if key not in wanted]
            seen = [r.id for key, r in current.items() if key in wanted]
            if gone:
                conn.execute(alerts.update().where(alerts.c.id.in_(gone)).values(closed_at=now))
            if seen:
                conn.execute(alerts.update().where(alerts.c.id.in_(seen)).values(seen_at=now))
            opened = []
            for key, s in wanted.items():
                if key in current:
                    continue
                row = conn.execute(
                    alerts.insert()
                    .values(
                        workspace_id=workspace_id,
                        kind=s.kind.value,
                        key=key,
                        source_id=s.source_id,
                        title=s.title[:500],
                        details=s.details,
                        opened_at=now,
                        seen_at=now,
                    )
                    .returning(*alerts.c)
                ).one()
                opened.append(_alert(row))
            closed = [
                replace(_alert(r), closed_at=now) for key, r in current.items() if key not in wanted
            ]
        return opened, closed

    def list_alerts(
        self,
        workspace_id: int,
        *,
        open_only: bool = False,
        since: datetime | None = None,
        ids: Sequence[int] | None = None,
        limit: int = 100,
    ) -> list[Alert]:
        """The newest first."""
        query = alerts.select().where(alerts.c.workspace_id == workspace_id)
        if open_only:
            query = query.where(alerts.c.closed_at.is_(None))
        if since is not None:
            query = query.where(alerts.c.opened_at >= since)
        if ids is not None:
            query = query.where(alerts.c.id.in_(list(ids)))
        query = query.order_by(alerts.c.opened_at.desc(), alerts.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [_alert(r) for r in conn.execute(query)]

    # -- read marks -------------------------------------------------------------------------

    def read_alert_ids(self, user_id: int, alert_ids: Sequence[int]) -> set[int]:
        if not alert_ids:
            return set()
        with self.engine.connect() as conn:
            return set(
                conn.execute(
                    sa.select(alert_reads.c.alert_id).where(
                        alert_reads.c.user_id == user_id,
                        alert_reads.c.alert_id.in_(list(alert_ids)),
                    )
                ).scalars()
            )

    def mark_alerts_read(self, user_id: int, alert_ids: Sequence[int]) -> int:
        done = self.read_alert_ids(user_id, alert_ids)
        new = sorted(set(alert_ids) - done)
        if new:
            now = self.clock()
            with self._write() as conn:
                conn.execute(
                    alert_reads.insert(),
                    [{"alert_id": a, "user_id": user_id, "read_at": now} for a in new],
                )
        return len(new)

    # -- subscriptions and deliveries -------------------------------------------------------

    def add_subscription(
        self,
        workspace_id: int,
        user_id: int,
        channel: Channel,
        address: str,
        kinds: Sequence[AlertKind] | None,
        secret: str | None,
    ) -> Subscription:
        with self._write() as conn:
            row = conn.execute(
                alert_subscriptions.insert()
                .values(
                    workspace_id=workspace_id,
                    user_id=user_id,
                    channel=channel.value,
                    address=address,
                    kinds=None if kinds is None else sorted(k.value for k in kinds),
                    secret=secret,
                    created_at=self.clock(),
                )
                .returning(*alert_subscriptions.c)
            ).one()
        return _subscription(row)

    def list_subscriptions(
        self, workspace_id: int, user_id: int | None = None
    ) -> list[Subscription]:
        query = alert_subscriptions.select().where(
            alert_subscriptions.c.workspace_id == workspace_id
        )
        if user_id is not None:
            query = query.where(alert_subscriptions.c.user_id == user_id)
        with self.engine.connect() as conn:
            return [
                _subscription(r) for r in conn.execute(query.order_by(alert_subscriptions.c.id))
            ]

    def delete_subscription(self, subscription_id: int) -> None:
        with self._write() as conn:
            conn.execute(
                alert_subscriptions.delete().where(alert_subscriptions.c.id == subscription_id)
            )

    def deliveries(self, alert_ids: Sequence[int]) -> dict[tuple[int, int], tuple[str, int]]:
        """(alert, subscription) → (status, attempts) for what was sent or tried."""
        if not alert_ids:
            return {}
        t = alert_deliveries
        with self.engine.connect() as conn:
            return {
                (r.alert_id, r.subscription_id): (r.status, r.attempts)
                for r in conn.execute(t.select().where(t.c.alert_id.in_(list(alert_ids))))
            }

    def record_delivery(
        self, alert_id: int, subscription_id: int, status: str, error: str | None
    ) -> None:
        t = alert_deliveries
        now = self.clock()
        with self._write() as conn:
            done = conn.execute(
                t.update()
                .where(t.c.alert_id == alert_id, t.c.subscription_id == subscription_id)
                .values(
                    status=status,
                    error=None if error is None else error[:500],
                    at=now,
                    attempts=t.c.attempts + 1,
                )
            ).rowcount
            if not done:
                conn.execute(
                    t.insert().values(
                        alert_id=alert_id,
                        subscription_id=subscription_id,
                        status=status,
                        error=None if error is None else error[:500],
                        attempts=1,
                        at=now,
                    )
                )
