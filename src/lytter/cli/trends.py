"""`lytter trends`: the words, phrases, #hashtags and @mentions that suddenly grow."""

from __future__ import annotations

import json
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from lytter.analysis.trends import HOUR, EmergingTerm
from lytter.cli.common import (
    AsOption,
    AuthorTypeOption,
    DbOption,
    LanguageOption,
    OffensiveOption,
    PlatformOption,
    QueryTextArgument,
    SentimentOption,
    SinceOption,
    SourceOption,
    TimezoneOption,
    WorkspaceOption,
    acting_on,
    out,
    post_filter,
    zone_named,
)
from lytter.config import DEFAULT_DATABASE_URL
from lytter.services import trends as trend_service
from lytter.services.errors import UserError

SPARKS = "▁▂▃▄▅▆▇█"
SPARK_BARS = 24


def sparkline(counts: tuple[int, ...], bars: int = SPARK_BARS) -> str:
    """Posts over time as at most `bars` bars (hours summed where there are more), the
    highest bar full."""
    if len(counts) > bars:
        edges = [round(i * len(counts) / bars) for i in range(bars + 1)]
        counts = tuple(sum(counts[a:b]) for a, b in zip(edges, edges[1:], strict=False))
    top = max(counts, default=0)
    if not top:
        return SPARKS[0] * len(counts)
    return "".join(SPARKS[round(c / top * (len(SPARKS) - 1))] for c in counts)


def _windows(value: str | None) -> list[int] | None:
    if value is None:
        return None
    try:
        return [int(w) for w in value.split(",") if w.strip()]
    except ValueError:
        raise UserError(
            "--windows '{value}' is not a list of hours such as 1,3,6,24",
            field="windows",
            value=value,
        ) from None


def trends_command(
    text: QueryTextArgument = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    source: SourceOption = None,
    platform: PlatformOption = None,
    language: LanguageOption = None,
    since: SinceOption = None,
    until: Annotated[
        str | None,
        typer.Option(
            help="The hours looked at end here (2024-05-31 or 2024-05-31T14:00);"
            " default: the newest matching post."
        ),
    ] = None,
    sentiment: SentimentOption = None,
    offensive: OffensiveOption = None,
    author_type: AuthorTypeOption = None,
    hours: Annotated[
        int, typer.Option(help="Look at the last this many hours.")
    ] = trend_service.DEFAULT_HOURS,
    limit: Annotated[int, typer.Option(help="Show at most this many terms.")] = 20,
    kind: Annotated[
        list[str] | None,
        typer.Option(help="Only this kind of term: word, phrase, hashtag, mention; repeatable."),
    ] = None,
    min_count: Annotated[
        int | None, typer.Option(help="Threshold: posts in the window, at least.")
    ] = None,
    min_ratio: Annotated[
        float | None,
        typer.Option(help="Threshold: times what the baseline expects, at least."),
    ] = None,
    threshold: Annotated[
        float | None, typer.Option(help="Threshold: the burst score, at least.")
    ] = None,
    baseline_days: Annotated[
        int | None, typer.Option(help="Days before the window that set a term's usual share.")
    ] = None,
    windows: Annotated[
        str | None, typer.Option(help="Windows in hours, comma-separated (1,3,6,24).")
    ] = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save", help="Keep the thresholds given as the workspace's own (admins, managers)."
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per emerging term.")
    ] = False,
    tz: TimezoneOption = "Europe/Copenhagen",
    user: AsOption = None,
) -> None:
    """The terms that suddenly grow: each word, phrase, #hashtag and @mention is scored
    against its own usual share of the posts (the workspace's thresholds, or those given)."""
    zone = zone_named(tz)
    changes = {
        "min_count": min_count,
        "min_ratio": min_ratio,
        "threshold": threshold,
        "baseline_days": baseline_days,
        "windows": _windows(windows),
    }
    with acting_on(db, workspace, user) as (store, ws, actor):
        if save:
            settings = trend_service.set_trend_settings(store, actor, **changes)
        else:
            settings = trend_service.changed(ws.trends, **changes)
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
            sentiment=sentiment,
            offensive=offensive,
            author_type=author_type,
        )
        report = trend_service.trends(
            store,
            actor,
            query,
            hours=hours,
            settings=settings,
            limit=limit,
            kinds=tuple(k.lower() for k in kind) if kind else trend_service.KINDS,
        )
    if as_json:
        for summary in report.terms:
            term = summary.term
            row = {
                "term": term.term,
                "kind": term.kind,
                **growth_dict(term),
                "sentiment": summary.sentiment,
                "hourly": {"start": report.series_start.isoformat(), "posts": list(term.series)},
                "examples": [{"id": p.id, "text": p.text} for p in summary.examples],
                "post_ids": list(term.post_ids),
            }
            out.print(json.dumps(row, ensure_ascii=False), markup=False, soft_wrap=True)
        return
    _print(report, zone)


def growth_dict(term: EmergingTerm) -> dict[str, object]:
    """How a term (or theme) grew, as --json prints it."""
    return {
        "score": term.score,
        "posts": term.count,
        "expected": term.expected,
        "window_hours": term.window,
        "first_hour": term.first_hour.isoformat(),
        "peak_hour": term.peak_hour.isoformat(),
    }


def _print(report: trend_service.TrendReport, zone: ZoneInfo) -> None:
    s = report.settings
    until = report.until.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    hours = (report.until - report.since) // HOUR
    out.print(
        f"Emerging in the {hours} hours up to {until} ({zone.key}), among {report.posts_read:,}"
        f" posts{' (the newest)' if report.capped else ''}; thresholds: ≥ {s.min_count} posts,"
        f" ≥ {s.min_ratio:g}× the baseline, score ≥ {s.threshold:g}, {s.baseline_days}-day"
        f" baseline, windows {','.join(map(str, s.windows))} h",
        soft_wrap=True,
    )
    if not report.terms:
        out.print("Nothing is emerging. Try more --hours, or lower thresholds (--min-count).")
        return
    wide, wider = out.width >= 100, out.width >= 150
    table = Table(expand=True)
    table.add_column("term", ratio=2, overflow="fold")
    table.add_column("posts", justify="right", no_wrap=True)
    table.add_column("× usual", justify="right", no_wrap=True)
    table.add_column("since", no_wrap=True)
    table.add_column("− / 0 / +", justify="right", no_wrap=True)
    if wide:
        table.add_column(f"last {hours} h", no_wrap=True)
    if wider:
        table.add_column("newest post", ratio=3)
    for summary in report.terms:
        term = summary.term
        row = [
            term.term,
            f"{term.count} in {term.window} h",
            f"{term.ratio:,.0f}" if term.ratio < 1000 else "new",
            term.first_hour.astimezone(zone).strftime("%d %b %H:%M"),
            "/".join(str(summary.sentiment[k]) for k in ("negative", "neutral", "positive")),
        ]
        if wide:
            row.append(sparkline(term.series[-hours:]))
        if wider:
            example = summary.examples[0].text if summary.examples else ""
            row.append(example if len(example) <= 120 else example[:119] + "…")
        table.add_row(*row)
    out.print(table)
