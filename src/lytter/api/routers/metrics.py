"""Metrics over a period per day, week or month, from the roll-ups."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import MetricsOut
from lytter.services import metrics as metric_service

router = APIRouter(prefix="/metrics", tags=["measure"])
PERIODS = "last-30-days, last-month, this-week, 2026-10, 2026-10-01..2026-10-31"


@router.get("", summary="Volume, tone, response times, SLA and share of voice over a period")
def get_metrics(
    store: StoreDep,
    actor: ActorDep,
    period: Annotated[
        str,
        Query(description=PERIODS),
    ] = "last-30-days",
    granularity: Annotated[str, Query(description="day, week or month")] = "day",
    page: Annotated[str | None, Query(description="A page's name or id")] = None,
    brand: Annotated[str | None, Query(description="A brand's pages")] = None,
    platform: str | None = None,
    query: Annotated[str | None, Query(description="A saved query's matches")] = None,
    voice_of: Annotated[
        str | None, Query(description="Matches of any of a brand's saved queries")
    ] = None,
    desk: Annotated[str | None, Query(description="A desk's inbox items")] = None,
    person: Annotated[str | None, Query(description="Items assigned to this e-mail")] = None,
) -> MetricsOut:
    chosen = metric_service.period_named(store, actor, period)
    filt = metric_service.metric_filter(
        store,
        actor,
        page=page,
        brand=brand,
        platform=platform,
        query=query,
        voice_of=voice_of,
        desk=desk,
        person=person,
    )
    found = metric_service.metrics(
        store, actor, chosen, metric_service.granularity_named(granularity), filt
    )
    return MetricsOut.model_validate(found.as_dict())
