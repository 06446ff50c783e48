"""`lytter desk ...`: the teams inbox items go to, their hours, members and SLA targets."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lytter.cli.common import AsOption, DbOption, WorkspaceOption, acting_on, out, user_errors
from lytter.config import DEFAULT_DATABASE_URL
from lytter.domain.inbox import Priority
from lytter.services import desks as desk_service

desk_app = typer.Typer(
    help="Desks: the teams inbox items are routed to, with members, working hours (Danish"
    " public holidays closed) and SLA targets per priority.",
    no_args_is_help=True,
)

DeskArg = Annotated[str, typer.Argument(help="The desk's name or id.")]
HoursOption = Annotated[
    str,
    typer.Option(help="Working hours: 'mon-fri 08:00-16:00', 'mon-thu 8-16; fri 8-15' or 24/7."),
]


def _target(value: timedelta | None) -> str:
    if value is None:
        return "—"
    hours, minutes = divmod(int(value.total_seconds() // 60), 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes or not hours else "")


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
