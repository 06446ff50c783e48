"""Listen → People: critics, trolls and ambassadors with the reasons; an author's profile,
where a person can say what kind of voice they are; the thresholds for the types."""

from __future__ import annotations

from typing import Annotated

from babel.numbers import format_decimal
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lytter.api.deps import StoreDep
from lytter.domain.authors import NO_TYPE
from lytter.services import authors as author_service
from lytter.services.errors import N_, UserError
from lytter.services.workspaces import workspace_by_id
from lytter.web.deps import FormDep, PageDep, as_number, form_text
from lytter.web.i18n import gettext
from lytter.web.routes.listen import TONE_NAMES
from lytter.web.templating import Page, render

router = APIRouter()
PAGE_SIZE = 50

TYPE_NAMES = {
    "critic": N_("Critic"),
    "troll": N_("Troll"),
    "ambassador": N_("Ambassador"),
    NO_TYPE: N_("No type"),
}
TAB_NAMES = {
    "critic": N_("Critics"),
    "troll": N_("Trolls"),
    "ambassador": N_("Ambassadors"),
    NO_TYPE: N_("No type"),
}
TYPE_ADVICE = {
    "critic": N_("Negative but constructive: answer them openly."),
    "troll": N_(
        "Abusive or baiting, no substance: usually ignore; moderate if they break the guidelines."
    ),
    "ambassador": N_("Speaks well of you and helps others: thank them, involve them."),
    NO_TYPE: N_("Not enough to say what kind of voice this is."),
}


def _words(page: Page) -> dict[str, object]:
    """The translated names the templates need."""
    return {
        "type_names": {k: gettext(page.locale, v) for k, v in TYPE_NAMES.items()},
        "tab_names": {k: gettext(page.locale, v) for k, v in TAB_NAMES.items()},
        "type_advice": {k: gettext(page.locale, v) for k, v in TYPE_ADVICE.items()},
        "tone_names": {k: gettext(page.locale, v) for k, v in TONE_NAMES.items()},
        "reason": lambda r: author_service.reason_text(
            r,
            lambda m: gettext(page.locale, m),
            lambda n: format_decimal(n, locale=page.locale),
        ),
    }


@router.get("/listen/authors", response_class=HTMLResponse)
def authors_page(
    request: Request,
    store: StoreDep,
    page: PageDep,
    type: str = "critic",  # noqa: A002 - the query string's word
    n: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    return _authors(request, store, page, type, n, done=request.query_params.get("saved") == "1")


def _authors(
    request: Request,
    store: StoreDep,
    page: Page,
    chosen: str = "critic",
    n: int = 1,
    *,
    error: UserError | None = None,
    done: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.actor is not None
    chosen = chosen if chosen in author_service.TYPES else "critic"
    found = author_service.list_authors(
        store, page.actor, [chosen], limit=PAGE_SIZE, offset=(n - 1) * PAGE_SIZE
    )
    counts = author_service.type_counts(store, page.actor)
    context = {
        **_words(page),
        "found": found,
        "counts": counts,
        "chosen": chosen,
        "types": author_service.TYPES,
        "page_number": n,
        "pages": max(1, -(-counts.get(chosen, 0) // PAGE_SIZE)),
        "settings": workspace_by_id(store, page.actor.workspace_id).authors,
        "error": error,
        "done": done,
    }
    return render(request, page, "authors.html", context, section="listen", status_code=status_code)


@router.post("/listen/authors/settings", response_class=HTMLResponse)
def change_author_settings(
    request: Request, store: StoreDep, page: PageDep, form: FormDep
) -> Response:
    assert page.actor is not None
    changes: dict[str, object] = {}
    for name in author_service.SETTINGS:
        value = as_number(form_text(form, name))
        # Shares are typed as percentages in the form.
        if name.endswith("_share") and isinstance(value, (int, float)):
            value = value / 100
        changes[name] = value
    try:
        author_service.set_author_settings(store, page.actor, changes)
    except UserError as exc:
        return _authors(request, store, page, error=exc, status_code=exc.status)
    return RedirectResponse("/listen/authors?saved=1", status_code=303)


@router.get("/authors/{author_id}", response_class=HTMLResponse)
def author_page(request: Request, store: StoreDep, page: PageDep, author_id: int) -> HTMLResponse:
    return _profile(request, store, page, author_id)


def _profile(
    request: Request,
    store: StoreDep,
    page: Page,
    author_id: int,
    *,
    error: UserError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.actor is not None
    profile = author_service.author_profile(store, page.actor, author_id)
    top = max((m.negative + m.neutral + m.positive for m in profile.months), default=0)
    context = {
        **_words(page),
        "profile": profile,
        "label": profile.label,
        "types": author_service.TYPES,
        "month_top": top or 1,
        "error": error,
    }
    return render(request, page, "author.html", context, section="listen", status_code=status_code)


@router.post("/authors/{author_id}/type", response_class=HTMLResponse)
def set_author_type(
    request: Request, store: StoreDep, page: PageDep, form: FormDep, author_id: int
) -> Response:
    assert page.actor is not None
    chosen = form_text(form, "type")
    try:
        author_service.override_type(
            store,
            page.actor,
            author_id,
            None if chosen in ("", "auto") else chosen,
            form_text(form, "note"),
        )
    except UserError as exc:
        return _profile(request, store, page, author_id, error=exc, status_code=exc.status)
    return RedirectResponse(f"/authors/{author_id}", status_code=303)
