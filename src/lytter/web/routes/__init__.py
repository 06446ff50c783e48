"""The web pages, one router per section; `web_router` gathers them."""

from __future__ import annotations

from fastapi import APIRouter

from lytter.web.routes import auth, authors, listen, queries, sections, settings

web_router = APIRouter(include_in_schema=False)
for module in (auth, listen, authors, queries, sections, settings):
    web_router.include_router(module.router)
