"""Listing and reading posts, limited to the pages the caller may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import ErrorBody, PostDetailOut, PostList
from lytter.domain.posts import PostFilter
from lytter.services import posts as post_service
from lytter.services.dates import parse_when, zone_named
from lytter.services.workspaces import workspace_by_id

router = APIRouter(tags=["posts"])


@router.get("/posts", summary="Posts, newest first, filtered and searched")
def list_posts(
    store: StoreDep,
    actor: ActorDep,
    q: Annotated[
        str | None,
        Query(description='Full-text search: words, "a phrase", OR, -exclude, prefix*.'),
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
    limit: Annotated[int, Query(ge=1, le=post_service.MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> PostList:
    zone = zone_named(workspace_by_id(store, actor.workspace_id).timezone)
    query = PostFilter(
        workspace_id=actor.workspace_id,
        text=q,
        source_ids=tuple(source or ()),
        platforms=tuple(p.lower() for p in platform or ()),
        languages=tuple(lang.lower() for lang in language or ()),
        since=parse_when(since, "since", zone, end=False),
        until=parse_when(until, "until", zone, end=True),
        limit=limit,
        offset=offset,
    )
    return PostList.of(post_service.find_posts(store, actor, query))


@router.get(
    "/posts/{post_id}",
    summary="One post with its thread and earlier texts",
    responses={404: {"model": ErrorBody, "description": "No such post on the caller's pages."}},
)
def get_post(store: StoreDep, actor: ActorDep, post_id: int) -> PostDetailOut:
    return PostDetailOut.of(post_service.post_detail(store, actor, post_id))
