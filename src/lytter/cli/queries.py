"""`lytter query ...`: check, save, test and list listening queries."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lytter.cli.common import (
    AsOption,
    DbOption,
    WorkspaceOption,
    acting_on,
    err,
    out,
    progress_bar,
    user_errors,
)
from lytter.config import DEFAULT_DATABASE_URL
from lytter.querylang import QueryError, parse
from lytter.querylang.render import render
from lytter.services import queries as query_service

query_app = typer.Typer(
    help="Listening queries: the boolean language of Brandwatch, Danish-aware.",
    no_args_is_help=True,
)
QueryArg = Annotated[str, typer.Argument(help="The query; see docs/query-language.md.")]
NameArg = Annotated[str, typer.Argument(help="The saved query's name (or id).")]
CompoundsOption = Annotated[
    str,
    typer.Option(
        help="Let plain words count in Danish compounds: tail (rådgiver finds bankrådgiver),"
        " head (bank finds bankfilial), both, or none."
    ),
]


def _explain(exc: QueryError) -> None:
    err.print(
        f"[bold red]error:[/] {escape(exc.explain())}",
        markup=True,
        highlight=False,
        soft_wrap=True,
    )
    raise typer.Exit(1)


def _short(text: str) -> str:
    return text if len(text) <= 140 else text[:139] + "…"


@query_app.command(
    "check",
    epilog="""Example: lytter query check '"dårlig service" NEAR/5 kundeservice* NOT lån'""",
)
def check(query: QueryArg) -> None:
    """Say whether a query is valid, and how Lytter reads it; exit 1 when it is not."""
    try:
        node = parse(query)
    except QueryError as exc:
        _explain(exc)
    out.print(f"Valid query: {render(node)}", markup=False, soft_wrap=True)


@query_app.command(
    "add",
    epilog=(
        "Example: lytter query add 'Netbank nede' '(netbank OR app) NEAR/3 (nede OR virker)'"
        " --brand Banken --tag drift --language da"
    ),
)
@user_errors
def add(
    name: Annotated[str, typer.Argument(help="A name colleagues recognise.")],
    query: QueryArg,
    brand: Annotated[str | None, typer.Option(help="Whose mentions: a brand's name.")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="A tag; repeatable.")] = None,
    language: Annotated[
        list[str] | None, typer.Option(help="Only posts in this language; repeatable.")
    ] = None,
    compounds: CompoundsOption = "none",
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Save a query and find its matches among every stored post."""
    with acting_on(db, workspace, user) as (store, _, actor):
        try:
            parse(query)  # a bad query is explained before any progress bar appears
            with progress_bar("Matching stored posts") as progress:
                view = query_service.add_query(
                    store,
                    actor,
                    name=name,
                    text=query,
                    brand=brand,
                    tags=tag or (),
                    languages=language or (),
                    compounds=compounds,
                    progress=progress,
                )
        except QueryError as exc:
            _explain(exc)
    out.print(f"Saved '{escape(view.query.name)}': {view.matches:,} matching posts")


@query_app.command(
    "edit", epilog="Example: lytter query edit 'Netbank nede' 'netbank~ NEAR/3 nede'"
)
@user_errors
def edit(
    name: NameArg,
    query: QueryArg,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Change a saved query; its matches are found again."""
    with acting_on(db, workspace, user) as (store, _, actor):
        try:
            parse(query)
            with progress_bar("Matching stored posts") as progress:
                view = query_service.update_query(store, actor, name, text=query, progress=progress)
        except QueryError as exc:
            _explain(exc)
    out.print(f"Changed '{escape(view.query.name)}': {view.matches:,} matching posts")


@query_app.command("list", epilog="Example: lytter query list --json")
@user_errors
def list_(
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per query.")] = False,
    user: AsOption = None,
) -> None:
    """The saved queries and how many posts each matches."""
    with acting_on(db, workspace, user) as (store, _, actor):
        views = query_service.list_queries(store, actor)
    if as_json:
        for v in views:
            q = v.query
            item = {
                "id": q.id,
                "name": q.name,
                "query": q.text,
                "brand_id": q.brand_id,
                "tags": list(q.tags),
                "languages": list(q.languages),
                "matches": v.matches,
            }
            out.print(json.dumps(item, ensure_ascii=False), markup=False, soft_wrap=True)
        return
    table = Table(expand=True)
    for column in ("id", "name", "query", "matches"):
        table.add_column(column, justify="right" if column in ("id", "matches") else "left")
    for v in views:
        table.add_row(str(v.query.id), v.query.name, escape(v.query.text), f"{v.matches:,}")
    out.print(table)


@query_app.command("show", epilog="Example: lytter query show 'Netbank nede' --limit 10")
@user_errors
def show(
    name: NameArg,
    limit: Annotated[int, typer.Option(min=1, max=500, help="At most this many posts.")] = 20,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """A saved query's newest matching posts (on the pages you may see)."""
    with acting_on(db, workspace, user) as (store, _, actor):
        view, posts = query_service.query_posts(store, actor, name, limit)
    out.print(f"[bold]{escape(view.query.name)}[/]: {escape(view.query.text)}")
    for p in posts:
        text = p.text if len(p.text) <= 160 else p.text[:159] + "…"
        out.print(f"{p.id:>8}  {p.created_at:%Y-%m-%d}  {escape(text)}", soft_wrap=True)
    out.print(f"{len(posts):,} of {view.matches:,} matching posts")


@query_app.command("remove", epilog="Example: lytter query remove 'Netbank nede'")
@user_errors
def remove(
    name: NameArg,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Delete a saved query and its matches."""
    with acting_on(db, workspace, user) as (store, _, actor):
        removed = query_service.remove_query(store, actor, name)
    out.print(f"Removed '{escape(removed.name)}'")


@query_app.command(
    "test", epilog="Example: lytter query test '(netbank OR app) NEAR/3 nede' --sample 5000"
)
@user_errors
def test(
    query: QueryArg,
    sample: Annotated[int, typer.Option(min=1, help="Try it on this many newest posts.")] = 5000,
    compounds: CompoundsOption = "none",
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Try a query on the newest posts before saving it."""
    with acting_on(db, workspace, user) as (store, _, actor):
        try:
            trial = query_service.test_query(store, actor, query, sample, compounds=compounds)
        except QueryError as exc:
            _explain(exc)
    for p in trial.matches:
        out.print(f"{p.id:>8}  {p.created_at:%Y-%m-%d}  {escape(_short(p.text))}", soft_wrap=True)
    out.print(f"{trial.matched:,} of the {trial.tried:,} newest posts match")
    if trial.near_misses:
        out.print("[bold]Near misses[/] (what each one lacks):")
        for p, missing in trial.near_misses:
            out.print(
                f"{p.id:>8}  [dim]{escape(missing)}[/]  {escape(_short(p.text))}", soft_wrap=True
            )


@query_app.command(
    "synonyms",
    epilog=(
        "Example: lytter query synonyms kundeservice 'kundeservice*' '\"customer service\"' support"
    ),
)
@user_errors
def synonyms(
    name: Annotated[str, typer.Argument(help="The set's name, used as $name in queries.")],
    entries: Annotated[list[str], typer.Argument(help='Words, "phrases" or small queries.')],
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Define a synonym set; saved queries that use it find their matches again."""
    with acting_on(db, workspace, user) as (store, _, actor):
        try:
            for entry in entries:
                parse(entry)
            with progress_bar("Matching stored posts") as progress:
                made = query_service.set_synonyms(store, actor, name, entries, progress)
        except QueryError as exc:
            _explain(exc)
    out.print(f"${made.name} = " + escape(" OR ".join(made.entries)), soft_wrap=True)
