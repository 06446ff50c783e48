"""`lytter analyse`: language, tone and offensiveness of texts, for scripts and evaluation."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from lytter.analysis.analyse import analyse
from lytter.analysis.language import DEFAULT_LANGUAGES
from lytter.cli.common import (
    AsOption,
    DbOption,
    WorkspaceOption,
    acting_on,
    out,
    progress_bar,
)
from lytter.config import DEFAULT_DATABASE_URL
from lytter.services import analysing
from lytter.services.errors import UserError

BATCH = 1000


def analyse_command(
    texts: Annotated[
        list[str] | None, typer.Argument(help="Texts to analyse (or --stdin).")
    ] = None,
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Read one text per line from standard input.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per text, in order.")
    ] = False,
    languages: Annotated[
        str,
        typer.Option(
            help="The languages to tell apart, ISO 639-1 codes separated by commas.",
        ),
    ] = ",".join(DEFAULT_LANGUAGES),
    pending: Annotated[
        bool,
        typer.Option(
            "--pending", help="Analyse the stored posts not analysed yet (e.g. after an import)."
        ),
    ] = False,
    everything: Annotated[
        bool,
        typer.Option(
            "--all", help="Analyse every stored post again (after new models); corrections stay."
        ),
    ] = False,
    precise: Annotated[
        bool,
        typer.Option(
            "--precise",
            help="Mix in the embedding model's reading: more accurate, ~200x slower"
            " (needs pip install 'lytter\\[precise]').",
        ),
    ] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Analyse texts offline: language, sentiment (negative/neutral/positive and a score from
    -1 to 1) and the probability that each is offensive; or, with --pending or --all, the
    posts stored in the workspace, kept for lists, filters and charts.

    Example: printf 'Det er ikke dårligt\\nElendig service 😡\\n' | lytter analyse --stdin --json
    """
    if precise:
        from lytter.analysis.precise import available

        if not available():
            raise UserError(
                "--precise needs the embedding model: pip install 'lytter[precise]'",
                field="precise",
            )
    if pending or everything:
        if texts or stdin or (pending and everything):
            raise typer.BadParameter("--pending and --all take no texts, and not each other")
        _analyse_stored(db, workspace, user, everything, precise)
        return
    if stdin == bool(texts):
        raise typer.BadParameter("give texts as arguments or --stdin, not both or neither")
    codes = tuple(c.strip().lower() for c in languages.split(",") if c.strip())
    try:
        from lytter.analysis.language import detector

        detector(codes)
    except ValueError as exc:
        raise UserError("{reason}", field="languages", reason=str(exc)) from exc
    lines = (line.rstrip("\n") for line in sys.stdin) if stdin else iter(texts or [])
    batch: list[str] = []

    def flush() -> None:
        for text, result in zip(batch, analyse(batch, codes, precise=precise), strict=True):
            if as_json:
                print(json.dumps(result.as_dict(), ensure_ascii=False), flush=False)
            else:
                short = " ".join(text.split())
                short = short if len(short) <= 60 else short[:59] + "…"
                out.print(
                    f"{result.language or '?':3} {result.sentiment:8} {result.sentiment_score:+.2f}"
                    f"  offensive {result.offensive:.2f}  {short}",
                    markup=False,
                    highlight=False,
                    soft_wrap=True,
                )
        sys.stdout.flush()
        batch.clear()

    for line in lines:
        batch.append(line)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()


def _analyse_stored(
    db: str, workspace: str, user: str | None, everything: bool, precise: bool
) -> None:
    with acting_on(db, workspace, user) as (store, ws, actor):
        with progress_bar("Analysing posts") as progress:
            if everything:
                done = analysing.analyse_all(store, actor, progress, precise)
            else:
                done = analysing.analyse_new_posts(store, ws.id, progress, precise)
        counts = store.sentiment_counts(ws.id)
    tones = ", ".join(f"{counts.get(t, 0):,} {t}" for t in ("negative", "neutral", "positive"))
    out.print(f"Analysed {done:,} posts in '{ws.slug}'. All analysed posts: {tones}")
