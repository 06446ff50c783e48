"""The most discussed themes of a selection of posts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from lytter.api.deps import ActorDep, PostFilterDep, StoreDep
from lytter.api.schemas import ThemeList
from lytter.services import themes as theme_service

router = APIRouter(tags=["analysis"])


@router.get("/themes", summary="The most discussed themes of the matching posts")
def list_themes(
    store: StoreDep,
    actor: ActorDep,
    query: PostFilterDep,
    k: Annotated[
        int | None,
        Query(ge=2, le=theme_service.MAX_THEMES, description="How many themes (default: by size)."),
    ] = None,
    posts: Annotated[
        int,
        Query(ge=1, le=theme_service.MAX_POSTS, description="Read at most this many, newest first"),
    ] = theme_service.DEFAULT_POSTS,
) -> ThemeList:
    return ThemeList.of(theme_service.themes(store, actor, query, k=k, max_posts=posts))
