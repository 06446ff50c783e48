"""`lytter query ...`: check a listening query before you save it."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from lytter.cli.common import err, out
from lytter.querylang import QueryError, parse
from lytter.querylang.render import render

query_app = typer.Typer(
    help="Listening queries: the boolean language of Brandwatch, Danish-aware.",
    no_args_is_help=True,
)


@query_app.command(
    "check",
    epilog="""Example: lytter query check '"dårlig service" NEAR/5 kundeservice* NOT lån'""",
)
def check(
    query: Annotated[str, typer.Argument(help="The query; see docs/query-language.md.")],
) -> None:
    """Say whether a query is valid, and how Lytter reads it; exit 1 when it is not."""
    try:
        node = parse(query)
    except QueryError as exc:
        err.print(
            f"[bold red]error:[/] {escape(exc.explain())}",
            markup=True,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    out.print(f"Valid query: {render(node)}", markup=False, soft_wrap=True)
