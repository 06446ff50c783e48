"""Instagram against a local server answering as the documented Graph API does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pytest_httpserver import HTTPServer

from lytter.connectors import AuthError, Capability, NotSupported, Target
from lytter.connectors.http import Http
from lytter.connectors.instagram import InstagramConnector
from lytter.demo.platform import GraphApi, fixture, instagram_comment, instagram_media
from lytter.domain.posts import PostDraft, SourceRef

ACCOUNT = "17841405822304914"
START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
NOW = START + timedelta(days=1)


def connector(server: HTTPServer, graph: GraphApi, secret: str = "tok") -> InstagramConnector:
    settings = {"account": ACCOUNT, "graph": graph.base(server.url_for("")), "since": "2026-11-19"}
    made = InstagramConnector(settings, secret, Http(sleep=lambda _s: None))
    made.clock = lambda tz=None: NOW
    return made


@pytest.fixture
def graph(httpserver: HTTPServer) -> GraphApi:
    served = GraphApi()
    media = [instagram_media(n, start=START, text=f"Billede {n}") for n in range(70)]
    old = instagram_media(0, start=START - timedelta(days=30), text="gammel")
    old["id"] = "1"
    served.media[ACCOUNT] = [*media, old]
    replies = [
        {**fixture("instagram_media.json")["comment"]["replies"]["data"][0], "id": f"99{i}"}
        for i in range(2)
    ]
    served.comments[media[0]["id"]] = [
        instagram_comment(
            i, start=START, text=f"Kommentar {i}", replies=replies if i == 0 else None
        )
        for i in range(60)
    ]
    served.serve(httpserver)
    return served


def drafts_of(pages: list) -> list[PostDraft]:
    return [d for p in pages for d in p.drafts]


def test_media_and_their_comments_with_replies_are_read(
    httpserver: HTTPServer, graph: GraphApi
) -> None:
    drafts = drafts_of(list(connector(httpserver, graph).collect(None)))
    media = [d for d in drafts if d.root_id is None]
    comments = [d for d in drafts if d.root_id is not None]
    assert len(media) == 70  # the month-old one is outside `since`
    assert len(comments) == 62
    first = graph.requests[0]
    assert first.path == f"/v26.0/{ACCOUNT}/media" and first.args["limit"] == "50"
    assert "comments_count" in first.args["fields"]
    reads = [r for r in graph.requests if r.path.endswith("/comments")]
    assert {r.path.split("/")[2] for r in reads} == {graph.media[ACCOUNT][0]["id"]}
    assert "replies{" in reads[0].args["fields"] and len(reads) == 2  # 60 comments, 50 a page


def test_a_media_and_a_reply_become_posts_in_one_thread(
    httpserver: HTTPServer, graph: GraphApi
) -> None:
    drafts = {d.external_id: d for d in drafts_of(list(connector(httpserver, graph).collect(None)))}
    media_id = graph.media[ACCOUNT][0]["id"]
    media = drafts[media_id]
    assert media.platform == "instagram" and media.text == "Billede 0"
    assert media.author is not None and media.author.handle == "andelsbanken"
    assert media.engagement.likes == 128 and media.engagement.comments == 62
    assert media.url == "https://www.instagram.com/p/C0000000000/"
    comment = drafts[graph.comments[media_id][0]["id"]]
    assert comment.root_id == media_id and comment.parent_id == media_id
    assert comment.author is not None and comment.author.handle == "kunde0"
    reply = drafts["990"]
    assert reply.parent_id == comment.external_id and reply.text == "Ja, fra kl. 10 til 13."


def test_the_next_collection_keeps_only_comments_newer_than_the_last_seen(
    httpserver: HTTPServer, graph: GraphApi
) -> None:
    cursor = list(connector(httpserver, graph).collect(None))[-1].cursor
    media_id = graph.media[ACCOUNT][0]["id"]
    graph.comments[media_id].append(instagram_comment(5000, start=START, text="Endnu en"))
    again = drafts_of(list(connector(httpserver, graph).collect(cursor)))
    assert [d.text for d in again if d.root_id is not None] == ["Endnu en"]


def test_the_actions_send_what_the_graph_api_documents(
    httpserver: HTTPServer, graph: GraphApi
) -> None:
    made = connector(httpserver, graph)
    assert Capability.BLOCK_AUTHOR not in made.capabilities
    comment = {**instagram_comment(1, start=START, text="x"), "media_id": "555"}
    reply = {**comment, "id": "777", "parent_id": comment["id"]}
    made.reply(Target(comment["id"], raw=comment), "Tak!")
    made.reply(Target("777", raw=reply), "Tak igen!")
    made.reply(Target("555", raw=graph.media[ACCOUNT][0]), "Til alle")
    made.hide(Target(comment["id"], raw=comment))
    made.delete(Target(comment["id"], raw=comment))
    assert graph.actions == [
        ("POST", f"{comment['id']}/replies", {"message": "Tak!"}),
        ("POST", f"{comment['id']}/replies", {"message": "Tak igen!"}),
        ("POST", "555/comments", {"message": "Til alle"}),
        ("POST", comment["id"], {"hide": "true"}),
        ("DELETE", comment["id"], {}),
    ]
    with pytest.raises(NotSupported):
        made.hide(Target("555", raw=graph.media[ACCOUNT][0]))
    with pytest.raises(NotSupported):
        made.block_author(Target(comment["id"], raw=comment))


def test_a_source_without_a_token_cannot_be_made(httpserver: HTTPServer) -> None:
    with pytest.raises(AuthError, match="access token"):
        InstagramConnector({"account": ACCOUNT}, None)


def test_a_comments_webhook_change_becomes_a_comment() -> None:
    value = fixture("facebook_webhook.json")["instagram_comment"]["entry"][0]["changes"][0]
    draft = InstagramConnector.change_draft(value["value"], SourceRef(ACCOUNT, "andelsbanken"))
    assert draft is not None and draft.external_id == "17865799348089039"
    assert draft.root_id == "17895695668004550" and draft.parent_id == "17865799348080000"
    assert draft.author is not None and draft.author.handle == "kunde_k"
