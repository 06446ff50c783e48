"""Goals: set a target for one metric per day, week, month or year, for the workspace, a page
or a desk, and see where each stands now and how often it was met (`lytter goal`).

Progress is read from the metric roll-ups (lytter.services.metrics), so a goal's history of a
year of days costs one query, not 365.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lytter.domain.access import Actor, Permission
from lytter.domain.goals import (
    METRICS,
    Cadence,
    Comparison,
    Goal,
    Kind,
    Status,
    Verdict,
    judge,
    value_of,
)
from lytter.domain.metrics import Granularity, MetricFilter, Period, day_bounds, month_end
from lytter.services import metrics as metric_service
from lytter.services.access import require
from lytter.services.desks import find_desk
from lytter.services.errors import Conflict, Forbidden, NotFound, UserError
from lytter.store.base import Store

HISTORY = {Cadence.DAY: 30, Cadence.WEEK: 12, Cadence.MONTH: 12, Cadence.YEAR: 3}
"""How many finished periods a goal's history shows unless asked."""


@dataclass(frozen=True, slots=True)
class PeriodResult:
    start: date
    end: date
    status: Status
    value: float | None
    expected: float | None  # a count in the running period: where it should be by now
    elapsed: float = 1.0  # the share of the period gone by


@dataclass(frozen=True, slots=True)
class GoalProgress:
    goal: Goal
    scope: str  # "workspace", the page's or the desk's name
    current: PeriodResult
    history: list[PeriodResult]  # finished periods, the newest first

    @property
    def judged(self) -> int:
        """The finished periods with something to judge (met or missed)."""
        return sum(r.status in (Status.MET, Status.MISSED) for r in self.history)

    @property
    def attainment(self) -> float | None:
        """The share of the finished periods with data that met the goal."""
        if not self.judged:
            return None
        return sum(r.status is Status.MET for r in self.history) / self.judged


# -- periods --------------------------------------------------------------------------------


def period_start(day: date, cadence: Cadence) -> date:
    if cadence is Cadence.WEEK:
        return day - timedelta(days=day.weekday())
    if cadence is Cadence.MONTH:
        return day.replace(day=1)
    if cadence is Cadence.YEAR:
        return day.replace(month=1, day=1)
    return day


def period_end(start: date, cadence: Cadence) -> date:
    if cadence is Cadence.WEEK:
        return start + timedelta(days=6)
    if cadence is Cadence.MONTH:
        return month_end(start)
    if cadence is Cadence.YEAR:
        return start.replace(month=12, day=31)
    return start


def previous_start(start: date, cadence: Cadence) -> date:
    if cadence is Cadence.WEEK:
        return start - timedelta(days=7)
    if cadence is Cadence.MONTH:
        return (start - timedelta(days=1)).replace(day=1)
    if cadence is Cadence.YEAR:
        return start.replace(year=start.year - 1)
    return start - timedelta(days=1)


# -- setting goals --------------------------------------------------------------------------


def _choice(value: str, choices: list[str], field: str) -> str:
    wanted = value.strip().lower().replace("_", "-")
    if wanted not in choices:
        raise UserError(
            "'{value}' is not a {what}: choose one of {choices}",
            field=field,
            what=field,
            value=value,
            choices=", ".join(choices),
        )
    return wanted


def add_goal(
    store: Store,
    actor: Actor,
    name: str,
    metric: str,
    target: float,
    per: str = "day",
    *,
    page: str | None = None,
    desk: str | None = None,
    comparison: str | None = None,
) -> Goal:
    """A new goal: `metric` (see domain.goals.METRICS) `comparison` `target` each `per` (day,
    week, month, year), for a page, a desk or (neither) the whole workspace. Shares are
    percentages (95 = 95 %), times minutes. The comparison defaults to the metric's own way
    (at least posts, at most minutes)."""
    require(actor, Permission.MANAGE_SOURCES)
    ws = actor.workspace_id
    name = name.strip()
    if not name or len(name) > 100:
        raise UserError("a goal needs a name of 1 to 100 characters", field="name")
    measure = METRICS[_choice(metric, list(METRICS), "metric")]
    cadence = Cadence(_choice(per, [c.value for c in Cadence], "per"))
    compare = (
        Comparison(_choice(comparison, [c.value for c in Comparison], "comparison"))
        if comparison
        else measure.comparison
    )
    low, high = (-100.0, 100.0) if measure.name == "net-sentiment" else (0.0, 1e9)
    if measure.kind is Kind.SHARE and measure.name != "net-sentiment":
        high = 100.0
    if not low <= target <= high:
        raise UserError(
            "the target for {metric} must be from {low} to {high}",
            field="target",
            metric=measure.name,
            low=f"{low:g}",
            high=f"{high:g}",
        )
    if page is not None and desk is not None:
        raise UserError("a goal is for a page or a desk, not both", field="desk")
    source_id = desk_id = None
    if page is not None:
        source_id = metric_service.find_page(store, actor, page)
    elif actor.source_ids is not None:
        raise Forbidden(
            "you may only set goals for the pages you are granted: give --page",
            field="page",
        )
    if desk is not None:
        desk_id = find_desk(store, actor, desk).id
        if measure.posts:
            raise UserError(
                "a desk has no posts of its own: set {metric} on a page or the workspace",
                field="metric",
                metric=measure.name,
            )
    if any(g.name.casefold() == name.casefold() for g in store.list_goals(ws)):
        raise Conflict("there is already a goal named '{name}'", field="name", name=name)
    return store.add_goal(
        ws, name, measure.name, compare, target, cadence, source_id, desk_id, actor.name
    )


def list_goals(store: Store, actor: Actor) -> list[Goal]:
    """The goals the actor sees: the workspace's and desks', and those of the pages they see."""
    require(actor, Permission.READ)
    return [
        g
        for g in store.list_goals(actor.workspace_id)
        if g.source_id is None or actor.sees_source(g.source_id)
    ]


def find_goal(store: Store, actor: Actor, name: str) -> Goal:
    wanted = name.strip()
    for g in list_goals(store, actor):
        if str(g.id) == wanted or g.name.casefold() == wanted.casefold():
            return g
    raise NotFound("there is no goal '{name}'", field="goal", name=name)


def remove_goal(store: Store, actor: Actor, name: str) -> Goal:
    require(actor, Permission.MANAGE_SOURCES)
    goal = find_goal(store, actor, name)
    if goal.source_id is None and actor.source_ids is not None:
        raise Forbidden("only an admin may remove a workspace or desk goal", field="goal")
    store.delete_goal(goal.id)
    return goal


# -- progress -------------------------------------------------------------------------------


def _filter(goal: Goal) -> MetricFilter:
    return MetricFilter(
        frozenset({goal.source_id}) if goal.source_id is not None else None,
        desk_id=goal.desk_id,
    )


def _granularity(cadence: Cadence) -> Granularity | None:
    return None if cadence is Cadence.YEAR else Granularity(cadence.value)


def progress(
    store: Store, actor: Actor, goal: Goal, history: int | None = None, now: datetime | None = None
) -> GoalProgress:
    """Where the goal stands in the running period, and the `history` finished ones before."""
    require(actor, Permission.READ)
    at = now or store.clock()
    zone = metric_service.zone_of(store, actor.workspace_id)
    n = HISTORY[goal.cadence] if history is None else max(0, history)
    current_start = period_start(at.astimezone(zone).date(), goal.cadence)
    starts = [current_start]
    for _ in range(n):
        starts.append(previous_start(starts[-1], goal.cadence))
    starts.reverse()
    span = Period(starts[0], period_end(current_start, goal.cadence))
    granularity = _granularity(goal.cadence)
    totals: dict[date, dict[str, object]] = {}
    if granularity is not None:
        found = metric_service.metrics(store, actor, span, granularity, _filter(goal))
        totals = {t.start: t.as_dict() for t in found.series}
    else:
        for start in starts:
            period = Period(start, period_end(start, goal.cadence))
            found = metric_service.metrics(store, actor, period, Granularity.MONTH, _filter(goal))
            totals[start] = found.total.as_dict()
    results = []
    for start in starts:
        end = period_end(start, goal.cadence)
        first, _ = day_bounds(start, zone)
        _, last = day_bounds(end, zone)
        elapsed = min(1.0, max(0.0, (at - first) / (last - first)))
        value = value_of(goal.measure, totals.get(start, {}))
        verdict: Verdict = judge(goal.measure, goal.comparison, goal.target, value, elapsed)
        results.append(
            PeriodResult(start, end, verdict.status, verdict.value, verdict.expected, elapsed)
        )
    return GoalProgress(goal, _scope(store, actor, goal), results[-1], results[-2::-1])


def _scope(store: Store, actor: Actor, goal: Goal) -> str:
    if goal.source_id is not None:
        for s in store.list_sources(actor.workspace_id):
            if s.id == goal.source_id:
                return s.name
    if goal.desk_id is not None:
        for d in store.list_desks(actor.workspace_id):
            if d.id == goal.desk_id:
                return d.name
    return "workspace"


def all_progress(
    store: Store, actor: Actor, history: int | None = None, now: datetime | None = None
) -> list[GoalProgress]:
    """Every goal the actor sees, those at risk or missed first."""
    order = {
        Status.MISSED: 0,
        Status.AT_RISK: 1,
        Status.NO_DATA: 2,
        Status.ON_TRACK: 3,
        Status.MET: 4,
    }
    found = [progress(store, actor, g, history, now) for g in list_goals(store, actor)]
    return sorted(found, key=lambda p: (order[p.current.status], p.goal.name.casefold()))
