"""Desks and SLA targets: an item on a desk is due in the desk's business hours, warned about
before, breached after, paused while pending, and met or missed when done."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lytter.domain.inbox import ItemAction, Priority
from lytter.domain.sla import SlaState
from lytter.domain.workspaces import BrandKind
from lytter.services import desks, inbox
from lytter.services.errors import Conflict, Forbidden, NotFound, UserError
from lytter.store import Store, open_store
from tests.bank import Bank, make_bank

# Posts of the bank are written on Monday 1 April 2024 (Easter Monday: closed) from 9:00 UTC.


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2024, 4, 2, 6, tzinfo=UTC))  # Tuesday 8:00 in Copenhagen


@pytest.fixture
def moving(db_url: str, clock: Clock) -> Store:
    store = open_store(db_url, clock=clock)
    yield store  # type: ignore[misc]
    store.close()


@pytest.fixture
def desk_bank(moving: Store) -> Bank:
    bank = make_bank(moving)
    brand = moving.ensure_brand(bank.workspace_id, "Banken", BrandKind.OWN)
    for source_id in (bank.aarhus, bank.odense):
        moving.set_source_brand(source_id, brand.id)
    inbox.gather(moving, bank.workspace_id)
    desks.add_desk(moving, bank.admin, "Kundeservice", "mon-fri 08:00-16:00")
    desks.set_sla(moving, bank.admin, "kundeservice", "normal", "2h", "8h", warn_before="30m")
    return bank


def aarhus_item(store: Store, bank: Bank) -> int:
    return next(i.id for i in store.inbox_items(bank.workspace_id) if i.thread == "1")


def test_an_item_on_a_desk_is_due_in_business_hours(
    moving: Store, desk_bank: Bank, clock: Clock
) -> None:
    item_id = aarhus_item(moving, desk_bank)
    assert (
        inbox.item_sla(moving, desk_bank.admin, inbox.get_item(moving, desk_bank.admin, item_id))
        is None
    )
    item = inbox.move(moving, desk_bank.admin, item_id, "Kundeservice", why="rule 1: netbank")
    sla = inbox.item_sla(moving, desk_bank.admin, item)
    assert sla is not None and sla.first_response is not None and sla.resolution is not None
    # Created on Easter Monday (closed): the clock starts Tuesday 8:00 local (6:00 UTC).
    assert sla.first_response.due == datetime(2024, 4, 2, 8, tzinfo=UTC)
    assert sla.resolution.due == datetime(2024, 4, 2, 14, tzinfo=UTC)
    assert sla.first_response.state == SlaState.RUNNING
    clock.now = datetime(2024, 4, 2, 7, 45, tzinfo=UTC)
    assert inbox.item_sla(moving, desk_bank.admin, item).first_response.state == SlaState.WARNING  # type: ignore[union-attr]
    clock.now = datetime(2024, 4, 2, 8, 1, tzinfo=UTC)
    sla = inbox.item_sla(moving, desk_bank.admin, item)
    assert sla is not None and sla.worst == SlaState.BREACHED
    events = inbox.item_view(moving, desk_bank.admin, item_id).events
    assert events[-1].details == {
        "from": None,
        "to": 1,
        "desk": "Kundeservice",
        "why": "rule 1: netbank",
    }


def test_pending_pauses_the_resolution_clock_and_resolving_meets_it(
    moving: Store, desk_bank: Bank, clock: Clock
) -> None:
    item_id = aarhus_item(moving, desk_bank)
    inbox.move(moving, desk_bank.admin, item_id, "Kundeservice")
    clock.now = datetime(2024, 4, 2, 7, tzinfo=UTC)  # 1 open hour used
    inbox.act(moving, desk_bank.admin, item_id, ItemAction.WAIT)
    clock.now = datetime(2024, 4, 3, 7, tzinfo=UTC)  # a day later, the customer answers
    paused = inbox.item_sla(
        moving, desk_bank.admin, inbox.get_item(moving, desk_bank.admin, item_id)
    )
    assert paused is not None and paused.resolution == inbox.SlaTarget(None, SlaState.PAUSED)
    item = inbox.act(moving, desk_bank.admin, item_id, ItemAction.OPEN)
    sla = inbox.item_sla(moving, desk_bank.admin, item)
    # 7 hours left from Wednesday 9:00 local: due 16:00 local (14:00 UTC).
    assert sla is not None and sla.resolution == inbox.SlaTarget(
        datetime(2024, 4, 3, 14, tzinfo=UTC), SlaState.RUNNING
    )
    clock.now = datetime(2024, 4, 3, 9, tzinfo=UTC)
    done = inbox.act(moving, desk_bank.admin, item_id, ItemAction.RESOLVE)
    assert inbox.item_sla(moving, desk_bank.admin, done).resolution == inbox.SlaTarget(
        None, SlaState.MET
    )  # type: ignore[union-attr]


def test_desks_are_set_up_by_admins_with_hours_members_and_targets(
    moving: Store, desk_bank: Bank
) -> None:
    desk = desks.set_members(moving, desk_bank.admin, "Kundeservice", ["jonas@banken.dk"])
    assert desk.members == (desk_bank.agent_user.id,)
    assert desks.set_hours(moving, desk_bank.admin, "kundeservice", "24/7").hours == "24/7"
    with pytest.raises(Conflict, match="already a desk called"):
        desks.add_desk(moving, desk_bank.admin, "kundeservice")
    with pytest.raises(UserError, match="not a time of day"):
        desks.add_desk(moving, desk_bank.admin, "Nat", "mon-fri 22:00-25:00")
    with pytest.raises(UserError, match="closes before it opens"):
        desks.add_desk(moving, desk_bank.admin, "Lukket", "mon 08:00-08:00; sat 10-10")
    with pytest.raises(UserError, match="not a duration"):
        desks.set_sla(moving, desk_bank.admin, "kundeservice", "high", "soon", None)
    with pytest.raises(NotFound, match="no desk 'salg'"):
        desks.set_sla(moving, desk_bank.admin, "salg", "high", "1h", None)
    with pytest.raises(Forbidden):
        desks.add_desk(moving, desk_bank.agent, "Mit bord")
    assert desks.policies(moving, desk_bank.admin)[
        (desk.id, Priority.NORMAL)
    ].first_response == timedelta(hours=2)


def test_the_roster_shows_each_members_shift_who_is_on_and_when_the_next_starts(
    moving: Store, desk_bank: Bank
) -> None:
    desks.add_desk(moving, desk_bank.admin, "Debat", "mon-fri 08:00-16:00")
    desks.set_members(moving, desk_bank.admin, "Debat", ["karen@banken.dk", "jonas@banken.dk"])
    desks.set_shift(moving, desk_bank.admin, "Debat", "jonas@banken.dk", "tue,thu 12:00-16:00")
    desks.add_absence(
        moving,
        desk_bank.admin,
        "karen@banken.dk",
        datetime(2024, 4, 1, 22, tzinfo=UTC),  # Tuesday 2 April, the whole day (Copenhagen)
        datetime(2024, 4, 2, 22, tzinfo=UTC),
        "kursus",
    )
    at = datetime(2024, 4, 2, 8, tzinfo=UTC)  # Tuesday 10:00
    lines = {line.user.email: line for line in desks.roster(moving, desk_bank.admin, "Debat", at)}
    karen, jonas = lines["karen@banken.dk"], lines["jonas@banken.dk"]
    assert not karen.own and karen.shift == "mon-fri 08:00-16:00" and not karen.on_now
    assert karen.away is not None and karen.away.note == "kursus"
    assert karen.next_start == datetime(2024, 4, 3, 6, tzinfo=UTC)  # Wednesday 08:00
    assert jonas.own and not jonas.on_now
    assert jonas.next_start == datetime(2024, 4, 2, 10, tzinfo=UTC)  # today 12:00
    later = datetime(2024, 4, 2, 11, tzinfo=UTC)
    assert [
        ln.user.email for ln in desks.roster(moving, desk_bank.admin, "Debat", later) if ln.on_now
    ] == ["jonas@banken.dk"]


def test_shifts_are_checked_and_kept_when_the_members_change(
    moving: Store, desk_bank: Bank
) -> None:
    desks.add_desk(moving, desk_bank.admin, "Debat", "mon-fri 08:00-16:00")
    desks.set_members(moving, desk_bank.admin, "Debat", ["karen@banken.dk"])
    with pytest.raises(UserError, match="not on the desk"):
        desks.set_shift(moving, desk_bank.admin, "Debat", "jonas@banken.dk", "mon 8-12")
    with pytest.raises(UserError, match="days are mon"):
        desks.set_shift(moving, desk_bank.admin, "Debat", "karen@banken.dk", "monday-ish 8-12")
    with pytest.raises(Forbidden):
        desks.set_shift(moving, desk_bank.agent, "Debat", "karen@banken.dk", "mon 8-12")
    desks.set_shift(moving, desk_bank.admin, "Debat", "karen@banken.dk", "mon 8-12")
    desk = desks.set_members(
        moving, desk_bank.admin, "Debat", ["karen@banken.dk", "jonas@banken.dk"]
    )
    assert desk.shift_of(desk_bank.admin.user.id) == "mon 8-12"  # type: ignore[union-attr]
    assert desk.shift_of(desk_bank.agent_user.id) == "mon-fri 08:00-16:00"
    desk = desks.set_shift(moving, desk_bank.admin, "Debat", "karen@banken.dk", None)
    assert desk.shifts == ()


def test_people_record_their_own_absence_and_admins_anyones(moving: Store, desk_bank: Bank) -> None:
    start, end = datetime(2024, 7, 1, tzinfo=UTC), datetime(2024, 7, 20, tzinfo=UTC)
    mine = desks.add_absence(moving, desk_bank.agent, "jonas@banken.dk", start, end, "sommerferie")
    with pytest.raises(Forbidden):
        desks.add_absence(moving, desk_bank.agent, "karen@banken.dk", start, end)
    with pytest.raises(UserError, match="ends after it starts"):
        desks.add_absence(moving, desk_bank.admin, "karen@banken.dk", end, start)
    assert [a.note for a in desks.absences(moving, desk_bank.viewer)] == ["sommerferie"]
    desks.remove_absence(moving, desk_bank.agent, mine.id)
    assert desks.absences(moving, desk_bank.admin) == []
    with pytest.raises(NotFound):
        desks.remove_absence(moving, desk_bank.agent, mine.id)


def test_a_list_reads_every_items_sla_at_once_and_agrees_with_one_by_one(
    moving: Store, desk_bank: Bank
) -> None:
    inbox.move(moving, desk_bank.admin, aarhus_item(moving, desk_bank), "Kundeservice")
    items = moving.inbox_items(desk_bank.workspace_id)
    assert len(items) == 3 and sum(i.desk_id is not None for i in items) == 1
    together = inbox.item_slas(moving, desk_bank.admin, items)
    assert together == [inbox.item_sla(moving, desk_bank.admin, i) for i in items]
    assert sum(s is not None for s in together) == 1
