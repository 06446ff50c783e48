"""Who the caller is."""

from __future__ import annotations

from fastapi import APIRouter

from lytter.api.deps import ActorDep
from lytter.api.schemas import MeOut

router = APIRouter(tags=["me"])


@router.get("/me", summary="The calling user, their role and visible pages")
def me(actor: ActorDep) -> MeOut:
    return MeOut.of(actor)
