"""The workbench in the browser (over HTTP): log in, explore, read a thread, settings."""

from __future__ import annotations

from pathlib import Path

import httpx2 as httpx
import pytest

from lytter.domain.posts import PostFilter
from lytter.domain.users import Role
from lytter.services import analysing
from lytter.services import users as user_service
from lytter.store import open_store
from tests.bank import PASSWORD
from tests.helpers import draft, live_server
from tests.web.conftest import Site


def test_every_page_asks_for_a_login_first(site: Site) -> None:
    for path in ("/listen", "/posts/1", "/measure", "/settings/users"):
        response = site.client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={path}"


def test_logging_in_leads_back_to_the_page_asked_for(site: Site) -> None:
    landed = site.login("karen@banken.dk", next_url="/measure")
    assert "<h1>Mål</h1>" in landed
    cookie = next(c for c in site.client.cookies.jar if c.name == "lytter_session")
    assert cookie.has_nonstandard_attr("HttpOnly")


def test_the_login_never_redirects_off_site(site: Site) -> None:
    form = site.client.get("/login")
    response = site.client.post(
        "/login",
        data={
            "email": "karen@banken.dk",
            "password": PASSWORD,
            "csrf_token": site.csrf(form.text),
            "next": "//evil.example/phish",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/listen"


def test_a_wrong_password_shows_the_form_again_in_danish(site: Site) -> None:
    page = site.login("karen@banken.dk", "forkert")
    assert "forkert e-mail eller adgangskode" in page
    assert 'value="karen@banken.dk"' in page


def test_a_login_without_the_forms_csrf_token_is_refused(site: Site) -> None:
    site.client.get("/login")
    response = site.client.post(
        "/login", data={"email": "karen@banken.dk", "password": PASSWORD, "csrf_token": "x"}
    )
    assert response.status_code == 403
    assert "formularen er udløbet" in response.text


def test_too_many_failed_logins_are_slowed_down(site: Site) -> None:
    for _ in range(5):
        site.login("karen@banken.dk", "forkert")
    form = site.client.get("/login")
    response = site.client.post(
        "/login",
        data={"email": "karen@banken.dk", "password": PASSWORD, "csrf_token": site.csrf(form.text)},
    )
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "for mange forkerte login-forsøg" in response.text


def test_the_explorer_searches_and_filters_in_danish(site: Site) -> None:
    site.login("karen@banken.dk")
    assert "<strong>5</strong> opslag" in site.client.get("/listen").text
    assert "<strong>2</strong> opslag" in site.client.get("/listen?q=netbanken").text
    narrowed = site.client.get("/listen", params={"q": "netbanken NOT odense"}).text
    assert "<strong>1</strong> opslag" in narrowed and "nede i Aarhus" in narrowed
    bad = site.client.get("/listen", params={"q": "netbanken and odense"})
    assert bad.status_code == 200 and 'class="query-check bad"' in bad.text
    assert "kolonne 11" in bad.text
    odense = site.client.get(f"/listen?source={site.bank.odense}").text
    assert "<strong>2</strong> opslag" in odense and "Lang kø i Odense" in odense
    assert "Ingen opslag passer" in site.client.get("/listen?until=2020-01-01").text
    times = site.client.get("/listen").text
    assert "1. apr. 2024 11.05" in times, "Danish date and time, in Copenhagen's zone"


def test_htmx_gets_only_the_results(site: Site) -> None:
    site.login("karen@banken.dk")
    response = site.client.get(
        "/listen?q=kø", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert "<strong>1</strong> opslag" in response.text and "<html" not in response.text


def test_a_bad_date_is_a_clear_message_in_the_users_language(site: Site) -> None:
    site.login("karen@banken.dk")
    page = site.client.get("/listen", params={"since": "i går"})
    assert page.status_code == 400
    assert "Fra &#39;i går&#39; er ikke en dato" in page.text


def test_a_post_shows_its_conversation(site: Site) -> None:
    site.login("karen@banken.dk")
    reply = next(p for p in site.bank.store.find_posts(PostFilter(1)) if p.parent_id)
    page = site.client.get(f"/posts/{reply.id}").text
    assert "Netbanken er nede i Aarhus" in page and "Vi kigger på det nu" in page
    missing = site.client.get("/posts/999999")
    assert missing.status_code == 404 and "opslag 999999 findes ikke" in missing.text


def test_agent_cannot_see_other_page_in_the_list_or_the_detail(site: Site) -> None:
    site.login("jonas@banken.dk")
    listing = site.client.get("/listen").text
    assert "<strong>2</strong> opslag" in listing and "Odense" not in listing
    odense_post = next(
        p for p in site.bank.store.find_posts(PostFilter(1)) if p.source_id == site.bank.odense
    )
    assert site.client.get(f"/posts/{odense_post.id}").status_code == 404
    assert site.client.get(f"/listen?source={site.bank.odense}").status_code == 403


def test_switching_language_is_remembered_for_the_user(site: Site) -> None:
    site.login("jonas@banken.dk")
    page = site.post("/settings/profile/language", {"locale": "en", "next": "/listen"})
    assert "<strong>2</strong> posts" in page and 'lang="en"' in page
    assert site.bank.store.find_user("jonas@banken.dk").locale == "en"  # type: ignore[union-attr]


def test_forms_without_the_sessions_csrf_token_are_refused(site: Site) -> None:
    site.login("karen@banken.dk")
    response = site.client.post("/settings/profile/language", data={"locale": "en"})
    assert response.status_code == 403
    assert site.bank.store.find_user("karen@banken.dk").locale == "da"  # type: ignore[union-attr]


def test_an_admin_adds_a_user_and_ticks_their_pages(site: Site) -> None:
    site.login("karen@banken.dk")
    page = site.post(
        "/settings/users",
        {"name": "Mette Holm", "email": "mette@banken.dk", "role": "manager", "password": PASSWORD},
        page="/settings/users",
    )
    assert "Mette Holm" in page and "0 sider" in page
    mette = site.bank.store.find_user("mette@banken.dk")
    assert mette is not None and mette.role is Role.MANAGER
    page = site.post(
        f"/settings/users/{mette.id}",
        {"role": "manager", "source": [str(site.bank.aarhus), str(site.bank.odense)]},
        page="/settings/users",
    )
    assert "2 sider" in page
    assert site.bank.store.granted_sources(mette.id) == [site.bank.aarhus, site.bank.odense]


def test_the_users_page_is_for_admins_only(site: Site) -> None:
    site.login("sofie@banken.dk")
    response = site.client.get("/settings/users")
    assert response.status_code == 403 and "kun en administrator" in response.text


def test_a_token_made_in_the_browser_works_in_the_api(site: Site) -> None:
    site.login("jonas@banken.dk")
    page = site.post("/settings/tokens", {"name": "Power BI"}, page="/settings/tokens")
    secret = page.split('<code class="secret">')[1].split("<")[0]
    me = site.client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json()["email"] == "jonas@banken.dk"


def test_logging_out_ends_the_session(site: Site) -> None:
    site.login("karen@banken.dk")
    site.post("/logout", {})
    assert site.client.get("/listen", follow_redirects=False).status_code == 303


def test_pages_carry_security_headers_and_server_timing(site: Site) -> None:
    response = site.client.get("/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Server-Timing"].startswith("app;dur=")


def test_htmx_is_served_from_the_package_not_a_cdn(site: Site) -> None:
    site.login("karen@banken.dk")
    page = site.client.get("/listen").text
    assert '<script src="/static/vendor/htmx.min.js"' in page and "https://" not in page
    assert "htmx" in site.client.get("/static/vendor/htmx.min.js").text[:2000]


def test_lytter_serve_answers_on_a_real_port(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'served.sqlite'}"
    store = open_store(db)
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft("1", "Æblegrød og øllebrød på Ærø")])
    from lytter.domain.access import Actor

    user_service.add_user(
        store, Actor.system(ws.id), email="a@b.dk", name="A", role=Role.ADMIN, password=PASSWORD
    )
    store.close()
    with live_server(db) as base:
        with httpx.Client(base_url=base, follow_redirects=True) as client:
            form = client.get("/login").text
            token = form.split('name="csrf_token" value="')[1].split('"')[0]
            page = client.post(
                "/login",
                data={"email": "a@b.dk", "password": PASSWORD, "csrf_token": token, "next": "/"},
            )
            assert page.status_code == 200
            assert "Æblegrød og øllebrød på Ærø" in client.get("/listen?q=øllebrød").text
        assert httpx.get(f"{base}/healthz").json()["status"] == "ok"


def test_a_deep_link_survives_the_login(site: Site) -> None:
    response = site.client.get("/listen?q=kø&platform=facebook", follow_redirects=False)
    assert response.headers["location"] == "/login?next=/listen%3Fq%3Dk%C3%B8%26platform%3Dfacebook"
    landed = site.login("karen@banken.dk", next_url="/listen?q=kø&platform=facebook")
    assert "<strong>1</strong> opslag" in landed


def test_an_unexpected_error_is_a_json_body_not_a_traceback(site: Site) -> None:
    from fastapi.testclient import TestClient

    from lytter.app import create_app

    broken = create_app(site.bank.store)

    @broken.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("kaput")

    with TestClient(broken, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal" and "kaput" not in response.text


def test_the_query_editor_checks_as_you_type(site: Site) -> None:
    site.login("karen@banken.dk")
    bad = site.post("/listen/queries/check", {"query": "netbank and nede"}, page="/listen/queries")
    assert "kolonne 9" in bad and "netbank and nede\n        ^" in bad
    good = site.post(
        "/listen/queries/check", {"query": "netbank NEAR/3 nede"}, page="/listen/queries"
    )
    assert "Gyldig. Lytter læser den som:" in good and "(netbank NEAR/3 nede)" in good


def test_a_query_saved_in_the_browser_filters_the_explorer(site: Site) -> None:
    site.login("karen@banken.dk")
    page = site.post(
        "/listen/queries",
        {"name": "Netbank", "query": "netbank*", "languages": "da"},
        page="/listen/queries",
    )
    assert "Netbank" in page and "Gemt." in page
    query_id = site.bank.store.list_queries(site.bank.workspace_id)[0].id
    assert "<strong>2</strong> opslag" in site.client.get(f"/listen?query={query_id}").text


def test_agents_see_saved_queries_but_cannot_change_them(site: Site) -> None:
    site.login("jonas@banken.dk")
    page = site.client.get("/listen/queries").text
    assert "Ny gemt søgning" not in page
    refused = site.post("/listen/queries", {"name": "x", "query": "kø"}, page="/listen/queries")
    assert "kun administratorer og sideansvarlige" in refused


def test_query_mistakes_are_explained_in_danish(site: Site) -> None:
    site.login("karen@banken.dk")
    bad = site.post("/listen/queries/check", {"query": "bank and lån"}, page="/listen/queries")
    assert "&#39;and&#39; ligner en operator" in bad
    assert "operatorer skrives med store bogstaver: AND" in bad


def test_trying_a_query_shows_matches_and_near_misses(site: Site) -> None:
    site.login("karen@banken.dk")
    page = site.post("/listen/queries/test", {"query": "netbank* nede"}, page="/listen/queries")
    assert "1 af de 5 nyeste opslag passer" in page
    assert "Næsten-træffere" in page and "Mangler: <code>nede</code>" in page


def test_an_admin_adds_a_feed_collects_it_and_stops(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytest_httpserver import HTTPServer

    from lytter.demo.platform import FIXTURES

    monkeypatch.setenv("LYTTER_KEY_FILE", str(tmp_path / "k.key"))
    site.login("karen@banken.dk")
    with HTTPServer() as server:
        server.expect_request("/rss2.xml").respond_with_data(
            (FIXTURES / "rss2.xml").read_bytes(), content_type="application/rss+xml"
        )
        url = server.url_for("/rss2.xml")
        page = site.post(
            "/settings/sources",
            {"connector": "rss", "url": url, "name": "Nyheder"},
            "/settings/sources",
        )
        assert "Nyheder" in page and "Indsaml nu" in page
        again = site.post(
            "/settings/sources", {"connector": "rss", "url": url}, "/settings/sources"
        )
        assert "Lytter indsamler allerede fra" in again
        source = next(s for s in site.bank.store.list_sources(1) if s.name == "Nyheder")
        page = site.post(f"/settings/sources/{source.id}/collect", {}, "/settings/sources")
        assert "Senest indsamlet" in page
        assert "Renten stiger igen" in site.client.get(f"/listen?source={source.id}").text
        site.post(f"/settings/sources/{source.id}/remove", {}, "/settings/sources")
    assert not next(s for s in site.bank.store.list_sources(1) if s.name == "Nyheder").collectable


def test_agents_see_sources_but_cannot_add_them(site: Site) -> None:
    site.login("jonas@banken.dk")
    page = site.client.get("/settings/sources").text
    assert "Collect from a feed" not in page and "Indsaml fra et feed" not in page


def test_an_admin_adds_a_facebook_page_with_its_brand(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LYTTER_KEY_FILE", str(tmp_path / "k.key"))
    site.login("karen@banken.dk")
    page = site.client.get("/settings/sources").text
    assert "Indsaml fra en Facebook-side" in page and "Indsaml fra Instagram" in page
    page = site.post(
        "/settings/sources",
        {
            "connector": "facebook",
            "page": "105273638444220",
            "token": "hemmelig",
            "name": "Banken Vejle",
            "brand": "Banken",
        },
        "/settings/sources",
    )
    assert "Banken Vejle" in page and "hemmelig" not in page
    source = next(s for s in site.bank.store.list_sources(1) if s.name == "Banken Vejle")
    assert source.connector == "facebook" and source.has_secret and source.brand_id is not None
    wrong = site.post(
        "/settings/sources",
        {"connector": "facebook", "page": "banken", "token": "x"},
        "/settings/sources",
    )
    assert "numeric id" in wrong or "numeriske" in wrong


def test_the_themes_page_shows_the_themes_of_the_filtered_posts_in_danish(site: Site) -> None:
    site.login("karen@banken.dk")
    page = site.client.get("/listen/themes", params={"k": "2"})
    assert page.status_code == 200
    assert "temaer i de nyeste 5 opslag" in page.text
    assert 'class="card theme"' in page.text and "Netbanken" in page.text
    bad = site.client.get("/listen/themes", params={"q": "netbanken and odense"})
    assert bad.status_code == 200 and 'class="query-check bad"' in bad.text
    empty = site.client.get("/listen/themes", params={"until": "2020-01-01"}).text
    assert "For få opslag" in empty


def test_the_listen_pages_filter_by_tone_and_keep_the_choice(site: Site) -> None:
    site.login("karen@banken.dk")
    analysing.analyse_new_posts(site.bank.store, site.bank.workspace_id)
    tones = {
        a.sentiment
        for a in site.bank.store.analyses_of(
            p.id for p in site.bank.store.find_posts(PostFilter(site.bank.workspace_id))
        ).values()
    }
    for path in ("/listen", "/listen/themes", "/listen/trends"):
        page = site.client.get(path, params={"tone": "negative", "offensive": "without"})
        assert page.status_code == 200, path
        assert '<option value="negative" selected>Negativ</option>' in page.text, path
        assert '<option value="without" selected>Uden krænkende</option>' in page.text, path
    negative = site.client.get("/listen", params={"tone": "negative"}).text
    shown = negative.count('class="post"')
    assert ("negative" in tones) == (shown > 0)
    everything = site.client.get("/listen").text.count('class="post"')
    assert shown < everything
    wrong = site.client.get("/listen", params={"tone": "vred"})
    assert wrong.status_code == 400
    assert "Tone er negativ, neutral eller positiv, ikke &#39;vred&#39;" in wrong.text


def test_a_post_page_shows_its_tone_and_an_agent_corrects_it(site: Site) -> None:
    analysing.analyse_new_posts(site.bank.store, site.bank.workspace_id)
    site.login("jonas@banken.dk")
    post = next(
        p
        for p in site.bank.store.find_posts(PostFilter(site.bank.workspace_id))
        if p.external_id == "1"
    )
    page = site.client.get(f"/posts/{post.id}").text
    assert "Tone:" in page and "Krænkende" in page and "Ret tonen" in page
    done = site.post(
        f"/posts/{post.id}/sentiment", {"sentiment": "positive"}, page=f"/posts/{post.id}"
    )
    assert '<strong class="tone positive">Positiv</strong>' in done
    assert site.bank.store.analyses_of([post.id])[post.id].corrected
    wrong = site.post(f"/posts/{post.id}/sentiment", {"sentiment": "vred"}, f"/posts/{post.id}")
    assert "tonen skal" in wrong.lower() or "tone must" in wrong.lower()
