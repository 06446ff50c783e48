"""Page health: every own page the caller sees, the worst first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import HealthSettingsIn, HealthSettingsOut, PageHealthOut
from lytter.services import health as health_service

router = APIRouter(prefix="/health", tags=["measure"])


@router.get("/pages", summary="Own pages, the worst first: dormant, silent, behind")
def pages(
    store: StoreDep,
    actor: ActorDep,
    dormant_days: Annotated[int | None, Query(ge=1)] = None,
    reply_days: Annotated[int | None, Query(ge=1)] = None,
    unanswered: Annotated[int | None, Query(ge=0)] = None,
    wait_hours: Annotated[int | None, Query(ge=1)] = None,
) -> list[PageHealthOut]:
    """Each threshold left out is the workspace's own (`PUT /health/settings`)."""
    rules = health_service.changed(
        health_service.rules_of(store, actor.workspace_id),
        dormant_days=dormant_days,
        reply_days=reply_days,
        unanswered=unanswered,
        wait_hours=wait_hours,
    )
    return [
        PageHealthOut(
            page=h.facts.name,
            source_id=h.facts.source_id,
            platform=h.facts.platform,
            score=h.score,
            dormant=h.dormant,
            reasons=list(h.reasons),
            last_own_post=h.facts.last_own_post,
            last_reply=h.facts.last_reply,
            days_since_own_post=h.days_since_own_post,
            days_since_reply=h.days_since_reply,
            unanswered=h.facts.unanswered,
        )
        for h in health_service.page_health(store, actor, rules)
    ]


@router.get("/settings", summary="The workspace's page-health thresholds")
def settings(store: StoreDep, actor: ActorDep) -> HealthSettingsOut:
    return HealthSettingsOut(**health_service.rules_of(store, actor.workspace_id).as_dict())


@router.put("/settings", summary="Change the workspace's page-health thresholds")
def change_settings(body: HealthSettingsIn, store: StoreDep, actor: ActorDep) -> HealthSettingsOut:
    rules = health_service.set_health_settings(store, actor, **body.model_dump())
    return HealthSettingsOut(**rules.as_dict())
