"""`lytter tone`: how the tone of a query, a page or a period goes over time."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from lytter.cli.common import (
    AsOption,
    AuthorTypeOption,
    DbOption,
    LanguageOption,
    OffensiveOption,
    PlatformOption,
    QueryTextArgument,
    SinceOption,
    SourceOption,
    TimezoneOption,
    UntilOption,
    WorkspaceOption,
    acting_on,
    out,
    post_filter,
    zone_named,
)
from lytter.config import DEFAULT_DATABASE_URL
from lytter.services import tone as tone_service

BAR = 30
FORMATS = {"hour": "%Y-%m-%d %H:00", "day": "%Y-%m-%d %a", "week": "%G week %V", "month": "%Y-%m"}


def tone_command(
    text: QueryTextArgument = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    source: SourceOption = None,
    platform: PlatformOption = None,
    language: LanguageOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    offensive: OffensiveOption = None,
    author_type: AuthorTypeOption = None,
    interval: Annotated[str, typer.Option("--by", help="hour, day, week or month.")] = "day",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per period.")
    ] = False,
    tz: TimezoneOption = "Europe/Copenhagen",
    user: AsOption = None,
) -> None:
    """Tone over time: the analysed posts per period by tone (negative, neutral, positive),
    with net tone, (positive - negative) / posts, from -1 to 1."""
    zone = zone_named(tz)
    with acting_on(db, workspace, user) as (store, ws, actor):
        query = post_filter(
            store,
            ws.id,
            zone,
            text=text,
            source=source,
            platform=platform,
            language=language,
            since=since,
            until=until,
            offensive=offensive,
            author_type=author_type,
        )
        series = tone_service.tone_over_time(store, actor, query, zone, interval.lower())
    if as_json:
        for b in series.buckets:
            row = {
                "start": b.start.isoformat(),
                "posts": b.posts,
                "negative": b.negative,
                "neutral": b.neutral,
                "positive": b.positive,
                "net": round(b.net, 4),
                "score": round(b.score, 4),
            }
            out.print(json.dumps(row), markup=False, soft_wrap=True)
        return
    if not series.buckets:
        out.print("No analysed posts match. Try wider filters, or `lytter analyse --pending`.")
        return
    total = series.total
    out.print(
        f"{total.posts:,} analysed posts{' (the newest)' if series.capped else ''}:"
        f" {total.negative:,} negative, {total.neutral:,} neutral, {total.positive:,} positive;"
        f" net tone {total.net:+.2f}"
    )
    top = max(b.posts for b in series.buckets) or 1
    table = Table(expand=False)
    table.add_column(interval.lower(), no_wrap=True)
    table.add_column("posts", justify="right")
    table.add_column("−", justify="right")
    table.add_column("○", justify="right")
    table.add_column("+", justify="right")
    table.add_column("net", justify="right")
    table.add_column("", no_wrap=True)
    for b in series.buckets:
        width = round(b.posts / top * BAR)
        neg = round(b.negative / b.posts * width) if b.posts else 0
        pos = round(b.positive / b.posts * width) if b.posts else 0
        bar = f"[red]{'█' * neg}[/][dim]{'█' * (width - neg - pos)}[/][green]{'█' * pos}[/]"
        table.add_row(
            b.start.strftime(FORMATS[series.interval]),
            f"{b.posts:,}",
            f"{b.negative:,}",
            f"{b.neutral:,}",
            f"{b.positive:,}",
            f"{b.net:+.2f}" if b.posts else "",
            bar,
        )
    out.print(table)
