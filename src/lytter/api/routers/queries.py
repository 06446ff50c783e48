"""Saved queries (topics), their matches, and synonym sets."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import (
    CheckedQuery,
    ErrorBody,
    PostList,
    QueryIn,
    QueryTextIn,
    SavedQueryOut,
    SynonymsIn,
    SynonymsOut,
)
from lytter.domain.posts import PostFilter
from lytter.querylang.render import render
from lytter.services import queries as query_service
from lytter.services import search as search_service
from lytter.services.posts import PostPage

router = APIRouter(tags=["queries"])
_422: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "The query is invalid: column, hint and caret."}
}
_404: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such saved query."}
}


@router.post("/queries/check", summary="Check a query and see how Lytter reads it", responses=_422)
def check(store: StoreDep, actor: ActorDep, body: QueryTextIn) -> CheckedQuery:
    return CheckedQuery(
        canonical=render(query_service.compile_query(store, actor.workspace_id, body.query))
    )


@router.get("/queries", summary="Saved queries and how many posts each matches")
def list_queries(store: StoreDep, actor: ActorDep) -> list[SavedQueryOut]:
    return [SavedQueryOut.of(v) for v in query_service.list_queries(store, actor)]


@router.post(
    "/queries",
    status_code=status.HTTP_201_CREATED,
    summary="Save a query; its matches among stored posts are found at once",
    responses=_422,
)
def add_query(store: StoreDep, actor: ActorDep, body: QueryIn) -> SavedQueryOut:
    view = query_service.add_query(
        store,
        actor,
        name=body.name,
        text=body.query,
        brand=body.brand,
        tags=body.tags,
        languages=body.languages,
        compounds=body.compounds,
    )
    return SavedQueryOut.of(view)


@router.put(
    "/queries/{query_id}",
    summary="Change a saved query's text; its matches are found again",
    responses={**_422, **_404},
)
def update_query(
    store: StoreDep, actor: ActorDep, query_id: int, body: QueryTextIn
) -> SavedQueryOut:
    return SavedQueryOut.of(
        query_service.update_query(store, actor, str(query_id), text=body.query)
    )


@router.delete(
    "/queries/{query_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a saved query and its matches",
    responses=_404,
)
def remove_query(store: StoreDep, actor: ActorDep, query_id: int) -> Response:
    query_service.remove_query(store, actor, str(query_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/queries/{query_id}/posts",
    summary="A saved query's newest matching posts on the caller's pages",
    responses=_404,
)
def query_posts(
    store: StoreDep,
    actor: ActorDep,
    query_id: int,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> PostList:
    view, posts = query_service.query_posts(store, actor, str(query_id), limit)
    page = PostPage(posts, view.matches, PostFilter(actor.workspace_id, limit=limit))
    return PostList.of(page)


@router.get("/synonyms", summary="The workspace's synonym sets")
def list_synonyms(store: StoreDep, actor: ActorDep) -> list[SynonymsOut]:
    return [
        SynonymsOut(name=name, entries=entries)
        for name, entries in search_service.synonyms_of(store, actor.workspace_id).items()
    ]


@router.put(
    "/synonyms/{name}",
    summary="Define $name; saved queries that use it find their matches again",
    responses=_422,
)
def set_synonyms(store: StoreDep, actor: ActorDep, name: str, body: SynonymsIn) -> SynonymsOut:
    made = query_service.set_synonyms(store, actor, name, body.entries)
    return SynonymsOut(name=made.name, entries=list(made.entries))
