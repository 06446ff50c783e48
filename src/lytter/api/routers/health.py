"""Page health: every own page the caller sees, the worst first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import PageHealthOut
from lytter.domain.health import HealthRules
from lytter.services import health as health_service

router = APIRouter(prefix="/health", tags=["measure"])
DEFAULTS = HealthRules()


@router.get("/pages", summary="Own pages, the worst first: dormant, silent, behind")
def pages(
    store: StoreDep,
    actor: ActorDep,
    dormant_days: Annotated[int, Query(ge=1)] = DEFAULTS.dormant_days,
    reply_days: Annotated[int, Query(ge=1)] = DEFAULTS.reply_days,
    unanswered: Annotated[int, Query(ge=0)] = DEFAULTS.unanswered,
    wait_hours: Annotated[int, Query(ge=1)] = DEFAULTS.wait_hours,
) -> list[PageHealthOut]:
    rules = HealthRules(dormant_days, reply_days, unanswered, wait_hours)
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
