"""What every `lytter` command shares: options, output, turning errors into one line."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from lytter.domain.access import Actor
from lytter.domain.posts import PostFilter
from lytter.domain.workspaces import Workspace
from lytter.ingest.batches import ReaderError
from lytter.ingest.files import FileFormatError
from lytter.querylang import QueryError
from lytter.services.access import actor_for
from lytter.services.authors import author_types
from lytter.services.dates import parse_when, zone_named
from lytter.services.errors import NotFound, UserError
from lytter.services.importing import ImportFileError
from lytter.services.posts import sentiments
from lytter.services.sources import resolve_sources
from lytter.services.workspaces import get_workspace
from lytter.store import Store, StoreError, open_store

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="LYTTER_DATABASE_URL",
        help="Database URL: sqlite:///file.sqlite or postgresql://user@host/db.",
    ),
]
WorkspaceOption = Annotated[
    str, typer.Option("--workspace", "-w", envvar="LYTTER_WORKSPACE", help="Workspace slug.")
]
TimezoneOption = Annotated[
    str,
    typer.Option("--tz", envvar="LYTTER_TIMEZONE", help="Time zone for showing and reading dates."),
]

SourceOption = Annotated[
    list[str] | None,
    typer.Option(help="Only posts from this source (name or id); repeatable."),
]
PlatformOption = Annotated[list[str] | None, typer.Option(help="Only this platform; repeatable.")]
LanguageOption = Annotated[
    list[str] | None, typer.Option(help="Only this language (da, en...); repeatable.")
]
SentimentOption = Annotated[
    list[str] | None,
    typer.Option(help="Only posts of this tone (negative, neutral, positive); repeatable."),
]
OffensiveOption = Annotated[
    bool | None,
    typer.Option(
        "--offensive/--not-offensive", help="Only offensive posts, or all but offensive ones."
    ),
]
AuthorTypeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--author-type",
        help="Only posts by authors of this type (critic, troll, ambassador, none); repeatable.",
    ),
]
QueryTextArgument = Annotated[
    str | None,
    typer.Argument(help="Only posts matching this query (the query language); all if left out."),
]
SinceOption = Annotated[str | None, typer.Option(help="From this date (2024-05-01).")]
UntilOption = Annotated[str | None, typer.Option(help="To this date, inclusive (2024-05-31).")]


def post_filter(
    store: Store,
    workspace_id: int,
    zone: ZoneInfo,
    *,
    text: str | None = None,
    source: list[str] | None = None,
    platform: list[str] | None = None,
    language: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    sentiment: list[str] | None = None,
    offensive: bool | None = None,
    author_type: list[str] | None = None,
) -> PostFilter:
    """The posts filters the commands share, from their options."""
    return PostFilter(
        workspace_id=workspace_id,
        text=text,
        source_ids=tuple(s.id for s in resolve_sources(store, workspace_id, source or [])),
        platforms=tuple(p.lower() for p in platform or ()),
        languages=tuple(lang.lower() for lang in language or ()),
        since=parse_when(since, "--since", zone, end=False),
        until=parse_when(until, "--until", zone, end=True),
        sentiments=sentiments(sentiment or (), "--sentiment"),
        offensive=offensive,
        author_types=author_types(author_type or (), "--author-type"),
    )


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True, markup=True)
    raise typer.Exit(code)


def user_errors(fn: F) -> F:
    """Turn every error the user can fix into one clear line and a non-zero exit."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except QueryError as exc:  # the query with a caret under the spot, and a hint
            fail(exc.explain())
        except (UserError, StoreError, ImportFileError, FileFormatError, ReaderError) as exc:
            fail(str(exc))
        except sa.exc.OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            fail(f"database error: {reason}")
        except KeyboardInterrupt:
            fail("interrupted; nothing saved was lost, run the same command to go on", 130)

    return wrapper  # type: ignore[return-value]


def open_db(db: str, *, create: bool) -> Store:
    return open_store(db, create=create)


AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar="LYTTER_USER",
        help="Act as this user (e-mail): their role and pages apply. Default: the local admin.",
    ),
]


@contextmanager
def acting_on(
    db: str, workspace: str, user: str | None
) -> Iterator[tuple[Store, Workspace, Actor]]:
    """The open store, the workspace and who the command acts as; the store closes after."""
    store = open_db(db, create=False)
    try:
        ws, actor = acting(store, workspace, user)
        yield store, ws, actor
    finally:
        store.close()


def acting(store: Store, workspace: str, user: str | None) -> tuple[Workspace, Actor]:
    """The workspace and who the command acts as: `--as EMAIL`, or the local admin."""
    ws = get_workspace(store, workspace)
    if user is None:
        return ws, Actor.system(ws.id)
    found = store.find_user(user.strip().lower())
    if found is None or found.workspace_id != ws.id:
        raise NotFound("no user {email} in workspace '{slug}'", email=user, slug=ws.slug)
    return ws, actor_for(store, found)


__all__ = ["parse_when", "zone_named"]


@contextmanager
def progress_bar(what: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on standard error, fed with (done, total)."""
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(what, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
