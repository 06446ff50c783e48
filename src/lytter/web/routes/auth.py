"""Logging in and out, and the language of the login page."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lytter.api.deps import SESSION_COOKIE, StoreDep
from lytter.services import auth
from lytter.services.dates import zone_named
from lytter.services.errors import Forbidden, TooManyAttempts, UserError
from lytter.web import i18n
from lytter.web.deps import LANG_COOKIE, LOGIN_CSRF_COOKIE, FormDep, anonymous_locale
from lytter.web.templating import Page, render

router = APIRouter()


def safe_next(value: str | None) -> str:
    """Where to go after logging in: a path on this site only (no open redirects)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/listen"
    return value


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def _login_page(
    request: Request,
    *,
    next_url: str,
    email: str = "",
    error: UserError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    page = Page(None, None, anonymous_locale(request), zone_named("Europe/Copenhagen"), token)
    response = render(
        request,
        page,
        "login.html",
        {"next": next_url, "email": email, "error": error},
        status_code=status_code,
    )
    if isinstance(error, TooManyAttempts):
        response.headers["Retry-After"] = str(error.retry_after)
    _cookie(response, request, LOGIN_CSRF_COOKIE, token, 3600)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, store: StoreDep, next: str = "/listen") -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and auth.session_actor(store, cookie):
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next_url=safe_next(next))


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    store: StoreDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/listen",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(csrf_token, expected):
        error: UserError = Forbidden("the form has expired; reload the page and try again")
        return _login_page(
            request, next_url=safe_next(next), email=email, error=error, status_code=403
        )
    client = request.client.host if request.client else "unknown"
    try:
        result = auth.login(store, email, password, client)
    except UserError as exc:
        return _login_page(
            request, next_url=safe_next(next), email=email, error=exc, status_code=exc.status
        )
    response = RedirectResponse(safe_next(next), status_code=303)
    lifetime = int(auth.SESSION_LIFETIME.total_seconds())
    _cookie(response, request, SESSION_COOKIE, result.secret, lifetime)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, store: StoreDep, form: FormDep) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        auth.logout(store, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{code}")
def choose_language(request: Request, code: str, next: str = "/login") -> Response:
    """The language of the pages before logging in (logged-in users set theirs in Settings)."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in i18n.LOCALES:
        _cookie(response, request, LANG_COOKIE, code, 365 * 24 * 3600)
    return response
