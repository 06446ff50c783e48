"""Managing the people who work in Lytter: roles, page grants, language, passwords."""

from __future__ import annotations

from dataclasses import dataclass

from lytter.domain.access import PAGE_SCOPED_ROLES, Actor, Permission
from lytter.domain.sources import Source
from lytter.domain.users import Role, User
from lytter.services.access import require
from lytter.services.auth import hash_password, normalise_email, password_matches
from lytter.services.errors import Conflict, Forbidden, NotFound, UserError
from lytter.services.sources import resolve_sources
from lytter.store.base import Store

LOCALES = {"da": "Dansk", "en": "English"}


@dataclass(frozen=True, slots=True)
class UserView:
    """A user as the users page shows them: with the sources granted to them."""

    user: User
    sources: list[Source]

    @property
    def sees_all_pages(self) -> bool:
        return self.user.role not in PAGE_SCOPED_ROLES


def parse_role(value: str) -> Role:
    """The role named `value`; UserError listing the roles otherwise."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise UserError(
            "unknown role '{value}': use {roles}", field="role", value=value, roles=roles
        ) from None


def parse_locale(value: str) -> str:
    """The UI language `value` (da or en); UserError otherwise."""
    code = value.strip().lower()
    if code not in LOCALES:
        raise UserError("unknown language '{value}': use da or en", field="locale", value=value)
    return code


def add_user(
    store: Store,
    actor: Actor,
    *,
    email: str,
    name: str,
    role: Role,
    password: str | None,
    locale: str = "da",
) -> User:
    """Create a user in the actor's workspace (admins only)."""
    require(actor, Permission.MANAGE_USERS)
    address = normalise_email(email)
    if not name.strip():
        raise UserError("a user needs a name", field="name")
    if store.find_user(address) is not None:
        raise Conflict("a user with e-mail {email} exists already", field="email", email=address)
    password_hash = None if password is None else hash_password(password)
    return store.add_user(
        actor.workspace_id, address, name.strip(), role, parse_locale(locale), password_hash
    )


def get_user(store: Store, actor: Actor, email: str) -> User:
    """The user with `email` in the actor's workspace; NotFound otherwise."""
    user = store.find_user(email.strip().lower())
    if user is None or user.workspace_id != actor.workspace_id:
        raise NotFound("no user with e-mail {email}", field="email", email=email)
    return user


def list_users(store: Store, actor: Actor) -> list[UserView]:
    """Every user of the workspace with their page grants (admins only)."""
    require(actor, Permission.MANAGE_USERS)
    by_id = {s.id: s for s in store.list_sources(actor.workspace_id)}
    grants = store.grants(actor.workspace_id)
    return [
        UserView(u, [by_id[i] for i in grants.get(u.id, ()) if i in by_id])
        for u in store.list_users(actor.workspace_id)
    ]


def grant(store: Store, actor: Actor, email: str, source_refs: list[str]) -> list[Source]:
    """Give a user access to sources (by id, external id or name); returns those sources."""
    require(actor, Permission.MANAGE_USERS)
    user = get_user(store, actor, email)
    found = resolve_sources(store, actor.workspace_id, source_refs)
    store.grant_sources(user.id, [s.id for s in found])
    return found


def revoke(store: Store, actor: Actor, email: str, source_refs: list[str]) -> list[Source]:
    """Take sources away from a user; returns those sources."""
    require(actor, Permission.MANAGE_USERS)
    user = get_user(store, actor, email)
    found = resolve_sources(store, actor.workspace_id, source_refs)
    store.revoke_sources(user.id, [s.id for s in found])
    return found


def set_role(store: Store, actor: Actor, email: str, role: Role) -> User:
    """Change a user's role; an admin cannot demote themselves (someone must stay admin)."""
    require(actor, Permission.MANAGE_USERS)
    user = get_user(store, actor, email)
    if actor.user is not None and actor.user.id == user.id and role is not Role.ADMIN:
        raise Forbidden("you cannot take away your own admin role", field="role")
    store.update_user(user.id, role=role)
    store.delete_user_sessions(user.id)  # the new role applies from the next login
    return get_user(store, actor, email)


def set_password(store: Store, actor: Actor, email: str, password: str) -> None:
    """Set a password: a user's own, or anyone's for an admin; ends the user's sessions."""
    user = get_user(store, actor, email)
    if actor.user is None or actor.user.id != user.id:
        require(actor, Permission.MANAGE_USERS)
    store.update_user(user.id, password_hash=hash_password(password))
    store.delete_user_sessions(user.id)


def set_locale(store: Store, actor: Actor, locale: str) -> str:
    """Set the language of the actor's own UI; returns the language code."""
    code = parse_locale(locale)
    if actor.user is None:
        raise UserError("the language is set per user: pass --as EMAIL")
    store.update_user(actor.user.id, locale=code)
    return code


def user_view(store: Store, actor: Actor, user_id: int) -> UserView:
    """One user of the workspace with their pages (admins only)."""
    require(actor, Permission.MANAGE_USERS)
    user = store.get_user(user_id)
    if user is None or user.workspace_id != actor.workspace_id:
        raise NotFound("user {user_id} does not exist", user_id=user_id)
    by_id = {s.id: s for s in store.list_sources(actor.workspace_id)}
    return UserView(user, [by_id[i] for i in store.granted_sources(user.id) if i in by_id])


def set_grants(store: Store, actor: Actor, user_id: int, source_ids: set[int]) -> UserView:
    """Give a user exactly these pages of the workspace (the users page's checkboxes)."""
    view = user_view(store, actor, user_id)
    known = {s.id for s in store.list_sources(actor.workspace_id)}
    unknown = source_ids - known
    if unknown:
        raise NotFound("no source '{ref}' in this workspace", field="source", ref=min(unknown))
    current = {s.id for s in view.sources}
    store.grant_sources(user_id, source_ids - current)
    store.revoke_sources(user_id, current - source_ids)
    return user_view(store, actor, user_id)


def change_own_password(store: Store, actor: Actor, current: str, new: str) -> None:
    """Change the actor's own password after checking the current one; ends their sessions."""
    if actor.user is None:
        raise UserError("only a logged-in user has a password to change")
    if not password_matches(store, actor.user, current):
        raise Forbidden("the current password is wrong", field="current")
    set_password(store, actor, actor.user.email, new)
