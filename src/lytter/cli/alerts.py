"""`lytter alert ...`: check for incidents, read them, and subscribe by e-mail or webhook."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from lytter.cli.common import (
    AsOption,
    DbOption,
    WorkspaceOption,
    acting_on,
    err,
    out,
    user_errors,
)
from lytter.config import DEFAULT_DATABASE_URL
from lytter.domain.access import Permission
from lytter.domain.alerts import Alert, AlertKind
from lytter.services import alerts as alert_service
from lytter.services.access import require

alert_app = typer.Typer(
    help="Alerts: emerging terms, volume spikes, sentiment drops, SLA breaches, dormant pages"
    " and goals at risk; one alert per incident, in the app, by e-mail and by signed webhook.",
    no_args_is_help=True,
)
KINDS = ", ".join(k.value for k in AlertKind)


def _row(alert: Alert, read: bool | None = None) -> dict[str, object]:
    row: dict[str, object] = {
        "id": alert.id,
        "kind": alert.kind.value,
        "title": alert.title,
        "details": alert.details,
        "opened_at": alert.opened_at.isoformat(),
        "closed_at": alert.closed_at.isoformat() if alert.closed_at else None,
    }
    if read is not None:
        row["read"] = read
    return row


@alert_app.command(
    "check",
    epilog="Examples: lytter alert check  ·  lytter alert check --kinds dormant-page,goal-at-risk",
)
@user_errors
def check_command(
    kinds: Annotated[
        str | None, typer.Option(help=f"Only these kinds, comma-separated: {KINDS}.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Look for incidents now: open an alert for each new one, close those that are over,
    and deliver the new ones to their subscribers (lytter run does this every 5 minutes)."""
    with acting_on(db, workspace, user) as (store, ws, actor):
        require(actor, Permission.MANAGE_SOURCES)
        report = alert_service.check(store, ws.id, kinds=alert_service.parse_kinds(kinds))
    if as_json:
        found = {
            "opened": [_row(a) for a in report.opened],
            "closed": [_row(a) for a in report.closed],
            "sent": report.sent,
            "failed": report.failed,
        }
        out.print(json.dumps(found, ensure_ascii=False), soft_wrap=True)
        return
    for a in report.opened:
        out.print(f"[yellow]new[/] {a.id} {a.kind.value}: {escape(a.title)}")
    for a in report.closed:
        out.print(f"[green]over[/] {a.id} {a.kind.value}: {escape(a.title)}")
    out.print(
        f"{len(report.opened)} new, {len(report.closed)} over; {report.sent} delivered"
        + (f", {len(report.failed)} failed" if report.failed else "")
    )
    for line in report.failed:
        err.print(f"[red]not delivered:[/] {escape(line)}")


@alert_app.command("list", epilog="Examples: lytter alert list  ·  lytter alert list --open --json")
@user_errors
def list_command(
    open_only: Annotated[bool, typer.Option("--open", help="Only incidents not over.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per alert.")] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """The alerts you may see, the newest first; • marks those you have not read."""
    with acting_on(db, workspace, user) as (store, _, actor):
        found = alert_service.inbox(store, actor, open_only=open_only, limit=limit)
    if as_json:
        for s in found:
            out.print(json.dumps(_row(s.alert, s.read), ensure_ascii=False), soft_wrap=True)
        return
    if not found:
        out.print("no alerts")
        return
    table = Table(
        "", "id", "opened", "kind", "what", box=box.SIMPLE_HEAD, pad_edge=False,
        collapse_padding=True,
    )  # fmt: skip
    for s in found:
        a = s.alert
        what = escape(a.title) + ("" if a.open else " [dim](over)[/]")
        table.add_row(
            "" if s.read else "•", str(a.id), f"{a.opened_at:%Y-%m-%d %H:%M}", a.kind.value, what
        )
    out.print(table)


@alert_app.command("read", epilog="Examples: lytter alert read 3 4 --as karen@lytter.demo")
@user_errors
def read_command(
    ids: Annotated[list[int] | None, typer.Argument(help="Alert ids; none: every one.")] = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Mark alerts read (yours)."""
    with acting_on(db, workspace, user) as (store, _, actor):
        n = alert_service.mark_read(store, actor, ids or None)
    out.print(f"{n} marked read")


@alert_app.command(
    "subscribe",
    epilog="Examples: lytter alert subscribe --email --as karen@lytter.demo  ·  lytter alert"
    " subscribe --webhook https://hooks.slack.com/services/T/B/X --kinds dormant-page,sla-breach"
    " --as karen@lytter.demo",
)
@user_errors
def subscribe_command(
    email: Annotated[
        bool, typer.Option("--email", help="By e-mail (to your own address unless --to).")
    ] = False,
    webhook: Annotated[
        str | None, typer.Option(help="By webhook: POST Slack/Teams-compatible JSON here.")
    ] = None,
    to: Annotated[str | None, typer.Option(help="Another e-mail address.")] = None,
    kinds: Annotated[
        str | None, typer.Option(help=f"Only these kinds, comma-separated: {KINDS}.")
    ] = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Have new alerts sent to you by e-mail or to a webhook (signed with HMAC-SHA256: the
    secret is shown once)."""
    if email == (webhook is not None):
        raise typer.BadParameter("give --email or --webhook URL", param_hint="--email")
    with acting_on(db, workspace, user) as (store, _, actor):
        if webhook is not None:
            sub, secret = alert_service.subscribe(store, actor, "webhook", webhook, kinds)
        else:
            sub, secret = alert_service.subscribe(store, actor, "email", to, kinds)
    chosen = "every kind" if sub.kinds is None else ", ".join(sorted(sub.kinds))
    out.print(f"subscription {sub.id}: {sub.channel.value} to {escape(sub.address)} ({chosen})")
    if secret:
        out.print(
            f"signing secret (shown once): [bold]{secret}[/]\n"
            "each POST has X-Lytter-Timestamp and X-Lytter-Signature: sha256=HMAC-SHA256("
            "secret, timestamp + '.' + body)"
        )


@alert_app.command("subscriptions", epilog="Examples: lytter alert subscriptions --as EMAIL")
@user_errors
def subscriptions_command(
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Your e-mail and webhook subscriptions."""
    with acting_on(db, workspace, user) as (store, _, actor):
        found = alert_service.subscriptions(store, actor)
    if not found:
        out.print("no subscriptions: lytter alert subscribe --email")
        return
    for s in found:
        chosen = "every kind" if s.kinds is None else ", ".join(sorted(s.kinds))
        out.print(f"{s.id}  {s.channel.value}  {escape(s.address)}  ({chosen})")


@alert_app.command("unsubscribe", epilog="Examples: lytter alert unsubscribe 2 --as EMAIL")
@user_errors
def unsubscribe_command(
    subscription: Annotated[int, typer.Argument(help="The subscription's id.")],
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Stop a subscription."""
    with acting_on(db, workspace, user) as (store, _, actor):
        alert_service.unsubscribe(store, actor, subscription)
    out.print(f"subscription {subscription} stopped")
