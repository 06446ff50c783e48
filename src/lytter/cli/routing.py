"""`lytter route ...`: the ordered rules that send new inbox items to the right desk."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from lytter.cli.common import AsOption, DbOption, WorkspaceOption, acting_on, out, user_errors
from lytter.config import DEFAULT_DATABASE_URL
from lytter.services import routing as routing_service
from lytter.services.routing import RuleDraft

route_app = typer.Typer(
    help="Routing rules: tried in order, the first whose conditions all hold sends a new inbox"
    " item to its desk or person, with its priority and tags; the item's history says why.",
    no_args_is_help=True,
)

Many = list[str] | None


def _draft(name: str, **options: Any) -> RuleDraft:
    given: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in options.items() if v is not None
    }
    return RuleDraft(name, **given)


@route_app.command(
    "add",
    epilog="Examples: lytter route add Netbank --words 'netbank* OR mobilepay' --desk Kundeservice"
    " --priority high  ·  lytter route add Trolde --author-type troll --desk Moderation"
    "  ·  lytter route add Weekend --hours 'sat-sun 00:00-24:00' --desk Vagt --assign round_robin",
)
@user_errors
def add_command(
    name: Annotated[str, typer.Argument(help="The rule's name.")],
    page: Annotated[
        Many, typer.Option(help="Only items on this page (name or id); repeatable.")
    ] = None,
    platform: Annotated[Many, typer.Option(help="Only this platform; repeatable.")] = None,
    query: Annotated[Many, typer.Option(help="Posts match this saved query; repeatable.")] = None,
    language: Annotated[Many, typer.Option(help="Posts in this language; repeatable.")] = None,
    sentiment: Annotated[
        Many, typer.Option(help="negative, neutral or positive; repeatable.")
    ] = None,
    author_type: Annotated[
        Many, typer.Option(help="critic, troll or ambassador; repeatable.")
    ] = None,
    author: Annotated[Many, typer.Option(help="Posts by this handle; repeatable.")] = None,
    words: Annotated[
        str | None, typer.Option(help="Posts match this query-language query.")
    ] = None,
    hours: Annotated[
        str | None, typer.Option(help="Came in during these hours: 'sat-sun 0-24'.")
    ] = None,
    desk: Annotated[str | None, typer.Option(help="Put it on this desk.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Give it to this user (e-mail).")] = None,
    assign: Annotated[
        str | None,
        typer.Option(help="round_robin or least_loaded among the desk's members on shift."),
    ] = None,
    priority: Annotated[str | None, typer.Option(help="low, normal, high or urgent.")] = None,
    tag: Annotated[Many, typer.Option(help="Add this tag; repeatable.")] = None,
    note: Annotated[str | None, typer.Option(help="An internal note on the item.")] = None,
    position: Annotated[
        int | None, typer.Option(help="Try it at this place (1: first); default last.")
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Save nothing: show what it would have done to the last 7 days' items.",
        ),
    ] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Add a routing rule, or try it first with --dry-run."""
    draft = _draft(
        name,
        pages=page,
        platforms=platform,
        queries=query,
        languages=language,
        sentiments=sentiment,
        author_types=author_type,
        authors=author,
        keywords=words,
        hours=hours,
        desk=desk,
        user=to,
        assign=assign,
        priority=priority,
        tags=tag,
        note=note,
    )
    with acting_on(db, workspace, user) as (store, _, actor):
        if dry_run:
            trial = routing_service.dry_run(store, actor, draft, position)
            taken = [(i, d) for i, d in trial.decisions if d.rule is trial.rule]
            out.print(
                f"'{escape(name)}' would have taken {len(taken):,} of the last"
                f" {routing_service.DRY_RUN_DAYS} days' {len(trial.decisions):,} items"
            )
            for item, decision in taken[:20]:
                where = f"{item.platform}:{escape(item.thread)}"
                out.print(f"  item {item.id} ({where}): {escape(decision.why)}")
            return
        rule = routing_service.add_rule(store, actor, draft, position)
    out.print(f"rule {rule.position} '{escape(rule.name)}' added (id {rule.id})")


@route_app.command("list", epilog="Examples: lytter route list  ·  lytter route list --json")
@user_errors
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """The rules in the order they are tried."""
    with acting_on(db, workspace, user) as (store, _, actor):
        rules = routing_service.list_rules(store, actor)
        labels = routing_service.Labels.of(store, actor.workspace_id)
    if as_json:
        for rule in rules:
            row = routing_service.as_dict(rule, labels)
            out.print(json.dumps(row, ensure_ascii=False), soft_wrap=True)
        return
    table = Table("#", "id", "rule", "when", "then", "on")
    for rule in rules:
        when, then = routing_service.wording(rule, labels)
        table.add_row(
            str(rule.position),
            str(rule.id),
            escape(rule.name),
            escape(when),
            escape(then),
            "yes" if rule.enabled else "no",
        )
    out.print(table)


@route_app.command("remove", epilog="Example: lytter route remove Netbank")
@user_errors
def remove_command(
    rule: Annotated[str, typer.Argument(help="The rule's name or id.")],
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Remove a rule; the ones after it move up."""
    with acting_on(db, workspace, user) as (store, _, actor):
        removed = routing_service.delete_rule(store, actor, rule)
    out.print(f"rule '{escape(removed.name)}' removed")


@route_app.command(
    "enable", epilog="Examples: lytter route enable Netbank  ·  lytter route enable Netbank --off"
)
@user_errors
def enable_command(
    rule: Annotated[str, typer.Argument(help="The rule's name or id.")],
    off: Annotated[bool, typer.Option("--off", help="Switch it off instead.")] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Switch a rule on (or off: it stays in its place but takes nothing)."""
    with acting_on(db, workspace, user) as (store, _, actor):
        changed = routing_service.enable_rule(store, actor, rule, not off)
    out.print(f"rule '{escape(changed.name)}' is {'on' if changed.enabled else 'off'}")


@route_app.command(
    "move", epilog="Examples: lytter route move Netbank 1  ·  lytter route move Trolde 3"
)
@user_errors
def move_command(
    rule: Annotated[str, typer.Argument(help="The rule's name or id.")],
    position: Annotated[int, typer.Argument(help="Its new place: 1 is tried first.", min=1)],
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Move a rule to another place in the order; the rules in between shift one place."""
    with acting_on(db, workspace, user) as (store, _, actor):
        moved = routing_service.move_rule(store, actor, rule, position)
        order = [r.name for r in routing_service.list_rules(store, actor)]
    out.print(f"rule '{escape(moved.name)}' is now {moved.position}: {escape(' → '.join(order))}")
