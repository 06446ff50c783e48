"""Users: the people who work in Lytter, and their roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """What a user may do; per-page grants narrow managers and agents further."""

    ADMIN = "admin"
    MANAGER = "manager"
    AGENT = "agent"
    VIEWER = "viewer"


@dataclass(frozen=True, slots=True)
class User:
    """A person with a login to a workspace."""

    id: int
    workspace_id: int
    email: str
    name: str
    role: Role
    locale: str
    created_at: datetime
