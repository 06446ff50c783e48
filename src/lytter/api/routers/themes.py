"""The most discussed themes of a selection of posts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import ThemeList
from lytter.domain.posts import PostFilter
from lytter.services import themes as theme_service
from lytter.services.dates import parse_when, zone_named
from lytter.services.workspaces import workspace_by_id

router = APIRouter(tags=["analysis"])


@router.get("/themes", summary="The most discussed themes of the matching posts")
def list_themes(
    store: StoreDep,
    actor: ActorDep,
    q: Annotated[
        str | None, Query(description="Only posts matching this query (the query language).")
    ] = None,
    source: Annotated[list[int] | None, Query(description="Source ids; repeatable.")] = None,
    platform: Annotated[list[str] | None, Query(description="Platforms; repeatable.")] = None,
    language: Annotated[list[str] | None, Query(description="Languages; repeatable.")] = None,
    since: Annotated[
        str | None, Query(description="From this date (workspace time zone) or ISO time.")
    ] = None,
    until: Annotated[
        str | None, Query(description="To this date, inclusive, or before this ISO time.")
    ] = None,
    k: Annotated[
        int | None,
        Query(ge=2, le=theme_service.MAX_THEMES, description="How many themes (default: by size)."),
    ] = None,
    posts: Annotated[
        int,
        Query(
            ge=1, le=theme_service.MAX_POSTS, description="Read at most this many, newest first."
        ),
    ] = theme_service.DEFAULT_POSTS,
) -> ThemeList:
    zone = zone_named(workspace_by_id(store, actor.workspace_id).timezone)
    query = PostFilter(
        workspace_id=actor.workspace_id,
        text=q,
        source_ids=tuple(source or ()),
        platforms=tuple(p.lower() for p in platform or ()),
        languages=tuple(lang.lower() for lang in language or ()),
        since=parse_when(since, "since", zone, end=False),
        until=parse_when(until, "until", zone, end=True),
    )
    return ThemeList.of(theme_service.themes(store, actor, query, k=k, max_posts=posts))
