"""Answering an item: through the page's connector to the platform, signed as the desk signs,
stored as a post of the conversation, from saved replies with variables, and never twice."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from lytter.domain.inbox import ItemState
from lytter.domain.replies import fill, first_name, signed, unknown_variables
from lytter.services import desks, inbox, replies
from lytter.services.errors import Conflict, Forbidden, NotFound, PlatformRefused, UserError
from lytter.store import Store
from tests.page import ConnectedPage, connect_page


@pytest.fixture
def page(
    store: Store, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> ConnectedPage:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LYTTER_KEY_FILE", str(tmp_path / "secret.key"))
    return connect_page(store, httpserver)


def test_variables_fill_in_and_unknown_ones_are_named() -> None:
    values = {"author": "Mette Hansen", "page": "Banken Aarhus", "agent": None}
    assert fill("Hej {author}, tak for din besked til {page}.", values) == (
        "Hej Mette Hansen, tak for din besked til Banken Aarhus."
    )
    assert fill("Hej {agent}, tak", values) == "Hej, tak"  # a missing value leaves no gap
    assert unknown_variables("Hej {forfatter} og {author}") == ["forfatter"]
    assert signed("Vi ser på det.", "/{agent}", {"agent": "Jonas"}) == "Vi ser på det.\n/Jonas"
    assert signed("Vi ser på det.\n/Jonas", "/{agent}", {"agent": "Jonas"}).count("/Jonas") == 1
    assert first_name("Jonas Berg") == "Jonas"
    assert first_name("", "anne-marie.lund@banken.dk") == "Anne"


def test_a_reply_goes_to_the_platform_and_answers_the_item(page: ConnectedPage) -> None:
    store = page.store
    item = inbox.get_item(store, page.agent, page.item_id)
    assert item.state == ItemState.NEW and item.waiting_since is not None

    sent = replies.send(
        store, page.agent, item.id, "Hej, vi kigger på det nu.", seen_version=item.version
    )

    method, path, form = page.graph.actions[-1]
    question = store.get_post(page.workspace_id, page.question_id)
    assert question is not None
    assert (method, path) == ("POST", f"{question.external_id}/comments")
    assert form["message"] == "Hej, vi kigger på det nu."
    # stored as the page's post in the conversation, which answers the item
    assert sent.post.external_id.endswith(str(8_000_000_001))
    assert sent.post.parent_id == question.external_id
    assert sent.post.author_name == "Banken Aarhus"
    thread = store.thread(page.workspace_id, question)
    assert [p.id for p in thread][-1] == sent.post.id
    assert sent.item.waiting_since is None
    assert sent.item.first_response_at is not None
    kinds = [(e.kind, e.actor) for e in store.item_events(item.id)]
    assert ("answered", "system") in kinds and ("replied", "jonas@banken.dk") in kinds


def test_the_desk_signs_with_one_voice_or_the_persons_first_name(page: ConnectedPage) -> None:
    store = page.store
    desk = desks.add_desk(store, page.admin, "Kundeservice", "24/7")
    inbox.move(store, page.admin, page.item_id, "Kundeservice")
    desks.set_signature(store, page.admin, "Kundeservice", "/{agent}, {desk}")
    sent = replies.send(store, page.agent, page.item_id, "Det er rettet nu.")
    assert sent.text == "Det er rettet nu.\n/Jonas, Kundeservice"
    assert page.graph.actions[-1][2]["message"] == sent.text
    desks.set_signature(store, page.admin, str(desk.id), "/Banken")
    assert replies.send(store, page.agent, page.item_id, "Tak!").text == "Tak!\n/Banken"
    with pytest.raises(UserError, match="unknown variable"):
        desks.set_signature(store, page.admin, "Kundeservice", "/{navn}")


def test_saved_replies_in_danish_and_english_fill_in_the_conversation(
    page: ConnectedPage,
) -> None:
    store = page.store
    replies.save_reply(store, page.admin, "nede", "Hej {author}. Vi arbejder på det. /{agent}")
    replies.save_reply(
        store, page.admin, "nede", "Hi {author}. We are on it. /{agent}", language="en"
    )
    assert replies.compose(store, page.agent, page.item_id, "nede") == (
        "Hej Mette Hansen. Vi arbejder på det. /Jonas"
    )
    assert replies.compose(store, page.agent, page.item_id, "NEDE", "en").startswith("Hi Mette")
    with pytest.raises(UserError, match=r"unknown variable \{navn\}"):
        replies.save_reply(store, page.admin, "x", "Hej {navn}")
    with pytest.raises(Forbidden):
        replies.save_reply(store, page.agent, "x", "Hej")
    with pytest.raises(NotFound):
        replies.compose(store, page.agent, page.item_id, "findes-ikke")
    assert replies.remove_reply(store, page.admin, "nede") == 2


def test_two_people_never_answer_the_same_comment_twice(page: ConnectedPage) -> None:
    store = page.store
    opened = inbox.get_item(store, page.agent, page.item_id)
    assert replies.presence(store, page.agent, opened.id) == []
    others = replies.presence(store, page.other, opened.id, composing=True)
    assert [v.email for v in others] == ["jonas@banken.dk"]
    seen_by_jonas = replies.presence(store, page.agent, opened.id)
    assert [(v.email, v.composing) for v in seen_by_jonas] == [("ida@banken.dk", True)]

    replies.send(store, page.other, opened.id, "Ida svarer", seen_version=opened.version)
    before = len(page.graph.actions)
    with pytest.raises(Conflict, match="changed since you opened it"):
        replies.send(store, page.agent, opened.id, "Jonas svarer", seen_version=opened.version)
    assert len(page.graph.actions) == before  # nothing went to the platform


def test_a_refusing_platform_stores_nothing_and_says_why(page: ConnectedPage) -> None:
    store = page.store
    page.graph.failures.append(
        (
            400,
            {"error": {"message": "(#10) Permission denied", "type": "OAuthException", "code": 10}},
        )
    )
    posts_before = len(
        store.thread(page.workspace_id, store.get_post(page.workspace_id, page.question_id))
    )  # type: ignore[arg-type]
    with pytest.raises(PlatformRefused, match="facebook did not take the reply"):
        replies.send(store, page.agent, page.item_id, "Hej")
    question = store.get_post(page.workspace_id, page.question_id)
    assert question is not None
    assert len(store.thread(page.workspace_id, question)) == posts_before
    assert inbox.get_item(store, page.agent, page.item_id).waiting_since is not None


def test_an_empty_reply_is_refused_before_the_platform_is_asked(
    page: ConnectedPage, store: Store
) -> None:
    with pytest.raises(UserError, match="needs some text"):
        replies.send(store, page.agent, page.item_id, "   ")
    assert page.graph.actions == []
