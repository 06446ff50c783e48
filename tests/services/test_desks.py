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
