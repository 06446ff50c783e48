"""`lytter goal ...`: targets per day, week, month or year, and where each stands."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from lytter.cli.common import AsOption, DbOption, WorkspaceOption, acting_on, out, user_errors
from lytter.config import DEFAULT_DATABASE_URL
from lytter.domain.goals import METRICS, Goal, Kind, Status
from lytter.services import goals as goal_service
from lytter.services.goals import GoalProgress, PeriodResult

goal_app = typer.Typer(
    help="Goals: a target for one metric per day, week, month or year, for the workspace, a"
    " page or a desk; on track, at risk, met or missed, and how often it was met.",
    no_args_is_help=True,
)

GoalArg = Annotated[str, typer.Argument(help="The goal's name or id.")]
HistoryOption = Annotated[
    int | None,
    typer.Option(
        min=0, max=400, help="Finished periods to show [30 days, 12 weeks, 12 months, 3 years]."
    ),
]
_COLOURS = {
    Status.MET: "green",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "yellow",
    Status.MISSED: "red",
    Status.NO_DATA: "dim",
}


def _value(goal: Goal, value: float | None) -> str:
    if value is None:
        return "—"
    kind = goal.measure.kind
    if kind is Kind.SHARE:
        return f"{value:.1f} %"
    if kind is Kind.MINUTES:
        return f"{value:.0f} min"
    return f"{value:g}"


def describe(goal: Goal) -> str:
    """'own posts ≥ 1 a day'."""
    way = "≥" if goal.comparison.value == "at-least" else "≤"
    return f"{goal.measure.label} {way} {_value(goal, goal.target)} a {goal.cadence.value}"


def _status(status: Status) -> str:
    return f"[{_COLOURS[status]}]{status.value}[/]"


def _period(r: PeriodResult) -> str:
    return r.start.isoformat() if r.start == r.end else f"{r.start}..{r.end}"


def _result(r: PeriodResult) -> dict[str, object]:
    return {
        "start": r.start.isoformat(),
        "end": r.end.isoformat(),
        "status": r.status.value,
        "value": r.value,
        "expected": r.expected,
    }


def as_dict(p: GoalProgress) -> dict[str, object]:
    g = p.goal
    return {
        "id": g.id,
        "goal": g.name,
        "metric": g.metric,
        "comparison": g.comparison.value,
        "target": g.target,
        "per": g.cadence.value,
        "scope": p.scope,
        "page_id": g.source_id,
        "desk_id": g.desk_id,
        "status": p.current.status.value,
        "current": _result(p.current),
        "attainment": p.attainment,
        "history": [_result(r) for r in p.history],
    }


@goal_app.command(
    "add",
    epilog="Examples: lytter goal add 'Daily post' --metric own-posts --target 1 --per day"
    " --page 'Nordbank Aarhus'  ·  lytter goal add 'Answer rate' --metric response-rate"
    " --target 95 --per week  ·  lytter goal add 'Quick answers' --metric"
    " first-response-median --target 60 --per week --desk Kundeservice",
)
@user_errors
def add_command(
    name: Annotated[str, typer.Argument(help="The goal's name.")],
    metric: Annotated[str, typer.Option(help="What to measure: " + ", ".join(METRICS) + ".")],
    target: Annotated[
        float,
        typer.Option(help="The target: a count, a percentage (95 = 95 %) or minutes."),
    ],
    per: Annotated[str, typer.Option(help="day, week, month or year.")] = "day",
    page: Annotated[str | None, typer.Option(help="For this page (name or id).")] = None,
    desk: Annotated[str | None, typer.Option(help="For this desk (name or id).")] = None,
    at_most: Annotated[
        bool | None,
        typer.Option(
            "--at-most/--at-least",
            help="The target is a ceiling or a floor [the metric's own way: at least posts,"
            " at most minutes].",
            show_default=False,
        ),
    ] = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Set a goal for the workspace, a page or a desk (admins, managers)."""
    comparison = None if at_most is None else ("at-most" if at_most else "at-least")
    with acting_on(db, workspace, user) as (store, _, actor):
        goal = goal_service.add_goal(
            store, actor, name, metric, target, per, page=page, desk=desk, comparison=comparison
        )
    out.print(f"goal {goal.id} '{escape(goal.name)}': {escape(describe(goal))}")


@goal_app.command(
    "list",
    epilog="Examples: lytter goal list  ·  lytter goal list --json",
)
@user_errors
def list_command(
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per goal, with its history.")
    ] = False,
    history: HistoryOption = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Every goal and where it stands now, those at risk or missed first, with how often
    it was met."""
    with acting_on(db, workspace, user) as (store, _, actor):
        found = goal_service.all_progress(store, actor, history)
    if as_json:
        for p in found:
            out.print(json.dumps(as_dict(p), ensure_ascii=False), soft_wrap=True)
        return
    if not found:
        out.print("no goals yet: lytter goal add 'Daily post' --metric own-posts --target 1")
        return
    table = Table(
        "goal",
        "for",
        "target",
        "now",
        "status",
        "met",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    for p in found:
        g = p.goal
        now = _value(g, p.current.value)
        if p.current.expected is not None and p.current.status is not Status.MET:
            now += f" (by now {p.current.expected:.1f})"
        rate = "—" if p.attainment is None else f"{p.attainment:.0%} of {p.judged}"
        table.add_row(
            escape(g.name),
            escape(p.scope),
            escape(describe(g)),
            now,
            _status(p.current.status),
            rate,
        )
    out.print(table)


@goal_app.command(
    "show",
    epilog="Examples: lytter goal show 'Daily post'  ·  lytter goal show 1 --history 90",
)
@user_errors
def show_command(
    goal: GoalArg,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    history: HistoryOption = None,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """One goal: the running period and each finished one, the newest first."""
    with acting_on(db, workspace, user) as (store, _, actor):
        p = goal_service.progress(store, actor, goal_service.find_goal(store, actor, goal), history)
    if as_json:
        out.print(json.dumps(as_dict(p), ensure_ascii=False), soft_wrap=True)
        return
    g = p.goal
    rate = "—" if p.attainment is None else f"{p.attainment:.0%}"
    out.print(f"[bold]{escape(g.name)}[/] ({escape(p.scope)}): {escape(describe(g))}; met {rate}")
    table = Table("period", "value", "status", box=box.SIMPLE_HEAD, pad_edge=False)
    for r in [p.current, *p.history]:
        table.add_row(_period(r), _value(g, r.value), _status(r.status))
    out.print(table)


@goal_app.command("remove", epilog="Examples: lytter goal remove 'Daily post'")
@user_errors
def remove_command(
    goal: GoalArg,
    db: DbOption = DEFAULT_DATABASE_URL,
    workspace: WorkspaceOption = "default",
    user: AsOption = None,
) -> None:
    """Remove a goal (admins, managers for their pages' goals)."""
    with acting_on(db, workspace, user) as (store, _, actor):
        removed = goal_service.remove_goal(store, actor, goal)
    out.print(f"removed goal '{escape(removed.name)}'")
