"""`lytter moderate ...` and `lytter guideline ...`: hide, delete and block with a documented
trail, for a reason from the workspace's published guidelines."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from lytter.cli.common import (
    AsOption,
    DbOption,
    TimezoneOption,
    WorkspaceOption,
    acting_on,
    out,
    user_errors,
    zone_named,
)
from lytter.config import DEFAULT_DATABASE_URL
from lytter.domain.access import Permission
from lytter.domain.moderation import ModerationAct
from lytter.services import moderation as moderation_service
from lytter.services.access import require
from lytter.services.errors import UserError

moderate_app = typer.Typer(
    help="Moderation with a documented trail: hide, delete or block only for a reason from the"
    " workspace's guidelines (lytter guideline list). The evidence (payload, HTML and PNG"
    " snapshot, SHA-256) is kept first, the author is told why, and the act is audited.",
    no_args_is_help=True,
)
guideline_app = typer.Typer(
    help="The workspace's published moderation guidelines: every hide, delete and block names"
    " one as its reason.",
    no_args_is_help=True,
)

PostArg = Annotated[int, typer.Argument(help="The post's id (lytter search, lytter inbox show).")]
ReasonOption = Annotated[
    str | None, typer.Option("--reason", help="The guideline's code (lytter guideline list).")
]
NoteOption = Annotated[str | None, typer.Option(help="An internal note kept with the act.")]
NotifyOption = Annotated[
    str,
    typer.Option(
        help="How the author is told: auto (e-mail when --email is given, else a reply to a"
        " hidden post), platform, email or none."
    ),
]
EmailOption = Annotated[
    str | None, typer.Option(help="Tell the author by e-mail at this address (LYTTER_SMTP).")
]
ItemOption = Annotated[int | None, typer.Option(help="The inbox item it belongs to (history).")]


def _days(text: str | None, name: str) -> timedelta | None:
    if text is None:
        return None
    value = text.strip().lower().removesuffix("d")
    if not value.isdigit() or int(value) < 1:
        raise UserError("{name} is a number of days, like 30d, not '{text}'", name=name, text=text)
    return timedelta(days=int(value))


def _print_act(act: ModerationAct) -> None:
    out.print(f"act {act.id}: {act.action.value} post {act.post_id} ({act.status.value})")
    out.print(f"  reason: {escape(act.reason)}")
    if act.audit_seq is not None:
        out.print(f"  audit entry {act.audit_seq}")
    if act.evidence_id is not None:
        out.print(f"  evidence {act.evidence_id} (lytter moderate evidence {act.id} -o DIR)")
    if act.notice_status:
        out.print(f"  author: {escape(act.notice_status)}")
    if act.expires_at:
        out.print(f"  expires {act.expires_at:%Y-%m-%d}, review {act.review_at:%Y-%m-%d}")


def _act_command(action: str) -> Any:
    @user_errors
    def command(
        post_id: PostArg,
        reason: ReasonOption = None,
        note: NoteOption = None,
        notify: NotifyOption = "auto",
        email: EmailOption = None,
        item: ItemOption = None,
        db: DbOption = DEFAULT_DATABASE_URL,
        workspace: WorkspaceOption = "default",
        user: AsOption = None,
    ) -> None:
        with acting_on(db, workspace, user) as (store, _, actor):
            act = moderation_service.moderate(
                store,
                actor,
                post_id,
                action,
                reason,
                note=note,
                notify=notify,
                email=email,
                item_id=item,
            )
        _print_act(act)

    command.__doc__ = {
        "hide": "Hide a post on its platform (its author and their friends still see it).",
        "delete": "Delete a post on its platform (kept here, with its evidence).",
        "unhide": "Show a hidden post again.",
        "unblock": "Lift a block on the post's author.",
    }[action]
    return command


for _action, _example in (
    ("hide", "lytter moderate hide 8978 --reason personal-data --note 'CPR-nummer'"),
    ("delete", "lytter moderate delete 8978 --reason spam --email kunde@example.dk"),
    ("unhide", "lytter moderate unhide 8978 --note 'Fejlvurdering'"),
    ("unblock", "lytter moderate unblock 8978 --note 'Undskyldning modtaget'"),
):
    moderate_app.command(_action, epilog=f"Example: {_example}")(_act_command(_action))


@moderate_app.command(
    "block",
    epilog="Examples: lytter moderate block 8978 --reason abuse"
    "  ·  lytter moderate block 8978 --reason spam --expires 90d --review 14d --notify none",
)
@user_errors
def block_command(
    post_id: PostArg,
    reason: ReasonOption = None,
    expires: Annotated[
        str | None, typer.Option(help="How long the block lasts, in days (default 30d).")
    ] = None,
    review: Annotated[
        str | None, typer.Option(help="When someone looks at it again (default 7d).")
    ] = None,
    note: NoteOption = None,
    notify: NotifyOption = "auto",
    email: EmailOption = None,
    item: ItemOption = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Block the post's author on the page, for a while, with a date to review it."""
    with acting_on(db, workspace, user) as (store, _, actor):
        act = moderation_service.moderate(
            store,
            actor,
            post_id,
            "block",
            reason,
            note=note,
            notify=notify,
            email=email,
            expires=_days(expires, "--expires"),
            review=_days(review, "--review"),
            item_id=item,
        )
    _print_act(act)


def _acts_table(acts: list[ModerationAct], tz: str) -> Table:
    zone = zone_named(tz)
    table = Table("act", "when", "who", "what", "post", "reason", "status", "author told")
    for act in acts:
        table.add_row(
            str(act.id),
            act.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            escape(act.actor),
            act.action.value,
            str(act.post_id),
            escape(act.reason),
            act.status.value,
            escape(act.notice_status or ""),
        )
    return table


@moderate_app.command(
    "acts", epilog="Examples: lytter moderate acts  ·  lytter moderate acts --post 8978 --json"
)
@user_errors
def acts_command(
    post: Annotated[int | None, typer.Option(help="Only acts on this post.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    tz: TimezoneOption = "Europe/Copenhagen",
    user: AsOption = None,
) -> None:
    """The moderation acts, newest first, with who, why and whether the author was told."""
    with acting_on(db, workspace, user) as (store, _, actor):
        acts = moderation_service.acts(store, actor, post_id=post, limit=limit)
    if as_json:
        out.print(
            json.dumps([moderation_service.as_dict(a) for a in acts], ensure_ascii=False),
            soft_wrap=True,
        )
    elif not acts:
        out.print("no moderation acts yet")
    else:
        out.print(_acts_table(acts, tz))


@moderate_app.command("blocks", epilog="Example: lytter moderate blocks")
@user_errors
def blocks_command(
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    tz: TimezoneOption = "Europe/Copenhagen",
    user: AsOption = None,
) -> None:
    """The blocks in force, the soonest to review first."""
    zone = zone_named(tz)
    with acting_on(db, workspace, user) as (store, _, actor):
        found = moderation_service.blocks(store, actor)
    if not found:
        out.print("no blocks in force")
        return
    table = Table("act", "author", "reason", "review", "expires")
    for act in found:
        table.add_row(
            str(act.id),
            escape(act.author_handle or "?"),
            escape(act.reason),
            act.review_at.astimezone(zone).strftime("%Y-%m-%d") if act.review_at else "",
            act.expires_at.astimezone(zone).strftime("%Y-%m-%d") if act.expires_at else "",
        )
    out.print(table)


@moderate_app.command(
    "expire", epilog="Example: lytter moderate expire  (lytter run does it every round)"
)
@user_errors
def expire_command(
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Unblock on the platform the authors whose blocks have run out, each act audited."""
    with acting_on(db, workspace, user) as (store, _, actor):
        require(actor, Permission.ACT)
        lifted, problems = moderation_service.lift_expired_blocks(store, actor.workspace_id)
    for act in lifted:
        out.print(f"unblocked {escape(act.author_handle or '?')} (act {act.id}): {act.note}")
    for problem in problems:
        out.print(f"[yellow]not lifted[/yellow] {escape(problem)}")
    if not lifted and not problems:
        out.print("no block has run out")
    if problems:
        raise typer.Exit(1)


@moderate_app.command("evidence", epilog="Example: lytter moderate evidence 3 -o evidence/act-3")
@user_errors
def evidence_command(
    act_id: Annotated[int, typer.Argument(help="The act's id (lytter moderate acts).")],
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="Folder to write payload.json, the snapshot and its PNG."
        ),
    ] = Path("."),
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Write the evidence kept before an act to a folder, and check it against its hashes."""
    with acting_on(db, workspace, user) as (store, _, actor):
        kept = moderation_service.evidence_of(store, actor, act_id)
    output.mkdir(parents=True, exist_ok=True)
    (output / "payload.json").write_text(kept.payload, encoding="utf-8")
    (output / "snapshot.html").write_text(kept.html, encoding="utf-8")
    if kept.png is not None:
        (output / "snapshot.png").write_bytes(kept.png)
    (output / "SHA256SUMS").write_text(
        f"{kept.payload_sha256}  payload.json\n{kept.html_sha256}  snapshot.html\n"
        + (f"{kept.png_sha256}  snapshot.png\n" if kept.png_sha256 else ""),
        encoding="utf-8",
    )
    out.print(
        f"evidence {kept.id} of post {kept.post_id}, kept {kept.captured_at:%Y-%m-%d %H:%M} UTC"
    )
    out.print(f"written to {output}/ (check with: sha256sum -c SHA256SUMS)")
    if kept.png is None:
        out.print(f"no PNG: {escape(kept.png_missing or 'not drawn')}")
    if not kept.intact():
        raise UserError("the evidence does not match the hashes taken when it was kept")


# -- guidelines ------------------------------------------------------------------------------


@guideline_app.command(
    "list", epilog="Examples: lytter guideline list  ·  lytter guideline list --all --json"
)
@user_errors
def guideline_list_command(
    all_: Annotated[bool, typer.Option("--all", help="Also those no longer used.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """The moderation guidelines people choose a reason from, in order."""
    with acting_on(db, workspace, user) as (store, _, actor):
        found = moderation_service.guidelines(store, actor, all_=all_)
    if as_json:
        body = [
            {"code": g.code, "title": g.title, "body": g.body, "active": g.active} for g in found
        ]
        out.print(json.dumps(body, ensure_ascii=False), soft_wrap=True)
        return
    if not found:
        out.print("no guidelines yet: publish one with lytter guideline set CODE --title --text")
    for g in found:
        out.print(f"[bold]{g.code}[/]  {escape(g.title)}{'' if g.active else '  (not used)'}")
        out.print(f"  {escape(g.body)}", soft_wrap=True)


@guideline_app.command(
    "set",
    epilog="Examples: lytter guideline set spam --title 'Spam og reklame' --text 'Vi fjerner"
    " gentagne indlæg og reklame.'  ·  lytter guideline set off-topic --off",
)
@user_errors
def guideline_set_command(
    code: Annotated[str, typer.Argument(help="A short slug: spam, personal-data.")],
    title: Annotated[str | None, typer.Option(help="The title people see.")] = None,
    text: Annotated[str | None, typer.Option(help="What is not allowed, and why.")] = None,
    off: Annotated[bool, typer.Option("--off", help="No longer use it for new acts.")] = False,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Publish a guideline, or change one (acts keep the title they were done with)."""
    with acting_on(db, workspace, user) as (store, _, actor):
        current = {g.code: g for g in moderation_service.guidelines(store, actor, all_=True)}
        known = current.get(code.strip().lower())
        saved = moderation_service.save_guideline(
            store,
            actor,
            code,
            title if title is not None else (known.title if known else ""),
            text if text is not None else (known.body if known else ""),
            active=not off,
        )
    out.print(f"guideline {saved.code}: {escape(saved.title)}{' (not used)' if off else ''}")
