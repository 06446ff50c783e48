"""Goals: targets per day, week, month or year, and where each stands."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import GoalIn, GoalMetricOut, GoalOut, GoalPeriodOut
from lytter.domain.goals import METRICS
from lytter.services import goals as goal_service
from lytter.services.goals import GoalProgress, PeriodResult

router = APIRouter(tags=["measure"])
History = Annotated[int | None, Query(ge=0, le=400, description="Finished periods to show")]


def _period(r: PeriodResult) -> GoalPeriodOut:
    return GoalPeriodOut(
        start=r.start, end=r.end, status=r.status.value, value=r.value, expected=r.expected
    )


def goal_out(p: GoalProgress) -> GoalOut:
    g = p.goal
    return GoalOut(
        id=g.id,
        name=g.name,
        metric=g.metric,
        comparison=g.comparison.value,
        target=g.target,
        per=g.cadence.value,
        scope=p.scope,
        page_id=g.source_id,
        desk_id=g.desk_id,
        status=p.current.status.value,
        current=_period(p.current),
        attainment=p.attainment,
        history=[_period(r) for r in p.history],
    )


@router.get("/goals", summary="Every goal and where it stands, those at risk or missed first")
def list_goals(store: StoreDep, actor: ActorDep, history: History = None) -> list[GoalOut]:
    return [goal_out(p) for p in goal_service.all_progress(store, actor, history)]


@router.get("/goals/metrics", summary="What a goal can be set on")
def goal_metrics() -> list[GoalMetricOut]:
    return [
        GoalMetricOut(
            name=m.name,
            unit=m.kind.value,
            comparison=m.comparison.value,
            posts=m.posts,
            label=m.label,
        )
        for m in METRICS.values()
    ]


@router.post("/goals", summary="Set a goal (admins, managers)", status_code=201)
def add_goal(store: StoreDep, actor: ActorDep, body: GoalIn) -> GoalOut:
    goal = goal_service.add_goal(
        store,
        actor,
        body.name,
        body.metric,
        body.target,
        body.per,
        page=body.page,
        desk=body.desk,
        comparison=body.comparison,
    )
    return goal_out(goal_service.progress(store, actor, goal))


@router.get("/goals/{goal}", summary="One goal, by id or name, with its history")
def get_goal(store: StoreDep, actor: ActorDep, goal: str, history: History = None) -> GoalOut:
    found = goal_service.find_goal(store, actor, goal)
    return goal_out(goal_service.progress(store, actor, found, history))


@router.delete("/goals/{goal}", summary="Remove a goal", status_code=204)
def remove_goal(store: StoreDep, actor: ActorDep, goal: str) -> Response:
    goal_service.remove_goal(store, actor, goal)
    return Response(status_code=204)
