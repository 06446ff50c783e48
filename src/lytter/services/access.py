"""Permission checks every service makes before it reads or writes."""

from __future__ import annotations

from lytter.domain.access import PAGE_SCOPED_ROLES, Actor, Permission
from lytter.domain.users import User
from lytter.services.errors import N_, Forbidden
from lytter.store.base import Store

_REFUSALS = {
    Permission.READ: N_("your role may not read posts"),
    Permission.ACT: N_("your role may not answer or moderate"),
    Permission.MANAGE_SOURCES: N_("your role may not manage sources"),
    Permission.MANAGE_USERS: N_("only an admin may manage users"),
    Permission.MANAGE_QUERIES: N_("only admins and managers may change saved queries"),
    Permission.AUDIT: N_("only admins and managers may read the audit log"),
    Permission.MANAGE_REPLIES: N_(
        "only admins and managers may change saved replies and moderation guidelines"
    ),
}


def require(actor: Actor, permission: Permission) -> None:
    """Raise Forbidden unless the actor's role allows `permission`."""
    if not actor.can(permission):
        raise Forbidden(_REFUSALS[permission])


def require_source(actor: Actor, source_id: int) -> None:
    """Raise Forbidden unless the source is among the actor's pages."""
    if not actor.sees_source(source_id):
        raise Forbidden("you have no access to source {source_id}", source_id=source_id)


def actor_for(store: Store, user: User) -> Actor:
    """The actor `user` acts as, with their granted pages loaded when their role needs them."""
    if user.role in PAGE_SCOPED_ROLES:
        return Actor.for_user(user, store.granted_sources(user.id))
    return Actor.for_user(user, ())
