"""The caller's own personal API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import ErrorBody, NewTokenOut, TokenIn, TokenOut
from lytter.services import auth

router = APIRouter(tags=["tokens"])


@router.get("/tokens", summary="The caller's API tokens (without their secrets)")
def list_tokens(store: StoreDep, actor: ActorDep) -> list[TokenOut]:
    return [TokenOut.of(t) for t in auth.list_tokens(store, actor)]


@router.post("/tokens", status_code=status.HTTP_201_CREATED, summary="Make a new API token")
def create_token(store: StoreDep, actor: ActorDep, body: TokenIn) -> NewTokenOut:
    made = auth.create_token(store, actor, body.name)
    return NewTokenOut(**TokenOut.of(made.token).model_dump(), secret=made.secret)


@router.delete(
    "/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke one of the caller's tokens",
    responses={404: {"model": ErrorBody, "description": "No such token of the caller's."}},
)
def revoke_token(store: StoreDep, actor: ActorDep, token_id: int) -> Response:
    auth.revoke_token(store, actor, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
