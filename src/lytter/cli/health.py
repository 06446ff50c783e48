"""`lytter health`: every own page's health, the worst first."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lytter.cli.common import AsOption, DbOption, WorkspaceOption, acting_on, out
from lytter.config import DEFAULT_DATABASE_URL
from lytter.domain.health import HealthRules
from lytter.services import health as health_service

DEFAULTS = HealthRules()


def health_command(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per page.")] = False,
    dormant_days: Annotated[
        int | None,
        typer.Option(help=f"No own post for this many days: dormant [{DEFAULTS.dormant_days}]."),
    ] = None,
    reply_days: Annotated[
        int | None,
        typer.Option(
            help=f"Conversations wait and no reply for this many days [{DEFAULTS.reply_days}]."
        ),
    ] = None,
    unanswered: Annotated[
        int | None,
        typer.Option(help=f"More waiting conversations than this: behind [{DEFAULTS.unanswered}]."),
    ] = None,
    wait_hours: Annotated[
        int | None,
        typer.Option(
            help=f"The oldest waiting conversation older than this: slow [{DEFAULTS.wait_hours}]."
        ),
    ] = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save", help="Keep the thresholds given as the workspace's own (admins, managers)."
        ),
    ] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """The health of every own page, the worst first: its last own post and reply, the
    conversations waiting for it, a score from 0 to 100 and why; dormant pages on top. The
    thresholds are the workspace's own (see --save) unless given."""
    changes = {
        "dormant_days": dormant_days,
        "reply_days": reply_days,
        "unanswered": unanswered,
        "wait_hours": wait_hours,
    }
    with acting_on(db, workspace, user) as (store, ws, actor):
        if save:
            rules = health_service.set_health_settings(store, actor, **changes)
        else:
            rules = health_service.changed(ws.health, **changes)
        pages = health_service.page_health(store, actor, rules)
    if as_json:
        for h in pages:
            row = {
                "page": h.facts.name,
                "source_id": h.facts.source_id,
                "platform": h.facts.platform,
                "score": h.score,
                "dormant": h.dormant,
                "reasons": list(h.reasons),
                "last_own_post": h.facts.last_own_post.isoformat()
                if h.facts.last_own_post
                else None,
                "last_reply": h.facts.last_reply.isoformat() if h.facts.last_reply else None,
                "days_since_own_post": h.days_since_own_post,
                "days_since_reply": h.days_since_reply,
                "unanswered": h.facts.unanswered,
            }
            out.print(json.dumps(row, ensure_ascii=False), soft_wrap=True)
        return
    if not pages:
        out.print("no own pages: mark a brand as your own (lytter source brand … --own)")
        return
    table = Table("page", "score", "last own post", "last reply", "waiting", "why")
    for h in pages:
        days = h.days_since_own_post
        table.add_row(
            escape(f"{h.facts.name} ({h.facts.platform})")
            + (" [red]dormant[/red]" if h.dormant else ""),
            str(h.score),
            "never" if days is None else f"{days} days ago",
            "never" if h.days_since_reply is None else f"{h.days_since_reply} days ago",
            str(h.facts.unanswered),
            escape("; ".join(h.reasons) or "healthy"),
        )
    out.print(table)
