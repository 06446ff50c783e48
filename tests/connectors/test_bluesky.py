"""Bluesky against a local server answering as the AT Protocol's documented XRPC methods do."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer

from lytter.connectors import AuthError, BadPayload, SettingsError, Target
from lytter.connectors.bluesky import BlueskyConnector
from lytter.demo.platform import BlueskySearch, bluesky_post

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SEARCH = "/xrpc/app.bsky.feed.searchPosts"


def connector(server: HTTPServer, secret: str | None = None) -> BlueskyConnector:
    base = server.url_for("").rstrip("/")
    settings = {"mode": "search", "query": "danske bank", "service": base, "pds": base}
    return BlueskyConnector({**settings, "since": "2026-11-01"}, secret)


@pytest.fixture
def search(httpserver: HTTPServer) -> BlueskySearch:
    served = BlueskySearch([bluesky_post(n, start=START, text=f"kø {n}") for n in range(250)])
    httpserver.expect_request(SEARCH).respond_with_handler(served.handler)
    return served


def test_a_search_is_walked_back_to_the_last_collection(
    httpserver: HTTPServer, search: BlueskySearch
) -> None:
    pages = list(connector(httpserver).collect(None))
    assert [len(p.drafts) for p in pages] == [100, 100, 50]
    first = search.requests[0].args
    assert first["q"] == "danske bank" and first["sort"] == "latest" and first["limit"] == "100"
    assert first["since"] == "2026-11-01T00:00:00.000Z"
    # While walking, the cursor keeps the page; at the end it moves to the newest post.
    assert pages[0].cursor["page"] == "100" and pages[0].cursor["since"] == first["since"]
    assert pages[-1].cursor == {"since": "2026-11-20T09:04:09.000Z"}
    assert len({d.external_id for p in pages for d in p.drafts}) == 250


def test_a_walk_interrupted_after_a_page_goes_on_from_that_page(
    httpserver: HTTPServer, search: BlueskySearch
) -> None:
    first = next(connector(httpserver).collect(None))
    rest = list(connector(httpserver).collect(first.cursor))
    assert search.requests[-2].args["cursor"] == "100"
    ids = {d.external_id for d in first.drafts} | {d.external_id for p in rest for d in p.drafts}
    assert len(ids) == 250


def test_a_post_view_becomes_a_post(httpserver: HTTPServer, search: BlueskySearch) -> None:
    drafts = [d for p in connector(httpserver).collect(None) for d in p.drafts]
    post = next(d for d in drafts if d.text == "kø 0")
    assert post.external_id.startswith("at://did:plc:user0/app.bsky.feed.post/")
    assert post.text == "kø 0" and post.language == "da" and post.created_at == START
    assert post.author is not None and post.author.handle == "user0.bsky.social"
    assert post.engagement.likes == 17 and post.engagement.comments == 4
    assert post.url == "https://bsky.app/profile/user0.bsky.social/post/3l00000000000"


def test_the_same_cursor_twice_is_stopped(httpserver: HTTPServer) -> None:
    body = {"cursor": "abc", "posts": [bluesky_post(1, start=START, text="x")]}
    httpserver.expect_request(SEARCH).respond_with_json(body)
    with pytest.raises(BadPayload, match="same cursor"):
        list(connector(httpserver).collect(None))


def test_a_reply_logs_in_with_an_app_password_and_creates_a_threaded_post(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request(
        "/xrpc/com.atproto.server.createSession",
        method="POST",
        json={"identifier": "banken.dk", "password": "app-pass-word"},
    ).respond_with_json({"did": "did:plc:banken", "accessJwt": "jwt-1", "handle": "banken.dk"})
    view = bluesky_post(7, start=START, text="hjælp?")
    httpserver.expect_request(
        "/xrpc/com.atproto.repo.createRecord",
        method="POST",
        headers={"Authorization": "Bearer jwt-1"},
    ).respond_with_json({"uri": "at://did:plc:banken/app.bsky.feed.post/3new", "cid": "c"})
    uri = connector(httpserver, "banken.dk:app-pass-word").reply(
        Target(view["uri"], raw=view), "Vi ringer dig op"
    )
    assert uri == "at://did:plc:banken/app.bsky.feed.post/3new"
    sent = httpserver.log[1][0].get_json()
    assert sent["repo"] == "did:plc:banken" and sent["collection"] == "app.bsky.feed.post"
    parent = {"uri": view["uri"], "cid": view["cid"]}
    assert sent["record"]["reply"] == {"root": parent, "parent": parent}
    assert sent["record"]["text"] == "Vi ringer dig op"


def test_blocking_creates_a_block_record_for_the_author(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/xrpc/com.atproto.server.createSession").respond_with_json(
        {"did": "did:plc:banken", "accessJwt": "jwt-1"}
    )
    httpserver.expect_request("/xrpc/com.atproto.repo.createRecord").respond_with_json(
        {"uri": "at://did:plc:banken/app.bsky.graph.block/1", "cid": "c"}
    )
    view = bluesky_post(3, start=START, text="spam")
    connector(httpserver, "banken.dk:pw").block_author(Target(view["uri"], raw=view))
    sent = httpserver.log[1][0].get_json()
    assert sent["collection"] == "app.bsky.graph.block"
    assert sent["record"]["subject"] == "did:plc:user3"


def test_actions_need_handle_and_app_password(httpserver: HTTPServer) -> None:
    with pytest.raises(AuthError, match="handle:app-password"):
        connector(httpserver).reply(Target("at://x"), "hej")


def test_a_thread_source_reads_the_root_and_every_reply_once(httpserver: HTTPServer) -> None:
    root = bluesky_post(0, start=START, text="Vi har lukket filialen i Vejle")
    replies = [bluesky_post(n, start=START, text=f"svar {n}") for n in (1, 2, 3)]
    nested = {"$type": "app.bsky.feed.defs#threadViewPost", "post": replies[2], "replies": []}
    thread = {
        "$type": "app.bsky.feed.defs#threadViewPost",
        "post": root,
        "replies": [
            {"$type": "app.bsky.feed.defs#threadViewPost", "post": replies[0], "replies": [nested]},
            {"$type": "app.bsky.feed.defs#threadViewPost", "post": replies[1], "replies": []},
            {"$type": "app.bsky.feed.defs#notFoundPost", "uri": "at://gone", "notFound": True},
        ],
    }
    httpserver.expect_request("/xrpc/app.bsky.feed.getPostThread").respond_with_json(
        {"thread": thread}
    )
    base = httpserver.url_for("").rstrip("/")
    made = BlueskyConnector({"mode": "thread", "uri": root["uri"], "service": base})
    [page] = list(made.collect(None))
    assert [d.text for d in page.drafts] == [
        "Vi har lukket filialen i Vejle",
        "svar 1",
        "svar 2",
        "svar 3",
    ]
    [again] = list(made.collect(page.cursor))
    assert again.drafts == []  # nothing newer than the newest already collected
    with pytest.raises(SettingsError, match="at:// URI"):
        BlueskyConnector({"mode": "thread", "uri": "https://bsky.app/x"})
