"""The workbench in a real browser: Debian's Chromium driven by Playwright, on the demo data.

Screenshots of the main pages are saved under artefacts/screenshots/ for people to look at.
Where Chromium is not installed the tests are skipped, except in CI (`CI=true`), where
`.ci/run` installs it and a missing browser is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from lytter.domain.posts import PostFilter
from lytter.services.demo import build_demo
from lytter.store import open_store
from tests.helpers import live_server
from tests.web.browsing import log_in, need_chromium, shot

need_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A live `lytter serve` on the demo workspace: (base URL, database URL)."""
    db = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'demo.sqlite'}"
    store = open_store(db)
    build_demo(store)
    store.close()
    with live_server(db) as base:
        yield base, db


def count(page: Page) -> str:
    return page.locator("#results .count strong").inner_text()


def test_log_in_search_filter_and_open_a_thread(page: Page, server: tuple[str, str]) -> None:
    base, _ = server
    page.goto(f"{base}/listen")
    expect(page).to_have_url(re.compile(r"/login\?next=/listen$"))
    shot(page, "01-login")
    log_in(page, base, "karen@lytter.demo")
    listen = page.get_by_role("link", name="Lyt", exact=True)
    expect(listen).to_have_attribute("aria-current", "page")
    expect(page.locator("#results .count")).to_contain_text("opslag")
    shot(page, "02-listen")

    everything = count(page)
    page.get_by_role("searchbox").fill("service")
    page.get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(re.compile(r"q=service"))
    expect(page.locator("#results .count strong")).not_to_have_text(everything)
    searched = count(page)
    assert 0 < int(searched.replace(".", "").rstrip("+")) < 11_312

    page.get_by_label("Platform").select_option("twitter")
    expect(page).to_have_url(re.compile(r"platform=twitter"))
    expect(page.locator("#results .post .platform").first).to_have_text("Twitter")
    for platform in page.locator("#results .post .platform").all_inner_texts():
        assert platform == "Twitter"
    shot(page, "03-listen-filtered")

    page.locator("#results .thread-link").first.click()
    expect(page.get_by_role("heading", name="Samtale")).to_be_visible()
    expect(page.locator(".thread .current .post")).to_have_count(1)
    shot(page, "04-conversation")


def test_switch_language_to_english_and_back(page: Page, server: tuple[str, str]) -> None:
    base, _ = server
    log_in(page, base, "sofie@lytter.demo")
    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("link", name="Listen", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#results .count")).to_contain_text("posts")
    shot(page, "05-listen-english")
    page.get_by_role("button", name="DA").click()
    expect(page.get_by_role("link", name="Lyt", exact=True)).to_be_visible()


def test_agent_cannot_see_another_pages_posts_anywhere(page: Page, server: tuple[str, str]) -> None:
    base, db = server
    store = open_store(db)
    [tv2] = [s for s in store.list_sources(1) if (s.platform, s.name) == ("facebook", "TV2")]
    tv2_post = store.find_posts(PostFilter(1, source_ids=(tv2.id,), limit=1))[0]
    store.close()

    log_in(page, base, "jonas@lytter.demo")  # an agent of @Delta, with an English UI
    expect(page.locator("#results .count")).to_contain_text("posts")
    sources = page.locator("#results .post .source").all_inner_texts()
    assert sources and set(sources) == {"@Delta"}
    options = page.get_by_label("Source").locator("option").all_inner_texts()
    assert options == ["All sources", "@Delta (twitter)"]

    response = page.goto(f"{base}/posts/{tv2_post.id}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("alert")).to_contain_text(f"post {tv2_post.id} does not exist")

    api = page.request.get(f"{base}/api/v1/posts/{tv2_post.id}")
    assert api.status == 404 and api.json()["error"]["code"] == "not_found"
    listed = page.request.get(f"{base}/api/v1/posts?limit=500").json()
    assert {p["source_name"] for p in listed["items"]} == {"@Delta"}
    assert page.request.get(f"{base}/api/v1/posts?source={tv2.id}").status == 403


def test_the_query_editor_explains_mistakes_as_you_type(
    page: Page, server: tuple[str, str]
) -> None:
    base, _ = server
    log_in(page, base, "mette@lytter.demo")
    page.goto(f"{base}/listen/queries")
    page.get_by_label("Navn").fill("Netbank nede")
    editor = page.get_by_label("Søgning", exact=True)
    editor.fill("netbank and nede")
    expect(page.locator(".query-check.bad")).to_contain_text("kolonne 9")
    shot(page, "14-query-editor")
    editor.fill('(netbank* OR app) NEAR/3 (nede OR "virker ikke")')
    expect(page.locator(".query-check.good")).to_contain_text("NEAR/3")
    page.get_by_role("button", name="Gem og find træffere").click()
    expect(page.get_by_role("status")).to_contain_text("Gemt")
    expect(page.get_by_role("link", name="Netbank nede")).to_be_visible()


def test_see_which_words_grew_in_a_week_of_danish_comments(
    page: Page, server: tuple[str, str]
) -> None:
    base, _ = server
    log_in(page, base, "karen@lytter.demo")
    page.get_by_role("link", name="Ord i vækst").click()
    expect(page.get_by_role("link", name="Ord i vækst")).to_have_attribute("aria-current", "page")
    page.goto(f"{base}/listen/trends?until=2019-04-30&hours=168")
    expect(page.locator(".trend h2").first).to_be_visible()
    terms = page.locator(".trend h2").all_inner_texts()
    assert "valgflæsk" in terms, terms
    expect(page.locator(".trend .spark polyline").first).to_be_visible()
    page.get_by_text("Hvornår er et ord i vækst?").click()
    expect(page.get_by_label("Opslag, mindst")).to_have_value("5")
    shot(page, "05-listen-trends")


def test_find_a_troll_read_why_and_overrule_it(page: Page, server: tuple[str, str]) -> None:
    base, _ = server
    log_in(page, base, "karen@lytter.demo")
    page.get_by_role("link", name="Personer").click()
    expect(page.get_by_role("link", name="Personer")).to_have_attribute("aria-current", "page")
    page.locator(".type-tabs a.type-troll").click()
    first = page.locator(".author-card").first
    expect(first.locator(".reasons")).to_contain_text("opslag er krænkende")
    shot(page, "05b-listen-people")
    first.locator("h2 a").click()
    expect(page.get_by_role("heading", name="Tone måned for måned")).to_be_visible()
    page.get_by_label("Hvilken slags stemme?").select_option("critic")
    page.get_by_label("Hvorfor").fill("Har en pointe")
    page.get_by_role("button", name="Gem type").click()
    expect(page.locator(".override")).to_contain_text("Har en pointe")
    expect(page.locator(".author-profile .badge")).to_have_text("Kritiker")
    page.get_by_label("Hvilken slags stemme?").select_option("auto")
    page.get_by_role("button", name="Gem type").click()
    expect(page.locator(".author-profile .badge")).to_have_text("Trold")


def test_screenshots_of_the_main_pages(page: Page, server: tuple[str, str]) -> None:
    base, _ = server
    log_in(page, base, "karen@lytter.demo")
    for n, (path, heading) in enumerate(
        [
            ("/inbox", "Indbakke"),
            ("/measure", "Mål"),
            ("/publish", "Udgiv"),
            ("/settings/profile", "Indstillinger"),
            ("/settings/sources", "Indstillinger"),
            ("/settings/users", "Indstillinger"),
            ("/settings/tokens", "Indstillinger"),
        ],
        start=6,
    ):
        page.goto(f"{base}{path}")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        shot(page, f"{n:02d}-{path.strip('/').replace('/', '-')}")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/listen")
    expect(page.locator("#results .post").first).to_be_visible()
    shot(page, "13-listen-phone")
