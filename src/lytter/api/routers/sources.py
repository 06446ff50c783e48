"""The pages, accounts and feeds the caller may see, and the ones Lytter collects from."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import (
    DraftOut,
    ErrorBody,
    SourceCollected,
    SourceIn,
    SourceOut,
    SourceTrial,
)
from lytter.services import collecting
from lytter.services import sources as source_service

router = APIRouter(tags=["sources"])
_404: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such source."}
}


@router.get("/sources", summary="Sources visible to the caller")
def list_sources(store: StoreDep, actor: ActorDep) -> list[SourceOut]:
    return [SourceOut.of(s) for s in source_service.list_sources(store, actor)]


@router.post(
    "/sources",
    summary="Start collecting from a source",
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": ErrorBody, "description": "Collected from already."}},
)
def add_source(store: StoreDep, actor: ActorDep, body: SourceIn) -> SourceOut:
    source = collecting.add_source(
        store,
        actor,
        body.connector,
        body.settings,
        name=body.name,
        secret=body.token,
        poll_seconds=body.poll_seconds,
        brand=body.brand,
        competitor=body.competitor,
    )
    return SourceOut.of(source)


@router.delete(
    "/sources/{source_id}",
    summary="Stop collecting from a source (its posts stay)",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_404,
)
def remove_source(store: StoreDep, actor: ActorDep, source_id: int) -> Response:
    collecting.remove_source(store, actor, str(source_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/sources/{source_id}/test",
    summary="Fetch a source's first page; nothing is stored",
    responses=_404,
)
def test_source(store: StoreDep, actor: ActorDep, source_id: int) -> SourceTrial:
    trial = collecting.test_source(store, actor, str(source_id))
    return SourceTrial(
        source=SourceOut.of(trial.source),
        posts=[
            DraftOut(
                external_id=d.external_id,
                text=d.text,
                created_at=d.created_at,
                author=d.author.handle if d.author else None,
                url=d.url,
            )
            for d in trial.posts
        ],
    )


@router.post("/sources/{source_id}/collect", summary="Collect from a source now", responses=_404)
def collect_source(store: StoreDep, actor: ActorDep, source_id: int) -> SourceCollected:
    [report] = collecting.collect(store, actor, [str(source_id)]).sources
    return SourceCollected(
        source_id=source_id,
        pages=report.pages,
        inserted=report.saved.inserted,
        changed=report.saved.updated + report.saved.edited,
        error=report.error,
    )
