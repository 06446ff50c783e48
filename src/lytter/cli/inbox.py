"""`lytter inbox ...`: the conversations on own pages that wait for an answer, and what people
do to them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape
from rich.table import Table

from lytter.cli.common import (
    AsOption,
    DbOption,
    TimezoneOption,
    WorkspaceOption,
    acting_on,
    open_db,
    out,
    parse_when,
    user_errors,
    zone_named,
)
from lytter.config import DEFAULT_DATABASE_URL
from lytter.domain.inbox import InboxItem, ItemAction, ItemState
from lytter.services import desks as desk_service
from lytter.services import inbox as inbox_service
from lytter.services.errors import UserError
from lytter.services.workspaces import get_workspace

inbox_app = typer.Typer(
    help="The inbox: every conversation on the workspace's own pages that waits for an answer,"
    " one item per thread, with its state, assignee, tags, notes and history.",
    no_args_is_help=True,
)

ItemArg = Annotated[int, typer.Argument(help="The item's id (see lytter inbox list).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _when(value: datetime | None, zone: ZoneInfo) -> str:
    return "" if value is None else value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _item_json(item: InboxItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "thread": item.thread,
        "platform": item.platform,
        "source_id": item.source_id,
        "state": item.state.value,
        "priority": item.priority.value,
        "assignee_id": item.assignee_id,
        "tags": list(item.tags),
        "flagged": item.flagged,
        "posts": item.posts,
        "created_at": item.created_at.isoformat(),
        "waiting_since": item.waiting_since.isoformat() if item.waiting_since else None,
        "first_response_at": item.first_response_at.isoformat() if item.first_response_at else None,
        "resolved_at": item.resolved_at.isoformat() if item.resolved_at else None,
        "snoozed_until": item.snoozed_until.isoformat() if item.snoozed_until else None,
        "desk_id": item.desk_id,
        "version": item.version,
    }


def _states(values: list[str] | None) -> tuple[ItemState, ...]:
    try:
        return tuple(ItemState(v.lower()) for v in values or ())
    except ValueError:
        raise UserError(
            "unknown state in --state: use new, open, pending, snoozed or resolved"
        ) from None


@inbox_app.command(
    "list",
    epilog="Examples: lytter inbox list  ·  lytter inbox list --state new --state open"
    "  ·  lytter inbox list --mine --as jonas@lytter.demo --json",
)
@user_errors
def list_command(
    state: Annotated[
        list[str] | None,
        typer.Option(help="Only items in this state (new, open, pending, snoozed, resolved)."),
    ] = None,
    mine: Annotated[bool, typer.Option("--mine", help="Only items assigned to me (--as).")] = False,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
    as_json: JsonOption = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    tz: TimezoneOption = "Europe/Copenhagen",
    user: AsOption = None,
) -> None:
    """The items on your pages, the longest waiting first."""
    zone = zone_named(tz)
    with acting_on(db, workspace, user) as (store, _, actor):
        found = inbox_service.items(store, actor, states=_states(state), mine=mine, limit=limit)
        known = (
            {d.id: d for d in desk_service.list_desks(store, actor)},
            desk_service.policies(store, actor),
        )
        slas = inbox_service.item_slas(store, actor, found, known=known)
        names = {d.id: d.name for d in known[0].values()}
    if as_json:
        for item, sla in zip(found, slas, strict=True):
            row = _item_json(item) | {"desk": names.get(item.desk_id or 0), "sla": _sla_json(sla)}
            out.print(json.dumps(row, ensure_ascii=False), soft_wrap=True)
        return
    table = Table("id", "state", "priority", "desk", "SLA", "waiting since", "posts", "thread")
    for item, sla in zip(found, slas, strict=True):
        table.add_row(
            str(item.id),
            item.state.value,
            item.priority.value,
            escape(names.get(item.desk_id or 0, "")),
            _sla_text(sla, zone),
            _when(item.waiting_since, zone) or "answered",
            str(item.posts),
            f"{item.platform}:{item.thread}"
            + (f" [{escape(', '.join(item.tags))}]" if item.tags else ""),
        )
    out.print(table)


def _sla_text(sla: inbox_service.ItemSla | None, zone: ZoneInfo) -> str:
    if sla is None:
        return ""
    parts = []
    for name, target in (("answer", sla.first_response), ("resolve", sla.resolution)):
        if target is not None:
            due = f" {_when(target.due, zone)}" if target.due else ""
            parts.append(f"{name}: {target.state.value}{due}")
    return "\n".join(parts)


def _sla_json(sla: inbox_service.ItemSla | None) -> dict[str, Any] | None:
    if sla is None:
        return None
    return {
        name: None
        if target is None
        else {"state": target.state.value, "due": target.due.isoformat() if target.due else None}
        for name, target in (("first_response", sla.first_response), ("resolution", sla.resolution))
    }


@inbox_app.command("show", epilog="Example: lytter inbox show 12")
@user_errors
def show_command(
    item_id: ItemArg,
    as_json: JsonOption = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    tz: TimezoneOption = "Europe/Copenhagen",
    user: AsOption = None,
) -> None:
    """An item with its conversation and its history: who did what, when."""
    zone = zone_named(tz)
    with acting_on(db, workspace, user) as (store, _, actor):
        view = inbox_service.item_view(store, actor, item_id)
    if as_json:
        body = _item_json(view.item) | {
            "thread_posts": [
                {
                    "id": p.id,
                    "author": p.author_handle,
                    "at": p.created_at.isoformat(),
                    "text": p.text,
                }
                for p in view.thread
            ],
            "events": [
                {"at": e.at.isoformat(), "actor": e.actor, "kind": e.kind, "details": e.details}
                for e in view.events
            ],
        }
        out.print(json.dumps(body, ensure_ascii=False), soft_wrap=True)
        return
    item = view.item
    out.print(
        f"[bold]item {item.id}[/]  {item.state.value}  ·  {item.priority.value}"
        f"  ·  {item.platform}:{escape(item.thread)}  ·  version {item.version}"
        + (f"  ·  tags: {escape(', '.join(item.tags))}" if item.tags else "")
    )
    for post in view.thread:
        out.print(
            f"  {_when(post.created_at, zone)}  #{post.id}"
            f"  [bold]{escape(post.author_name or post.author_handle or '?')}[/]: "
            f"{escape(post.text)}",
            soft_wrap=True,
        )
    out.print("[bold]history[/]")
    for event in view.events:
        details = ", ".join(f"{k}={v}" for k, v in event.details.items())
        out.print(
            f"  {_when(event.at, zone)}  {escape(event.actor)}  {event.kind}  {escape(details)}",
            soft_wrap=True,
        )


@inbox_app.command(
    "set",
    epilog="Examples: lytter inbox set 12 open  ·  lytter inbox set 12 wait"
    "  ·  lytter inbox set 12 snooze --until 2026-12-01  ·  lytter inbox set 12 resolve",
)
@user_errors
def set_command(
    item_id: ItemArg,
    action: Annotated[
        ItemAction, typer.Argument(help="open, wait (pending), snooze, resolve or reopen.")
    ],
    until: Annotated[str | None, typer.Option(help="With snooze: wake it at this time.")] = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    tz: TimezoneOption = "Europe/Copenhagen",
    user: AsOption = None,
) -> None:
    """Move an item to its next state; the history records who did it."""
    zone = zone_named(tz)
    with acting_on(db, workspace, user) as (store, _, actor):
        wake = parse_when(until, "--until", zone, end=False)
        item = inbox_service.act(store, actor, item_id, action, until=wake)
    out.print(f"item {item.id} is {item.state.value}")


@inbox_app.command(
    "assign",
    epilog="Examples: lytter inbox assign 12 jonas@lytter.demo  ·  lytter inbox assign 12 --nobody",
)
@user_errors
def assign_command(
    item_id: ItemArg,
    email: Annotated[str | None, typer.Argument(help="The user to give it to.")] = None,
    nobody: Annotated[bool, typer.Option("--nobody", help="Take it from whoever has it.")] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Give an item to a person who sees its page."""
    if (email is None) == (not nobody):
        raise typer.BadParameter("name a user's e-mail, or --nobody")
    with acting_on(db, workspace, user) as (store, _, actor):
        inbox_service.assign(store, actor, item_id, None if nobody else email)
    out.print(f"item {item_id} assigned to {'nobody' if nobody else email}")


@inbox_app.command(
    "note",
    epilog="Example: lytter inbox note 12 'Ringede til kunden, venter på svar'",
)
@user_errors
def note_command(
    item_id: ItemArg,
    text: Annotated[str, typer.Argument(help="The note (internal: never sent).")],
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Add an internal note to an item's history."""
    with acting_on(db, workspace, user) as (store, _, actor):
        inbox_service.note(store, actor, item_id, text)
    out.print(f"note added to item {item_id}")


@inbox_app.command(
    "tag",
    epilog="Examples: lytter inbox tag 12 netbank nedbrud  ·  lytter inbox tag 12 --remove nedbrud"
    "  ·  lytter inbox tag 12 --priority high",
)
@user_errors
def tag_command(
    item_id: ItemArg,
    tags: Annotated[list[str] | None, typer.Argument(help="Tags to add.")] = None,
    remove: Annotated[list[str] | None, typer.Option(help="A tag to remove; repeatable.")] = None,
    priority: Annotated[
        str | None, typer.Option(help="Set the priority: low, normal, high or urgent.")
    ] = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Tag an item, or set its priority."""
    with acting_on(db, workspace, user) as (store, _, actor):
        if tags or remove:
            inbox_service.tag(store, actor, item_id, tuple(tags or ()), tuple(remove or ()))
        if priority:
            inbox_service.set_priority(store, actor, item_id, priority)
        item = inbox_service.get_item(store, actor, item_id)
    out.print(f"item {item.id}: {item.priority.value}, tags: {', '.join(item.tags) or 'none'}")


@inbox_app.command(
    "move", epilog="Examples: lytter inbox move 12 Kundeservice  ·  lytter inbox move 12 --nowhere"
)
@user_errors
def move_command(
    item_id: ItemArg,
    desk: Annotated[str | None, typer.Argument(help="The desk's name or id.")] = None,
    nowhere: Annotated[bool, typer.Option("--nowhere", help="Take it off its desk.")] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Put an item on a desk: its SLA targets are then counted in that desk's hours."""
    if (desk is None) == (not nowhere):
        raise typer.BadParameter("name a desk, or --nowhere")
    with acting_on(db, workspace, user) as (store, _, actor):
        inbox_service.move(store, actor, item_id, None if nowhere else desk)
    out.print(f"item {item_id} is on {'no desk' if nowhere else desk}")


@inbox_app.command(
    "reply",
    epilog="Examples: lytter inbox reply 12 'Hej, vi kigger på det nu.' --as jonas@lytter.demo"
    "  ·  lytter inbox reply 12 --saved nedbrud  ·  lytter inbox reply 12 --saved nedbrud"
    " --language en --version 3",
)
@user_errors
def reply_command(
    item_id: ItemArg,
    text: Annotated[
        str | None, typer.Argument(help="The answer, as the customer will see it.")
    ] = None,
    saved: Annotated[
        str | None, typer.Option(help="Answer with this saved reply (lytter template list).")
    ] = None,
    language: Annotated[
        str | None, typer.Option(help="The saved reply's language (da or en; default the post's).")
    ] = None,
    to: Annotated[
        int | None, typer.Option(help="Answer this post of the conversation (default the newest).")
    ] = None,
    version: Annotated[
        int | None,
        typer.Option(help="The item's version you read (lytter inbox show): refuse if it changed."),
    ] = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Answer an item on its platform, signed as its desk signs; the answer is stored in the
    conversation and answers the item."""
    from lytter.services import replies

    if (text is None) == (saved is None):
        raise typer.BadParameter("give the answer's text, or --saved NAME")
    with acting_on(db, workspace, user) as (store, _, actor):
        body = text if saved is None else replies.compose(store, actor, item_id, saved, language)
        sent = replies.send(store, actor, item_id, body or "", seen_version=version, to_post_id=to)
    out.print(f"answered item {sent.item.id} on {sent.post.platform} (post {sent.post.id}):")
    out.print(escape(sent.text))


@inbox_app.command("flag", epilog="Example: lytter inbox flag 8978  (a post's id)")
@user_errors
def flag_command(
    post_id: Annotated[int, typer.Argument(help="The post's id (see lytter search).")],
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Put any post you see in the inbox: its thread becomes an item."""
    with acting_on(db, workspace, user) as (store, _, actor):
        item = inbox_service.flag(store, actor, post_id)
    out.print(f"post {post_id} is in item {item.id} ({item.state.value})")


@inbox_app.command(
    "watch",
    epilog="Example: lytter inbox watch  (lytter run does this every minute; mail goes to"
    " LYTTER_SMTP)",
)
@user_errors
def watch_command(
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Warn about SLA targets near their breach, record breaches and escalate them to the
    desk's managers by e-mail (each once)."""
    from lytter.services import sla_watch

    with acting_on(db, workspace, user) as (store, _, actor):
        report = sla_watch.watch(store, actor)
    out.print(
        f"{len(report.warned)} warned, {len(report.breached)} breached,"
        f" {len(report.escalated)} escalated"
    )
    for item_id, to, status in report.escalated:
        out.print(f"  item {item_id} → {escape(', '.join(to) or 'nobody')}: {escape(status)}")


@inbox_app.command("gather", epilog="Example: lytter inbox gather")
@user_errors
def gather_command(
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
) -> None:
    """Read the posts stored since last time into the inbox (collecting does this itself)."""
    store = open_db(db, create=False)
    try:
        ws = get_workspace(store, workspace)
        changed = inbox_service.gather(store, ws.id)
    finally:
        store.close()
    out.print(f"{changed:,} items opened or changed")
