"""Listing and reading posts, limited to the pages the caller may see."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query

from lytter.api.deps import ActorDep, PostFilterDep, StoreDep
from lytter.api.schemas import AnalysisOut, ErrorBody, PostDetailOut, PostList, SentimentIn
from lytter.services import analysing
from lytter.services import posts as post_service

router = APIRouter(tags=["posts"])


@router.get("/posts", summary="Posts, newest first, filtered and searched")
def list_posts(
    store: StoreDep,
    actor: ActorDep,
    query: PostFilterDep,
    limit: Annotated[int, Query(ge=1, le=post_service.MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> PostList:
    return PostList.of(
        post_service.find_posts(store, actor, replace(query, limit=limit, offset=offset))
    )


@router.get(
    "/posts/{post_id}",
    summary="One post with its thread and earlier texts",
    responses={404: {"model": ErrorBody, "description": "No such post on the caller's pages."}},
)
def get_post(store: StoreDep, actor: ActorDep, post_id: int) -> PostDetailOut:
    return PostDetailOut.of(post_service.post_detail(store, actor, post_id))


@router.put(
    "/posts/{post_id}/sentiment",
    summary="Correct a post's tone (agents and up); the correction wins and is kept for retraining",
    responses={404: {"model": ErrorBody, "description": "No such post, or not analysed yet."}},
)
def correct_sentiment(
    store: StoreDep, actor: ActorDep, post_id: int, body: SentimentIn
) -> AnalysisOut:
    return AnalysisOut.of(analysing.correct_sentiment(store, actor, post_id, body.sentiment))
