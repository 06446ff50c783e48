"""Authors: the people and accounts behind posts, one per platform handle."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Author:
    """Someone who wrote a post on a platform; de-duplicated per workspace, platform and handle."""

    id: int
    workspace_id: int
    platform: str
    handle: str
    name: str | None
    followers: int | None
