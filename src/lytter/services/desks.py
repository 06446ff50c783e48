"""Desks: the teams inbox items are routed to, with their members, working hours and SLA
targets per priority (counted in the desk's business hours, Danish public holidays closed)."""

from __future__ import annotations

from datetime import timedelta

from lytter.domain.access import Actor, Permission
from lytter.domain.inbox import Desk, Priority, SlaPolicy
from lytter.domain.replies import unknown_variables
from lytter.domain.sla import BusinessHours, parse_duration, parse_hours
from lytter.services.access import require
from lytter.services.errors import Conflict, NotFound, UserError
from lytter.services.workspaces import workspace_by_id
from lytter.store.base import Store

DEFAULT_HOURS = "mon-fri 08:00-16:00"


def hours_of(desk: Desk) -> BusinessHours:
    """The desk's business hours (its hours were checked when they were set)."""
    return parse_hours(desk.hours, timezone=desk.timezone)


def _checked_hours(text: str, timezone: str) -> str:
    try:
        parse_hours(text, timezone=timezone)
    except ValueError as exc:
        raise UserError("{problem}", problem=str(exc), field="hours") from None
    return text.strip()


def add_desk(
    store: Store, actor: Actor, name: str, hours: str = DEFAULT_HOURS, timezone: str | None = None
) -> Desk:
    """A new desk; its hours as people write them (`mon-fri 08:00-16:00`, `24/7`)."""
    require(actor, Permission.MANAGE_USERS)
    name = name.strip()
    if not name:
        raise UserError("a desk needs a name", field="name")
    if any(d.name.casefold() == name.casefold() for d in store.list_desks(actor.workspace_id)):
        raise Conflict("there is already a desk called '{name}'", name=name, field="name")
    zone = timezone or workspace_by_id(store, actor.workspace_id).timezone
    return store.add_desk(actor.workspace_id, name, _checked_hours(hours, zone), zone)


def list_desks(store: Store, actor: Actor) -> list[Desk]:
    require(actor, Permission.READ)
    return store.list_desks(actor.workspace_id)


def find_desk(store: Store, actor: Actor, ref: str) -> Desk:
    """A desk by its name or id."""
    require(actor, Permission.READ)
    for desk in store.list_desks(actor.workspace_id):
        if ref.strip().casefold() in (desk.name.casefold(), str(desk.id)):
            return desk
    raise NotFound("no desk '{ref}' in this workspace", ref=ref)


def set_hours(store: Store, actor: Actor, ref: str, hours: str) -> Desk:
    require(actor, Permission.MANAGE_USERS)
    desk = find_desk(store, actor, ref)
    store.update_desk(desk.id, hours=_checked_hours(hours, desk.timezone))
    return find_desk(store, actor, str(desk.id))


def set_members(store: Store, actor: Actor, ref: str, emails: list[str]) -> Desk:
    """The desk's members are exactly these users."""
    require(actor, Permission.MANAGE_USERS)
    desk = find_desk(store, actor, ref)
    ids: list[int] = []
    for email in emails:
        user = store.find_user(email.strip().lower())
        if user is None or user.workspace_id != actor.workspace_id:
            raise NotFound("no user {email} in this workspace", email=email)
        ids.append(user.id)
    store.set_desk_members(desk.id, ids)
    return find_desk(store, actor, str(desk.id))


def set_sla(
    store: Store,
    actor: Actor,
    ref: str,
    priority: str,
    first_response: str | None,
    resolution: str | None,
    warn_before: str = "30m",
) -> SlaPolicy:
    """The desk's targets for items of `priority`, as people write them (`4h`, `90m`)."""
    require(actor, Permission.MANAGE_USERS)
    desk = find_desk(store, actor, ref)
    try:
        chosen = Priority(priority.lower())
    except ValueError:
        raise UserError(
            "unknown priority '{priority}': use low, normal, high or urgent",
            priority=priority,
            field="priority",
        ) from None

    def duration(text: str | None, field: str) -> timedelta | None:
        if text is None:
            return None
        try:
            return parse_duration(text)
        except ValueError as exc:
            raise UserError("{problem}", problem=str(exc), field=field) from None

    policy = SlaPolicy(
        desk.id,
        chosen,
        duration(first_response, "first_response"),
        duration(resolution, "resolution"),
        duration(warn_before, "warn_before") or timedelta(0),
    )
    store.set_sla_policy(policy)
    return policy


def policies(store: Store, actor: Actor) -> dict[tuple[int, Priority], SlaPolicy]:
    require(actor, Permission.READ)
    return {(p.desk_id, p.priority): p for p in store.sla_policies(actor.workspace_id)}


def set_signature(store: Store, actor: Actor, ref: str, signature: str | None) -> Desk:
    """What the desk's replies end with: one voice ("/Kundeservice") or the person's first
    name ("/{agent}"); None or "" signs nothing."""
    require(actor, Permission.MANAGE_USERS)
    desk = find_desk(store, actor, ref)
    text = (signature or "").strip() or None
    if text is not None:
        unknown = unknown_variables(text)
        if unknown:
            raise UserError(
                "unknown variable {{{name}}} in the signature: use {{agent}} or {{desk}}",
                name=unknown[0],
                field="signature",
            )
        if len(text) > 200:
            raise UserError("a signature is at most 200 characters", field="signature")
    store.update_desk(desk.id, signature=text)
    return find_desk(store, actor, str(desk.id))
