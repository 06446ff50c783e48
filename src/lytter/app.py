"""The server: the REST API under /api/v1 and the web pages, over one store."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from lytter import __version__
from lytter.api import webhooks as webhook_routes
from lytter.api.routers import api_router
from lytter.querylang import QueryError
from lytter.services.dates import zone_named
from lytter.services.errors import TooManyAttempts, UserError
from lytter.store.base import Store
from lytter.web.deps import LoginRequired, anonymous_locale, current_page
from lytter.web.routes import web_router
from lytter.web.templating import Page, render

API_DESCRIPTION = """The Lytter workbench over HTTP. Authenticate with a personal API token
(`lytter user token EMAIL`, or Settings → API tokens in the browser) sent as
`Authorization: Bearer TOKEN`. Every answer respects the token owner's role and page grants.
Errors are always `{"error": {"code", "message", "field"}}`."""

_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
        " frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_json(
    status: int, code: str, message: str, field: str | None = None, **extra: object
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "field": field, **extra}}
    return JSONResponse(body, status_code=status)


def _error_page(request: Request, exc: UserError) -> Response:
    try:
        page = current_page(request, request.app.state.store)
    except LoginRequired:
        page = Page(None, None, anonymous_locale(request), zone_named("Europe/Copenhagen"), "")
    return render(request, page, "error.html", {"error": exc}, status_code=exc.status)


log = logging.getLogger("lytter.app")

_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}


def create_app(store: Store) -> FastAPI:
    """The whole workbench over `store`; each logged-in user sees their own workspace."""
    app = FastAPI(
        title="Lytter API",
        version=__version__,
        description=API_DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.include_router(api_router)
    app.include_router(webhook_routes.router)
    app.include_router(web_router)
    static = resources.files("lytter.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.middleware("http")
    async def timing_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        # Server time, so benchmarks can tell it from the network and the client.
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> Response:
        if _is_api(request):
            extra = {}
            if isinstance(exc, QueryError):  # where in the query, and how to fix it
                extra = {"column": exc.column, "hint": exc.hint, "caret": exc.caret()}
            response: Response = _error_json(exc.status, exc.code, str(exc), exc.field, **extra)
            if isinstance(exc, TooManyAttempts):
                response.headers["Retry-After"] = str(exc.retry_after)
            return response
        return _error_page(request, exc)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        if _is_api(request):
            return _error_json(500, "internal", "something went wrong on the server; it is logged")
        error = UserError("something went wrong on the server; it is logged")
        error.status = 500
        return _error_page(request, error)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if request.headers.get("HX-Request") == "true":
            return Response(status_code=204, headers={"HX-Redirect": f"/login?next={exc.next_url}"})
        return RedirectResponse(f"/login?next={exc.next_url}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        loc = [str(part) for part in first.get("loc", ()) if part not in ("query", "body", "path")]
        field = ".".join(loc) or None
        message = f"{field}: {first.get('msg')}" if field else str(first.get("msg"))
        if _is_api(request):
            return _error_json(400, "invalid", message, field)
        return _error_page(request, UserError(message, field=field))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if _is_api(request):
            code = _HTTP_CODES.get(exc.status_code, "error")
            return _error_json(exc.status_code, code, str(exc.detail))
        error = (
            UserError("this page does not exist")
            if exc.status_code == 404
            else UserError(str(exc.detail))
        )
        error.status = exc.status_code
        return _error_page(request, error)

    def openapi() -> dict[str, Any]:
        # Invalid input is answered with 400 and the common error body, not FastAPI's 422.
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            for operation in (op for path in schema["paths"].values() for op in path.values()):
                operation["responses"].pop("422", None)
            for name in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok", "backend": store.backend})

    return app
