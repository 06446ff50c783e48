"""Routing rules: new items go where the first matching rule says, with the reason in their
history; members on shift take turns; a dry run shows what a new rule would have done."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from lytter.domain.posts import SourceRef
from lytter.domain.workspaces import BrandKind
from lytter.querylang import QueryError
from lytter.services import desks, inbox, queries, routing
from lytter.services.errors import Forbidden, NotFound, UserError
from lytter.services.routing import RuleDraft
from lytter.store import Store, open_store
from tests.bank import Bank, make_bank
from tests.helpers import draft


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2024, 4, 2, 8, tzinfo=UTC))  # Tuesday 10:00 in Copenhagen


@pytest.fixture
def store_(db_url: str, clock: Clock) -> Iterator[Store]:
    store = open_store(db_url, clock=clock)
    yield store
    store.close()


@pytest.fixture
def bank(store_: Store) -> Bank:
    """The bank with its pages as its own brand, two desks and a saved query; no items yet."""
    bank = make_bank(store_)
    brand = store_.ensure_brand(bank.workspace_id, "Banken", BrandKind.OWN)
    for source_id in (bank.aarhus, bank.odense):
        store_.set_source_brand(source_id, brand.id)
    desks.add_desk(store_, bank.admin, "Netbank", "mon-fri 08:00-16:00")
    desks.add_desk(store_, bank.admin, "Filialer", "24/7")
    queries.add_query(store_, bank.admin, name="Nedbrud", text="nede OR (virker~ NEAR/1 ikke)")
    return bank


def items_by_thread(store: Store, bank: Bank) -> dict[str, object]:
    return {i.thread: i for i in store.inbox_items(bank.workspace_id)}


def test_the_first_matching_rule_routes_a_new_item_and_says_why(store_: Store, bank: Bank) -> None:
    routing.add_rule(
        store_,
        bank.admin,
        RuleDraft("Netbank", keywords="netbank*", desk="Netbank", priority="high"),
    )
    routing.add_rule(
        store_,
        bank.admin,
        RuleDraft("Odense", pages=("odense",), desk="Filialer", tags=("filial",)),
    )
    inbox.gather(store_, bank.workspace_id)
    found = items_by_thread(store_, bank)
    netbank_desk, branch_desk = (
        d.id
        for d in sorted(desks.list_desks(store_, bank.admin), key=lambda d: d.name != "Netbank")
    )
    # Thread 4 ("Netbanken virker ikke i Odense") fits both: the first rule wins.
    assert found["4"].desk_id == netbank_desk and found["4"].priority == "high"  # type: ignore[attr-defined]
    assert found["3"].desk_id == branch_desk and found["3"].tags == ("filial",)  # type: ignore[attr-defined]
    assert found["1"].desk_id == netbank_desk  # type: ignore[attr-defined]
    routed = [e for e in store_.item_events(found["3"].id) if e.kind == "routed"]  # type: ignore[attr-defined]
    assert routed[0].details["why"] == "rule 2 'Odense': page Banken Odense"
    why = next(e for e in store_.item_events(found["4"].id) if e.kind == "routed").details["why"]  # type: ignore[attr-defined]
    assert why == "rule 1 'Netbank': words netbank*"


def test_conditions_on_queries_tone_and_time(store_: Store, bank: Bank, clock: Clock) -> None:
    routing.add_rule(
        store_, bank.admin, RuleDraft("Weekend", hours="sat-sun 00:00-24:00", desk="Filialer")
    )
    routing.add_rule(store_, bank.admin, RuleDraft("Nedbrud", queries=("Nedbrud",), desk="Netbank"))
    queries.match_new_posts(store_, bank.workspace_id)
    inbox.gather(store_, bank.workspace_id)
    found = items_by_thread(store_, bank)
    # Posts came in on a Monday: not the weekend rule. "nede" and "virker ikke" match the query.
    assert {t for t, i in found.items() if i.desk_id is not None} == {"1", "4"}  # type: ignore[attr-defined]
    why = next(e for e in store_.item_events(found["1"].id) if e.kind == "routed").details["why"]  # type: ignore[attr-defined]
    assert why == "rule 2 'Nedbrud': matches query 'Nedbrud'"


def test_members_on_shift_take_turns_and_least_loaded_gets_the_next(
    store_: Store, bank: Bank, clock: Clock
) -> None:
    desks.set_members(store_, bank.admin, "Filialer", ["karen@banken.dk", "jonas@banken.dk"])
    routing.add_rule(store_, bank.admin, RuleDraft("Alle", desk="Filialer", assign="round_robin"))
    inbox.gather(store_, bank.workspace_id)
    assignees = [
        i.assignee_id for i in sorted(store_.inbox_items(bank.workspace_id), key=lambda i: i.id)
    ]
    members = sorted([bank.admin.user.id, bank.agent_user.id])  # type: ignore[union-attr]
    assert assignees == [members[0], members[1], members[0]]
    routing.delete_rule(store_, bank.admin, "Alle")
    routing.add_rule(
        store_, bank.admin, RuleDraft("Mindst", desk="Filialer", assign="least_loaded")
    )
    store_.save_posts(
        bank.workspace_id, [draft("20", "Ny kø", source=SourceRef("odense", "Banken Odense"))]
    )
    inbox.gather(store_, bank.workspace_id)
    newest = max(store_.inbox_items(bank.workspace_id), key=lambda i: i.id)
    assert newest.assignee_id == members[1]  # one open item against two


def test_a_closed_desk_keeps_its_item_unassigned_until_a_shift(
    store_: Store, bank: Bank, clock: Clock
) -> None:
    desks.set_members(store_, bank.admin, "Netbank", ["jonas@banken.dk"])
    clock.now = datetime(2024, 4, 2, 20, tzinfo=UTC)  # 22:00 in Copenhagen: closed
    routing.add_rule(store_, bank.admin, RuleDraft("Alle", desk="Netbank", assign="round_robin"))
    inbox.gather(store_, bank.workspace_id)
    assert {i.assignee_id for i in store_.inbox_items(bank.workspace_id)} == {None}


def test_a_dry_run_shows_what_a_new_rule_would_have_done(store_: Store, bank: Bank) -> None:
    routing.add_rule(store_, bank.admin, RuleDraft("Aarhus", pages=("aarhus",), desk="Filialer"))
    inbox.gather(store_, bank.workspace_id)
    trial = routing.dry_run(
        store_, bank.admin, RuleDraft("Netbank", keywords="netbank*", desk="Netbank"), position=1
    )
    taken = sorted(i.thread for i, d in trial.decisions if d.rule is trial.rule)
    assert taken == ["1", "4"] and trial.taken == 2
    assert [r.name for r in routing.list_rules(store_, bank.admin)] == ["Aarhus"]  # nothing saved
    later = routing.dry_run(
        store_, bank.admin, RuleDraft("Netbank", keywords="netbank*", desk="Netbank")
    )
    assert sorted(i.thread for i, d in later.decisions if d.rule is later.rule) == ["4"]


def test_rules_are_checked_and_kept_by_admins(store_: Store, bank: Bank) -> None:
    with pytest.raises(QueryError):
        routing.add_rule(store_, bank.admin, RuleDraft("x", keywords="netbank and", desk="Netbank"))
    with pytest.raises(NotFound, match="no desk 'salg'"):
        routing.add_rule(store_, bank.admin, RuleDraft("x", desk="salg"))
    with pytest.raises(UserError, match="among the members of the rule's desk"):
        routing.add_rule(store_, bank.admin, RuleDraft("x", assign="round_robin"))
    with pytest.raises(UserError, match="must do something"):
        routing.add_rule(store_, bank.admin, RuleDraft("x", pages=("aarhus",)))
    with pytest.raises(UserError, match="unknown sentiment 'vred'"):
        routing.add_rule(store_, bank.admin, RuleDraft("x", sentiments=("vred",), desk="Netbank"))
    with pytest.raises(Forbidden):
        routing.add_rule(store_, bank.agent, RuleDraft("x", desk="Netbank"))
    first = routing.add_rule(store_, bank.admin, RuleDraft("A", desk="Netbank"))
    routing.add_rule(store_, bank.admin, RuleDraft("B", desk="Netbank"), position=1)
    assert [(r.name, r.position) for r in routing.list_rules(store_, bank.admin)] == [
        ("B", 1),
        ("A", 2),
    ]
    assert not routing.enable_rule(store_, bank.admin, str(first.id), False).enabled
    routing.delete_rule(store_, bank.admin, "B")
    assert [(r.name, r.position) for r in routing.list_rules(store_, bank.admin)] == [("A", 1)]


def test_each_member_works_their_own_shift_and_the_item_goes_to_who_is_on(
    store_: Store, bank: Bank, clock: Clock
) -> None:
    desks.set_members(store_, bank.admin, "Filialer", ["karen@banken.dk", "jonas@banken.dk"])
    desks.set_shift(store_, bank.admin, "Filialer", "karen@banken.dk", "mon-fri 08:00-12:00")
    desks.set_shift(store_, bank.admin, "Filialer", "jonas@banken.dk", "mon-fri 12:00-16:00")
    routing.add_rule(store_, bank.admin, RuleDraft("Alle", desk="Filialer", assign="round_robin"))
    inbox.gather(store_, bank.workspace_id)  # Tuesday 10:00: Karen's shift
    assert {i.assignee_id for i in store_.inbox_items(bank.workspace_id)} == {
        bank.admin.user.id  # type: ignore[union-attr]
    }
    clock.now = datetime(2024, 4, 2, 11, tzinfo=UTC)  # 13:00: Jonas's
    store_.save_posts(
        bank.workspace_id, [draft("20", "Ny kø", source=SourceRef("odense", "Banken Odense"))]
    )
    inbox.gather(store_, bank.workspace_id)
    newest = max(store_.inbox_items(bank.workspace_id), key=lambda i: i.id)
    assert newest.assignee_id == bank.agent_user.id


def test_someone_away_gets_nothing_and_with_everyone_away_the_item_waits(
    store_: Store, bank: Bank, clock: Clock
) -> None:
    desks.set_members(store_, bank.admin, "Filialer", ["karen@banken.dk", "jonas@banken.dk"])
    desks.add_absence(
        store_,
        bank.agent,
        "jonas@banken.dk",
        datetime(2024, 4, 1, 22, tzinfo=UTC),
        datetime(2024, 4, 5, 22, tzinfo=UTC),
        "ferie",
    )
    routing.add_rule(store_, bank.admin, RuleDraft("Alle", desk="Filialer", assign="least_loaded"))
    inbox.gather(store_, bank.workspace_id)
    assert {i.assignee_id for i in store_.inbox_items(bank.workspace_id)} == {
        bank.admin.user.id  # type: ignore[union-attr]
    }
    desks.add_absence(
        store_,
        bank.admin,
        "karen@banken.dk",
        datetime(2024, 4, 2, 9, tzinfo=UTC),
        datetime(2024, 4, 2, 10, tzinfo=UTC),
    )
    clock.now = datetime(2024, 4, 2, 9, 30, tzinfo=UTC)
    store_.save_posts(
        bank.workspace_id, [draft("20", "Ny kø", source=SourceRef("odense", "Banken Odense"))]
    )
    inbox.gather(store_, bank.workspace_id)
    newest = max(store_.inbox_items(bank.workspace_id), key=lambda i: i.id)
    assert newest.assignee_id is None and newest.desk_id is not None


def test_least_loaded_spreads_one_batch_of_new_items_over_the_members(
    store_: Store, bank: Bank
) -> None:
    desks.set_members(store_, bank.admin, "Filialer", ["karen@banken.dk", "jonas@banken.dk"])
    routing.add_rule(store_, bank.admin, RuleDraft("Alle", desk="Filialer", assign="least_loaded"))
    inbox.gather(store_, bank.workspace_id)  # three new items routed in one go
    assignees = sorted(i.assignee_id or 0 for i in store_.inbox_items(bank.workspace_id))
    members = sorted([bank.admin.user.id, bank.agent_user.id])  # type: ignore[union-attr]
    assert assignees in ([members[0], members[0], members[1]], [members[0], members[1], members[1]])


def test_rules_move_in_the_order_and_read_by_name(store_: Store, bank: Bank) -> None:
    for name in ("A", "B", "C"):
        routing.add_rule(store_, bank.admin, RuleDraft(name, desk="Netbank", pages=("aarhus",)))
    routing.move_rule(store_, bank.admin, "C", 1)
    assert [(r.name, r.position) for r in routing.list_rules(store_, bank.admin)] == [
        ("C", 1),
        ("A", 2),
        ("B", 3),
    ]
    routing.move_rule(store_, bank.admin, "C", 99)  # past the end: last
    assert [r.name for r in routing.list_rules(store_, bank.admin)] == ["A", "B", "C"]
    with pytest.raises(Forbidden):
        routing.move_rule(store_, bank.agent, "A", 2)
    labels = routing.Labels.of(store_, bank.workspace_id)
    rule = routing.list_rules(store_, bank.admin)[0]
    assert routing.as_dict(rule, labels)["when"] == {"pages": ["Banken Aarhus"]}
    assert routing.wording(rule, labels) == ("pages Banken Aarhus", "desk Netbank")
