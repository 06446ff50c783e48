"""The workbench in the browser: the posts explorer, its filters and a thread."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from lytter.web.app import create_app

from lytter.domain.posts import PostFilter
from lytter.store import Store, open_store
from tests.helpers import draft


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    store = open_store(f"sqlite:///{tmp_path / 'web.sqlite'}")
    ws = store.ensure_workspace("default", "Banken")
    store.save_posts(
        ws.id,
        [
            draft("10", "Hvorfor er netbanken nede igen?"),
            draft("11", "Vi arbejder på sagen – beklager!", root_id="10", parent_id="10"),
            draft("20", "Great service at the branch", language="en", platform="instagram"),
        ],
    )
    store.save_posts(
        ws.id,
        [draft("20", "Great service at the branch today", language="en", platform="instagram")],
    )
    with TestClient(create_app(store, ws)) as c:
        yield c, store
    store.close()


def test_the_explorer_lists_posts_newest_first(client: tuple[TestClient, Store]) -> None:
    c, _ = client
    page = c.get("/")
    assert page.status_code == 200
    assert "3</strong> posts" in page.text
    assert page.text.index("Vi arbejder på sagen") < page.text.index("Hvorfor er netbanken")


def test_the_explorer_searches_and_filters(client: tuple[TestClient, Store]) -> None:
    c, store = client
    assert "1</strong> posts" in c.get("/", params={"q": "netbanken"}).text
    assert "1</strong> posts" in c.get("/", params={"language": "en"}).text
    assert "2</strong> posts" in c.get("/", params={"platform": "facebook"}).text
    aarhus = next(s for s in store.list_sources(1) if s.name == "Banken Aarhus")
    assert (
        "2</strong> posts" in c.get("/", params={"source": aarhus.id, "platform": "facebook"}).text
    )
    assert "No posts match" in c.get("/", params={"until": "2020-01-01"}).text


def test_a_huge_number_of_matches_is_shown_as_capped(
    client: tuple[TestClient, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    from lytter.services import posts as post_service

    c, _ = client
    monkeypatch.setattr(post_service, "COUNT_CAP", 2)
    assert "2+</strong> posts" in c.get("/").text


def test_a_bad_date_is_a_clear_message_not_an_error_page(client: tuple[TestClient, Store]) -> None:
    c, _ = client
    page = c.get("/", params={"since": "i går"})
    assert page.status_code == 400
    assert "from &#39;i går&#39; is not a date" in page.text


def test_a_post_shows_its_thread_and_earlier_texts(client: tuple[TestClient, Store]) -> None:
    c, store = client
    reply = next(p for p in store.find_posts(PostFilter(1)) if p.external_id == "11")
    page = c.get(f"/posts/{reply.id}")
    assert "Hvorfor er netbanken nede igen?" in page.text and "Vi arbejder på sagen" in page.text
    edited = next(p for p in store.find_posts(PostFilter(1)) if p.external_id == "20")
    assert "Earlier texts" in c.get(f"/posts/{edited.id}").text
    assert c.get("/posts/999999").status_code == 400


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_lytter_serve_answers_on_a_real_port(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'served.sqlite'}"
    store = open_store(db)
    store.save_posts(
        store.ensure_workspace("default").id, [draft("1", "Æblegrød og øllebrød på Ærø")]
    )
    store.close()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "lytter", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", params={"q": "øllebrød"})
                break
            except httpx.ConnectError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert page.status_code == 200
        assert "Æblegrød og øllebrød på Ærø" in page.text
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").json()["status"] == "ok"
    finally:
        server.terminate()
        server.communicate(timeout=10)
