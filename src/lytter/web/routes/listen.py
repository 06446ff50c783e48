"""Listen: the posts explorer and a post's conversation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lytter.api.deps import StoreDep
from lytter.querylang import QueryError
from lytter.services import analysing
from lytter.services import posts as post_service
from lytter.services import queries as query_service
from lytter.services import sources as source_service
from lytter.services import themes as theme_service
from lytter.services import tone as tone_service
from lytter.services import trends as trend_service
from lytter.services.errors import N_, UserError
from lytter.services.workspaces import workspace_by_id
from lytter.web.deps import FormDep, PageDep, as_number, form_text
from lytter.web.filters import Filters, FiltersDep
from lytter.web.i18n import gettext
from lytter.web.templating import Page, render

router = APIRouter()
PAGE_SIZE = 50


def _filter_fields(store: StoreDep, page: Page, chosen: Filters) -> dict[str, object]:
    """What partials/filter_fields.html shows besides the platforms: the choices and the
    fields as typed."""
    assert page.actor is not None
    _, languages = post_service.facets(store, page.actor.workspace_id)
    return {
        "sources": source_service.list_sources(store, page.actor),
        "languages": languages,
        "params": chosen.params,
        "selected_sources": set(chosen.source_ids),
    }


@router.get("/listen", response_class=HTMLResponse)
def explorer(
    request: Request,
    store: StoreDep,
    page: PageDep,
    chosen: FiltersDep,
    query: str = "",
    n: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    assert page.actor is not None
    source_ids = chosen.source_ids
    wanted = replace(
        chosen.post_filter(page),
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
    params = {**chosen.params, "query": query if query.isdigit() else ""}
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


TONE_NAMES = {"negative": N_("Negative"), "neutral": N_("Neutral"), "positive": N_("Positive")}


@router.get("/posts/{post_id}", response_class=HTMLResponse)
def post_detail(request: Request, store: StoreDep, page: PageDep, post_id: int) -> HTMLResponse:
    return _post_page(request, store, page, post_id)


def _post_page(
    request: Request,
    store: StoreDep,
    page: Page,
    post_id: int,
    *,
    error: UserError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.actor is not None
    detail = post_service.post_detail(store, page.actor, post_id)
    context = {
        "detail": detail,
        "error": error,
        "tone_names": {k: gettext(page.locale, v) for k, v in TONE_NAMES.items()},
    }
    return render(request, page, "post.html", context, section="listen", status_code=status_code)


@router.post("/posts/{post_id}/sentiment", response_class=HTMLResponse)
def correct_sentiment(
    request: Request, store: StoreDep, page: PageDep, form: FormDep, post_id: int
) -> Response:
    assert page.actor is not None
    try:
        analysing.correct_sentiment(store, page.actor, post_id, form_text(form, "sentiment"))
    except UserError as exc:
        return _post_page(request, store, page, post_id, error=exc, status_code=exc.status)
    return RedirectResponse(f"/posts/{post_id}", status_code=303)


@router.get("/listen/themes", response_class=HTMLResponse)
def themes_page(
    request: Request,
    store: StoreDep,
    page: PageDep,
    chosen: FiltersDep,
    k: str = "",
) -> HTMLResponse:
    assert page.actor is not None
    wanted = chosen.post_filter(page)
    query_error: QueryError | None = None
    try:
        report = theme_service.themes(store, page.actor, wanted, k=int(k) if k.isdigit() else None)
    except QueryError as exc:
        query_error = exc
        report = theme_service.ThemeReport([], 0, False)
    context = {
        **_filter_fields(store, page, chosen),
        "params": {**chosen.params, "k": k},
        "report": report,
        "query_error": query_error,
        "max_themes": theme_service.MAX_THEMES,
        "spark": lambda series: spark(series, 1),  # days; the newest is the one looked at
        "spark_width": SPARK_WIDTH,
    }
    return render(request, page, "themes.html", context, section="listen")


HOURS = (6, 24, 72, 168)
SPARK_WIDTH = 240
KIND_NAMES = {
    "word": N_("word"),
    "phrase": N_("phrase"),
    "hashtag": N_("hashtag"),
    "mention": N_("mention"),
}


@dataclass(frozen=True, slots=True)
class Spark:
    points: str  # an SVG polyline's points
    looked_at: float  # where the hours looked at begin


def spark(series: tuple[int, ...], hours: int) -> Spark:
    """The last hours of `series` (at least two days, twice the hours looked at) as a line
    SPARK_WIDTH wide and 36 high, the highest hour at the top."""
    shown = series[-max(48, 2 * hours) :]
    top = max(shown, default=0) or 1
    step = SPARK_WIDTH / max(1, len(shown) - 1)
    points = " ".join(f"{i * step:.1f},{34 - 32 * c / top:.1f}" for i, c in enumerate(shown))
    return Spark(points, max(0.0, SPARK_WIDTH - hours * step))


@router.get("/listen/trends", response_class=HTMLResponse)
def trends_page(
    request: Request,
    store: StoreDep,
    page: PageDep,
    chosen: FiltersDep,
    hours: Annotated[int, Query(ge=1, le=trend_service.MAX_HOURS)] = trend_service.DEFAULT_HOURS,
    kind: str = "",
) -> HTMLResponse:
    return _trends(
        request, store, page, chosen, hours, kind, done=request.query_params.get("saved") == "1"
    )


def _trends(
    request: Request,
    store: StoreDep,
    page: Page,
    chosen: Filters,
    hours: int = trend_service.DEFAULT_HOURS,
    kind: str = "",
    *,
    error: UserError | None = None,
    done: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.actor is not None
    wanted = replace(chosen.post_filter(page), since=None)
    kinds = (kind,) if kind in trend_service.KINDS else trend_service.KINDS
    query_error: QueryError | None = None
    report: trend_service.TrendReport | None = None
    try:
        report = trend_service.trends(store, page.actor, wanted, hours=hours, kinds=kinds)
    except QueryError as exc:
        query_error = exc
    context = {
        **_filter_fields(store, page, chosen),
        "params": {**chosen.params, "hours": hours, "kind": kind},
        "report": report,
        "query_error": query_error,
        "hour_choices": sorted({*HOURS, hours}),
        "kinds": trend_service.KINDS,
        "settings": workspace_by_id(store, page.actor.workspace_id).trends,
        "kind_names": {k: gettext(page.locale, v) for k, v in KIND_NAMES.items()},
        "spark": lambda series: spark(series, hours),
        "spark_width": SPARK_WIDTH,
        "error": error,
        "done": done,
    }
    return render(request, page, "trends.html", context, section="listen", status_code=status_code)


@router.post("/listen/trends/settings", response_class=HTMLResponse)
def change_trend_settings(
    request: Request, store: StoreDep, page: PageDep, form: FormDep
) -> Response:
    assert page.actor is not None
    changes: dict[str, object] = {
        name: as_number(form_text(form, name))
        for name in ("min_count", "min_ratio", "threshold", "baseline_days")
    }
    windows = form_text(form, "windows").replace(",", " ").split()
    changes["windows"] = [as_number(w) for w in windows] if windows else None
    try:
        trend_service.set_trend_settings(store, page.actor, **changes)
    except UserError as exc:
        return _trends(request, store, page, Filters(), error=exc, status_code=exc.status)
    return RedirectResponse("/listen/trends?saved=1", status_code=303)


INTERVAL_NAMES = {
    "hour": N_("Hours"),
    "day": N_("Days"),
    "week": N_("Weeks"),
    "month": N_("Months"),
}
CHART_WIDTH, CHART_HEIGHT = 720, 160


@router.get("/listen/tone", response_class=HTMLResponse)
def tone_page(
    request: Request, store: StoreDep, page: PageDep, chosen: FiltersDep, by: str = "day"
) -> HTMLResponse:
    assert page.actor is not None
    interval = by if by in tone_service.INTERVALS else "day"
    query_error: QueryError | None = None
    error: UserError | None = None
    series: tone_service.ToneSeries | None = None
    try:
        series = tone_service.tone_over_time(
            store, page.actor, chosen.post_filter(page), page.zone, interval
        )
    except QueryError as exc:
        query_error = exc
    except UserError as exc:
        error = exc
    bars = []
    if series and series.buckets:
        top = max(b.posts for b in series.buckets) or 1
        step = CHART_WIDTH / len(series.buckets)
        for i, b in enumerate(series.buckets):
            scale = (CHART_HEIGHT - 20) / top
            neg, neu, pos = b.negative * scale, b.neutral * scale, b.positive * scale
            bars.append(
                {
                    "x": i * step,
                    "width": max(1.0, step * 0.8),
                    "negative": neg,
                    "neutral": neu,
                    "positive": pos,
                    "bucket": b,
                }
            )
    context = {
        **_filter_fields(store, page, chosen),
        "params": {**chosen.params, "by": interval},
        "series": series,
        "bars": bars,
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
        "intervals": {k: gettext(page.locale, v) for k, v in INTERVAL_NAMES.items()},
        "query_error": query_error,
        "error": error,
    }
    return render(request, page, "tone.html", context, section="listen")
