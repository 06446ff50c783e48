"""The inbox in a real browser (Debian's Chromium through Playwright) on the demo, whose page
is served by the recorded Graph API: pick an item with the keyboard, assign it, answer it on
the platform and resolve it; hide a comment with its evidence kept and its author told."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lytter.domain.access import Actor
from lytter.services import audit, moderation
from lytter.services.demo import DEMO_WORKSPACE, build_demo
from lytter.store import open_store
from tests.helpers import live_server
from tests.web.browsing import log_in, need_chromium, shot

need_chromium()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Any]]:
    """A live `lytter serve` on the demo, collected from the recorded platform, which keeps
    running so answers and moderation reach it: (base URL, database URL, the Graph API)."""
    from lytter.demo.platform import serve_demo_platform

    folder = tmp_path_factory.mktemp("inbox")
    before = os.environ.get("LYTTER_KEY_FILE")
    os.environ["LYTTER_KEY_FILE"] = str(folder / "secret.key")  # the server reads it too
    platform = serve_demo_platform("127.0.0.1", 0)
    db = f"sqlite:///{folder / 'demo.sqlite'}"
    try:
        store = open_store(db)
        build_demo(store, platform=f"http://127.0.0.1:{platform.server_port}")
        store.close()
        with live_server(db) as base:
            yield base, db, platform.app.graph
    finally:
        platform.shutdown()
        if before is None:
            os.environ.pop("LYTTER_KEY_FILE", None)
        else:
            os.environ["LYTTER_KEY_FILE"] = before


def _debate(db: str) -> tuple[int, list[Any]]:
    store = open_store(db)
    ws = store.get_workspace(DEMO_WORKSPACE)
    assert ws is not None
    desk = next(d for d in store.list_desks(ws.id) if d.name == "Debat")
    items = store.inbox_items(ws.id, desk_id=desk.id, limit=10_000)
    store.close()
    return desk.id, items


def test_pick_with_the_keyboard_assign_answer_and_resolve(
    page: Page, demo: tuple[str, str, Any]
) -> None:
    base, db, graph = demo
    desk_id, _ = _debate(db)
    log_in(page, base, "mette@lytter.demo")
    page.goto(f"{base}/inbox?desk={desk_id}")
    rows = page.locator("table.inbox-list tbody tr")
    expect(rows.first).to_be_visible()
    shot(page, "20-inbox")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(re.compile("selected"))
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(re.compile("selected"))
    item_id = rows.nth(0).get_attribute("data-item")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/inbox/{item_id}")

    page.locator("#assign-form select").select_option("me")
    page.locator("#assign-form button").click()
    expect(page.locator(".item-head .assignee")).to_have_text("Mette Holm")

    page.keyboard.press("r")
    expect(page.locator("#reply-text")).to_be_focused()
    page.locator("#reply-text").fill("Tak for din kommentar, vi ser på det.")
    sent_before = len(graph.actions)
    page.locator("#reply-form button.primary").click()
    expect(page.locator(".notice.ok")).to_be_visible()
    method, path, form = graph.actions[sent_before]
    assert method == "POST" and path.endswith("/comments")
    assert form["message"] == "Tak for din kommentar, vi ser på det.\n/Mette, Debat"
    expect(page.locator(".conversation .post.from-page").last).to_contain_text("/Mette, Debat")
    shot(page, "21-inbox-answered")

    page.locator("button[name=action][value=resolve]").click()
    expect(page.locator(".item-head .state")).to_have_class(re.compile("state-resolved"))
    store = open_store(db)
    kinds = [e.kind for e in store.item_events(int(item_id or 0))]
    store.close()
    assert {"assigned", "replied", "answered", "state"} <= set(kinds)


def test_hide_a_comment_with_evidence_and_a_notice(page: Page, demo: tuple[str, str, Any]) -> None:
    base, db, graph = demo
    _, items = _debate(db)
    item = next(i for i in items if i.state.value == "new")
    log_in(page, base, "mette@lytter.demo")
    page.goto(f"{base}/inbox/{item.id}")
    button = page.locator(".moderate-open").first
    post_id = button.get_attribute("data-post")
    button.click()
    dialog = page.locator("#moderate-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("input[name=action][value=hide]").check()
    dialog.locator("select[name=guideline]").select_option("off-topic")
    dialog.locator("input[name=note]").fill("Handler ikke om artiklen")
    shot(page, "22-moderation-dialog")
    before = len(graph.actions)
    dialog.locator("button.primary").click()
    expect(page.locator(".notice.ok")).to_be_visible()
    expect(page.locator(f"#post-{post_id} .moderated")).to_be_visible()

    hide, notice = graph.actions[before : before + 2]
    assert hide[1] == notice[1].removesuffix("/comments") and hide[2] == {"is_hidden": "true"}
    assert "skjult" in notice[2]["message"]  # the author is told why, in Danish

    store = open_store(db)
    ws = store.get_workspace(DEMO_WORKSPACE)
    assert ws is not None
    (act,) = store.moderation_acts(ws.id, post_id=int(post_id or 0))
    system = Actor.system(ws.id)
    kept = moderation.evidence_of(store, system, act.id)
    assert kept.png is not None and kept.intact()
    entry = audit.page(store, system, after=(act.audit_seq or 1) - 1, limit=1)[0]
    assert entry.actor == "mette@lytter.demo" and entry.evidence == kept.hashes
    assert audit.verify(store, system).intact
    store.close()
