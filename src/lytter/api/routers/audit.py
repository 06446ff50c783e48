"""The audit log of moderation acts: its entries, the check of its hash chain, an export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import AuditCheckOut, AuditEntryOut
from lytter.services import audit as audit_service

router = APIRouter(prefix="/audit", tags=["audit"])

_MEDIA = {"json": "application/json", "jsonl": "application/x-ndjson", "csv": "text/csv"}


@router.get("", summary="Audit entries, oldest first")
def list_entries(
    store: StoreDep,
    actor: ActorDep,
    after: Annotated[int, Query(ge=0, description="Entries after this number")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditEntryOut]:
    page = audit_service.page(store, actor, after=after, limit=limit)
    return [AuditEntryOut.of(e) for e in page]


@router.get("/verify", summary="Check the hash chain: no entry edited or removed")
def verify(
    store: StoreDep,
    actor: ActorDep,
    expect: Annotated[
        str | None, Query(description="A head hash kept elsewhere that must still be in the log")
    ] = None,
) -> AuditCheckOut:
    return AuditCheckOut.of(audit_service.verify(store, actor, expect))


@router.get("/export", summary="The whole log as JSON, JSON Lines or CSV", response_model=None)
def export(
    store: StoreDep,
    actor: ActorDep,
    format: Annotated[str, Query(description="json, jsonl or csv")] = "json",
) -> StreamingResponse:
    fmt = format.lower()
    pieces = audit_service.export(store, actor, fmt)
    return StreamingResponse(
        pieces,
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="audit.{fmt}"'},
    )
