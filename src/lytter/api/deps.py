"""What API routes depend on: the store and the actor behind the request."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from lytter.domain.access import Actor
from lytter.domain.posts import PostFilter
from lytter.services import auth
from lytter.services.authors import author_types
from lytter.services.dates import parse_when, zone_named
from lytter.services.errors import Forbidden, Unauthorized
from lytter.services.posts import sentiments
from lytter.services.workspaces import workspace_by_id
from lytter.store.base import Store

SESSION_COOKIE = "lytter_session"
CSRF_HEADER = "X-CSRF-Token"

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A personal API token: `lytter user token EMAIL` or Settings → API tokens.",
)


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]


def api_actor(
    request: Request,
    store: StoreDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    """The actor of a Bearer token, or of the browser session (which must send its CSRF token
    on anything but a read)."""
    if credentials is not None:
        actor = auth.token_actor(store, credentials.credentials)
        if actor is None:
            raise Unauthorized("the API token is unknown or was revoked")
        return actor
    cookie = request.cookies.get(SESSION_COOKIE)
    session = auth.session_actor(store, cookie) if cookie else None
    if session is None:
        raise Unauthorized("send a personal API token as 'Authorization: Bearer TOKEN'")
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        sent = request.headers.get(CSRF_HEADER, "")
        if not secrets.compare_digest(sent, session.csrf_token):
            raise Forbidden("a browser request that changes data needs the X-CSRF-Token header")
    return session.actor


ActorDep = Annotated[Actor, Depends(api_actor)]


def post_filter(
    store: StoreDep,
    actor: ActorDep,
    q: Annotated[
        str | None,
        Query(description="Only posts matching this query (the query language)."),
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
    sentiment: Annotated[
        list[str] | None,
        Query(description="Tones: negative, neutral, positive (a correction first); repeatable."),
    ] = None,
    offensive: Annotated[
        bool | None, Query(description="true: offensive posts only; false: all but those.")
    ] = None,
    author_type: Annotated[
        list[str] | None,
        Query(description="Authors' types: critic, troll, ambassador, none; repeatable."),
    ] = None,
) -> PostFilter:
    """The posts filters that lists, themes and figures share."""
    zone = zone_named(workspace_by_id(store, actor.workspace_id).timezone)
    return PostFilter(
        workspace_id=actor.workspace_id,
        text=q,
        source_ids=tuple(source or ()),
        platforms=tuple(p.lower() for p in platform or ()),
        languages=tuple(lang.lower() for lang in language or ()),
        since=parse_when(since, "since", zone, end=False),
        until=parse_when(until, "until", zone, end=True),
        sentiments=sentiments(sentiment or ()),
        offensive=offensive,
        author_types=author_types(author_type or ()),
    )


PostFilterDep = Annotated[PostFilter, Depends(post_filter)]
