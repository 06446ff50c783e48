"""The pages, accounts and feeds the caller may see."""

from __future__ import annotations

from fastapi import APIRouter

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import SourceOut
from lytter.services import sources as source_service

router = APIRouter(tags=["sources"])


@router.get("/sources", summary="Sources visible to the caller")
def list_sources(store: StoreDep, actor: ActorDep) -> list[SourceOut]:
    return [SourceOut.of(s) for s in source_service.list_sources(store, actor)]
