"""What API routes depend on: the store and the actor behind the request."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from lytter.domain.access import Actor
from lytter.services import auth
from lytter.services.errors import Forbidden, Unauthorized
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
