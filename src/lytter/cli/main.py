"""The `lytter` command: thin commands that parse input, call one service and print."""

from __future__ import annotations

import json
import socket
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

# typer carries its own click; its usage errors are not exported, so they are named here.
from typer._click.exceptions import NoArgsIsHelpError, UsageError

from lytter.cli.alerts import alert_app
from lytter.cli.analyse import analyse_command
from lytter.cli.audit import audit_app
from lytter.cli.authors import author_app
from lytter.cli.common import (
    AsOption,
    AuthorTypeOption,
    DbOption,
    LanguageOption,
    OffensiveOption,
    PlatformOption,
    SentimentOption,
    SinceOption,
    SourceOption,
    TimezoneOption,
    UntilOption,
    WorkspaceOption,
    acting_on,
    err,
    open_db,
    out,
    post_filter,
    progress_bar,
    user_errors,
    zone_named,
)
from lytter.cli.desks import desk_app
from lytter.cli.goals import goal_app
from lytter.cli.health import health_command
from lytter.cli.inbox import inbox_app
from lytter.cli.metrics import metrics_command
from lytter.cli.moderation import guideline_app, moderate_app
from lytter.cli.queries import query_app
from lytter.cli.routing import route_app
from lytter.cli.sources import collect_command, run_command, source_app
from lytter.cli.templates import template_app
from lytter.cli.themes import themes_command
from lytter.cli.tone import tone_command
from lytter.cli.trends import trends_command
from lytter.cli.users import user_app
from lytter.config import DEFAULT_DATABASE_URL, DEMO_DATABASE_URL
from lytter.domain.access import Actor
from lytter.domain.posts import Post
from lytter.ingest.files import FileFormat
from lytter.ingest.normalise import FIELDS, ColumnMapping
from lytter.services import analysing
from lytter.services import posts as post_service
from lytter.services import queries as query_service
from lytter.services.errors import UserError
from lytter.services.importing import ImportReport, import_file
from lytter.services.workspaces import get_workspace
from lytter.store import Store

app = typer.Typer(
    name="lytter",
    help="Lytter: self-hosted social listening and community management.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
app.add_typer(user_app, name="user")
app.add_typer(query_app, name="query")
app.add_typer(source_app, name="source")
app.add_typer(author_app, name="author")
app.add_typer(audit_app, name="audit")
app.add_typer(inbox_app, name="inbox")
app.add_typer(desk_app, name="desk")
app.add_typer(goal_app, name="goal")
app.add_typer(alert_app, name="alert")
app.add_typer(route_app, name="route")
app.add_typer(template_app, name="template")
app.add_typer(moderate_app, name="moderate")
app.add_typer(guideline_app, name="guideline")
app.command(
    "analyse",
    epilog="Examples: lytter analyse 'Det er ikke dårligt'  ·  lytter analyse --stdin --json"
    " < texts.txt  ·  lytter analyse --pending",
)(user_errors(analyse_command))
app.command(
    "themes",
    epilog="Examples: lytter themes  ·  lytter themes 'bank* AND kundeservice' --since 2024-05-01"
    "  ·  lytter themes --source 'DR Nyheder' -k 8 --json",
)(user_errors(themes_command))
app.command(
    "trends",
    epilog="Examples: lytter trends  ·  lytter trends --hours 72 --kind hashtag"
    "  ·  lytter trends 'bank*' --until 2024-05-31T14:00 --json"
    "  ·  lytter trends --min-count 3 --save",
)(user_errors(trends_command))
app.command(
    "tone",
    epilog="Examples: lytter tone --since 2024-05-01  ·  lytter tone 'netbank*' --by week"
    "  ·  lytter tone --source 'Banken Aarhus' --by month --json",
)(user_errors(tone_command))
app.command(
    "health",
    epilog="Examples: lytter health  ·  lytter health --dormant-days 30 --json",
)(user_errors(health_command))
app.command(
    "metrics",
    epilog="Examples: lytter metrics  ·  lytter metrics --period last-month --by week"
    "  ·  lytter metrics --period 2026 --by month --page 'Banken Aarhus' --json"
    "  ·  lytter metrics --desk Kundeservice --period last-week",
)(user_errors(metrics_command))
app.command(
    "collect",
    epilog="Examples: lytter collect  ·  lytter collect 3 'DR Seneste nyt'",
)(user_errors(collect_command))
app.command(
    "run",
    epilog="Example: lytter run --db postgresql://lytter@db/lytter  (stop with SIGTERM or Ctrl-C)",
)(user_errors(run_command))


# -- init ------------------------------------------------------------------------------------


@app.command(epilog="Example: lytter init --db sqlite:///bank.sqlite --name 'Banken'")
@user_errors
def init(
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    name: Annotated[str | None, typer.Option(help="Display name of the workspace.")] = None,
    old_spelling_aa: Annotated[
        bool | None,
        typer.Option(
            "--old-spelling-aa/--no-old-spelling-aa",
            help="Let queries read the old spelling aa as å (Aarhus = Århus).",
        ),
    ] = None,
) -> None:
    """Create the database (or bring its schema up to date) and a workspace in it."""
    store = open_db(db, create=True)
    try:
        ws = store.ensure_workspace(workspace, name)
        if old_spelling_aa is not None:
            query_service.set_old_spelling_aa(store, Actor.system(ws.id), old_spelling_aa)
    finally:
        store.close()
    out.print(f"Database ready: {db} (workspace '{ws.slug}': {ws.name})")
    if old_spelling_aa is not None:
        out.print(f"Queries read aa as å: {'yes' if old_spelling_aa else 'no'}")


# -- import ----------------------------------------------------------------------------------


@app.command(
    "import",
    epilog=(
        "Examples: lytter import posts.jsonl  ·  "
        "lytter import twcs.csv --platform twitter --map id=tweet_id --map author=author_id "
        "--date-format '%a %b %d %H:%M:%S %z %Y'  ·  fields for --map: " + ", ".join(FIELDS)
    ),
)
@user_errors
def import_(
    files: Annotated[list[Path], typer.Argument(help="JSONL, CSV or TSV files (optionally .gz).")],
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    format: Annotated[
        FileFormat | None, typer.Option("--format", help="File format (default: by name).")
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="FIELD=COLUMN: read a schema field from a foreign column."),
    ] = None,
    platform: Annotated[
        str | None, typer.Option(help="Platform for rows that do not name one.")
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Source (page) name for rows that do not name one.")
    ] = None,
    language: Annotated[
        str | None, typer.Option(help="Language for rows that do not name one (da, en...).")
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option(help="strptime format of created_at when it is not ISO 8601."),
    ] = None,
    timezone: Annotated[
        str, typer.Option("--timezone", help="Zone of times that carry none.")
    ] = "UTC",
    rejects: Annotated[
        Path | None,
        typer.Option(help="Where to write rejected rows (default: FILE.rejects.jsonl here)."),
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, max=100_000, help="Rows per commit.")] = 5000,
    analyse: Annotated[
        bool,
        typer.Option(
            "--analyse/--no-analyse",
            help="Read the new posts' language, tone and offensiveness after the import"
            " (later: lytter analyse --pending).",
        ),
    ] = True,
) -> None:
    """Import posts from files in the normalised schema, or any CSV with --map.

    Idempotent: the same post twice is one row; a changed text updates the post and keeps
    the old text as an edit. Bad rows go to a rejects file with line number and reason.
    An interrupted import resumes where it stopped when run again.
    """
    try:
        columns = ColumnMapping.parse_pairs(map_ or [])
    except ValueError as exc:
        raise UserError(str(exc)) from None
    mapping = ColumnMapping(
        columns=columns,
        platform=platform,
        source=source,
        language=language,
        date_format=date_format,
        timezone=zone_named(timezone),
    )
    for path in files:
        if not path.is_file():
            raise UserError(f"file not found: {path}")
    if rejects is not None and len(files) > 1:
        raise UserError("--rejects names one file; import one file at a time with it")
    store = open_db(db, create=True)
    try:
        ws = get_workspace(store, workspace, create=True)
        for path in files:
            report = _import_one(store, ws.id, path, format, mapping, rejects, batch_size)
            _print_import(report)
        if analyse:
            with progress_bar("Analysing the new posts") as progress:
                done = analysing.analyse_new_posts(store, ws.id, progress)
            if done:
                out.print(f"Analysed {done:,} posts: language, tone and offensiveness")
    finally:
        store.close()


def _import_one(
    store: Store,
    workspace_id: int,
    path: Path,
    fmt: FileFormat | None,
    mapping: ColumnMapping,
    rejects: Path | None,
    batch_size: int,
) -> ImportReport:
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TextColumn("{task.fields[rows]:,} rows"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(path.name, total=path.stat().st_size, rows=0)
        return import_file(
            store,
            workspace_id,
            path,
            fmt=fmt,
            mapping=mapping,
            rejects_path=rejects,
            batch_size=batch_size,
            progress=lambda done, rows: bar.update(task, completed=done, rows=rows),
        )


def _print_import(r: ImportReport) -> None:
    s = r.saved
    resumed = f" (resumed after line {r.resumed_from_line:,})" if r.resumed_from_line else ""
    out.print(
        f"Imported {r.path.name}{resumed}: {r.rows:,} rows, {s.inserted:,} new, "
        f"{s.updated:,} updated ({s.edited:,} edits kept), {s.unchanged:,} unchanged, "
        f"{r.rejected:,} rejected"
    )
    if r.rejects_path is not None:
        out.print(f"Rejected rows with line numbers and reasons: {r.rejects_path}")
    if r.matched:
        out.print(f"Saved queries matched {r.matched:,} of the new posts")


# -- search ----------------------------------------------------------------------------------


def post_json(post: Post) -> dict[str, Any]:
    """A post as a flat JSON object, as `search --json` prints it."""
    e = post.engagement
    return {
        "id": post.id,
        "platform": post.platform,
        "external_id": post.external_id,
        "source": post.source_name,
        "author": post.author_handle,
        "author_name": post.author_name,
        "text": post.text,
        "language": post.language,
        "created_at": post.created_at.isoformat(),
        "collected_at": post.collected_at.isoformat(),
        "url": post.url,
        "root_id": post.root_id,
        "parent_id": post.parent_id,
        "likes": e.likes,
        "comments": e.comments,
        "shares": e.shares,
        "views": e.views,
    }


@app.command(
    epilog=(
        "Examples: lytter search 'kundeservice NOT reklame'  ·  lytter search"
        " '(\"dårlig service\" OR ventetid~) AND bank*' --language da --since 2024-01-01 --json"
        "  ·  the language: docs/query-language.md"
    )
)
@user_errors
def search(
    text: Annotated[
        str,
        typer.Argument(
            help='A query: words (all must occur), "a phrase", OR, NOT, NEAR/3, bank~, kund*,'
            " #tag, @name, author:, page:, platform:, lang:, $synonyms."
        ),
    ],
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    source: SourceOption = None,
    platform: PlatformOption = None,
    language: LanguageOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    sentiment: SentimentOption = None,
    offensive: OffensiveOption = None,
    author_type: AuthorTypeOption = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="At most this many posts.")] = 20,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per post.")
    ] = False,
    tz: TimezoneOption = "Europe/Copenhagen",
    user: AsOption = None,
) -> None:
    """Search stored posts with the query language, newest first (only pages you may see)."""
    zone = zone_named(tz)
    with acting_on(db, workspace, user) as (store, ws, actor):
        query = replace(
            post_filter(
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
            ),
            limit=limit,
        )
        page = post_service.find_posts(store, actor, query, with_total=not as_json)
    if as_json:
        for post in page.posts:
            out.print(json.dumps(post_json(post), ensure_ascii=False), markup=False, soft_wrap=True)
        return
    if not page.posts:
        out.print("No posts match. Try fewer words or wider filters.")
        return
    table = Table(show_lines=False, expand=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("time", no_wrap=True)
    table.add_column("source")
    table.add_column("author")
    table.add_column("text", ratio=3)
    for p in page.posts:
        table.add_row(
            str(p.id),
            p.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            p.source_name or p.platform,
            p.author_name or p.author_handle or "",
            p.text if len(p.text) <= 200 else p.text[:199] + "…",
        )
    out.print(table)
    about = "about " if page.approximate and not page.total_is_capped else ""
    more = "+" if page.total_is_capped else ""
    out.print(f"{len(page.posts):,} of {about}{page.total:,}{more} matching posts")
    if page.partial:
        out.print(
            "The search stopped after the newest 50,000 posts: NOT and fields alone cannot use"
            " the index. Add a word or --since/--until."
        )


# -- stats -----------------------------------------------------------------------------------


@app.command(epilog="Example: lytter stats --db sqlite:///lytter-demo.sqlite")
@user_errors
def stats(
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    as_json: Annotated[bool, typer.Option("--json", help="Print the numbers as JSON.")] = False,
    user: AsOption = None,
) -> None:
    """Counts of posts, authors, sources and edits, by platform, language and source."""
    with acting_on(db, workspace, user) as (store, ws, actor):
        s = post_service.workspace_stats(store, actor)
    if as_json:
        data = {
            "workspace": ws.slug,
            "posts": s.posts,
            "authors": s.authors,
            "sources": s.sources,
            "edits": s.edits,
            "first_post": s.first_post.isoformat() if s.first_post else None,
            "last_post": s.last_post.isoformat() if s.last_post else None,
            "by_platform": dict(s.by_platform),
            "by_language": dict(s.by_language),
            "top_sources": [{"platform": p, "source": n, "posts": c} for p, n, c in s.top_sources],
        }
        out.print(json.dumps(data, ensure_ascii=False, indent=2), markup=False)
        return
    span = (
        f"{s.first_post:%Y-%m-%d} to {s.last_post:%Y-%m-%d}"
        if s.first_post and s.last_post
        else "no posts yet"
    )
    out.print(f"[bold]{ws.name}[/] ({db})")
    out.print(
        f"{s.posts:,} posts · {s.authors:,} authors · {s.sources:,} sources · "
        f"{s.edits:,} edits kept · {span}"
    )
    for title, rows in (("platform", s.by_platform), ("language", s.by_language)):
        out.print(f"By {title}: " + ", ".join(f"{k} {v:,}" for k, v in rows))
    if s.top_sources:
        out.print("Top sources: " + ", ".join(f"{n} ({p}) {c:,}" for p, n, c in s.top_sources))


# -- serve and demo --------------------------------------------------------------------------


def _check_port(host: str, port: int, option: str = "--port") -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise UserError(
                f"cannot listen on {host}:{port} ({exc.strerror}): pick another with {option}"
            ) from None


def _serve(db: str, host: str, port: int) -> None:
    import uvicorn

    from lytter.app import create_app

    _check_port(host, port)
    store = open_db(db, create=False)
    out.print(f"Serving {db} on http://{host}:{port}  (log in there; Ctrl+C stops)")
    if not store.has_users():
        out.print(
            "No users yet: add the first one with lytter user add EMAIL --name NAME --role admin",
            markup=False,
        )
    try:
        uvicorn.run(create_app(store), host=host, port=port, log_level="warning")
    finally:
        store.close()


HostOption = Annotated[str, typer.Option(envvar="LYTTER_HOST", help="Address to listen on.")]
PortOption = Annotated[
    int, typer.Option(envvar="LYTTER_PORT", min=1, max=65535, help="Port to listen on.")
]


@app.command(epilog="Example: lytter serve --db sqlite:///lytter.sqlite --port 8000")
@user_errors
def serve(
    db: DbOption = DEFAULT_DATABASE_URL,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
) -> None:
    """Serve the workbench (web pages and the REST API under /api/v1)."""
    _serve(db, host, port)


@app.command(epilog="Examples: lytter demo  ·  lytter demo --no-serve --db sqlite:///demo.sqlite")
@user_errors
def demo(
    db: Annotated[
        str, typer.Option("--db", help="Database URL for the demo workspace.")
    ] = DEMO_DATABASE_URL,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the workbench when built.")
    ] = True,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    platform_port: Annotated[
        int,
        typer.Option(
            "--platform-port",
            help="Port of the demo's recorded platform (a Facebook page and an RSS feed on"
            " 127.0.0.1 that the demo's sources collect from); 0 to leave it out.",
        ),
    ] = 8765,
) -> None:
    """Build the bundled demo workspace (real, attributed data) and serve it.

    The demo also runs a recorded platform on 127.0.0.1:8765, shaped like the Graph API and an
    RSS feed, so its collected sources work without accounts or internet:
    lytter source test "DR (demo-side)" --db sqlite:///lytter-demo.sqlite
    """
    from lytter.demo.platform import serve_demo_platform
    from lytter.services.demo import build_demo

    if serve:
        _check_port(host, port)
    platform = None
    if platform_port:
        _check_port("127.0.0.1", platform_port, "--platform-port")
        platform = serve_demo_platform("127.0.0.1", platform_port)
    store = open_db(db, create=True)
    try:
        with Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), console=err, transient=True
        ) as bar:
            task = bar.add_task("Building the demo workspace", total=None)
            summary = build_demo(
                store,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                platform=f"http://127.0.0.1:{platform_port}" if platform else None,
            )
    finally:
        store.close()
    out.print(summary.describe())
    table = Table(title="Demo logins", title_justify="left", expand=False)
    for column in ("e-mail", "password", "role", "pages"):
        table.add_column(column)
    for row in summary.logins():
        table.add_row(*row)
    out.print(table)
    if platform is not None and serve:
        out.print(
            f"Recorded platform for the demo's sources: http://127.0.0.1:{platform_port}"
            " (a Facebook page and an RSS feed)"
        )
    try:
        if serve:
            _serve(db, host, port)
    finally:
        if platform is not None:
            platform.shutdown()


def run() -> None:
    """Entry point of the `lytter` console script: usage errors are one line too."""
    try:
        code = typer.main.get_command(app).main(standalone_mode=False)
    except NoArgsIsHelpError as exc:
        out.print(exc.ctx.get_help() if exc.ctx else "", markup=False, highlight=False)
        sys.exit(0)
    except UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "lytter"
        err.print(
            f"[bold red]error:[/] {escape(exc.format_message().replace('Value error, ', ''))}"
            f" (see '{escape(where)} --help')",
            soft_wrap=True,
            markup=True,
            highlight=False,
        )
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted")
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
