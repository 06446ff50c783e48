"""`lytter source ...` and `lytter collect`: the channels Lytter collects from itself."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated

import typer
import uvicorn
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from lytter.cli.common import AsOption, DbOption, WorkspaceOption, acting_on, err, out, user_errors
from lytter.config import DEFAULT_DATABASE_URL
from lytter.domain.sources import Source
from lytter.services import collecting
from lytter.store.base import Store

source_app = typer.Typer(
    help="Sources Lytter collects from itself: Facebook pages, Instagram, Mastodon, Bluesky"
    " and RSS/Atom feeds.",
    no_args_is_help=True,
)
add_app = typer.Typer(help="Start collecting from a new source.", no_args_is_help=True)
source_app.add_typer(add_app, name="add")

SourceArg = Annotated[str, typer.Argument(help="The source's id, name or platform id.")]
NameOption = Annotated[str | None, typer.Option(help="What the source is called in Lytter.")]
PollOption = Annotated[
    int, typer.Option("--poll", help="Collect every this many seconds (lytter run).")
]
TokenEnvOption = Annotated[
    str | None,
    typer.Option(
        "--token-env",
        help="Read the access token from this environment variable when collecting"
        " (nothing stored).",
    ),
]
TokenOption = Annotated[
    str | None,
    typer.Option(
        "--token",
        envvar="LYTTER_SOURCE_TOKEN",
        help="An access token, stored encrypted (key: LYTTER_KEY_FILE). Prefer --token-env or"
        " the LYTTER_SOURCE_TOKEN variable over typing it where the shell keeps history.",
    ),
]


BrandOption = Annotated[
    str | None,
    typer.Option(help="Whose channel this is: a brand's name (created when new)."),
]
CompetitorOption = Annotated[
    bool, typer.Option("--competitor", help="A new --brand is a competitor's, not your own.")
]
GraphOption = Annotated[
    str | None,
    typer.Option(
        "--graph",
        help="The Graph API's address (default https://graph.facebook.com/v26.0); for a"
        " local recorded server.",
    ),
]
WatchOption = Annotated[
    int, typer.Option("--watch-days", help="Look for new comments on posts this many days old.")
]
SinceOption = Annotated[
    str | None, typer.Option(help="Start the first collection here (2026-11-01).")
]


def _add(
    db: str,
    workspace: str,
    user: str | None,
    connector: str,
    settings: Mapping[str, object],
    *,
    name: str | None,
    poll: int,
    secret: str | None = None,
    brand: str | None = None,
    competitor: bool = False,
) -> None:
    """What every `lytter source add ...` does once its options are read."""
    with acting_on(db, workspace, user) as (store, _ws, actor):
        source = collecting.add_source(
            store,
            actor,
            connector,
            settings,
            name=name,
            secret=secret,
            poll_seconds=poll,
            brand=brand,
            competitor=competitor,
        )
    out.print(
        f"Added source {source.id}: {escape(source.name)} ({source.connector},"
        f" {escape(source.external_id)}). Try it: lytter source test {source.id}",
        soft_wrap=True,
    )


@add_app.command(
    "rss",
    epilog="Example: lytter source add rss --url https://www.dr.dk/nyheder/service/feeds/senestenyt"
    ' --name "DR Seneste nyt"',
)
@user_errors
def add_rss(
    url: Annotated[str, typer.Option(help="The feed's URL (RSS or Atom).")],
    name: NameOption = None,
    poll: PollOption = collecting.DEFAULT_POLL_SECONDS,
    brand: BrandOption = None,
    competitor: CompetitorOption = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Collect an RSS or Atom feed: a blog, a news site, a Google Alerts feed."""
    _add(
        db,
        workspace,
        user,
        "rss",
        {"url": url},
        name=name,
        poll=poll,
        brand=brand,
        competitor=competitor,
    )


@add_app.command(
    "mastodon",
    epilog="Examples: lytter source add mastodon --instance https://mastodon.social --tag dkpol"
    "  ·  lytter source add mastodon --instance https://mastodon.social --mentions"
    " --token-env MASTODON_TOKEN",
)
@user_errors
def add_mastodon(
    instance: Annotated[str, typer.Option(help="The server, e.g. https://mastodon.social.")],
    tag: Annotated[str | None, typer.Option(help="Collect this hashtag's timeline.")] = None,
    account: Annotated[
        str | None, typer.Option(help="Collect this account's statuses (user@host).")
    ] = None,
    mentions: Annotated[
        bool, typer.Option("--mentions", help="Collect mentions of the token's account.")
    ] = False,
    query: Annotated[
        str | None, typer.Option(help="Collect statuses matching this search (needs a token).")
    ] = None,
    since: SinceOption = None,
    name: NameOption = None,
    token: TokenOption = None,
    token_env: TokenEnvOption = None,
    poll: PollOption = collecting.DEFAULT_POLL_SECONDS,
    brand: BrandOption = None,
    competitor: CompetitorOption = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Collect from Mastodon: a hashtag, an account, a search, or the mentions of your
    account."""
    chosen = (("tag", tag), ("account", account), ("mentions", mentions), ("search", query))
    modes = [m for m, on in chosen if on]
    if len(modes) != 1:
        raise typer.BadParameter("give exactly one of --tag, --account, --query or --mentions")
    settings = {
        "instance": instance,
        "mode": modes[0],
        "tag": tag,
        "account": account,
        "query": query,
        "since": since,
        "token_env": token_env,
    }
    _add(
        db,
        workspace,
        user,
        "mastodon",
        settings,
        name=name,
        secret=token,
        poll=poll,
        brand=brand,
        competitor=competitor,
    )


@add_app.command(
    "bluesky",
    epilog="Examples: lytter source add bluesky --query 'danske bank'  ·  lytter source add"
    " bluesky --actor dr.dk --token-env BLUESKY_LOGIN   (BLUESKY_LOGIN=handle:app-password)",
)
@user_errors
def add_bluesky(
    query: Annotated[str | None, typer.Option(help="Collect posts matching this search.")] = None,
    actor: Annotated[
        str | None, typer.Option(help="Collect this account's posts (handle or DID).")
    ] = None,
    thread: Annotated[
        str | None, typer.Option(help="Collect this thread's replies (the post's at:// URI).")
    ] = None,
    service: Annotated[
        str, typer.Option(help="The AppView to read from.")
    ] = "https://public.api.bsky.app",
    since: SinceOption = None,
    name: NameOption = None,
    token: TokenOption = None,
    token_env: TokenEnvOption = None,
    poll: PollOption = collecting.DEFAULT_POLL_SECONDS,
    brand: BrandOption = None,
    competitor: CompetitorOption = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Collect from Bluesky: a search, an account or a thread. The token (for reply and block)
    is handle:app-password."""
    modes = [m for m, on in (("search", query), ("author", actor), ("thread", thread)) if on]
    if len(modes) != 1:
        raise typer.BadParameter("give exactly one of --query, --actor or --thread")
    settings = {
        "mode": modes[0],
        "query": query,
        "actor": actor,
        "uri": thread,
        "service": service,
        "since": since,
        "token_env": token_env,
    }
    _add(
        db,
        workspace,
        user,
        "bluesky",
        settings,
        name=name,
        secret=token,
        poll=poll,
        brand=brand,
        competitor=competitor,
    )


@add_app.command(
    "facebook",
    epilog="Examples: lytter source add facebook --page 105273638444220 --token-env FB_PAGE_TOKEN"
    "  ·  lytter source add facebook --all-pages --token-env FB_USER_TOKEN   (one source per"
    " page the user manages, each with its own page token, stored encrypted)",
)
@user_errors
def add_facebook(
    page: Annotated[str | None, typer.Option(help="The page's numeric id.")] = None,
    all_pages: Annotated[
        bool,
        typer.Option(
            "--all-pages", help="Add every page a user token manages (the token is a user's)."
        ),
    ] = False,
    since: SinceOption = None,
    watch_days: WatchOption = 3,
    name: NameOption = None,
    token: TokenOption = None,
    token_env: TokenEnvOption = None,
    graph: GraphOption = None,
    poll: PollOption = collecting.DEFAULT_POLL_SECONDS,
    brand: BrandOption = None,
    competitor: CompetitorOption = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Collect a Facebook page: its posts, visitors' posts, comments and replies. The token
    is the page's access token (pages_read_engagement, pages_read_user_content,
    pages_manage_engagement for replies and moderation)."""
    if bool(page) == all_pages:
        raise typer.BadParameter("give exactly one of --page or --all-pages")
    settings = {"since": since, "watch_days": watch_days, "graph": graph}
    if page:
        settings |= {"page": page, "token_env": token_env}
        _add(
            db,
            workspace,
            user,
            "facebook",
            settings,
            name=name,
            secret=token,
            poll=poll,
            brand=brand,
            competitor=competitor,
        )
        return
    user_token = os.environ.get(token_env) if token_env else token
    if not user_token:
        raise typer.BadParameter(
            "--all-pages needs a user token: --token-env VARIABLE or LYTTER_SOURCE_TOKEN"
        )
    with acting_on(db, workspace, user) as (store, _ws, actor):
        added, already = collecting.add_facebook_pages(
            store,
            actor,
            user_token,
            settings,
            poll_seconds=poll,
            brand=brand,
            competitor=competitor,
        )
    for source in added:
        out.print(f"Added source {source.id}: {escape(source.name)} (page {source.external_id})")
    if already:
        out.print(f"Collected already: {escape(', '.join(already))}", soft_wrap=True)
    out.print(f"{len(added)} pages added. Collect them: lytter collect")


@add_app.command(
    "instagram",
    epilog="Example: lytter source add instagram --account 17841405822304914 --token-env IG_TOKEN",
)
@user_errors
def add_instagram(
    account: Annotated[str, typer.Option(help="The Instagram business account's numeric id.")],
    since: SinceOption = None,
    watch_days: WatchOption = 3,
    name: NameOption = None,
    token: TokenOption = None,
    token_env: TokenEnvOption = None,
    graph: GraphOption = None,
    poll: PollOption = collecting.DEFAULT_POLL_SECONDS,
    brand: BrandOption = None,
    competitor: CompetitorOption = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Collect an Instagram business account: its media, their comments and replies. The
    token needs instagram_basic and instagram_manage_comments."""
    settings = {
        "account": account,
        "since": since,
        "watch_days": watch_days,
        "graph": graph,
        "token_env": token_env,
    }
    _add(
        db,
        workspace,
        user,
        "instagram",
        settings,
        name=name,
        secret=token,
        poll=poll,
        brand=brand,
        competitor=competitor,
    )


@source_app.command("list", epilog="Example: lytter source list --json")
@user_errors
def list_sources(
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per source.")] = False,
    user: AsOption = None,
) -> None:
    """The sources Lytter collects from, with when each was last collected."""
    with acting_on(db, workspace, user) as (store, _ws, actor):
        found = collecting.collected_sources(store, actor)
    if as_json:
        for s in found:
            out.print(
                json.dumps(
                    {
                        "id": s.id,
                        "name": s.name,
                        "connector": s.connector,
                        "platform": s.platform,
                        "external_id": s.external_id,
                        "settings": dict(s.settings),
                        "poll_seconds": s.poll_seconds,
                        "enabled": s.enabled,
                        "collected_at": s.collected_at.isoformat() if s.collected_at else None,
                        "last_error": s.last_error,
                        "has_secret": s.has_secret,
                    },
                    ensure_ascii=False,
                ),
                markup=False,
                soft_wrap=True,
            )
        return
    if not found:
        out.print("No sources yet. Add one: lytter source add rss --url URL")
        return
    table = Table()
    for column in ("id", "name", "connector", "collects", "last collected", "status"):
        table.add_column(column)
    for s in found:
        when = s.collected_at.strftime("%Y-%m-%d %H:%M UTC") if s.collected_at else "never"
        status = f"[red]{escape(s.last_error)}[/]" if s.last_error else "ok"
        table.add_row(
            str(s.id), escape(s.name), s.connector or "", escape(s.external_id), when, status
        )
    out.print(table)


@source_app.command("remove", epilog="Example: lytter source remove 3")
@user_errors
def remove(
    source: SourceArg,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Stop collecting from a source. Its posts stay; its settings and token are forgotten."""
    with acting_on(db, workspace, user) as (store, _ws, actor):
        kept = collecting.remove_source(store, actor, source)
    out.print("Stopped collecting; its posts are kept." if kept else "Removed the source.")


@source_app.command("test", epilog="Example: lytter source test 3")
@user_errors
def test(
    source: SourceArg,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Fetch a source's first page and show it; nothing is stored. Exit 1 when it fails."""
    with acting_on(db, workspace, user) as (store, _ws, actor):
        trial = collecting.test_source(store, actor, source)
    out.print(f"{escape(trial.source.name)}: {len(trial.posts)} posts on the first page")
    for draft in trial.posts[:10]:
        text = " ".join(draft.text.split())
        text = text if len(text) <= 100 else text[:99] + "…"
        out.print(f"  {draft.created_at:%Y-%m-%d %H:%M}  {escape(text)}", soft_wrap=True)


def collect_command(
    sources: Annotated[
        list[str] | None, typer.Argument(help="Sources to collect (default: all enabled).")
    ] = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Collect new posts from the sources now, page by page, and match them to saved queries."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with (
        acting_on(db, workspace, user) as (store, _ws, actor),
        Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err) as bar,
    ):
        task = bar.add_task("collecting", total=None)

        def progress(source: Source, posts: int) -> None:
            bar.update(task, description=f"{source.name}: {posts:,} posts")

        report = collecting.collect(store, actor, sources or None, progress=progress)
    for r in report.sources:
        line = (
            f"{r.source.name}: {r.pages} pages, {r.saved.inserted:,} new,"
            f" {r.saved.updated + r.saved.edited:,} changed ({r.seconds:.1f} s)"
        )
        if r.error:
            err.print(f"[red]{escape(line)} — failed: {escape(r.error)}[/]", soft_wrap=True)
        else:
            out.print(escape(line), soft_wrap=True)
    if not report.sources:
        out.print("No sources to collect from. Add one: lytter source add rss --url URL")
    out.print(f"{report.matches:,} new query matches")
    if report.failed:
        raise typer.Exit(1)


class JsonLines(logging.Formatter):
    """One JSON object per log line: time, level, logger, message and any extra fields."""

    _STANDARD = frozenset([*vars(logging.makeLogRecord({})), "message", "asctime"])

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update({k: v for k, v in vars(record).items() if k not in self._STANDARD})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def run_command(
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    log_format: Annotated[
        str, typer.Option("--log-format", help="json (one object per line) or text.")
    ] = "json",
    webhooks: Annotated[
        str | None,
        typer.Option(
            "--webhooks",
            metavar="HOST:PORT",
            help="Also receive Meta's webhooks (Facebook pages, Instagram) at"
            " http://HOST:PORT/webhooks/meta; needs LYTTER_META_VERIFY_TOKEN and"
            " LYTTER_META_APP_SECRET.",
        ),
    ] = None,
    user: AsOption = None,
) -> None:
    """Collect every source on its schedule until stopped (SIGTERM or Ctrl-C).

    A stop is honoured between pages: the page in flight is stored with its cursor first.

    Example: lytter run --webhooks 127.0.0.1:8090
    """
    if log_format not in ("json", "text"):
        raise typer.BadParameter("use json or text", param_hint="--log-format")
    address = _address(webhooks) if webhooks else None
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonLines()
        if log_format == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger("lytter")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    with acting_on(db, workspace, user) as (store, _ws, actor):
        server = _serve_webhooks(store, *address) if address else None
        try:
            collecting.run(store, actor, stop)
        finally:
            if server is not None:
                server.should_exit = True


def _address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise typer.BadParameter(f"use HOST:PORT, e.g. 127.0.0.1:8090, not {value!r}")
    return host, int(port)


def _serve_webhooks(store: Store, host: str, port: int) -> uvicorn.Server:
    """The webhook receiver in a thread beside the collector; stopped with it."""
    from lytter.api.webhooks import webhook_app
    from lytter.services.webhooks import WebhookSettings

    settings = WebhookSettings.from_env()
    if not settings.verify_token or not settings.app_secret:
        err.print(
            "[yellow]Webhooks need LYTTER_META_VERIFY_TOKEN and LYTTER_META_APP_SECRET;"
            " without them every notification is refused.[/]"
        )
    config = uvicorn.Config(
        webhook_app(store, settings), host=host, port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="webhooks", daemon=True)
    thread.start()
    logging.getLogger("lytter.webhooks").info(
        "receiving webhooks", extra={"url": f"http://{host}:{port}/webhooks/meta"}
    )
    return server
