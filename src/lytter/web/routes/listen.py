"""Listen: the posts explorer and a post's conversation."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from lytter.api.deps import StoreDep
from lytter.domain.posts import PostFilter
from lytter.querylang import QueryError
from lytter.services import posts as post_service
from lytter.services import queries as query_service
from lytter.services import sources as source_service
from lytter.services import themes as theme_service
from lytter.services.dates import parse_when
from lytter.web.deps import PageDep
from lytter.web.i18n import gettext
from lytter.web.templating import Page, render

router = APIRouter()
PAGE_SIZE = 50


def _post_filter(
    page: Page,
    q: str,
    source_ids: tuple[int, ...],
    platform: str,
    language: str,
    since: str,
    until: str,
) -> PostFilter:
    """The filters the explorer and the themes page share, from their form's fields."""
    assert page.actor is not None
    return PostFilter(
        workspace_id=page.actor.workspace_id,
        text=q or None,
        source_ids=source_ids,
        platforms=(platform,) if platform else (),
        languages=(language,) if language else (),
        since=parse_when(since, gettext(page.locale, "From"), page.zone, end=False),
        until=parse_when(until, gettext(page.locale, "To"), page.zone, end=True),
    )


@router.get("/listen", response_class=HTMLResponse)
def explorer(
    request: Request,
    store: StoreDep,
    page: PageDep,
    q: str = "",
    source: Annotated[list[str] | None, Query()] = None,
    platform: str = "",
    language: str = "",
    since: str = "",
    until: str = "",
    query: str = "",
    n: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    assert page.actor is not None
    source_ids = tuple(int(s) for s in source or () if s.isdigit())
    wanted = replace(
        _post_filter(page, q, source_ids, platform, language, since, until),
        query_id=int(query) if query.isdigit() else None,
        limit=PAGE_SIZE,
        offset=(n - 1) * PAGE_SIZE,
    )
    query_error: QueryError | None = None
    try:
        result = post_service.find_posts(store, page.actor, wanted)
    except QueryError as exc:  # shown under the search box, with a caret and a hint
        query_error = exc
        result = post_service.PostPage([], 0, wanted)
    platforms, languages = post_service.facets(store, page.actor.workspace_id)
    params = {
        "q": q,
        "platform": platform,
        "language": language,
        "since": since,
        "until": until,
        "query": query if query.isdigit() else "",
    }
    base = urlencode([(k, v) for k, v in params.items() if v] + [("source", s) for s in source_ids])
    context = {
        "result": result,
        "query_error": query_error,
        "sources": source_service.list_sources(store, page.actor),
        "saved_queries": query_service.list_queries(store, page.actor),
        "platforms": platforms,
        "languages": languages,
        "params": params,
        "selected_sources": set(source_ids),
        "page_number": n,
        "pages": max(1, -(-result.total // PAGE_SIZE)),
        "base_query": base,
    }
    if (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Target") == "results"
    ):
        return render(request, page, "partials/results.html", context, section="listen")
    return render(request, page, "listen.html", context, section="listen")


@router.get("/posts/{post_id}", response_class=HTMLResponse)
def post_detail(request: Request, store: StoreDep, page: PageDep, post_id: int) -> HTMLResponse:
    assert page.actor is not None
    detail = post_service.post_detail(store, page.actor, post_id)
    return render(request, page, "post.html", {"detail": detail}, section="listen")


@router.get("/listen/themes", response_class=HTMLResponse)
def themes_page(
    request: Request,
    store: StoreDep,
    page: PageDep,
    q: str = "",
    source: Annotated[list[str] | None, Query()] = None,
    language: str = "",
    since: str = "",
    until: str = "",
    k: str = "",
) -> HTMLResponse:
    assert page.actor is not None
    source_ids = tuple(int(s) for s in source or () if s.isdigit())
    wanted = _post_filter(page, q, source_ids, "", language, since, until)
    query_error: QueryError | None = None
    try:
        report = theme_service.themes(store, page.actor, wanted, k=int(k) if k.isdigit() else None)
    except QueryError as exc:
        query_error = exc
        report = theme_service.ThemeReport([], 0, False)
    _, languages = post_service.facets(store, page.actor.workspace_id)
    context = {
        "report": report,
        "query_error": query_error,
        "sources": source_service.list_sources(store, page.actor),
        "languages": languages,
        "params": {"q": q, "language": language, "since": since, "until": until, "k": k},
        "selected_sources": set(source_ids),
        "max_themes": theme_service.MAX_THEMES,
    }
    return render(request, page, "themes.html", context, section="listen")
