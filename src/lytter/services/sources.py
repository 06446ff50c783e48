"""The sources (pages, accounts, feeds) a user may see, and finding one by id or name."""

from __future__ import annotations

from lytter.domain.access import Actor, Permission
from lytter.domain.sources import Source
from lytter.services.access import require
from lytter.services.errors import NotFound, UserError
from lytter.store.base import Store


def list_sources(store: Store, actor: Actor) -> list[Source]:
    """The workspace's sources the actor may see, by platform and name."""
    require(actor, Permission.READ)
    return [s for s in store.list_sources(actor.workspace_id) if actor.sees_source(s.id)]


def resolve_sources(store: Store, workspace_id: int, refs: list[str]) -> list[Source]:
    """Sources by id, external id or exact name; NotFound for one that matches nothing."""
    known = store.list_sources(workspace_id)
    found: list[Source] = []
    for ref in refs:
        ref = ref.strip()
        matches = [
            s
            for s in known
            if (ref.isdigit() and s.id == int(ref)) or ref in (s.external_id, s.name)
        ]
        if not matches:
            raise NotFound("no source '{ref}' in this workspace", field="source", ref=ref)
        if len({m.id for m in matches}) > 1:
            raise UserError(
                "'{ref}' names several sources; use the id instead", field="source", ref=ref
            )
        found.append(matches[0])
    return found
