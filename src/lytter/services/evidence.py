"""Keeping evidence of a post before it is moderated: its payload, an HTML snapshot, a PNG.

The payload is the platform's raw JSON as collected (or, for a post without one, the post as
stored), written with sorted keys so the same post always hashes the same. The snapshot is a
self-contained HTML page (no scripts, no outside files) showing the post, its author, page,
time and place in the conversation; the PNG is that page as the headless browser draws it
(Chromium through Playwright, `LYTTER_CHROMIUM`, default /usr/bin/chromium). Where no browser
is installed the evidence is kept without a PNG and says why.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import orjson
from jinja2 import Environment, select_autoescape

from lytter.domain.moderation import EvidenceDraft
from lytter.domain.posts import Post

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

_SNAPSHOT = Environment(autoescape=select_autoescape(default=True)).from_string(
    """<!DOCTYPE html>
<html lang="{{ post.language or 'da' }}">
<head>
<meta charset="utf-8">
<title>Evidence: {{ post.platform }} {{ post.external_id }}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 24px; color: #1d2330; background: #fff; }
.card { border: 1px solid #c9ced8; border-radius: 8px; padding: 16px; max-width: 640px; }
.meta { color: #5a6372; font-size: 13px; }
.parent { border-left: 3px solid #c9ced8; padding-left: 10px; color: #5a6372; margin: 8px 0; }
.text { white-space: pre-wrap; word-wrap: break-word; font-size: 16px; margin: 12px 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; font-size: 12px; }
dt { color: #5a6372; } dd { margin: 0; font-family: ui-monospace, monospace; }
</style>
</head>
<body>
<div class="card">
  <div class="meta">{{ page }} · {{ post.platform }}</div>
  <strong>{{ post.author_name or post.author_handle or "?" }}</strong>
  {% if post.author_handle %}<span class="meta">({{ post.author_handle }})</span>{% endif %}
  {% if parent %}<div class="parent">{{ parent.author_name or parent.author_handle or "?" }}:
    {{ parent.text[:280] }}</div>{% endif %}
  <div class="text">{{ post.text }}</div>
  <dl>
    <dt>written</dt><dd>{{ post.created_at.isoformat() }}</dd>
    <dt>platform id</dt><dd>{{ post.external_id }}</dd>
    {% if post.url %}<dt>address</dt><dd>{{ post.url }}</dd>{% endif %}
    <dt>kept</dt><dd>{{ captured_at }}</dd>
  </dl>
</div>
</body>
</html>
"""
)


def payload_of(post: Post) -> str:
    """The platform's raw payload, or the stored post where the platform gave none."""
    body: Any = post.raw
    if not body:
        body = {
            "platform": post.platform,
            "id": post.external_id,
            "author": post.author_handle,
            "author_name": post.author_name,
            "text": post.text,
            "created_at": post.created_at.isoformat(),
            "root_id": post.root_id,
            "parent_id": post.parent_id,
            "url": post.url,
        }
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2).decode()


def snapshot_html(post: Post, page: str, captured_at: str, parent: Post | None = None) -> str:
    return _SNAPSHOT.render(post=post, page=page, captured_at=captured_at, parent=parent)


def chromium_path() -> Path:
    return Path(os.environ.get("LYTTER_CHROMIUM", "/usr/bin/chromium"))


def screenshot(html: str) -> tuple[bytes | None, str | None]:
    """The page drawn by the headless browser as PNG, or (None, why not)."""
    browser = chromium_path()
    if not browser.exists():
        return None, f"no browser at {browser} (apt-get install chromium, or set LYTTER_CHROMIUM)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dependency
        return None, "playwright is not installed"
    result: list[Any] = [None, None]

    def draw() -> None:  # its own thread: Playwright's sync API refuses a running event loop
        try:
            with sync_playwright() as p:
                chromium = p.chromium.launch(executable_path=str(browser), args=CHROMIUM_ARGS)
                try:
                    page = chromium.new_page(viewport={"width": 720, "height": 400})
                    page.set_content(html, wait_until="load")
                    result[0] = page.screenshot(full_page=True, type="png")
                finally:
                    chromium.close()
        except Exception as exc:  # the browser failed: keep the evidence without a PNG
            result[1] = f"the browser could not draw the snapshot: {exc}"[:500]

    worker = threading.Thread(target=draw, name="evidence-snapshot")
    worker.start()
    worker.join(timeout=60)
    if worker.is_alive():
        return None, "the browser took more than 60 s to draw the snapshot"
    return result[0], result[1]


def capture(post: Post, page: str, captured_at: str, parent: Post | None = None) -> EvidenceDraft:
    """Everything kept of `post` before an act: payload, HTML and (where it can) PNG."""
    html = snapshot_html(post, page, captured_at, parent)
    png, missing = screenshot(html)
    return EvidenceDraft(post.id, payload_of(post), html, png, missing)
