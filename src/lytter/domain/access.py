"""Who may do what: permissions per role, narrowed to the pages a user is granted.

A bank has 38 Facebook pages and 52 page managers: admins and viewers see every page of the
workspace, while managers and agents see and act only on the sources granted to them. Posts
that belong to no source (search results, imports without a page) are visible to admins and
viewers only. Every service checks an `Actor` before it reads or writes, so the CLI, the API
and the web pages obey the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from lytter.domain.users import Role, User


class Permission(StrEnum):
    """Something a role allows; `ROLE_PERMISSIONS` says which role has which."""

    READ = "read"  # see posts, threads and sources
    ACT = "act"  # answer, assign, moderate (the inbox issue builds on this)
    MANAGE_SOURCES = "manage_sources"  # rename sources, link them to brands
    MANAGE_QUERIES = "manage_queries"  # saved queries and synonym sets
    MANAGE_USERS = "manage_users"  # add users, change roles, grant pages
    AUDIT = "audit"  # read, check and export the audit log of moderation acts
    MANAGE_REPLIES = "manage_replies"  # saved replies, notices and the moderation guidelines


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.MANAGER: frozenset(
        {
            Permission.READ,
            Permission.ACT,
            Permission.MANAGE_SOURCES,
            Permission.MANAGE_QUERIES,
            Permission.AUDIT,
            Permission.MANAGE_REPLIES,
        }
    ),
    Role.AGENT: frozenset({Permission.READ, Permission.ACT}),
    Role.VIEWER: frozenset({Permission.READ}),
}

PAGE_SCOPED_ROLES = frozenset({Role.MANAGER, Role.AGENT})
"""Roles limited to the sources granted to them; the others see the whole workspace."""


@dataclass(frozen=True, slots=True)
class Actor:
    """The user a request or command acts as, with the sources they may see.

    `source_ids` is None when every source of the workspace is visible.
    """

    workspace_id: int
    role: Role
    source_ids: frozenset[int] | None
    user: User | None = None

    @classmethod
    def for_user(cls, user: User, granted: Iterable[int]) -> Actor:
        """The actor for `user`, limited to `granted` sources when their role is page scoped."""
        scoped = user.role in PAGE_SCOPED_ROLES
        return cls(user.workspace_id, user.role, frozenset(granted) if scoped else None, user)

    @classmethod
    def system(cls, workspace_id: int) -> Actor:
        """The local operator at the command line: an admin of the workspace."""
        return cls(workspace_id, Role.ADMIN, None)

    @property
    def name(self) -> str:
        return "system" if self.user is None else self.user.email

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def sees_source(self, source_id: int | None) -> bool:
        """Whether posts of `source_id` (None: no source) are visible to the actor."""
        if self.source_ids is None:
            return True
        return source_id is not None and source_id in self.source_ids


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A personal API token; only its hash is stored, the secret is shown once."""

    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True, slots=True)
class LoginSession:
    """A logged-in browser: the cookie holds a secret whose hash is the session's key."""

    user: User
    csrf_token: str
    expires_at: datetime
