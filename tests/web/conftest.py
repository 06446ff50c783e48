"""The web app over a real SQLite file with the bank's pages and users."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, sync_playwright

from lytter.app import create_app
from lytter.store import open_store
from tests.bank import PASSWORD, Bank, make_bank
from tests.conftest import FROZEN
from tests.web.browsing import ARGS, CHROMIUM, need_chromium


class Site:
    """A browser-like client of the workbench for one bank."""

    def __init__(self, client: TestClient, bank: Bank) -> None:
        self.client = client
        self.bank = bank

    def csrf(self, html: str) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert found, "the page has no CSRF token"
        return found.group(1)

    def login(self, email: str, password: str = PASSWORD, next_url: str = "/listen") -> str:
        """Log in through the form; returns the page landed on."""
        form = self.client.get("/login")
        response = self.client.post(
            "/login",
            data={
                "email": email,
                "password": password,
                "csrf_token": self.csrf(form.text),
                "next": next_url,
            },
        )
        return response.text

    def post(self, path: str, data: dict[str, str | list[str]], page: str = "/listen") -> str:
        """Submit a form the way the page would, with the page's CSRF token."""
        token = self.csrf(self.client.get(page).text)
        return self.client.post(path, data={**data, "csrf_token": token}).text


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    store = open_store(f"sqlite:///{tmp_path / 'web.sqlite'}", clock=lambda: FROZEN)
    bank = make_bank(store)
    with TestClient(create_app(store)) as client:
        yield Site(client, bank)
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright, for one test module."""
    need_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tab (its own cookies) in Danish, 1280×860."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="da-DK")
    yield context.new_page()
    context.close()
