"""`lytter template ...`: saved replies and moderation notices, per language, with variables."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape

from lytter.cli.common import AsOption, DbOption, WorkspaceOption, acting_on, out, user_errors
from lytter.config import DEFAULT_DATABASE_URL
from lytter.domain.replies import VARIABLES, ReplyKind
from lytter.services import replies as reply_service

template_app = typer.Typer(
    help="Saved replies (kind reply) and the notices that tell an author why a post was"
    " moderated (kind notice), in Danish and English. Variables in braces fill in: "
    + ", ".join(f"{{{v}}}" for v in VARIABLES)
    + ".",
    no_args_is_help=True,
)


@template_app.command(
    "add",
    epilog="Examples: lytter template add nedbrud 'Hej {author}. Vi arbejder på at løse det."
    " /{agent}'  ·  lytter template add nedbrud 'Hi {author}. We are on it.' --language en"
    "  ·  lytter template add moderation 'Hej {author}. Dit indlæg er {action}: {guideline}.'"
    " --kind notice",
)
@user_errors
def add_command(
    name: Annotated[str, typer.Argument(help="The name people pick it by.")],
    text: Annotated[str, typer.Argument(help="The text, with {variables}.")],
    language: Annotated[str, typer.Option(help="da or en.")] = "da",
    kind: Annotated[str, typer.Option(help="reply, or notice (moderation).")] = "reply",
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Add a saved reply or notice, or change its text in one language."""
    with acting_on(db, workspace, user) as (store, _, actor):
        saved = reply_service.save_reply(store, actor, name, text, language=language, kind=kind)
    out.print(f"saved {saved.kind.value} '{escape(saved.name)}' ({saved.language})")


@template_app.command(
    "list", epilog="Examples: lytter template list  ·  lytter template list --kind notice --json"
)
@user_errors
def list_command(
    kind: Annotated[str | None, typer.Option(help="Only reply or notice.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """The saved replies and notices."""
    chosen = None
    if kind is not None:
        if kind not in [k.value for k in ReplyKind]:
            raise typer.BadParameter("--kind is reply or notice")
        chosen = ReplyKind(kind)
    with acting_on(db, workspace, user) as (store, _, actor):
        found = reply_service.saved_replies(store, actor, chosen)
    if as_json:
        body = [
            {"name": r.name, "kind": r.kind.value, "language": r.language, "body": r.body}
            for r in found
        ]
        out.print(json.dumps(body, ensure_ascii=False), soft_wrap=True)
        return
    if not found:
        out.print("no saved replies yet: add one with lytter template add NAME TEXT")
    for r in found:
        out.print(f"[bold]{escape(r.name)}[/] ({r.kind.value}, {r.language})")
        out.print(f"  {escape(r.body)}", soft_wrap=True)


@template_app.command(
    "remove",
    epilog="Examples: lytter template remove nedbrud  ·  lytter template remove nedbrud"
    " --language en",
)
@user_errors
def remove_command(
    name: Annotated[str, typer.Argument(help="The saved reply's name.")],
    language: Annotated[str | None, typer.Option(help="Only this language.")] = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Remove a saved reply (in every language, or one)."""
    with acting_on(db, workspace, user) as (store, _, actor):
        gone = reply_service.remove_reply(store, actor, name, language)
    out.print(f"removed {gone} saved repl{'y' if gone == 1 else 'ies'} '{escape(name)}'")
