"""Listen → saved queries: the list, a query editor that checks as you type, and deleting."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lytter.api.deps import StoreDep
from lytter.querylang import QueryError
from lytter.querylang.render import render as render_query
from lytter.services import queries as query_service
from lytter.services import search as search_service
from lytter.services.errors import UserError
from lytter.web.deps import FormDep, PageDep, form_text
from lytter.web.templating import Page, render

router = APIRouter(prefix="/listen/queries")


def _page(
    request: Request,
    store: StoreDep,
    page: Page,
    *,
    error: UserError | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.actor is not None
    return render(
        request,
        page,
        "queries.html",
        {
            "views": query_service.list_queries(store, page.actor),
            "synonyms": search_service.synonyms_of(store, page.actor.workspace_id),
            "error": error,
            "form": form or {},
            "done": request.query_params.get("done"),
        },
        section="listen",
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def queries(request: Request, store: StoreDep, page: PageDep) -> HTMLResponse:
    return _page(request, store, page)


@router.post("/check", response_class=HTMLResponse)
def check(request: Request, store: StoreDep, page: PageDep, form: FormDep) -> HTMLResponse:
    """The editor's live check: a fragment saying how the query reads, or what is wrong."""
    assert page.actor is not None
    text = form_text(form, "query")
    context: dict[str, object] = {"text": text}
    if text.strip():
        try:
            context["canonical"] = render_query(
                query_service.compile_query(store, page.actor.workspace_id, text)
            )
        except QueryError as exc:
            context["query_error"] = exc
        except UserError as exc:
            context["error"] = exc
    return render(request, page, "partials/query_check.html", context, section="listen")


@router.post("/test", response_class=HTMLResponse)
def trial(request: Request, store: StoreDep, page: PageDep, form: FormDep) -> HTMLResponse:
    """Try the editor's query on the newest posts: matches and near misses, as a fragment."""
    assert page.actor is not None
    context: dict[str, object] = {}
    try:
        context["trial"] = query_service.test_query(
            store,
            page.actor,
            form_text(form, "query"),
            compounds=form_text(form, "compounds") or "none",
        )
    except QueryError as exc:
        context["query_error"] = exc
    except UserError as exc:
        context["error"] = exc
    return render(request, page, "partials/query_trial.html", context, section="listen")


@router.post("", response_class=HTMLResponse)
def add(request: Request, store: StoreDep, page: PageDep, form: FormDep) -> Response:
    assert page.actor is not None
    values = {k: form_text(form, k) for k in ("name", "query", "languages", "compounds")}
    try:
        query_service.add_query(
            store,
            page.actor,
            name=values["name"],
            text=values["query"],
            languages=[v for v in values["languages"].replace(",", " ").split() if v],
            compounds=values["compounds"] or "none",
        )
    except UserError as exc:
        return _page(request, store, page, error=exc, form=values, status_code=exc.status)
    return RedirectResponse("/listen/queries?done=saved", status_code=303)


@router.post("/{query_id}/delete")
def delete(store: StoreDep, page: PageDep, form: FormDep, query_id: int) -> RedirectResponse:
    assert page.actor is not None
    query_service.remove_query(store, page.actor, str(query_id))
    return RedirectResponse("/listen/queries?done=removed", status_code=303)
