"""The start page and the sections still to be built out (measure, publish)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from lytter.api.deps import StoreDep
from lytter.services import posts as post_service
from lytter.web.deps import PageDep
from lytter.web.templating import render

router = APIRouter()


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/listen", status_code=303)


@router.get("/measure", response_class=HTMLResponse)
def measure(request: Request, store: StoreDep, page: PageDep) -> HTMLResponse:
    assert page.actor is not None
    stats = (
        None
        if page.actor.source_ids is not None
        else post_service.workspace_stats(store, page.actor)
    )
    return render(request, page, "measure.html", {"stats": stats}, section="measure")


@router.get("/publish", response_class=HTMLResponse)
def publish(request: Request, page: PageDep) -> HTMLResponse:
    return render(request, page, "publish.html", section="publish")
