"""Authors as voices: critics, trolls and ambassadors, a person's word on them, and the
workspace's thresholds for the types."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import (
    AuthorList,
    AuthorProfileOut,
    AuthorSettingsIn,
    AuthorSettingsOut,
    AuthorTypeIn,
    AuthorTypeOut,
)
from lytter.domain.authors import AUTHOR_TYPES
from lytter.services import authors as author_service
from lytter.services.workspaces import workspace_by_id

router = APIRouter(tags=["analysis"])


@router.get("/authors", summary="Critics, trolls and ambassadors, most posts first")
def list_authors(
    store: StoreDep,
    actor: ActorDep,
    type: Annotated[  # noqa: A002 - the API's word
        list[str] | None,
        Query(description="Only these types: critic, troll, ambassador, none; repeatable"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=author_service.MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> AuthorList:
    found = author_service.list_authors(
        store, actor, type or AUTHOR_TYPES, limit=limit, offset=offset
    )
    return AuthorList.of(found, author_service.type_counts(store, actor))


@router.get("/authors/settings", summary="When an author is a critic, a troll or an ambassador")
def author_settings(store: StoreDep, actor: ActorDep) -> AuthorSettingsOut:
    return AuthorSettingsOut.of(workspace_by_id(store, actor.workspace_id).authors)


@router.patch(
    "/authors/settings",
    summary="Change the thresholds (admins and managers); every author is typed again",
)
def change_author_settings(
    store: StoreDep, actor: ActorDep, body: AuthorSettingsIn
) -> AuthorSettingsOut:
    changes = body.model_dump(exclude_unset=True)
    return AuthorSettingsOut.of(author_service.set_author_settings(store, actor, changes))


@router.get(
    "/authors/{author_id}",
    summary="An author's profile: type and reasons, tone by month, pages, newest posts",
)
def get_author(store: StoreDep, actor: ActorDep, author_id: int) -> AuthorProfileOut:
    return AuthorProfileOut.of_profile(author_service.author_profile(store, actor, author_id))


@router.put(
    "/authors/{author_id}/type",
    summary="Say what kind of voice an author is (null: back to Lytter's reading)",
)
def set_author_type(
    store: StoreDep, actor: ActorDep, author_id: int, body: AuthorTypeIn
) -> AuthorTypeOut:
    return AuthorTypeOut.of(
        author_service.override_type(store, actor, author_id, body.type, body.note)
    )
