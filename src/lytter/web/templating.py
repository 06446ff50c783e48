"""Rendering pages: one Jinja2 environment with the UI languages, and the page context."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from lytter.domain.access import Actor, Permission
from lytter.domain.sla import format_duration
from lytter.domain.workspaces import Workspace
from lytter.web import i18n

templates = Jinja2Templates(directory=str(resources.files("lytter.web") / "templates"))
i18n.install(templates.env)
templates.env.globals["Permission"] = Permission
templates.env.filters["duration"] = format_duration
templates.env.globals["LOCALES"] = {"da": "Dansk", "en": "English"}

SECTIONS = ("listen", "inbox", "measure", "publish", "settings")


@dataclass(frozen=True, slots=True)
class Page:
    """Who is looking and how: what every page template gets besides its own data."""

    actor: Actor | None
    workspace: Workspace | None
    locale: str
    zone: ZoneInfo
    csrf_token: str


def render(
    request: Request,
    page: Page,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    section: str = "",
) -> HTMLResponse:
    """Render `template` in the page's language and time zone."""
    data: dict[str, Any] = {
        "actor": page.actor,
        "user": page.actor.user if page.actor else None,
        "workspace": page.workspace,
        "locale": page.locale,
        "zone": page.zone,
        "csrf_token": page.csrf_token,
        "section": section,
        "is_htmx": request.headers.get("HX-Request") == "true",
    }
    data.update(context or {})
    response = templates.TemplateResponse(request, template, data, status_code=status_code)
    response.headers["Content-Language"] = page.locale
    return response
