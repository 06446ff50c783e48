"""Users, roles and page grants (admins only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import ErrorBody, GrantIn, UserIn, UserOut
from lytter.domain.access import Actor
from lytter.services import users as user_service
from lytter.store.base import Store

router = APIRouter(tags=["users"])
_404: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such user or source."}
}


def _view(store: Store, actor: Actor, user_id: int) -> UserOut:
    view = user_service.user_view(store, actor, user_id)
    return UserOut.of(view)


@router.get("/users", summary="Every user of the workspace with their pages")
def list_users(store: StoreDep, actor: ActorDep) -> list[UserOut]:
    return [UserOut.of(v) for v in user_service.list_users(store, actor)]


@router.post(
    "/users",
    status_code=status.HTTP_201_CREATED,
    summary="Add a user",
    responses={409: {"model": ErrorBody, "description": "The e-mail is in use."}},
)
def add_user(store: StoreDep, actor: ActorDep, body: UserIn) -> UserOut:
    user = user_service.add_user(
        store,
        actor,
        email=body.email,
        name=body.name,
        role=body.role,
        password=body.password,
        locale=body.locale,
    )
    return _view(store, actor, user.id)


@router.post("/users/{user_id}/sources", summary="Grant pages to a user", responses=_404)
def grant(store: StoreDep, actor: ActorDep, user_id: int, body: GrantIn) -> UserOut:
    user = user_service.user_view(store, actor, user_id).user
    user_service.grant(store, actor, user.email, [str(i) for i in body.source_ids])
    return _view(store, actor, user_id)


@router.delete(
    "/users/{user_id}/sources/{source_id}", summary="Take a page from a user", responses=_404
)
def revoke(store: StoreDep, actor: ActorDep, user_id: int, source_id: int) -> UserOut:
    user = user_service.user_view(store, actor, user_id).user
    user_service.revoke(store, actor, user.email, [str(source_id)])
    return _view(store, actor, user_id)
