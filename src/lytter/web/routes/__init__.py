"""The web pages, one router per section; `web_router` gathers them."""

from __future__ import annotations

from fastapi import APIRouter

from lytter.web.routes import auth, authors, desks, inbox, listen, queries, sections, settings

web_router = APIRouter(include_in_schema=False)
for module in (auth, listen, authors, inbox, queries, sections, settings, desks):
    web_router.include_router(module.router)
