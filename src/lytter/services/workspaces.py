"""Finding and creating workspaces."""

from __future__ import annotations

from lytter.domain.workspaces import Workspace
from lytter.services.errors import UserError
from lytter.store.base import Store


def get_workspace(store: Store, slug: str, *, create: bool = False) -> Workspace:
    """The workspace called `slug`; created when `create`, else a UserError if missing."""
    if create:
        return store.ensure_workspace(slug)
    workspace = store.get_workspace(slug)
    if workspace is None:
        raise UserError(
            "workspace '{slug}' does not exist in {url}: import into it first"
            " or pick another with --workspace",
            slug=slug,
            url=store.url,
        )
    return workspace


def workspace_by_id(store: Store, workspace_id: int) -> Workspace:
    """The workspace with `workspace_id` (it exists: every actor belongs to one)."""
    workspace = store.workspace(workspace_id)
    if workspace is None:
        raise UserError("workspace {id} does not exist", id=workspace_id)
    return workspace
