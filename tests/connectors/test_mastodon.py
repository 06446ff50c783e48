"""Mastodon against a local server answering as the documented API does."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from lytter.connectors import AuthError, BadPayload, Capability, Target
from lytter.connectors.mastodon import MastodonConnector, snowflake
from lytter.demo.platform import MastodonTimeline, mastodon_status

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def connector(server: HTTPServer, token: str | None = None, **settings: str) -> MastodonConnector:
    base = {"instance": server.url_for("").rstrip("/"), "mode": "tag", "tag": "banken"}
    return MastodonConnector({**base, **settings, "since": "2026-11-01"}, token)


@pytest.fixture
def timeline(httpserver: HTTPServer) -> MastodonTimeline:
    statuses = [mastodon_status(n, start=START, text=f"Kø nummer {n}") for n in range(95)]
    statuses.append(mastodon_status(95, start=START, text="svar", reply_to=statuses[0]["id"]))
    served = MastodonTimeline(statuses)
    httpserver.expect_request("/api/v1/timelines/tag/banken").respond_with_handler(served.handler)
    return served


def test_a_tag_timeline_is_walked_forward_page_by_page(
    httpserver: HTTPServer, timeline: MastodonTimeline
) -> None:
    pages = list(connector(httpserver).collect(None))
    assert [len(p.drafts) for p in pages] == [40, 40, 16]
    first = timeline.requests[0].args
    assert first["limit"] == "40" and first["min_id"] == snowflake(
        datetime(2026, 11, 1, tzinfo=UTC)
    )
    # Each page continues from the highest id of the one before, which is also its cursor.
    assert timeline.requests[1].args["min_id"] == pages[0].cursor["min_id"]
    ids = [d.external_id for p in pages for d in p.drafts]
    assert len(set(ids)) == 96
    times = [d.created_at for p in pages for d in p.drafts]
    assert times == sorted(times)  # oldest first


def test_a_status_becomes_a_post_with_author_thread_counts_and_payload(
    httpserver: HTTPServer, timeline: MastodonTimeline
) -> None:
    drafts = [d for p in connector(httpserver).collect(None) for d in p.drafts]
    host = httpserver.url_for("").split("//")[1].rstrip("/")
    first, reply = drafts[0], drafts[-1]
    assert first.text == "Kø nummer 0"
    assert first.platform == "mastodon" and first.external_id.startswith(host + "/")
    assert first.author is not None and first.author.handle == f"user0@{host}"
    assert first.author.name == "Eugen" and first.author.followers == 322930
    assert first.engagement.likes == 11 and first.engagement.comments == 5
    assert first.engagement.shares == 6 and first.language == "da"
    assert first.created_at == START and first.raw is not None and first.raw["account"]["id"]
    assert reply.parent_id == first.external_id
    assert first.source is not None and first.source.external_id == f"{host}/tags/banken"


def test_html_in_a_status_becomes_plain_text(httpserver: HTTPServer) -> None:
    status = mastodon_status(0, start=START, text="x")
    status["content"] = (
        '<p>Lang kø hos <a href="https://x/tags/banken">#<span>banken</span></a> &amp; ingen'
        " svar</p><p>Hvem andre?</p>"
    )
    served = MastodonTimeline([status])
    httpserver.expect_request("/api/v1/timelines/tag/banken").respond_with_handler(served.handler)
    [page] = connector(httpserver).collect(None)
    assert page.drafts[0].text == "Lang kø hos #banken & ingen svar\n\nHvem andre?"


def test_boosts_and_statuses_that_do_not_read_are_skipped_not_fatal(
    httpserver: HTTPServer,
) -> None:
    good = mastodon_status(0, start=START, text="god")
    boost = {**mastodon_status(1, start=START, text="boost"), "reblog": good}
    broken = mastodon_status(2, start=START, text="x")
    del broken["account"]
    weird = {**mastodon_status(3, start=START, text="x"), "created_at": "yesterday"}
    served = MastodonTimeline([good, boost, broken, weird])
    httpserver.expect_request("/api/v1/timelines/tag/banken").respond_with_handler(served.handler)
    [page] = connector(httpserver).collect(None)
    assert [d.text for d in page.drafts] == ["god"]
    assert page.cursor["min_id"] == weird["id"]  # the whole page is past, skipped ones too


def test_a_server_that_repeats_the_same_page_forever_is_stopped(httpserver: HTTPServer) -> None:
    same = [mastodon_status(n, start=START, text="igen") for n in range(40)]
    httpserver.expect_request("/api/v1/timelines/tag/banken").respond_with_json(same)
    pages = connector(httpserver).collect(None)
    assert len(next(pages).drafts) == 40
    with pytest.raises(BadPayload, match="nothing newer"):
        next(pages)


def test_an_answer_that_is_not_a_list_is_a_clear_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/timelines/tag/banken").respond_with_json(
        {"error": "Record not found"}
    )
    with pytest.raises(BadPayload, match="not a list of statuses"):
        list(connector(httpserver).collect(None))


def test_a_reply_is_posted_as_the_api_documents(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/api/v1/statuses",
        method="POST",
        headers={"Authorization": "Bearer s3cret"},
        json={"status": "Tak, vi kigger på det!", "in_reply_to_id": "103270115826048975"},
    ).respond_with_json({"id": "103270115826049999", "content": "<p>Tak</p>"})
    target = Target("host/103270115826048975", raw={"id": "103270115826048975"})
    new_id = connector(httpserver, "s3cret").reply(target, "Tak, vi kigger på det!")
    assert new_id.endswith("/103270115826049999")
    request = httpserver.log[0][0]
    assert len(request.headers["Idempotency-Key"]) == 64  # a retry never posts twice


def test_blocking_an_author_blocks_their_account(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/api/v1/accounts/4242/block", method="POST", headers={"Authorization": "Bearer s3cret"}
    ).respond_with_json({"id": "4242", "blocking": True})
    connector(httpserver, "s3cret").block_author(
        Target("host/1", raw={"id": "1", "account": {"id": "4242"}})
    )
    assert len(httpserver.log) == 1 and json.loads(httpserver.log[0][1].data)["blocking"]


def test_actions_need_a_token_and_hiding_is_not_something_mastodon_does(
    httpserver: HTTPServer,
) -> None:
    mastodon = connector(httpserver)
    assert (
        Capability.REPLY in mastodon.capabilities and Capability.HIDE not in mastodon.capabilities
    )
    with pytest.raises(AuthError, match="needs an access token"):
        mastodon.reply(Target("h/1", raw={"id": "1"}), "hej")
    with pytest.raises(Exception, match="cannot hide"):
        mastodon.hide(Target("h/1"))


def test_a_search_reads_statuses_from_v2_search_newer_than_the_cursor(
    httpserver: HTTPServer,
) -> None:
    statuses = [mastodon_status(n, start=START, text=f"danske bank {n}") for n in range(3)]
    served = MastodonTimeline(statuses)

    def search(request: Request) -> Response:
        # /api/v2/search answers {"accounts", "statuses", "hashtags"}, paged like a timeline.
        page = json.loads(served.handler(request).get_data())
        body = {"accounts": [], "statuses": page, "hashtags": []}
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/api/v2/search").respond_with_handler(search)
    made = connector(httpserver, "token", mode="search", query="danske bank")
    [page] = list(made.collect(None))
    assert [d.text for d in page.drafts] == ["danske bank 0", "danske bank 1", "danske bank 2"]
    args = served.requests[0].args
    assert args["q"] == "danske bank" and args["type"] == "statuses"
    assert args["resolve"] == "false" and args["limit"] == "40"
    assert served.requests[0].headers["Authorization"] == "Bearer token"
    assert page.drafts[0].source is not None
    assert page.drafts[0].source.external_id.endswith("/search:danske bank")
