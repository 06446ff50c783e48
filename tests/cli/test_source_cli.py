"""`lytter source add facebook|instagram`, brands, and collecting them from a recorded server."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from lytter.cli.main import app
from lytter.demo.platform import GraphApi, facebook_comment, facebook_post
from lytter.domain.posts import PostFilter
from lytter.store import open_store

runner = CliRunner()


@pytest.fixture(autouse=True)
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LYTTER_KEY_FILE", str(tmp_path / "secret.key"))


@pytest.fixture
def graph(httpserver: HTTPServer) -> GraphApi:
    served = GraphApi()
    served.accounts = [
        {"id": str(100 + n), "name": f"Banken {by}", "access_token": f"page-token-{n}"}
        for n, by in enumerate(["Aarhus", "Odense", "Aalborg"])
    ]
    for n in range(3):
        page = str(100 + n)
        posts = [facebook_post(i, page=page, start=_start(), text=f"Opslag {i}") for i in range(5)]
        served.feeds[page] = posts
        served.comments[posts[0]["id"]] = [
            facebook_comment(i, post_id=posts[0]["id"], start=_start(), text=f"Spørgsmål {i}")
            for i in range(4)
        ]
    served.serve(httpserver)
    return served


def _start() -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)


def init(tmp_path: Path, name: str) -> str:
    db = f"sqlite:///{tmp_path / name}"
    made = runner.invoke(app, ["init", "--db", db])
    assert made.exit_code == 0, made.output
    return db


def test_all_pages_of_a_user_become_sources_with_their_own_tokens_and_are_collected(
    tmp_path: Path, httpserver: HTTPServer, graph: GraphApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = init(tmp_path, "fb.sqlite")
    monkeypatch.setenv("FB_USER_TOKEN", "user-token")
    base = graph.base(httpserver.url_for(""))
    added = runner.invoke(
        app,
        [
            "source",
            "add",
            "facebook",
            "--all-pages",
            "--token-env",
            "FB_USER_TOKEN",
            "--graph",
            base,
            "--brand",
            "Andelsbanken",
            "--db",
            db,
        ],
    )
    assert added.exit_code == 0, added.output
    assert "3 pages added" in added.output and "Banken Odense" in added.output
    assert graph.requests[0].headers["Authorization"] == "Bearer user-token"
    again = runner.invoke(
        app,
        [
            "source",
            "add",
            "facebook",
            "--all-pages",
            "--token-env",
            "FB_USER_TOKEN",
            "--graph",
            base,
            "--db",
            db,
        ],
    )
    assert "0 pages added" in again.output and "Collected already" in again.output
    listed = runner.invoke(app, ["source", "list", "--json", "--db", db])
    sources = [json.loads(line) for line in listed.output.splitlines()]
    assert sorted(s["external_id"] for s in sources) == ["100", "101", "102"]
    assert all(
        s["has_secret"] and "page-token" not in line
        for s, line in zip(sources, listed.output.splitlines(), strict=True)
    )
    graph.requests.clear()
    collected = runner.invoke(app, ["collect", "--db", db])
    assert collected.exit_code == 0, collected.output
    tokens = {r.headers["Authorization"] for r in graph.requests}
    assert tokens == {"Bearer page-token-0", "Bearer page-token-1", "Bearer page-token-2"}
    store = open_store(db)
    ws = store.ensure_workspace("default")
    assert store.count_posts(PostFilter(ws.id)) == 3 * (5 + 4)
    [brand] = store.list_brands(ws.id)
    assert brand.name == "Andelsbanken" and brand.kind == "own"
    assert {s.brand_id for s in store.list_sources(ws.id)} == {brand.id}
    store.close()


def test_an_instagram_account_and_a_competitors_feed_are_added(tmp_path: Path) -> None:
    db = init(tmp_path, "ig.sqlite")
    ig = runner.invoke(
        app,
        [
            "source",
            "add",
            "instagram",
            "--account",
            "17841405822304914",
            "--token",
            "t",
            "--name",
            "andelsbanken",
            "--db",
            db,
        ],
    )
    assert ig.exit_code == 0, ig.output
    rss = runner.invoke(
        app,
        [
            "source",
            "add",
            "rss",
            "--url",
            "https://konkurrent.example/feed",
            "--brand",
            "Konkurrentbanken",
            "--competitor",
            "--db",
            db,
        ],
    )
    assert rss.exit_code == 0, rss.output
    store = open_store(db)
    ws = store.ensure_workspace("default")
    [brand] = store.list_brands(ws.id)
    assert brand.kind == "competitor"
    store.close()


def test_facebook_needs_a_page_or_all_pages_and_a_numeric_id(tmp_path: Path) -> None:
    db = init(tmp_path, "x.sqlite")
    neither = runner.invoke(app, ["source", "add", "facebook", "--db", db])
    assert neither.exit_code == 2 and "exactly one of --page or --all-pages" in neither.output
    named = runner.invoke(
        app, ["source", "add", "facebook", "--page", "andelsbanken", "--token", "t", "--db", db]
    )
    assert named.exit_code == 1 and "numeric id" in named.output
