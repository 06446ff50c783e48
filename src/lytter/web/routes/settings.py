"""Settings: your profile and API tokens, the workspace's sources and users."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lytter.api.deps import StoreDep
from lytter.domain.access import Permission
from lytter.domain.users import Role
from lytter.services import auth, collecting
from lytter.services import sources as source_service
from lytter.services import users as user_service
from lytter.services.access import require
from lytter.services.errors import UserError
from lytter.web.deps import FormDep, PageDep, form_text
from lytter.web.templating import Page, render

router = APIRouter(prefix="/settings")


def back_to(path: str, what: str) -> RedirectResponse:
    """After a form: back to its page, which says what was done (post/redirect/get)."""
    return RedirectResponse(f"{path}?done={what}", status_code=303)


@router.get("")
def settings_home() -> RedirectResponse:
    return RedirectResponse("/settings/profile", status_code=303)


# -- profile ---------------------------------------------------------------------------------


def _profile(
    request: Request, page: Page, error: UserError | None = None, status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        page,
        "settings/profile.html",
        {"error": error, "done": request.query_params.get("done")},
        section="settings",
        status_code=status_code,
    )


@router.get("/profile", response_class=HTMLResponse)
def profile(request: Request, page: PageDep) -> HTMLResponse:
    return _profile(request, page)


@router.post("/profile/language")
def set_language(
    request: Request, store: StoreDep, page: PageDep, form: FormDep
) -> RedirectResponse:
    assert page.actor is not None
    user_service.set_locale(store, page.actor, form_text(form, "locale"))
    back = form_text(form, "next")
    if back.startswith("/") and not back.startswith("//"):
        return RedirectResponse(back, status_code=303)
    return back_to("/settings/profile", "language")


@router.post("/profile/password", response_class=HTMLResponse)
def change_password(request: Request, store: StoreDep, page: PageDep, form: FormDep) -> Response:
    assert page.actor is not None
    if form_text(form, "password") != form_text(form, "repeat"):
        error = UserError("the two passwords differ", field="repeat")
        return _profile(request, page, error, 400)
    try:
        user_service.change_own_password(
            store, page.actor, form_text(form, "current"), form_text(form, "password")
        )
    except UserError as exc:
        return _profile(request, page, exc, exc.status)
    return RedirectResponse("/login?next=/settings/profile", status_code=303)


# -- API tokens ------------------------------------------------------------------------------


def _tokens(
    request: Request, store: StoreDep, page: Page, secret: str | None = None
) -> HTMLResponse:
    assert page.actor is not None
    return render(
        request,
        page,
        "settings/tokens.html",
        {"tokens": auth.list_tokens(store, page.actor), "secret": secret},
        section="settings",
    )


@router.get("/tokens", response_class=HTMLResponse)
def tokens(request: Request, store: StoreDep, page: PageDep) -> HTMLResponse:
    return _tokens(request, store, page)


@router.post("/tokens", response_class=HTMLResponse)
def create_token(request: Request, store: StoreDep, page: PageDep, form: FormDep) -> HTMLResponse:
    assert page.actor is not None
    made = auth.create_token(store, page.actor, form_text(form, "name"))
    return _tokens(request, store, page, secret=made.secret)


@router.post("/tokens/{token_id}/delete")
def delete_token(store: StoreDep, page: PageDep, form: FormDep, token_id: int) -> RedirectResponse:
    assert page.actor is not None
    auth.revoke_token(store, page.actor, token_id)
    return back_to("/settings/tokens", "revoked")


# -- sources ---------------------------------------------------------------------------------


def _sources(
    request: Request,
    store: StoreDep,
    page: Page,
    error: UserError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.actor is not None
    listed = source_service.list_sources(store, page.actor)
    brands = {b.id: b for b in store.list_brands(page.actor.workspace_id)}
    return render(
        request,
        page,
        "settings/sources.html",
        {
            "sources": listed,
            "brands": brands,
            "can_manage": page.actor.can(Permission.MANAGE_SOURCES),
            "error": error,
            "done": request.query_params.get("done"),
        },
        section="settings",
        status_code=status_code,
    )


@router.get("/sources", response_class=HTMLResponse)
def sources(request: Request, store: StoreDep, page: PageDep) -> HTMLResponse:
    return _sources(request, store, page)


@router.post("/sources", response_class=HTMLResponse)
def add_source(request: Request, store: StoreDep, page: PageDep, form: FormDep) -> Response:
    assert page.actor is not None
    connector = form_text(form, "connector")
    settings: dict[str, str]
    if connector == "mastodon":
        settings = {
            "instance": form_text(form, "instance"),
            "mode": form_text(form, "mode") or "tag",
            "tag": form_text(form, "tag"),
            "account": form_text(form, "account"),
        }
    elif connector == "bluesky":
        query, actor = form_text(form, "query"), form_text(form, "actor")
        settings = {"mode": "author" if actor and not query else "search"}
        settings |= {"query": query, "actor": actor}
    elif connector == "facebook":
        settings = {"page": form_text(form, "page")}
    elif connector == "instagram":
        settings = {"account": form_text(form, "account")}
    else:
        settings = {"url": form_text(form, "url")}
    try:
        collecting.add_source(
            store,
            page.actor,
            connector,
            settings,
            name=form_text(form, "name") or None,
            secret=form_text(form, "token") or None,
            brand=form_text(form, "brand") or None,
            competitor=form_text(form, "competitor") == "on",
        )
    except UserError as exc:
        return _sources(request, store, page, exc, exc.status)
    return back_to("/settings/sources", "added")


@router.post("/sources/{source_id}/collect", response_class=HTMLResponse)
def collect_source(
    request: Request, store: StoreDep, page: PageDep, form: FormDep, source_id: int
) -> Response:
    assert page.actor is not None
    try:
        collecting.collect(store, page.actor, [str(source_id)])
    except UserError as exc:
        return _sources(request, store, page, exc, exc.status)
    return back_to("/settings/sources", "collected")


@router.post("/sources/{source_id}/remove", response_class=HTMLResponse)
def remove_source(
    request: Request, store: StoreDep, page: PageDep, form: FormDep, source_id: int
) -> Response:
    assert page.actor is not None
    try:
        collecting.remove_source(store, page.actor, str(source_id))
    except UserError as exc:
        return _sources(request, store, page, exc, exc.status)
    return back_to("/settings/sources", "removed")


# -- users -----------------------------------------------------------------------------------


def _users(
    request: Request,
    store: StoreDep,
    page: Page,
    error: UserError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.actor is not None
    return render(
        request,
        page,
        "settings/users.html",
        {
            "users": user_service.list_users(store, page.actor),
            "sources": source_service.list_sources(store, page.actor),
            "roles": list(Role),
            "error": error,
            "done": request.query_params.get("done"),
        },
        section="settings",
        status_code=status_code,
    )


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, store: StoreDep, page: PageDep) -> HTMLResponse:
    assert page.actor is not None
    require(page.actor, Permission.MANAGE_USERS)
    return _users(request, store, page)


@router.post("/users", response_class=HTMLResponse)
def add_user(request: Request, store: StoreDep, page: PageDep, form: FormDep) -> Response:
    assert page.actor is not None
    try:
        user_service.add_user(
            store,
            page.actor,
            email=form_text(form, "email"),
            name=form_text(form, "name"),
            role=user_service.parse_role(form_text(form, "role")),
            password=form_text(form, "password"),
            locale=form_text(form, "locale") or "da",
        )
    except UserError as exc:
        return _users(request, store, page, exc, exc.status)
    return back_to("/settings/users", "added")


@router.post("/users/{user_id}", response_class=HTMLResponse)
def update_user(
    request: Request, store: StoreDep, page: PageDep, form: FormDep, user_id: int
) -> Response:
    assert page.actor is not None
    try:
        view = user_service.user_view(store, page.actor, user_id)
        role = user_service.parse_role(form_text(form, "role") or view.user.role.value)
        if role is not view.user.role:
            user_service.set_role(store, page.actor, view.user.email, role)
        chosen = {int(v) for v in form.getlist("source") if isinstance(v, str) and v.isdigit()}
        user_service.set_grants(store, page.actor, user_id, chosen)
    except UserError as exc:
        return _users(request, store, page, exc, exc.status)
    return back_to("/settings/users", "saved")
