"""Driving the workbench in a real browser: Debian's Chromium through Playwright. Browser test
modules import this first: without Chromium they skip (and CI, which installs it, fails)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

from lytter.services.demo import DEMO_PASSWORD
from lytter.services.evidence import CHROMIUM_ARGS

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).parents[2] / "artefacts" / "screenshots"
ARGS = CHROMIUM_ARGS  # as the evidence snapshots are drawn


def need_chromium() -> None:
    """Skip the calling test module when Chromium is missing (fail in CI, which has it)."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail("CI needs Chromium: .ci/run installs it with apt-get install chromium")
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)


def shot(page: Page, name: str) -> None:
    """A screenshot of what the page shows, under artefacts/screenshots."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def log_in(page: Page, base: str, email: str) -> None:
    """Log in through the form as a demo user (the pages are in Danish)."""
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/listen")
