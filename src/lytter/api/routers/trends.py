"""Emerging terms of a selection of posts, and the workspace's thresholds for them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from lytter.api.deps import ActorDep, PostFilterDep, StoreDep
from lytter.api.schemas import TrendList, TrendSettingsIn, TrendSettingsOut
from lytter.services import trends as trend_service
from lytter.services.workspaces import workspace_by_id

router = APIRouter(tags=["analysis"])


@router.get("/trends", summary="The terms emerging among the matching posts")
def list_trends(
    store: StoreDep,
    actor: ActorDep,
    query: PostFilterDep,
    hours: Annotated[
        int,
        Query(
            ge=1,
            le=trend_service.MAX_HOURS,
            description="Look at this many hours up to `until` (default: the newest post)",
        ),
    ] = trend_service.DEFAULT_HOURS,
    limit: Annotated[
        int, Query(ge=1, le=trend_service.MAX_TERMS, description="At most this many terms")
    ] = 20,
    kind: Annotated[
        list[str] | None,
        Query(description="Only these kinds: word, phrase, hashtag, mention; repeatable"),
    ] = None,
) -> TrendList:
    report = trend_service.trends(
        store,
        actor,
        query,
        hours=hours,
        limit=limit,
        kinds=tuple(k.lower() for k in kind) if kind else trend_service.KINDS,
    )
    return TrendList.of(report)


@router.get("/trends/settings", summary="When a term counts as emerging in this workspace")
def trend_settings(store: StoreDep, actor: ActorDep) -> TrendSettingsOut:
    return TrendSettingsOut.of(workspace_by_id(store, actor.workspace_id).trends)


@router.patch(
    "/trends/settings",
    summary="Change the workspace's thresholds (admins and managers); left-out ones stay",
)
def change_trend_settings(
    store: StoreDep, actor: ActorDep, body: TrendSettingsIn
) -> TrendSettingsOut:
    changes = body.model_dump(exclude_unset=True)
    return TrendSettingsOut.of(trend_service.set_trend_settings(store, actor, **changes))
