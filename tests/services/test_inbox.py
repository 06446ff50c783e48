"""The inbox: customers' posts on own pages become items per thread, the page's replies
answer them, and people move them through their states with a history of who did what."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lytter.domain.inbox import ItemAction, ItemState
from lytter.domain.posts import AuthorRef, PostFilter, SourceRef
from lytter.domain.workspaces import BrandKind
from lytter.services import inbox
from lytter.services.errors import Conflict, Forbidden, NotFound, UserError
from lytter.store import Store
from tests.bank import Bank
from tests.conftest import FROZEN
from tests.helpers import T0, draft


@pytest.fixture
def own(store: Store, bank: Bank) -> Bank:
    """The bank's pages belong to its own brand; a competitor's page has posts too."""
    brand = store.ensure_brand(bank.workspace_id, "Banken", BrandKind.OWN)
    for source_id in (bank.aarhus, bank.odense):
        store.set_source_brand(source_id, brand.id)
    rival = store.ensure_brand(bank.workspace_id, "Rivalen", BrandKind.COMPETITOR)
    store.save_posts(
        bank.workspace_id, [draft("90", "Rivalen er nede", source=SourceRef("rival", "Rivalen"))]
    )
    store.set_source_brand(
        next(s.id for s in store.list_sources(bank.workspace_id) if s.external_id == "rival"),
        rival.id,
    )
    return bank


def thread_of(store: Store, bank: Bank, root: str) -> int:
    found = [i for i in store.inbox_items(bank.workspace_id) if i.thread == root]
    assert len(found) == 1
    return found[0].id


def test_customers_posts_on_own_pages_become_items_per_thread(store: Store, own: Bank) -> None:
    assert inbox.gather(store, own.workspace_id) == 3  # threads 1 (Aarhus), 3 and 4 (Odense)
    items = inbox.items(store, own.admin)
    assert sorted(i.thread for i in items) == ["1", "3", "4"]
    # Post 2 ("Vi kigger på det nu") was written by a customer in thread 1: still waiting.
    first = store.inbox_item(own.workspace_id, thread_of(store, own, "1"))
    assert first is not None and first.state == ItemState.NEW and first.posts == 2
    assert first.waiting_since == T0 + timedelta(minutes=1)
    # Nothing new: gathering again changes nothing; the competitor's page makes no item.
    assert inbox.gather(store, own.workspace_id) == 0
    assert store.inbox_progress(own.workspace_id) == store.last_post_id(own.workspace_id)


def test_the_pages_reply_answers_and_a_new_comment_reopens(store: Store, own: Bank) -> None:
    inbox.gather(store, own.workspace_id)
    item_id = thread_of(store, own, "3")
    store.save_posts(
        own.workspace_id,
        [
            draft(
                "10",
                "Beklager køen",
                author=AuthorRef("odense"),
                source=SourceRef("odense", "Banken Odense"),
                root_id="3",
                parent_id="3",
            )
        ],
    )
    inbox.gather(store, own.workspace_id)
    item = inbox.get_item(store, own.admin, item_id)
    assert item.waiting_since is None and item.first_response_at == T0 + timedelta(minutes=10)
    inbox.act(store, own.admin, item_id, ItemAction.RESOLVE)
    store.save_posts(
        own.workspace_id,
        [
            draft(
                "11",
                "Stadig kø!",
                source=SourceRef("odense", "Banken Odense"),
                root_id="3",
                parent_id="10",
            )
        ],
    )
    inbox.gather(store, own.workspace_id)
    item = inbox.get_item(store, own.admin, item_id)
    assert item.state == ItemState.OPEN and item.resolved_at is None
    assert item.waiting_since == T0 + timedelta(minutes=11)
    assert item.first_response_at == T0 + timedelta(minutes=10)  # the first one stays
    kinds = [e.kind for e in inbox.item_view(store, own.admin, item_id).events]
    assert kinds == ["created", "answered", "state", "reopened"]


def test_states_follow_the_allowed_actions_with_a_history(store: Store, own: Bank) -> None:
    inbox.gather(store, own.workspace_id)
    item_id = thread_of(store, own, "1")
    assert inbox.act(store, own.agent, item_id, ItemAction.OPEN).state == ItemState.OPEN
    assert inbox.act(store, own.agent, item_id, ItemAction.WAIT).state == ItemState.PENDING
    with pytest.raises(UserError, match="an item that is pending cannot reopen"):
        inbox.act(store, own.agent, item_id, ItemAction.REOPEN)
    with pytest.raises(UserError, match="a time in the future"):
        inbox.act(store, own.agent, item_id, ItemAction.SNOOZE, until=FROZEN - timedelta(hours=1))
    snoozed = inbox.act(
        store, own.agent, item_id, ItemAction.SNOOZE, until=FROZEN + timedelta(days=1)
    )
    assert snoozed.state == ItemState.SNOOZED and snoozed.snoozed_until == FROZEN + timedelta(
        days=1
    )
    resolved = inbox.act(store, own.agent, item_id, ItemAction.RESOLVE)
    assert resolved.resolved_at == FROZEN and resolved.snoozed_until is None
    view = inbox.item_view(store, own.agent, item_id)
    states = [(e.actor, e.details["to"]) for e in view.events if e.kind == "state"]
    assert states == [("jonas@banken.dk", s) for s in ("open", "pending", "snoozed", "resolved")]
    assert [p.external_id for p in view.thread] == ["1", "2"]


def test_assigning_notes_tags_and_priority(store: Store, own: Bank) -> None:
    inbox.gather(store, own.workspace_id)
    aarhus_item, odense_item = thread_of(store, own, "1"), thread_of(store, own, "3")
    assert (
        inbox.assign(store, own.admin, aarhus_item, "jonas@banken.dk").assignee_id
        == own.agent_user.id
    )
    with pytest.raises(UserError, match="no access to this item's page"):
        inbox.assign(store, own.admin, odense_item, "jonas@banken.dk")
    with pytest.raises(UserError, match="viewer"):
        inbox.assign(store, own.admin, aarhus_item, "sofie@banken.dk")
    assert inbox.items(store, own.agent, mine=True)[0].id == aarhus_item
    inbox.note(store, own.agent, aarhus_item, "Ringede til kunden")
    inbox.tag(store, own.agent, aarhus_item, ("netbank", "nedbrud"))
    assert inbox.set_priority(store, own.agent, aarhus_item, "HIGH").priority == "high"
    item = inbox.tag(store, own.agent, aarhus_item, ("netbank",), remove=("nedbrud",))
    assert item.tags == ("netbank",)
    notes = [
        e.details["text"]
        for e in inbox.item_view(store, own.agent, aarhus_item).events
        if e.kind == "note"
    ]
    assert notes == ["Ringede til kunden"]
    with pytest.raises(UserError, match="unknown priority"):
        inbox.set_priority(store, own.agent, aarhus_item, "asap")


def test_two_people_never_act_on_a_changed_item_unseen(store: Store, own: Bank) -> None:
    inbox.gather(store, own.workspace_id)
    item_id = thread_of(store, own, "1")
    seen = inbox.get_item(store, own.agent, item_id).version
    inbox.note(store, own.admin, item_id, "Jeg tager den")  # someone else, meanwhile
    with pytest.raises(Conflict, match="changed since you opened it"):
        inbox.act(store, own.agent, item_id, ItemAction.RESOLVE, seen_version=seen)
    assert inbox.get_item(store, own.agent, item_id).state == ItemState.NEW
    fresh = inbox.get_item(store, own.agent, item_id).version
    resolved = inbox.act(store, own.agent, item_id, ItemAction.RESOLVE, seen_version=fresh)
    assert resolved.state == ItemState.RESOLVED and resolved.version == fresh + 1


def test_pages_limit_who_sees_and_acts_and_any_post_can_be_flagged(store: Store, own: Bank) -> None:
    inbox.gather(store, own.workspace_id)
    assert [i.thread for i in inbox.items(store, own.agent)] == ["1"]  # Aarhus only
    with pytest.raises(NotFound):
        inbox.get_item(store, own.agent, thread_of(store, own, "3"))
    with pytest.raises(Forbidden):
        inbox.act(store, own.viewer, thread_of(store, own, "1"), ItemAction.OPEN)
    rival = next(
        p.id
        for p in store.find_posts(PostFilter(workspace_id=own.workspace_id))
        if p.external_id == "90"
    )
    with pytest.raises(NotFound):
        inbox.flag(store, own.agent, rival)
    flagged = inbox.flag(store, own.admin, rival)
    assert flagged.flagged and flagged.thread == "90" and flagged.state == ItemState.NEW
    assert [e.actor for e in store.item_events(flagged.id)] == ["karen@banken.dk"]
