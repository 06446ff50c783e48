"""`lytter user ...`: add users, give them pages, make API tokens."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lytter.cli.common import AsOption, DbOption, WorkspaceOption, acting_on, out, user_errors
from lytter.config import DEFAULT_DATABASE_URL
from lytter.services import auth
from lytter.services import users as user_service
from lytter.services.access import actor_for

user_app = typer.Typer(
    help="Users, their roles and the pages (sources) they may see.",
    no_args_is_help=True,
)

EmailArg = Annotated[str, typer.Argument(help="The user's e-mail, which is also their login.")]
SourcesArg = Annotated[
    list[str], typer.Argument(help="Sources by id, external id or name (see 'lytter user list').")
]


@user_app.command(
    "add",
    epilog=(
        "Example: lytter user add mette@banken.dk --name 'Mette Holm' --role manager"
        " --password 'et godt kodeord'"
    ),
)
@user_errors
def add(
    email: EmailArg,
    name: Annotated[str, typer.Option(help="Full name, as colleagues see it.")],
    role: Annotated[str, typer.Option(help="admin, manager, agent or viewer.")] = "agent",
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="LYTTER_PASSWORD",
            help="Login password (asked for when left out; at least 8 characters).",
        ),
    ] = "",
    locale: Annotated[str, typer.Option(help="UI language: da or en.")] = "da",
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Add a user who can log in to the workbench."""
    with acting_on(db, workspace, user) as (store, _, actor):
        added = user_service.add_user(
            store,
            actor,
            email=email,
            name=name,
            role=user_service.parse_role(role),
            password=password,
            locale=locale,
        )
    out.print(f"Added {escape(added.email)} ({added.role.value})")


@user_app.command("list", epilog="Example: lytter user list --json")
@user_errors
def list_(
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per user.")
    ] = False,
    user: AsOption = None,
) -> None:
    """The workspace's users, their roles and granted pages."""
    with acting_on(db, workspace, user) as (store, _, actor):
        views = user_service.list_users(store, actor)
    if as_json:
        for v in views:
            item = {
                "email": v.user.email,
                "name": v.user.name,
                "role": v.user.role.value,
                "locale": v.user.locale,
                "all_pages": v.sees_all_pages,
                "sources": [{"id": s.id, "name": s.name} for s in v.sources],
            }
            out.print(json.dumps(item, ensure_ascii=False), markup=False, soft_wrap=True)
        return
    table = Table(expand=True)
    for column in ("e-mail", "name", "role", "language", "pages"):
        table.add_column(column)
    for v in views:
        pages = "all" if v.sees_all_pages else ", ".join(f"{s.name} ({s.id})" for s in v.sources)
        table.add_row(
            v.user.email, v.user.name, v.user.role.value, v.user.locale, pages or "none yet"
        )
    out.print(table)


@user_app.command("grant", epilog="Example: lytter user grant mette@banken.dk 'Banken Aarhus' 12")
@user_errors
def grant(
    email: EmailArg,
    sources: SourcesArg,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Let a manager or agent see and act on these pages."""
    with acting_on(db, workspace, user) as (store, _, actor):
        found = user_service.grant(store, actor, email, sources)
    out.print(f"{escape(email)} now has: " + escape(", ".join(s.name for s in found)))


@user_app.command("revoke", epilog="Example: lytter user revoke mette@banken.dk 12")
@user_errors
def revoke(
    email: EmailArg,
    sources: SourcesArg,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Take pages away from a manager or agent."""
    with acting_on(db, workspace, user) as (store, _, actor):
        found = user_service.revoke(store, actor, email, sources)
    out.print(f"{escape(email)} no longer has: " + escape(", ".join(s.name for s in found)))


@user_app.command("role", epilog="Example: lytter user role mette@banken.dk viewer")
@user_errors
def role(
    email: EmailArg,
    new_role: Annotated[str, typer.Argument(metavar="ROLE", help="admin, manager, agent, viewer.")],
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Change a user's role (they log in again to get it)."""
    with acting_on(db, workspace, user) as (store, _, actor):
        changed = user_service.set_role(store, actor, email, user_service.parse_role(new_role))
    out.print(f"{escape(changed.email)} is now {changed.role.value}")


@user_app.command("password", epilog="Example: lytter user password mette@banken.dk")
@user_errors
def password(
    email: EmailArg,
    new_password: Annotated[
        str,
        typer.Option(
            "--password",
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="LYTTER_PASSWORD",
            help="The new password (asked for when left out).",
        ),
    ] = "",
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Set a user's password; their open sessions end."""
    with acting_on(db, workspace, user) as (store, _, actor):
        user_service.set_password(store, actor, email, new_password)
    out.print(f"Password changed for {escape(email)}")


@user_app.command("token", epilog="Example: lytter user token mette@banken.dk --name 'Power BI'")
@user_errors
def token(
    email: EmailArg,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "CLI",
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
) -> None:
    """Make a personal API token for a user; it is shown once (send it as 'Bearer TOKEN')."""
    with acting_on(db, workspace, None) as (store, _, admin):
        owner = user_service.get_user(store, admin, email)
        made = auth.create_token(store, actor_for(store, owner), name)
    out.print(made.secret, markup=False)
    typer.echo(
        f"API token '{made.token.name}' for {owner.email}: keep it secret, it is not shown again.",
        err=True,
    )
