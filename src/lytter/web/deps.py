"""What web routes depend on: the logged-in page context, and CSRF-checked forms."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from starlette.datastructures import FormData

from lytter.api.deps import SESSION_COOKIE, StoreDep
from lytter.services import auth
from lytter.services.dates import zone_named
from lytter.services.errors import Forbidden
from lytter.services.workspaces import workspace_by_id
from lytter.web import i18n
from lytter.web.templating import Page

LANG_COOKIE = "lytter_lang"
LOGIN_CSRF_COOKIE = "lytter_login_csrf"


class LoginRequired(Exception):
    """No live session: the handler sends the browser to /login and back afterwards."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def anonymous_locale(request: Request) -> str:
    """The language for someone not logged in: the one they picked, else Danish."""
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in i18n.LOCALES else i18n.DEFAULT_LOCALE


def current_page(request: Request, store: StoreDep) -> Page:
    """The logged-in user's page context; LoginRequired when there is no live session."""
    cookie = request.cookies.get(SESSION_COOKIE)
    session = auth.session_actor(store, cookie) if cookie else None
    if session is None or session.actor.user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(quote(target, safe="/%"))
    workspace = workspace_by_id(store, session.actor.workspace_id)
    return Page(
        actor=session.actor,
        workspace=workspace,
        locale=session.actor.user.locale,
        zone=zone_named(workspace.timezone),
        csrf_token=session.csrf_token,
    )


PageDep = Annotated[Page, Depends(current_page)]


async def checked_form(request: Request, page: PageDep) -> FormData:
    """The posted form, after checking its CSRF token against the session's."""
    form = await request.form()
    sent = form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    if not isinstance(sent, str) or not secrets.compare_digest(sent, page.csrf_token):
        raise Forbidden("the form has expired; reload the page and try again")
    return form


FormDep = Annotated[FormData, Depends(checked_form)]


def form_text(form: FormData, name: str) -> str:
    """A posted form field as text ("" when missing or a file)."""
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def as_number(value: str) -> int | float | str | None:
    """A form field as a number where it is one (the service names the field if it is not)."""
    value = value.strip().replace(",", ".")
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value
