"""The routing aggregate of the SQL store: rules, what they read of items, and round-robin."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from lytter.domain.inbox import ItemState, Priority
from lytter.domain.routing import Actions, Conditions, RoutingRule
from lytter.store.authors import effective_type
from lytter.store.base import Clock
from lytter.store.tables import (
    author_types,
    authors,
    desks,
    inbox_item_posts,
    inbox_items,
    post_analyses,
    posts,
    query_matches,
    routing_rules,
)


@dataclass(frozen=True, slots=True)
class ItemPost:
    """One customer post of an item, with what routing rules read of it."""

    item_id: int
    post_id: int
    text: str
    language: str | None
    sentiment: str | None
    author: str | None
    author_type: str | None


def _rule(r: Any) -> RoutingRule:
    c: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in r.conditions.items()}
    a: dict[str, Any] = dict(r.actions)
    conditions = Conditions(**c)
    if "priority" in a:
        a["priority"] = Priority(a["priority"])
    if "tags" in a:
        a["tags"] = tuple(a["tags"])
    return RoutingRule(
        r.id, r.workspace_id, r.name, r.position, conditions, Actions(**a), r.enabled
    )


def _json(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: list(v) if isinstance(v, tuple) else getattr(v, "value", v) for k, v in values.items()
    }


class SqlRouting:
    """Routing rules; mixed into SqlStore, which supplies the engine."""

    engine: sa.Engine
    clock: Clock

    if TYPE_CHECKING:  # supplied by SqlStore and its engine subclasses

        def _write(self) -> AbstractContextManager[sa.Connection]: ...

    def add_rule(
        self,
        workspace_id: int,
        name: str,
        conditions: Conditions,
        actions: Actions,
        position: int | None = None,
    ) -> RoutingRule:
        """A new rule at `position` (the rules from there move down one), or last."""
        with self._write() as conn:
            last = conn.execute(
                sa.select(sa.func.max(routing_rules.c.position)).where(
                    routing_rules.c.workspace_id == workspace_id
                )
            ).scalar()
            at = (last or 0) + 1 if position is None else max(1, min(position, (last or 0) + 1))
            conn.execute(
                routing_rules.update()
                .where(routing_rules.c.workspace_id == workspace_id, routing_rules.c.position >= at)
                .values(position=routing_rules.c.position + 1)
            )
            rule_id = conn.execute(
                routing_rules.insert()
                .values(
                    workspace_id=workspace_id,
                    name=name,
                    position=at,
                    enabled=True,
                    conditions=_json(conditions.as_dict()),
                    actions=_json(actions.as_dict()),
                    created_at=self.clock(),
                )
                .returning(routing_rules.c.id)
            ).scalar_one()
        return RoutingRule(rule_id, workspace_id, name, at, conditions, actions)

    def list_rules(self, workspace_id: int) -> list[RoutingRule]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(routing_rules)
                .where(routing_rules.c.workspace_id == workspace_id)
                .order_by(routing_rules.c.position)
            )
            return [_rule(r) for r in rows]

    def delete_rule(self, rule_id: int) -> None:
        """Remove a rule; the ones after it move up."""
        with self._write() as conn:
            row = conn.execute(
                sa.select(routing_rules.c.workspace_id, routing_rules.c.position).where(
                    routing_rules.c.id == rule_id
                )
            ).first()
            if row is None:
                return
            conn.execute(routing_rules.delete().where(routing_rules.c.id == rule_id))
            conn.execute(
                routing_rules.update()
                .where(
                    routing_rules.c.workspace_id == row.workspace_id,
                    routing_rules.c.position > row.position,
                )
                .values(position=routing_rules.c.position - 1)
            )

    def move_rule(self, rule_id: int, position: int) -> None:
        """Try the rule at `position` (1 first, clamped); the rules between shift one place."""
        with self._write() as conn:
            row = conn.execute(
                sa.select(routing_rules.c.workspace_id, routing_rules.c.position).where(
                    routing_rules.c.id == rule_id
                )
            ).first()
            if row is None:
                return
            ws, old = row.workspace_id, row.position
            last = conn.execute(
                sa.select(sa.func.max(routing_rules.c.position)).where(
                    routing_rules.c.workspace_id == ws
                )
            ).scalar_one()
            new = max(1, min(position, last))
            if new == old:
                return
            low, high, step = (new, old - 1, 1) if new < old else (old + 1, new, -1)
            conn.execute(
                routing_rules.update()
                .where(
                    routing_rules.c.workspace_id == ws,
                    routing_rules.c.position.between(low, high),
                )
                .values(position=routing_rules.c.position + step)
            )
            conn.execute(
                routing_rules.update().where(routing_rules.c.id == rule_id).values(position=new)
            )

    def set_rule_enabled(self, rule_id: int, enabled: bool) -> None:
        with self._write() as conn:
            conn.execute(
                routing_rules.update().where(routing_rules.c.id == rule_id).values(enabled=enabled)
            )

    def item_posts(self, item_ids: Sequence[int]) -> list[ItemPost]:
        """The customers' posts of these items, with their tone, author and author's type."""
        if not item_ids:
            return []
        query = (
            sa.select(
                inbox_item_posts.c.item_id,
                posts.c.id,
                posts.c.text,
                sa.func.coalesce(post_analyses.c.language, posts.c.language),
                sa.func.coalesce(post_analyses.c.corrected, post_analyses.c.sentiment),
                authors.c.handle,
                effective_type(),
            )
            .join(posts, posts.c.id == inbox_item_posts.c.post_id)
            .outerjoin(post_analyses, post_analyses.c.post_id == posts.c.id)
            .outerjoin(authors, authors.c.id == posts.c.author_id)
            .outerjoin(author_types, author_types.c.author_id == posts.c.author_id)
            .where(inbox_item_posts.c.item_id.in_(list(item_ids)))
            .order_by(inbox_item_posts.c.item_id, posts.c.id)
        )
        with self.engine.connect() as conn:
            return [ItemPost(*r) for r in conn.execute(query)]

    def matched_queries(self, post_ids: Sequence[int]) -> list[tuple[int, int]]:
        """(post id, saved query id) for each match of these posts."""
        if not post_ids:
            return []
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(query_matches.c.post_id, query_matches.c.query_id).where(
                    query_matches.c.post_id.in_(list(post_ids))
                )
            )
            return [(r[0], r[1]) for r in rows]

    def open_items_per_user(self, workspace_id: int, user_ids: Sequence[int]) -> dict[int, int]:
        """How many items not resolved each of these users has (least-loaded assignment)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(inbox_items.c.assignee_id, sa.func.count())
                .where(
                    inbox_items.c.workspace_id == workspace_id,
                    inbox_items.c.assignee_id.in_(list(user_ids)),
                    inbox_items.c.state != ItemState.RESOLVED.value,
                )
                .group_by(inbox_items.c.assignee_id)
            )
            counts = {r[0]: int(r[1]) for r in rows}
        return {u: counts.get(u, 0) for u in user_ids}

    def next_in_rotation(self, desk_id: int, members: Sequence[int]) -> int | None:
        """The member after the desk's last pick (round-robin), now recorded as its last."""
        if not members:
            return None
        ordered = sorted(members)
        with self._write() as conn:
            last = conn.execute(
                sa.select(desks.c.last_assigned_id).where(desks.c.id == desk_id).with_for_update()
            ).scalar()
            later = [m for m in ordered if last is not None and m > last]
            chosen = later[0] if later else ordered[0]
            conn.execute(
                desks.update().where(desks.c.id == desk_id).values(last_assigned_id=chosen)
            )
        return chosen
