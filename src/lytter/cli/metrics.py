"""`lytter metrics`: a period's numbers per day, week or month, for the workspace or one page,
brand, platform, saved query, desk or person."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from lytter.cli.common import AsOption, DbOption, WorkspaceOption, acting_on, out
from lytter.config import DEFAULT_DATABASE_URL
from lytter.domain.metrics import Metrics
from lytter.services import metrics as metric_service


def _share(value: object) -> str:
    return "–" if value is None else f"{float(value):.0%}"  # type: ignore[arg-type]


def _minutes(value: object) -> str:
    if value is None:
        return "–"
    minutes = int(value) / 60  # type: ignore[call-overload]
    return f"{minutes:.0f} min" if minutes < 120 else f"{minutes / 60:.1f} h"


def _net(value: object) -> str:
    return "–" if value is None else f"{float(value):+.2f}"  # type: ignore[arg-type]


def print_metrics(found: Metrics) -> None:
    table = Table(
        title=f"{found.period} by {found.granularity.value}",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    for name in ("from", "posts", "engaged", "authors", "tone", "items", "answered"):
        table.add_column(name, no_wrap=True, justify="left" if name == "from" else "right")
    table.add_column("1st answer", justify="right", no_wrap=True)
    table.add_column("SLA", justify="right", no_wrap=True)
    rows = [t.as_dict() for t in found.series] + [found.total.as_dict() | {"start": "total"}]
    for r in rows:
        table.add_row(
            str(r["start"]),
            str(r["posts"]),
            str(r["engagement"]),
            str(r["unique_authors"]),
            _net(r["net_sentiment"]),
            str(r["items"]),
            _share(r["response_rate"]),
            _minutes(r["first_response_median_s"]),
            _share(r["sla_first_response"]),
            end_section=r["start"] == rows[-2]["start"] if len(rows) > 1 else False,
        )
    out.print(table)
    if found.voice:
        voice = Table("brand", "posts", "share of voice", title="share of voice")
        for v in found.voice:
            voice.add_row(escape(f"{v.brand} ({v.kind})"), str(v.posts), _share(v.share))
        out.print(voice)


def metrics_command(
    period: Annotated[
        str,
        typer.Option(
            help="last-30-days, last-7-days, this-week, last-week, this-month, last-month, "
            "this-year, 2026-10, 2026, 2026-10-01..2026-10-31"
        ),
    ] = "last-30-days",
    by: Annotated[str, typer.Option(help="Buckets: day, week or month.")] = "day",
    page: Annotated[str | None, typer.Option(help="One page (its name or id).")] = None,
    brand: Annotated[str | None, typer.Option(help="A brand's pages.")] = None,
    platform: Annotated[str | None, typer.Option(help="One platform (facebook ...).")] = None,
    query: Annotated[str | None, typer.Option(help="Posts matching a saved query.")] = None,
    voice_of: Annotated[
        str | None, typer.Option(help="Posts matching any of a brand's saved queries.")
    ] = None,
    desk: Annotated[str | None, typer.Option(help="A desk's inbox items.")] = None,
    person: Annotated[str | None, typer.Option(help="Items assigned to a person (e-mail).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    raw: Annotated[
        bool, typer.Option(help="Compute from the raw rows instead of the roll-ups (slow).")
    ] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Volume, engagement, unique authors, tone, response rate and times, SLA attainment and
    share of voice over a period, per day, week or month (times in the workspace's zone)."""
    with acting_on(db, workspace, user) as (store, _, actor):
        chosen = metric_service.period_named(store, actor, period)
        granularity = metric_service.granularity_named(by)
        filt = metric_service.metric_filter(
            store,
            actor,
            page=page,
            brand=brand,
            platform=platform,
            query=query,
            voice_of=voice_of,
            desk=desk,
            person=person,
        )
        if raw:
            found = metric_service.raw_metrics(store, actor, chosen, granularity, filt)
        else:
            if store.metrics_stale(actor.workspace_id) and not as_json:
                with Progress(transient=True, console=out) as bar:
                    task = bar.add_task("bringing the roll-ups up to date", total=None)

                    def step(done: int, total: int) -> None:
                        bar.update(task, completed=done, total=total)

                    metric_service.refresh(store, actor.workspace_id, step)
            found = metric_service.metrics(store, actor, chosen, granularity, filt)
    if as_json:
        out.print(json.dumps(found.as_dict(), ensure_ascii=False), soft_wrap=True)
        return
    print_metrics(found)
