"""Moderation with a documented trail, saved replies and the published guidelines."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import (
    EvidenceOut,
    GuidelineIn,
    GuidelineOut,
    ModerationActOut,
    ModerationIn,
    SavedReplyIn,
    SavedReplyOut,
)
from lytter.domain.moderation import Evidence, Guideline, ModerationAct
from lytter.domain.replies import ReplyKind, SavedReply
from lytter.services import moderation as moderation_service
from lytter.services import replies as reply_service
from lytter.services.errors import NotFound

router = APIRouter(tags=["moderation"])


def act_out(act: ModerationAct) -> ModerationActOut:
    return ModerationActOut.model_validate(moderation_service.as_dict(act))


def _guideline_out(g: Guideline) -> GuidelineOut:
    return GuidelineOut(
        code=g.code,
        title=g.title,
        body=g.body,
        position=g.position,
        active=g.active,
        updated_at=g.updated_at,
    )


def _saved_out(r: SavedReply) -> SavedReplyOut:
    return SavedReplyOut(
        id=r.id,
        name=r.name,
        kind=r.kind.value,
        language=r.language,
        body=r.body,
        updated_at=r.updated_at,
    )


def _evidence_out(e: Evidence) -> EvidenceOut:
    return EvidenceOut(
        id=e.id,
        post_id=e.post_id,
        captured_at=e.captured_at,
        payload_sha256=e.payload_sha256,
        html_sha256=e.html_sha256,
        png_sha256=e.png_sha256,
        png_missing=e.png_missing,
        intact=e.intact(),
    )


@router.post(
    "/posts/{post_id}/moderation",
    summary="Hide, unhide, delete, block or unblock, for a guideline's reason, with evidence",
    status_code=201,
    responses={502: {"description": "The platform refused; the evidence is kept"}},
)
def moderate(
    store: StoreDep, actor: ActorDep, post_id: int, body: ModerationIn
) -> ModerationActOut:
    act = moderation_service.moderate(
        store,
        actor,
        post_id,
        body.action,
        body.guideline,
        note=body.note,
        notify=body.notify,
        email=body.email,
        expires=None if body.expires_days is None else timedelta(days=body.expires_days),
        review=None if body.review_days is None else timedelta(days=body.review_days),
        item_id=body.item_id,
    )
    return act_out(act)


@router.get("/moderation/acts", summary="Moderation acts, newest first")
def list_acts(
    store: StoreDep,
    actor: ActorDep,
    post_id: Annotated[int | None, Query(description="Only acts on this post")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[ModerationActOut]:
    return [act_out(a) for a in moderation_service.acts(store, actor, post_id=post_id, limit=limit)]


@router.get("/moderation/blocks", summary="The blocks in force, the soonest to review first")
def list_blocks(store: StoreDep, actor: ActorDep) -> list[ModerationActOut]:
    return [act_out(a) for a in moderation_service.blocks(store, actor)]


@router.get("/moderation/acts/{act_id}/evidence", summary="The evidence kept before an act")
def evidence(store: StoreDep, actor: ActorDep, act_id: int) -> EvidenceOut:
    return _evidence_out(moderation_service.evidence_of(store, actor, act_id))


@router.get(
    "/moderation/acts/{act_id}/evidence/{part}",
    summary="One kept file: payload.json, snapshot.html or snapshot.png",
    response_class=Response,
)
def evidence_file(store: StoreDep, actor: ActorDep, act_id: int, part: str) -> Response:
    kept = moderation_service.evidence_of(store, actor, act_id)
    if part == "payload.json":
        return Response(kept.payload, media_type="application/json")
    if part == "snapshot.html":
        # served as a download: the snapshot holds what the author wrote
        headers = {"Content-Disposition": f'attachment; filename="evidence-{kept.id}.html"'}
        return Response(kept.html, media_type="text/html; charset=utf-8", headers=headers)
    if part == "snapshot.png" and kept.png is not None:
        return Response(kept.png, media_type="image/png")
    raise NotFound("act {act_id} has no evidence file '{part}'", act_id=act_id, part=part)


@router.get("/moderation/guidelines", summary="The published moderation guidelines")
def list_guidelines(
    store: StoreDep,
    actor: ActorDep,
    all: Annotated[bool, Query(description="Also those no longer used")] = False,  # noqa: A002
) -> list[GuidelineOut]:
    return [_guideline_out(g) for g in moderation_service.guidelines(store, actor, all_=all)]


@router.put("/moderation/guidelines/{code}", summary="Publish or change a guideline")
def put_guideline(store: StoreDep, actor: ActorDep, code: str, body: GuidelineIn) -> GuidelineOut:
    saved = moderation_service.save_guideline(
        store, actor, code, body.title, body.body, active=body.active
    )
    return _guideline_out(saved)


@router.get("/saved-replies", summary="Saved replies and moderation notices")
def list_saved(
    store: StoreDep,
    actor: ActorDep,
    kind: Annotated[ReplyKind | None, Query(description="Only reply or notice")] = None,
) -> list[SavedReplyOut]:
    return [_saved_out(r) for r in reply_service.saved_replies(store, actor, kind)]


@router.put("/saved-replies", summary="Add a saved reply, or change its text in a language")
def put_saved(store: StoreDep, actor: ActorDep, body: SavedReplyIn) -> SavedReplyOut:
    saved = reply_service.save_reply(
        store, actor, body.name, body.body, language=body.language, kind=body.kind
    )
    return _saved_out(saved)


@router.delete("/saved-replies/{name}", summary="Remove a saved reply", status_code=204)
def delete_saved(
    store: StoreDep,
    actor: ActorDep,
    name: str,
    language: Annotated[str | None, Query(description="Only this language")] = None,
) -> None:
    reply_service.remove_reply(store, actor, name, language)
