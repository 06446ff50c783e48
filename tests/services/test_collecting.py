"""Collecting from sources: pages stored with their cursor, errors recorded, nothing lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from lytter.demo.platform import FIXTURES, MastodonTimeline, mastodon_status
from lytter.domain.access import Actor
from lytter.domain.posts import PostFilter
from lytter.domain.users import Role
from lytter.services import collecting
from lytter.services import queries as query_service
from lytter.services.errors import Conflict, UserError
from lytter.store import Store, open_store

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "secret.key"
    monkeypatch.setenv("LYTTER_KEY_FILE", str(path))
    monkeypatch.delenv("LYTTER_SECRET_KEY", raising=False)
    return path


def timeline(server: HTTPServer, n: int) -> MastodonTimeline:
    served = MastodonTimeline(
        [mastodon_status(i, start=START, text=f"kø hos banken {i}") for i in range(n)]
    )
    server.expect_request("/api/v1/timelines/tag/banken").respond_with_handler(served.handler)
    return served


def add_mastodon(store: Store, server: HTTPServer, **kw: object) -> int:
    ws = store.ensure_workspace("default")
    settings = {
        "instance": server.url_for("").rstrip("/"),
        "mode": "tag",
        "tag": "banken",
        "since": "2026-11-01",
    }
    source = collecting.add_source(store, Actor.system(ws.id), "mastodon", settings, **kw)  # type: ignore[arg-type]
    return source.id


def test_collecting_stores_every_page_with_its_cursor_and_matches_queries(
    store: Store, httpserver: HTTPServer
) -> None:
    timeline(httpserver, 100)
    source_id = add_mastodon(store, httpserver, name="#banken")
    ws = store.ensure_workspace("default")
    admin = Actor.system(ws.id)
    query_service.add_query(store, admin, name="Kø", text="kø AND banken")

    report = collecting.collect(store, admin)
    [done] = report.sources
    assert done.error is None and done.pages == 3 and done.saved.inserted == 100
    assert report.matches == 100
    source = store.get_source(ws.id, source_id)
    assert source is not None and source.collected_at is not None and source.last_error is None
    assert source.cursor["min_id"] == max(
        p.raw["id"] for p in store.find_posts(PostFilter(ws.id, limit=500)) if p.raw
    )  # type: ignore[index]
    assert {p.source_id for p in store.find_posts(PostFilter(ws.id, limit=500))} == {source_id}

    again = collecting.collect(store, admin)
    assert again.sources[0].pages == 0  # nothing newer than the cursor
    assert store.count_posts(PostFilter(ws.id)) == 100


def test_a_failing_source_is_recorded_and_the_others_go_on(
    store: Store, httpserver: HTTPServer
) -> None:
    timeline(httpserver, 5)
    httpserver.expect_request("/broken.xml").respond_with_data("nope", status=404)
    good = add_mastodon(store, httpserver)
    ws = store.ensure_workspace("default")
    admin = Actor.system(ws.id)
    bad = collecting.add_source(
        store, admin, "rss", {"url": httpserver.url_for("/broken.xml")}, name="Broken"
    )
    report = collecting.collect(store, admin)
    by_id = {r.source.id: r for r in report.sources}
    assert by_id[good].error is None and by_id[good].saved.inserted == 5
    assert "404" in (by_id[bad.id].error or "")
    stored = store.get_source(ws.id, bad.id)
    assert stored is not None and "404" in (stored.last_error or "")


def test_tokens_are_stored_encrypted_and_never_shown(
    store: Store, httpserver: HTTPServer, key_file: Path
) -> None:
    source_id = add_mastodon(store, httpserver, secret="tok-123")
    stored = store.source_secret(source_id)
    assert stored is not None and "tok-123" not in stored
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    ws = store.ensure_workspace("default")
    source = store.get_source(ws.id, source_id)
    assert source is not None and source.has_secret and "tok-123" not in repr(source)
    httpserver.expect_request(
        "/api/v1/timelines/tag/banken", headers={"Authorization": "Bearer tok-123"}
    ).respond_with_json([])
    assert collecting.test_source(store, Actor.system(ws.id), str(source_id)).posts == []


def test_a_token_can_come_from_the_environment_instead(
    store: Store, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = store.ensure_workspace("default")
    admin = Actor.system(ws.id)
    settings = {
        "instance": httpserver.url_for("").rstrip("/"),
        "mode": "mentions",
        "token_env": "MASTODON_TOKEN",
    }
    source = collecting.add_source(store, admin, "mastodon", settings)
    assert store.source_secret(source.id) is None  # nothing stored
    with pytest.raises(UserError, match=r"\$MASTODON_TOKEN, which is not set"):
        collecting.test_source(store, admin, str(source.id))
    monkeypatch.setenv("MASTODON_TOKEN", "env-tok")
    httpserver.expect_request(
        "/api/v1/notifications", headers={"Authorization": "Bearer env-tok"}
    ).respond_with_json([])
    assert collecting.test_source(store, admin, str(source.id)).posts == []


def test_bad_sources_are_refused_with_reasons(store: Store, httpserver: HTTPServer) -> None:
    ws = store.ensure_workspace("default")
    admin = Actor.system(ws.id)
    with pytest.raises(UserError, match="unknown connector 'myspace'"):
        collecting.add_source(store, admin, "myspace", {})
    with pytest.raises(UserError, match="needs --tag"):
        collecting.add_source(store, admin, "mastodon", {"instance": "https://x.social"})
    url = httpserver.url_for("/feed.xml")
    collecting.add_source(store, admin, "rss", {"url": url})
    with pytest.raises(Conflict, match="collects from .* already"):
        collecting.add_source(store, admin, "rss", {"url": url})
    viewer = Actor(ws.id, Role.VIEWER, None)
    with pytest.raises(UserError, match="may not manage sources"):
        collecting.add_source(store, viewer, "rss", {"url": url + "2"})


def test_removing_a_source_keeps_its_posts(store: Store, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/rss2.xml").respond_with_data(
        (FIXTURES / "rss2.xml").read_bytes(), content_type="application/rss+xml"
    )
    ws = store.ensure_workspace("default")
    admin = Actor.system(ws.id)
    source = collecting.add_source(store, admin, "rss", {"url": httpserver.url_for("/rss2.xml")})
    collecting.collect(store, admin)
    assert collecting.remove_source(store, admin, str(source.id)) is True
    assert store.count_posts(PostFilter(ws.id)) == 2
    assert collecting.collected_sources(store, admin) == []
    assert store.source_secret(source.id) is None


def test_a_collector_killed_mid_collection_loses_and_doubles_nothing(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    db = f"sqlite:///{tmp_path / 'kill.sqlite'}"
    store = open_store(db)
    served = MastodonTimeline(
        [mastodon_status(i, start=START, text=f"opslag {i}") for i in range(400)]
    )

    def slow(request: Request) -> Response:
        if len(served.requests) >= 3:
            time.sleep(0.3)  # time to kill it between pages
        return served.handler(request)

    httpserver.expect_request("/api/v1/timelines/tag/banken").respond_with_handler(slow)
    add_mastodon(store, httpserver)
    ws = store.ensure_workspace("default")
    env = {**os.environ, "LYTTER_KEY_FILE": os.environ["LYTTER_KEY_FILE"]}
    child = subprocess.Popen(
        [sys.executable, "-m", "lytter", "collect", "--db", db],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while store.count_posts(PostFilter(ws.id)) < 120:
        assert time.monotonic() < deadline and child.poll() is None, "collect did not get going"
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    stored = store.count_posts(PostFilter(ws.id))
    assert 120 <= stored < 400

    collecting.collect(store, Actor.system(ws.id))
    posts = store.find_posts(PostFilter(ws.id, limit=500))
    assert len(posts) == 400 and len({p.external_id for p in posts}) == 400
    store.close()


def test_lytter_run_collects_on_schedule_logs_json_and_stops_on_sigterm(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    db = f"sqlite:///{tmp_path / 'run.sqlite'}"
    store = open_store(db)
    timeline(httpserver, 60)
    add_mastodon(store, httpserver)
    ws = store.ensure_workspace("default")
    child = subprocess.Popen(
        [sys.executable, "-m", "lytter", "run", "--db", db],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while store.count_posts(PostFilter(ws.id)) < 60:
        assert time.monotonic() < deadline and child.poll() is None, "run did not collect"
        time.sleep(0.1)
    child.send_signal(signal.SIGTERM)
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == 0, stderr
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    messages = [line["message"] for line in lines]
    assert messages[0] == "collector started" and messages[-1] == "collector stopped"
    assert lines[-1]["pages"] == 2 and all(line["level"] for line in lines)
    store.close()
