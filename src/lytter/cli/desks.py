"""`lytter desk ...`: the teams inbox items go to, their hours, members and SLA targets."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lytter.cli.common import (
    AsOption,
    DbOption,
    TimezoneOption,
    WorkspaceOption,
    acting_on,
    out,
    parse_when,
    user_errors,
    zone_named,
)
from lytter.config import DEFAULT_DATABASE_URL
from lytter.domain.inbox import Priority
from lytter.domain.sla import format_duration
from lytter.services import desks as desk_service

desk_app = typer.Typer(
    help="Desks: the teams inbox items are routed to, with members, working hours (Danish"
    " public holidays closed), a shift roster and SLA targets per priority.",
    no_args_is_help=True,
)

DeskArg = Annotated[str, typer.Argument(help="The desk's name or id.")]
HoursOption = Annotated[
    str,
    typer.Option(help="Working hours: 'mon-fri 08:00-16:00', 'mon-thu 8-16; fri 8-15' or 24/7."),
]


def _target(value: timedelta | None) -> str:
    return "—" if value is None else format_duration(value)


@desk_app.command(
    "add",
    epilog="Examples: lytter desk add Kundeservice  ·  lytter desk add Nat --hours 24/7",
)
@user_errors
def add_command(
    name: Annotated[str, typer.Argument(help="The desk's name.")],
    hours: HoursOption = desk_service.DEFAULT_HOURS,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Add a desk (admins)."""
    with acting_on(db, workspace, user) as (store, _, actor):
        desk = desk_service.add_desk(store, actor, name, hours)
    out.print(f"desk {desk.id} '{escape(desk.name)}': {desk.hours} ({desk.timezone})")


@desk_app.command("list", epilog="Examples: lytter desk list  ·  lytter desk list --json")
@user_errors
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """The desks with their hours, members and SLA targets per priority."""
    with acting_on(db, workspace, user) as (store, _, actor):
        found = desk_service.list_desks(store, actor)
        policies = desk_service.policies(store, actor)
        emails = {u.id: u.email for u in store.list_users(actor.workspace_id)}
    if as_json:
        for desk in found:
            row = {
                "id": desk.id,
                "name": desk.name,
                "hours": desk.hours,
                "timezone": desk.timezone,
                "members": [emails.get(m) for m in desk.members],
                "shifts": {emails.get(m): desk.shift_of(m) for m in desk.members},
                "sla": {
                    p.value: {
                        "first_response_minutes": _minutes(policies[(desk.id, p)].first_response),
                        "resolution_minutes": _minutes(policies[(desk.id, p)].resolution),
                    }
                    for p in Priority
                    if (desk.id, p) in policies
                },
            }
            out.print(json.dumps(row, ensure_ascii=False), soft_wrap=True)
        return
    table = Table("id", "desk", "hours", "members", "SLA (first answer / resolved)")
    for desk in found:
        targets = [
            f"{p.value}: {_target(policies[(desk.id, p)].first_response)}"
            f" / {_target(policies[(desk.id, p)].resolution)}"
            for p in Priority
            if (desk.id, p) in policies
        ]
        table.add_row(
            str(desk.id),
            escape(desk.name),
            escape(desk.hours),
            escape(", ".join(emails.get(m, "?") for m in desk.members)),
            "\n".join(targets) or "—",
        )
    out.print(table)


def _minutes(value: timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds() // 60)


@desk_app.command(
    "hours", epilog="Example: lytter desk hours Kundeservice 'mon-thu 8-16; fri 8-15'"
)
@user_errors
def hours_command(
    desk: DeskArg,
    hours: Annotated[str, typer.Argument(help="'mon-fri 08:00-16:00', or 24/7.")],
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Change a desk's working hours."""
    with acting_on(db, workspace, user) as (store, _, actor):
        found = desk_service.set_hours(store, actor, desk, hours)
    out.print(f"desk '{escape(found.name)}': {found.hours}")


@desk_app.command(
    "signature",
    epilog="Examples: lytter desk signature Kundeservice '/{agent}'  (the person's first name)"
    "  ·  lytter desk signature Kundeservice '/Kundeservice'  (one voice)"
    "  ·  lytter desk signature Kundeservice --none",
)
@user_errors
def signature_command(
    desk: DeskArg,
    signature: Annotated[
        str | None, typer.Argument(help="What replies end with; {agent} and {desk} fill in.")
    ] = None,
    none: Annotated[bool, typer.Option("--none", help="Sign nothing.")] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """How the desk's replies are signed: one voice, or the person's first name."""
    if (signature is None) == (not none):
        raise typer.BadParameter("give a signature, or --none")
    with acting_on(db, workspace, user) as (store, _, actor):
        found = desk_service.set_signature(store, actor, desk, None if none else signature)
    out.print(f"desk '{escape(found.name)}' signs {escape(found.signature or 'nothing')}")


@desk_app.command(
    "members",
    epilog="Example: lytter desk members Kundeservice jonas@lytter.demo mette@lytter.demo",
)
@user_errors
def members_command(
    desk: DeskArg,
    emails: Annotated[list[str], typer.Argument(help="Every member's e-mail (replaces them).")],
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Set who works on a desk."""
    with acting_on(db, workspace, user) as (store, _, actor):
        found = desk_service.set_members(store, actor, desk, emails)
    out.print(f"desk '{escape(found.name)}' has {len(found.members)} members")


@desk_app.command(
    "sla",
    epilog="Examples: lytter desk sla Kundeservice normal --first-response 2h --resolution 8h"
    "  ·  lytter desk sla Kundeservice urgent --first-response 30m --warn-before 10m",
)
@user_errors
def sla_command(
    desk: DeskArg,
    priority: Annotated[str, typer.Argument(help="low, normal, high or urgent.")],
    first_response: Annotated[
        str | None, typer.Option(help="The first answer within this much open time: 2h, 90m.")
    ] = None,
    resolution: Annotated[
        str | None, typer.Option(help="Resolved within this much open time (pending pauses it).")
    ] = None,
    warn_before: Annotated[str, typer.Option(help="Warn this long before a breach.")] = "30m",
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Set a desk's SLA targets for items of one priority, counted in its working hours."""
    with acting_on(db, workspace, user) as (store, _, actor):
        policy = desk_service.set_sla(
            store, actor, desk, priority, first_response, resolution, warn_before
        )
    out.print(
        f"{policy.priority.value}: first answer {_target(policy.first_response)},"
        f" resolved {_target(policy.resolution)}"
    )


@desk_app.command(
    "shift",
    epilog="Examples: lytter desk shift Kundeservice mette@lytter.demo 'mon-wed 08:00-12:00'"
    "  ·  lytter desk shift Kundeservice mette@lytter.demo --desk-hours",
)
@user_errors
def shift_command(
    desk: DeskArg,
    email: Annotated[str, typer.Argument(help="The member's e-mail.")],
    shift: Annotated[
        str | None, typer.Argument(help="Their weekly shift: 'mon-wed 08:00-12:00', 'sat 9-13'.")
    ] = None,
    desk_hours: Annotated[
        bool, typer.Option("--desk-hours", help="They work the desk's hours again.")
    ] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Set a member's own weekly shift on a desk (the rest work the desk's hours)."""
    if (shift is None) == (not desk_hours):
        raise typer.BadParameter("give a shift, or --desk-hours")
    with acting_on(db, workspace, user) as (store, _, actor):
        found = desk_service.set_shift(store, actor, desk, email, None if desk_hours else shift)
        member = store.find_user(email.strip().lower())
    assert member is not None
    out.print(f"{escape(member.email)} works {escape(found.shift_of(member.id))} on '{found.name}'")


@desk_app.command(
    "roster",
    epilog="Examples: lytter desk roster Kundeservice"
    "  ·  lytter desk roster Kundeservice --at '2024-12-24T10:00'",
)
@user_errors
def roster_command(
    desk: DeskArg,
    at: Annotated[
        str | None, typer.Option(help="Who is on at this time (ISO 8601); default now.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    tz: TimezoneOption = "Europe/Copenhagen",
    user: AsOption = None,
) -> None:
    """Who works on a desk when: each member's shift, who is on now, when the next starts."""
    zone = zone_named(tz)
    when = parse_when(at, "--at", zone, end=False)
    with acting_on(db, workspace, user) as (store, _, actor):
        lines = desk_service.roster(store, actor, desk, when)

    def local(value: datetime | None) -> str:
        return "" if value is None else value.astimezone(zone).strftime("%a %Y-%m-%d %H:%M")

    if as_json:
        for line in lines:
            row = {
                "email": line.user.email,
                "shift": line.shift,
                "own_shift": line.own,
                "on_now": line.on_now,
                "next_start": line.next_start.isoformat() if line.next_start else None,
                "away": None
                if line.away is None
                else {
                    "from": line.away.starts_at.isoformat(),
                    "until": line.away.ends_at.isoformat(),
                    "note": line.away.note,
                },
            }
            out.print(json.dumps(row, ensure_ascii=False), soft_wrap=True)
        return
    table = Table("member", "shift", "now", "next shift", "away")
    for line in lines:
        away = ""
        if line.away is not None:
            away = f"{local(line.away.starts_at)} – {local(line.away.ends_at)}"
            away += f" ({line.away.note})" if line.away.note else ""
        table.add_row(
            escape(line.user.email),
            escape(line.shift) + ("" if line.own else " (desk)"),
            "on shift" if line.on_now else "off",
            local(line.next_start),
            escape(away),
        )
    out.print(table)


@desk_app.command(
    "away",
    epilog="Examples: lytter desk away mette@lytter.demo --from 2024-07-01 --until 2024-07-19"
    " --note sommerferie  ·  lytter desk away --list  ·  lytter desk away --remove 3",
)
@user_errors
def away_command(
    email: Annotated[str | None, typer.Argument(help="Who is away (e-mail).")] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="From this day or time (ISO 8601).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Until this day (included) or time (ISO 8601).")
    ] = None,
    note: Annotated[str | None, typer.Option(help="Why: ferie, kursus, syg.")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the absences not over yet.")] = False,
    remove: Annotated[int | None, typer.Option(help="Remove this absence (its id).")] = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    tz: TimezoneOption = "Europe/Copenhagen",
    user: AsOption = None,
) -> None:
    """Record that someone is away: on no desk's shift, so routing gives them nothing."""
    zone = zone_named(tz)
    with acting_on(db, workspace, user) as (store, _, actor):
        if remove is not None:
            desk_service.remove_absence(store, actor, remove)
            out.print(f"absence {remove} removed")
            return
        if list_ or email is None:
            emails = {u.id: u.email for u in store.list_users(actor.workspace_id)}
            table = Table("id", "who", "from", "until", "note")
            for a in desk_service.absences(store, actor):
                table.add_row(
                    str(a.id),
                    escape(emails.get(a.user_id, "?")),
                    a.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                    a.ends_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                    escape(a.note or ""),
                )
            out.print(table)
            return
        if start is None or until is None:
            raise typer.BadParameter("give --from and --until")
        starts = parse_when(start, "--from", zone, end=False)
        ends = parse_when(until, "--until", zone, end=True)
        assert starts is not None and ends is not None
        absence = desk_service.add_absence(store, actor, email, starts, ends, note)
    out.print(
        f"absence {absence.id}: {escape(email)} is away"
        f" {absence.starts_at.astimezone(zone):%Y-%m-%d %H:%M}"
        f" – {absence.ends_at.astimezone(zone):%Y-%m-%d %H:%M}"
    )
