"""Facebook Pages against a local server answering as the documented Graph API does."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from lytter.connectors import (
    AuthError,
    BadPayload,
    Capability,
    PermissionDenied,
    PlatformError,
    Target,
)
from lytter.connectors.facebook import FacebookConnector
from lytter.connectors.http import Http
from lytter.demo.platform import GraphApi, facebook_comment, facebook_post, fixture
from lytter.domain.posts import PostDraft, SourceRef

PAGE = "105273638444220"
START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
NOW = START + timedelta(days=1)


def connector(server: HTTPServer, graph: GraphApi, **settings: object) -> FacebookConnector:
    base = {"page": PAGE, "graph": graph.base(server.url_for("")), "since": "2026-11-19"}
    made = FacebookConnector({**base, **settings}, "page-token", Http(sleep=lambda _s: None))
    made.clock = lambda tz=None: NOW
    return made


@pytest.fixture
def graph(httpserver: HTTPServer) -> GraphApi:
    served = GraphApi()
    posts = [facebook_post(n, page=PAGE, start=START, text=f"Opslag {n}") for n in range(150)]
    served.feeds[PAGE] = posts
    for n, post in enumerate(posts[:3]):
        comments = [
            facebook_comment(i, post_id=post["id"], start=START, text=f"Kommentar {n}.{i}")
            for i in range(120 if n == 0 else 2)
        ]
        comments.append(
            facebook_comment(
                999, post_id=post["id"], start=START, text="Svar", parent=comments[0]["id"]
            )
        )
        served.comments[post["id"]] = comments
    served.serve(httpserver)
    return served


def drafts_of(pages: list) -> list[PostDraft]:
    return [d for p in pages for d in p.drafts]


def test_the_feed_and_the_comments_of_posts_with_comments_are_read(
    httpserver: HTTPServer, graph: GraphApi
) -> None:
    pages = list(connector(httpserver, graph).collect(None))
    drafts = drafts_of(pages)
    posts = [d for d in drafts if d.root_id is None]
    comments = [d for d in drafts if d.root_id is not None]
    assert len(posts) == 150 and len(comments) == 121 + 3 + 3
    first = graph.requests[0]
    assert first.path == f"/v26.0/{PAGE}/feed"
    assert first.args["since"] == str(int(datetime(2026, 11, 19, tzinfo=UTC).timestamp()))
    assert first.args["limit"] == "100" and "comments.filter(stream)" in first.args["fields"]
    assert first.headers["Authorization"] == "Bearer page-token"
    assert "access_token" not in first.args  # the token never goes in a URL
    # The feed's second page is its `next` URL; only the three posts with comments are read.
    comment_reads = [r for r in graph.requests if r.path.endswith("/comments")]
    assert {r.path.split("/")[2] for r in comment_reads} == {p["id"] for p in graph.feeds[PAGE][:3]}
    assert comment_reads[0].args["filter"] == "stream"
    assert comment_reads[0].args["order"] == "reverse_chronological"
    assert len(comment_reads) == 2 + 1 + 1  # 121 comments are two pages of 100


def test_a_post_and_a_comment_become_posts_with_thread_author_counts_and_payload(
    httpserver: HTTPServer, graph: GraphApi
) -> None:
    drafts = {d.external_id: d for d in drafts_of(list(connector(httpserver, graph).collect(None)))}
    post_id = graph.feeds[PAGE][0]["id"]
    post = drafts[post_id]
    assert post.text == "Opslag 0" and post.created_at == START and post.platform == "facebook"
    assert post.author is not None and post.author.handle == PAGE
    assert post.author.name == "Andelsbanken Aarhus"
    assert post.engagement.likes == 37 and post.engagement.shares == 4
    assert post.engagement.comments == 121
    assert post.url == f"https://www.facebook.com/{PAGE}/posts/{post_id.split('_')[1]}"
    assert post.source is not None and post.source.external_id == PAGE
    visitor = drafts[graph.feeds[PAGE][4]["id"]]
    assert visitor.author is not None and visitor.author.name == "Besøgende 4"
    comment = drafts[graph.comments[post_id][0]["id"]]
    assert comment.root_id == post_id and comment.parent_id == post_id
    assert comment.author is not None and comment.author.name == "Person 0"
    assert comment.engagement.likes == 2 and comment.raw is not None
    reply = drafts[graph.comments[post_id][-1]["id"]]
    assert reply.parent_id == comment.external_id and reply.root_id == post_id


def test_the_next_collection_reads_only_new_comments_and_forgets_old_posts(
    httpserver: HTTPServer, graph: GraphApi
) -> None:
    first = list(connector(httpserver, graph).collect(None))
    cursor = first[-1].cursor
    assert cursor["newest"] == (START + timedelta(minutes=149)).isoformat()
    assert cursor["posts"][graph.feeds[PAGE][0]["id"]] == [
        121,
        (START + timedelta(seconds=999)).isoformat(),
    ]
    post_id = graph.feeds[PAGE][1]["id"]
    graph.comments[post_id].append(
        facebook_comment(2000, post_id=post_id, start=START, text="Ny kommentar")
    )
    graph.requests.clear()
    again = list(connector(httpserver, graph).collect(cursor))
    new_comments = [d for d in drafts_of(again) if d.root_id is not None]
    assert [d.text for d in new_comments] == ["Ny kommentar"]
    # One comment read, newest first, stopping at the first one already seen.
    assert [r.path.split("/")[2] for r in graph.requests if r.path.endswith("comments")] == [
        post_id
    ]
    # The window starts three days back, or at the last newest post when that is older.
    since = int(graph.requests[0].args["since"])
    assert datetime.fromtimestamp(since, UTC) == NOW - timedelta(days=3)


def test_every_page_carries_a_cursor_that_loses_nothing_when_stored_with_it(
    httpserver: HTTPServer, graph: GraphApi
) -> None:
    pages = list(connector(httpserver, graph).collect(None))
    # Until the walk is complete the window does not move on.
    assert all(p.cursor["newest"] is None for p in pages[:-1])
    # A collection that stops after the second page and starts again from its cursor finds
    # everything the whole walk found.
    resumed = list(connector(httpserver, graph).collect(pages[1].cursor))
    everything = {d.external_id for d in drafts_of(pages)}
    assert {d.external_id for d in drafts_of(pages[:2] + resumed)} == everything


def test_an_expired_token_is_an_auth_error_with_facebooks_message(
    httpserver: HTTPServer, graph: GraphApi
) -> None:
    graph.failures.append((400, fixture("facebook_comment.json")["error_expired_token"]))
    with pytest.raises(AuthError, match="expired.*code 190"):
        list(connector(httpserver, graph).collect(None))


def test_a_missing_permission_is_permission_denied(httpserver: HTTPServer, graph: GraphApi) -> None:
    graph.failures.append((400, fixture("facebook_comment.json")["error_permission"]))
    with pytest.raises(PermissionDenied, match="pages_read_engagement"):
        list(connector(httpserver, graph).collect(None))


def test_a_rate_limit_error_waits_and_retries(httpserver: HTTPServer, graph: GraphApi) -> None:
    graph.failures.append((400, fixture("facebook_comment.json")["error_rate_limit"]))
    made = connector(httpserver, graph)
    waits: list[float] = []
    made.http.sleep = waits.append
    pages = list(made.collect(None))
    assert waits == [60.0] and len(drafts_of(pages)) == 150 + 127


def test_usage_at_100_percent_holds_the_next_call_back(
    httpserver: HTTPServer, graph: GraphApi
) -> None:
    graph.usage = json.dumps({"call_count": 100, "total_cputime": 12, "total_time": 20})
    made = connector(httpserver, graph)
    waits: list[float] = []
    made.http.sleep = waits.append
    list(made.collect(None))
    assert waits and all(w > 0 for w in waits)


def test_a_5xx_storm_ends_in_a_platform_error_after_the_retries(
    httpserver: HTTPServer, graph: GraphApi
) -> None:
    for _ in range(6):
        graph.failures.append((500, {"error": {"message": "An unknown error", "code": 1}}))
    with pytest.raises(PlatformError, match="6 times"):
        list(connector(httpserver, graph).collect(None))


def test_a_feed_that_returns_the_same_next_page_forever_is_stopped(
    httpserver: HTTPServer,
) -> None:
    post = facebook_post(1, page=PAGE, start=START, text="igen")
    post["comments"]["summary"]["total_count"] = 0

    def same(request: Request) -> Response:
        body = {
            "data": [post],
            "paging": {"next": request.host_url + "v26.0/" + PAGE + "/feed?after=X"},
        }
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request(f"/v26.0/{PAGE}/feed").respond_with_handler(same)
    made = connector(httpserver, GraphApi())
    with pytest.raises(BadPayload, match="same next page"):
        list(made.collect(None))


def test_the_actions_send_what_the_graph_api_documents(
    httpserver: HTTPServer, graph: GraphApi
) -> None:
    made = connector(httpserver, graph)
    assert made.capabilities >= {Capability.REPLY, Capability.HIDE, Capability.BLOCK_AUTHOR}
    comment = facebook_comment(1, post_id=f"{PAGE}_1", start=START, text="x")
    target = Target(comment["id"], comment["from"]["id"], comment)
    reply_id = made.reply(target, "Hej Mette, vi kigger på det.")
    made.hide(target)
    made.hide(target, hidden=False)
    made.delete(target)
    made.block_author(target)
    assert reply_id.startswith(comment["id"].split("_")[0])
    assert graph.actions == [
        ("POST", f"{comment['id']}/comments", {"message": "Hej Mette, vi kigger på det."}),
        ("POST", comment["id"], {"is_hidden": "true"}),
        ("POST", comment["id"], {"is_hidden": "false"}),
        ("DELETE", comment["id"], {}),
        ("POST", f"{PAGE}/blocked", {"user": comment["from"]["id"]}),
    ]


def test_a_webhook_change_becomes_a_post_and_reactions_are_not_posts() -> None:
    payload = fixture("facebook_webhook.json")
    source = SourceRef(PAGE, "Andelsbanken Aarhus")
    value = payload["comment"]["entry"][0]["changes"][0]["value"]
    draft = FacebookConnector.change_draft(value, source)
    assert draft is not None
    assert draft.external_id == value["comment_id"] and draft.root_id == value["post_id"]
    assert draft.parent_id == value["post_id"] and draft.text.startswith("Min betaling")
    assert draft.created_at == datetime.fromtimestamp(1795165500, UTC)
    reaction = payload["reaction"]["entry"][0]["changes"][0]["value"]
    assert FacebookConnector.change_draft(reaction, source) is None


def test_a_user_token_lists_the_pages_it_manages(httpserver: HTTPServer, graph: GraphApi) -> None:
    graph.accounts = [
        {
            "id": str(100 + n),
            "name": f"Filial {n}",
            "access_token": f"tok{n}",
            "tasks": ["MODERATE"],
        }
        for n in range(38)
    ]
    pages = connector(httpserver, graph).managed_pages()
    assert len(pages) == 38 and pages[0]["access_token"] == "tok0"
