"""`lytter audit ...`: check that the audit log of moderation acts is intact, and export it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from lytter.cli.common import AsOption, DbOption, WorkspaceOption, acting_on, fail, out, user_errors
from lytter.config import DEFAULT_DATABASE_URL
from lytter.services import audit as audit_service

audit_app = typer.Typer(
    help="The audit log: every moderation act with who, what, when, why and the hashes of its"
    " evidence, as a hash chain that shows any edited or removed entry.",
    no_args_is_help=True,
)


@audit_app.command(
    "verify",
    epilog="Examples: lytter audit verify  ·  lytter audit verify --expect 3f9a…"
    " (a head hash written down earlier)",
)
@user_errors
def verify_command(
    expect: Annotated[
        str | None,
        typer.Option(
            help="A head hash printed by an earlier verify: fail unless it is still in the log."
        ),
    ] = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Check every entry of the audit log against its hash and the one before it; exits 0
    only when the chain is intact, and prints its head hash to keep elsewhere."""
    with acting_on(db, workspace, user) as (store, _, actor):
        check = audit_service.verify(store, actor, expect)
    if not check.intact:
        fail(f"the audit log is not intact: {check.problem}")
    out.print(f"audit log intact: {check.entries:,} entries, head {check.head}")


@audit_app.command(
    "export",
    epilog="Examples: lytter audit export --format csv --output audit.csv"
    "  ·  lytter audit export --format jsonl",
)
@user_errors
def export_command(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="json (one array), jsonl (a line each) or csv.")
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
    ] = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Export the audit log, oldest entry first, with each entry's hash and the one before."""
    with acting_on(db, workspace, user) as (store, _, actor):
        pieces = audit_service.export(store, actor, fmt.lower())
        if output is None:
            for piece in pieces:
                sys.stdout.write(piece)
            return
        with output.open("w", encoding="utf-8", newline="") as f:
            for piece in pieces:
                f.write(piece)
    out.print(f"wrote {output}")
