"""One router per concept; `api_router` gathers them under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from lytter.api.routers import (
    alerts,
    audit,
    authors,
    desks,
    goals,
    health,
    inbox,
    me,
    metrics,
    moderation,
    posts,
    queries,
    routing,
    sources,
    themes,
    tokens,
    tone,
    trends,
    users,
)
from lytter.api.schemas import ErrorBody

api_router = APIRouter(
    prefix="/api/v1",
    responses={
        400: {"model": ErrorBody, "description": "The request is invalid."},
        401: {"model": ErrorBody, "description": "No valid token or session."},
        403: {"model": ErrorBody, "description": "The role or page grants do not allow it."},
    },
)
for module in (
    me,
    posts,
    queries,
    sources,
    themes,
    trends,
    tone,
    authors,
    users,
    tokens,
    inbox,
    desks,
    routing,
    moderation,
    audit,
    health,
    metrics,
    goals,
    alerts,
):
    api_router.include_router(module.router)
