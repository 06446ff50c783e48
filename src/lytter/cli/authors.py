"""`lytter author ...`: critics, trolls and ambassadors, with the reasons, and people's word
on them."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from lytter.cli.common import (
    AsOption,
    DbOption,
    WorkspaceOption,
    acting_on,
    out,
    progress_bar,
    user_errors,
)
from lytter.config import DEFAULT_DATABASE_URL
from lytter.domain.authors import AUTHOR_TYPES, AuthorSettings, AuthorType
from lytter.services import authors as author_service

author_app = typer.Typer(
    help="Authors as voices: critics (negative but constructive), trolls (abusive or baiting,"
    " no substance) and ambassadors (positive, helpful, with reach), each with the reasons.",
    no_args_is_help=True,
)

AuthorArg = Annotated[str, typer.Argument(help="The author's id or handle (@handle).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _label_json(label: AuthorType | None) -> dict[str, Any] | None:
    if label is None:
        return None
    return {
        "type": label.type,
        "computed": label.computed,
        "reasons": [{**r.as_dict(), "text": author_service.reason_text(r)} for r in label.reasons],
        "stats": label.stats.as_dict(),
        "override": label.override,
        "override_note": label.override_note,
        "override_by": label.override_by,
        "override_at": label.override_at.isoformat() if label.override_at else None,
    }


def _reasons(label: AuthorType) -> str:
    return "; ".join(author_service.reason_text(r) for r in label.reasons)


@author_app.command(
    "list",
    epilog="Examples: lytter author list  ·  lytter author list --type troll --limit 100"
    "  ·  lytter author list --type critic --json",
)
@user_errors
def list_command(
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    author_type: Annotated[
        list[str] | None,
        typer.Option("--type", help="Only this type: critic, troll, ambassador, none; repeatable."),
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many authors.")] = 50,
    as_json: JsonOption = False,
    user: AsOption = None,
) -> None:
    """The critics, trolls and ambassadors (or the --type asked for), most posts first."""
    with acting_on(db, workspace, user) as (store, _ws, actor):
        found = author_service.list_authors(store, actor, author_type or AUTHOR_TYPES, limit=limit)
        counts = author_service.type_counts(store, actor)
    if as_json:
        for summary in found:
            a = summary.author
            row = {
                "id": a.id,
                "platform": a.platform,
                "handle": a.handle,
                "name": a.name,
                "followers": a.followers,
                **(_label_json(summary.label) or {}),
            }
            out.print(json.dumps(row, ensure_ascii=False), markup=False, soft_wrap=True)
        return
    out.print(
        "  ·  ".join(f"{counts[t]:,} {t}{'s' if counts[t] != 1 else ''}" for t in AUTHOR_TYPES)
        + f"  ·  {counts['none']:,} of no type"
    )
    if not found:
        out.print("No authors of that type. New posts are typed as `lytter analyse` reads them.")
        return
    table = Table(expand=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("author", ratio=1, overflow="fold")
    table.add_column("type", no_wrap=True)
    table.add_column("posts", justify="right", no_wrap=True)
    table.add_column("why", ratio=3, overflow="fold")
    for summary in found:
        a, label = summary.author, summary.label
        kind = label.type + (" (set by a person)" if label.override else "")
        table.add_row(
            str(a.id),
            escape(f"{a.name} ({a.platform}/{a.handle})" if a.name else f"{a.platform}/{a.handle}"),
            kind,
            f"{label.stats.posts:,}",
            escape((label.override_note or "") if label.override else _reasons(label)),
        )
    out.print(table)


@author_app.command(
    "show",
    epilog="Examples: lytter author show 42  ·  lytter author show @mette --json",
)
@user_errors
def show_command(
    author: AuthorArg,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    as_json: JsonOption = False,
    user: AsOption = None,
) -> None:
    """An author's profile: type and reasons, tone month by month, pages, newest posts."""
    with acting_on(db, workspace, user) as (store, _ws, actor):
        found = author_service.resolve_author(store, actor, author)
        profile = author_service.author_profile(store, actor, found.id)
    a, label = profile.author, profile.label
    if as_json:
        row = {
            "id": a.id,
            "platform": a.platform,
            "handle": a.handle,
            "name": a.name,
            "followers": a.followers,
            **(_label_json(label) or {"type": None}),
            "months": [
                {
                    "month": m.month,
                    "negative": m.negative,
                    "neutral": m.neutral,
                    "positive": m.positive,
                }
                for m in profile.months
            ],
            "pages": [{"name": n, "posts": c} for n, c in profile.pages],
            "posts": [
                {"id": p.id, "created_at": p.created_at.isoformat(), "text": p.text}
                for p in profile.posts
            ],
        }
        out.print(json.dumps(row, ensure_ascii=False), markup=False, soft_wrap=True)
        return
    out.print(
        f"[bold]{escape(a.name or a.handle)}[/]  {escape(a.platform)}/{escape(a.handle)}"
        f"  (id {a.id}{f', {a.followers:,} followers' if a.followers is not None else ''})"
    )
    if label is None:
        out.print("Not typed yet: run `lytter analyse --pending`.")
    else:
        out.print(f"Type: [bold]{label.type}[/]")
        if label.override:
            who = label.override_by or "a person"
            out.print(
                f"  set by {escape(who)}"
                + (f": {escape(label.override_note)}" if label.override_note else "")
                + f" (Lytter reads: {label.computed})"
            )
        for reason in label.reasons:
            out.print(f"  · {escape(author_service.reason_text(reason))}")
    if profile.pages:
        out.print(
            "Pages: " + ", ".join(f"{escape(n)} ({c:,})" for n, c in profile.pages), soft_wrap=True
        )
    for m in profile.months:
        out.print(f"  {m.month}  −{m.negative}  ·{m.neutral}  +{m.positive}")
    for p in profile.posts[:10]:
        out.print(f"  [dim]{p.created_at:%Y-%m-%d}[/] {escape(p.text[:140])}", soft_wrap=True)


@author_app.command(
    "set-type",
    epilog="Examples: lytter author set-type 42 troll --note 'Same insult on 12 pages'"
    "  ·  lytter author set-type @mette auto",
)
@user_errors
def set_type_command(
    author: AuthorArg,
    author_type: Annotated[
        str,
        typer.Argument(
            metavar="TYPE",
            help="critic, troll, ambassador or none; auto goes back to Lytter's reading.",
        ),
    ],
    note: Annotated[str | None, typer.Option(help="Why: shown with the type.")] = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Say what kind of voice an author is; it wins over Lytter's reading everywhere."""
    with acting_on(db, workspace, user) as (store, _ws, actor):
        found = author_service.resolve_author(store, actor, author)
        chosen = None if author_type.strip().lower() == "auto" else author_type
        label = author_service.override_type(store, actor, found.id, chosen, note)
    if label.override:
        out.print(f"{found.handle} is now a {label.type} (Lytter reads: {label.computed}).")
    else:
        out.print(f"{found.handle} is Lytter's reading again: {label.type}.")


@author_app.command(
    "settings",
    epilog="Examples: lytter author settings  ·  lytter author settings --min-posts 5"
    " --critic-negative-share 0.4",
)
@user_errors
def settings_command(
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    min_posts: Annotated[int | None, typer.Option(help="Posts before any type.")] = None,
    troll_offensive_share: Annotated[
        float | None, typer.Option(help="Troll: offensive posts, at least this share.")
    ] = None,
    troll_repeat_share: Annotated[
        float | None, typer.Option(help="Troll: repeated or baiting posts, at least this share.")
    ] = None,
    troll_max_substance_share: Annotated[
        float | None, typer.Option(help="Troll: posts with substance, at most this share.")
    ] = None,
    critic_negative_share: Annotated[
        float | None, typer.Option(help="Critic: negative posts, at least this share.")
    ] = None,
    critic_substance_share: Annotated[
        float | None,
        typer.Option(help="Critic: of the negative posts, this share with substance."),
    ] = None,
    ambassador_positive_share: Annotated[
        float | None, typer.Option(help="Ambassador: positive posts, at least this share.")
    ] = None,
    ambassador_min_helps: Annotated[
        int | None, typer.Option(help="Ambassador: helpful answers to others, at least.")
    ] = None,
    min_followers: Annotated[
        int | None, typer.Option(help="Reach: followers, at least (where known).")
    ] = None,
    min_engagement: Annotated[
        int | None, typer.Option(help="Reach: reactions to their posts, at least (where known).")
    ] = None,
    user: AsOption = None,
) -> None:
    """Show the workspace's thresholds for the types, or change them (admins, managers):
    every author is typed again."""
    changes = {
        "min_posts": min_posts,
        "troll_offensive_share": troll_offensive_share,
        "troll_repeat_share": troll_repeat_share,
        "troll_max_substance_share": troll_max_substance_share,
        "critic_negative_share": critic_negative_share,
        "critic_substance_share": critic_substance_share,
        "ambassador_positive_share": ambassador_positive_share,
        "ambassador_min_helps": ambassador_min_helps,
        "min_followers": min_followers,
        "min_engagement": min_engagement,
    }
    with acting_on(db, workspace, user) as (store, ws, actor):
        if any(v is not None for v in changes.values()):
            with progress_bar("Typing authors") as bar:
                settings = author_service.set_author_settings(store, actor, changes, bar)
            out.print("Saved; every author is typed again.")
        else:
            settings = ws.authors
    _print_settings(settings)


def _print_settings(settings: AuthorSettings) -> None:
    for name, value in settings.as_dict().items():
        out.print(f"  {name.replace('_', '-'):28} {value:g}")
