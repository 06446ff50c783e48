"""Desks: the teams inbox items are routed to, with their members, working hours and SLA
targets per priority (counted in the desk's business hours, Danish public holidays closed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from lytter.domain.access import Actor, Permission
from lytter.domain.inbox import Absence, Desk, Priority, SlaPolicy
from lytter.domain.replies import unknown_variables
from lytter.domain.sla import BusinessHours, parse_duration, parse_hours
from lytter.domain.users import User
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


# -- the shift roster -------------------------------------------------------------------------


def _member(store: Store, actor: Actor, desk: Desk, email: str) -> User:
    user = store.find_user(email.strip().lower())
    if user is None or user.workspace_id != actor.workspace_id:
        raise NotFound("no user {email} in this workspace", email=email)
    if user.id not in desk.members:
        raise UserError(
            "{email} is not on the desk '{desk}': add them with lytter desk members first",
            email=user.email,
            desk=desk.name,
            field="email",
        )
    return user


def set_shift(store: Store, actor: Actor, ref: str, email: str, shift: str | None) -> Desk:
    """The member's own weekly shift on the desk (`mon-wed 08:00-12:00`); None: the desk's
    hours again."""
    require(actor, Permission.MANAGE_USERS)
    desk = find_desk(store, actor, ref)
    user = _member(store, actor, desk, email)
    text = None if not (shift or "").strip() else _checked_hours(shift or "", desk.timezone)
    store.set_shift(desk.id, user.id, text)
    return find_desk(store, actor, str(desk.id))


def add_absence(
    store: Store,
    actor: Actor,
    email: str,
    starts_at: datetime,
    ends_at: datetime,
    note: str | None = None,
) -> Absence:
    """`email` is away from `starts_at` to `ends_at`: on no desk's shift. Admins record anyone's
    absence; everyone records their own."""
    user = store.find_user(email.strip().lower())
    if user is None or user.workspace_id != actor.workspace_id:
        raise NotFound("no user {email} in this workspace", email=email)
    if actor.user is None or user.id != actor.user.id:
        require(actor, Permission.MANAGE_USERS)
    if ends_at <= starts_at:
        raise UserError("an absence ends after it starts", field="until")
    text = (note or "").strip()[:200] or None
    return store.add_absence(actor.workspace_id, user.id, starts_at, ends_at, text, actor.name)


def absences(store: Store, actor: Actor) -> list[Absence]:
    """The absences not over yet, the soonest first."""
    require(actor, Permission.READ)
    return store.absences(actor.workspace_id, store.clock())


def remove_absence(store: Store, actor: Actor, absence_id: int) -> None:
    found = next((a for a in absences(store, actor) if a.id == absence_id), None)
    if found is None:
        raise NotFound("no absence {id} that is not over", id=absence_id)
    if actor.user is None or found.user_id != actor.user.id:
        require(actor, Permission.MANAGE_USERS)
    store.delete_absence(actor.workspace_id, absence_id)


def on_shift(desk: Desk, at: datetime, away: list[Absence]) -> list[int]:
    """The desk's members on shift at `at`: inside their weekly shift (Danish public holidays
    closed) and not away."""
    absent = {a.user_id for a in away if a.covers(at)}
    return [
        m
        for m in desk.members
        if m not in absent and parse_hours(desk.shift_of(m), timezone=desk.timezone).is_open(at)
    ]


@dataclass(frozen=True, slots=True)
class RosterLine:
    """One member of a desk: their weekly shift, whether they are on it now, when next."""

    user: User
    shift: str
    own: bool  # their own shift, not the desk's hours
    on_now: bool
    away: Absence | None  # the absence they are in now, or the next one
    next_start: datetime | None  # their next shift starts (None: on now, or none in sight)


def roster(store: Store, actor: Actor, ref: str, at: datetime | None = None) -> list[RosterLine]:
    """Who works on the desk when: each member's shift, who is on now and the next shift."""
    require(actor, Permission.READ)
    desk = find_desk(store, actor, ref)
    now = at or store.clock()
    users = {u.id: u for u in store.list_users(actor.workspace_id)}
    away = store.absences(actor.workspace_id, now)
    on = set(on_shift(desk, now, away))
    lines = []
    for member in desk.members:
        theirs = [a for a in away if a.user_id == member]
        starts = None
        if member not in on:
            hours = parse_hours(desk.shift_of(member), timezone=desk.timezone)
            for start, end in hours.spans(now):
                blocked = next((a for a in theirs if a.covers(start)), None)
                if blocked is None:
                    starts = max(start, now)
                    break
                if blocked.ends_at < end:
                    starts = blocked.ends_at
                    break
        lines.append(
            RosterLine(
                users[member],
                desk.shift_of(member),
                member in dict(desk.shifts),
                member in on,
                theirs[0] if theirs else None,
                starts,
            )
        )
    return lines
