"""`lytter themes`: the most discussed themes of a query, a page or a period."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lytter.cli.common import (
    AsOption,
    AuthorTypeOption,
    DbOption,
    LanguageOption,
    OffensiveOption,
    QueryTextArgument,
    SentimentOption,
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
from lytter.cli.trends import growth_dict
from lytter.config import DEFAULT_DATABASE_URL
from lytter.services import themes as theme_service


def themes_command(
    text: QueryTextArgument = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    source: SourceOption = None,
    language: LanguageOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    sentiment: SentimentOption = None,
    offensive: OffensiveOption = None,
    author_type: AuthorTypeOption = None,
    k: Annotated[
        int | None,
        typer.Option("--themes", "-k", help="How many themes (default: by the number of posts)."),
    ] = None,
    posts: Annotated[
        int,
        typer.Option(help="Read at most this many posts, the newest first."),
    ] = theme_service.DEFAULT_POSTS,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per theme.")
    ] = False,
    tz: TimezoneOption = "Europe/Copenhagen",
    user: AsOption = None,
) -> None:
    """The most discussed themes: groups of posts labelled with their key phrases, with their
    size, tone and most typical posts."""
    zone = zone_named(tz)
    with acting_on(db, workspace, user) as (store, ws, actor):
        query = post_filter(
            store,
            ws.id,
            zone,
            text=text,
            source=source,
            language=language,
            since=since,
            until=until,
            sentiment=sentiment,
            offensive=offensive,
            author_type=author_type,
        )
        report = theme_service.themes(store, actor, query, k=k, max_posts=posts)
    if as_json:
        for theme in report.themes:
            row = {
                "label": theme.label,
                "phrases": list(theme.phrases),
                "posts": theme.count,
                "share": round(theme.share, 4),
                "sentiment": theme.sentiment,
                "examples": [{"id": p.id, "text": p.text} for p in theme.examples],
                "post_ids": list(theme.post_ids),
                "daily": list(theme.daily),
                "growth": None if theme.growth is None else growth_dict(theme.growth),
            }
            out.print(json.dumps(row, ensure_ascii=False), markup=False, soft_wrap=True)
        return
    if not report.themes:
        out.print("Too few posts to find themes in. Try a wider query or period.")
        return
    table = Table(expand=True)
    table.add_column("theme", ratio=2)
    table.add_column("posts", justify="right", no_wrap=True)
    table.add_column("neg / neu / pos", justify="right", no_wrap=True)
    table.add_column("a typical post", ratio=3)
    for theme in report.themes:
        tone = " / ".join(str(theme.sentiment[s]) for s in ("negative", "neutral", "positive"))
        example = theme.examples[0].text if theme.examples else ""
        growing = ""
        if theme.growth is not None:
            ratio = theme.growth.ratio
            since = theme.growth.first_hour.astimezone(zone).strftime("%d %b %H:%M")
            times = f"{ratio:,.0f}×" if ratio < 1000 else "new"
            growing = f"\n[bold yellow]↑ growing: {times} the usual since {since}[/]"
        table.add_row(
            escape(theme.label) + growing,
            f"{theme.count:,} ({theme.share:.0%})",
            tone,
            example if len(example) <= 160 else example[:159] + "…",
        )
    out.print(table)
    newest = " (the newest; use --posts for more)" if report.capped else ""
    out.print(f"{len(report.themes)} themes in {report.posts_read:,} posts{newest}")
