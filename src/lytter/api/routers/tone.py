"""Tone over time of a selection of posts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from lytter.api.deps import ActorDep, PostFilterDep, StoreDep
from lytter.api.schemas import ToneOut
from lytter.services import tone as tone_service
from lytter.services.dates import zone_named
from lytter.services.workspaces import workspace_by_id

router = APIRouter(tags=["analysis"])


@router.get("/tone", summary="The matching posts by tone, per hour, day, week or month")
def tone_over_time(
    store: StoreDep,
    actor: ActorDep,
    query: PostFilterDep,
    interval: Annotated[
        str, Query(description="hour, day, week or month (in the workspace's time zone)")
    ] = "day",
) -> ToneOut:
    zone = zone_named(workspace_by_id(store, actor.workspace_id).timezone)
    return ToneOut.of(tone_service.tone_over_time(store, actor, query, zone, interval))
