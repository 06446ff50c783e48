"""The workbench web app: for now, a posts explorer with search, filters and threads."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from importlib import resources
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from lytter.domain.posts import PostFilter
from lytter.domain.workspaces import Workspace
from lytter.services import posts as post_service
from lytter.services.errors import UserError
from lytter.store.base import Store

PAGE_SIZE = 50


def create_app(store: Store, workspace: Workspace, timezone: str = "Europe/Copenhagen") -> FastAPI:
    """The web app over `store`, showing `workspace`."""
    zone = ZoneInfo(timezone)
    app = FastAPI(title="Lytter", docs_url=None, redoc_url=None, openapi_url=None)
    web_dir = resources.files("lytter.web")
    app.mount("/static", StaticFiles(directory=str(web_dir / "static")), name="static")
    templates = Jinja2Templates(directory=str(web_dir / "templates"))
    templates.env.filters["local"] = lambda dt, fmt="%Y-%m-%d %H:%M": dt.astimezone(zone).strftime(
        fmt
    )
    templates.env.filters["thousands"] = lambda n: f"{n:,}".replace(",", ".")

    def parse_day(value: str, name: str, *, end: bool) -> datetime | None:
        if not value:
            return None
        try:
            day = datetime.fromisoformat(value).date()
        except ValueError:
            raise UserError(f"{name} '{value}' is not a date like 2024-05-31") from None
        start = datetime.combine(day, time(0), zone)
        return (start + timedelta(days=1) if end else start).astimezone(UTC)

    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> HTMLResponse:
        return templates.TemplateResponse(
            request, "error.html", {"workspace": workspace, "message": str(exc)}, status_code=400
        )

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok", "backend": store.backend})

    @app.get("/", response_class=HTMLResponse)
    def explorer(
        request: Request,
        q: str = "",
        source: Annotated[list[int] | None, Query()] = None,
        platform: str = "",
        language: str = "",
        since: str = "",
        until: str = "",
        page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    ) -> HTMLResponse:
        query = PostFilter(
            workspace_id=workspace.id,
            text=q or None,
            source_ids=tuple(source or ()),
            platforms=(platform,) if platform else (),
            languages=(language,) if language else (),
            since=parse_day(since, "from", end=False),
            until=parse_day(until, "to", end=True),
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
        result = post_service.find_posts(store, query)
        platforms, languages = post_service.facets(store, workspace.id)
        params = {
            "q": q,
            "platform": platform,
            "language": language,
            "since": since,
            "until": until,
        }
        base = urlencode(
            [(k, v) for k, v in params.items() if v] + [("source", s) for s in source or ()]
        )
        return templates.TemplateResponse(
            request,
            "posts.html",
            {
                "workspace": workspace,
                "result": result,
                "sources": store.list_sources(workspace.id),
                "platforms": platforms,
                "languages": languages,
                "params": params,
                "selected_sources": set(source or ()),
                "page": page,
                "pages": max(1, -(-result.total // PAGE_SIZE)),
                "base_query": base,
            },
        )

    @app.get("/posts/{post_id}", response_class=HTMLResponse)
    def post_detail(request: Request, post_id: int) -> HTMLResponse:
        detail = post_service.post_detail(store, workspace.id, post_id)
        return templates.TemplateResponse(
            request, "post.html", {"workspace": workspace, "detail": detail}
        )

    return app
