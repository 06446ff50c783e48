"""Watching SLA clocks on a frozen, moving clock: a warning before the breach, the breach as an
event, escalation to the desk's managers by e-mail, each once; pending items are not watched."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from lytter.domain.inbox import ItemAction, Priority
from lytter.domain.workspaces import BrandKind
from lytter.services import desks, inbox, sla_watch
from lytter.services.mail import Mailer
from lytter.store import Store, open_store
from tests.bank import Bank, make_bank
from tests.page import Outbox, smtp_server
from tests.services.test_desks import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2024, 4, 2, 6, tzinfo=UTC))  # Tuesday 8:00 in Copenhagen


@pytest.fixture
def moving(db_url: str, clock: Clock) -> Iterator[Store]:
    store = open_store(db_url, clock=clock)
    yield store
    store.close()


@pytest.fixture
def outbox() -> Iterator[Outbox]:
    with smtp_server() as received:
        yield received


@pytest.fixture
def desk_bank(moving: Store) -> Bank:
    """The bank's items on a desk open 8-16 that promises a first answer in 2h (warned 30m
    before) and a resolution in 8h; Aarhus' thread waits, Odense's are on the desk too."""
    bank = make_bank(moving)
    brand = moving.ensure_brand(bank.workspace_id, "Banken", BrandKind.OWN)
    for source_id in (bank.aarhus, bank.odense):
        moving.set_source_brand(source_id, brand.id)
    inbox.gather(moving, bank.workspace_id)
    desks.add_desk(moving, bank.admin, "Kundeservice", "mon-fri 08:00-16:00")
    desks.set_sla(moving, bank.admin, "kundeservice", "normal", "2h", "8h", warn_before="30m")
    for item in moving.inbox_items(bank.workspace_id):
        inbox.move(moving, bank.admin, item.id, "Kundeservice")
    return bank


def kinds(store: Store, item_id: int) -> list[str]:
    return [e.kind for e in store.item_events(item_id) if e.kind.startswith(("sla", "esc"))]


def test_warn_then_breach_then_escalate_each_once(
    moving: Store, desk_bank: Bank, clock: Clock, outbox: Outbox
) -> None:
    mailer = Mailer(outbox.host, outbox.port, sender="lytter@banken.dk")
    items = moving.inbox_items(desk_bank.workspace_id)
    assert len(items) == 3
    report = sla_watch.watch(moving, desk_bank.admin, mailer=mailer)
    assert (report.warned, report.breached) == ([], [])

    clock.now = datetime(2024, 4, 2, 7, 45, tzinfo=UTC)  # 15 minutes before the first answer
    report = sla_watch.watch(moving, desk_bank.admin, mailer=mailer)
    assert sorted(report.warned) == sorted(i.id for i in items)
    assert sla_watch.watch(moving, desk_bank.admin, mailer=mailer).warned == []  # once

    clock.now = datetime(2024, 4, 2, 8, 1, tzinfo=UTC)  # breached
    report = sla_watch.watch(moving, desk_bank.admin, mailer=mailer)
    assert len(report.breached) == 3 and len(report.escalated) == 3
    item = inbox.get_item(moving, desk_bank.admin, items[0].id)
    assert item.priority == Priority.HIGH
    assert kinds(moving, item.id) == ["sla_warning", "sla_breached", "escalated"]
    breach = next(e for e in moving.item_events(item.id) if e.kind == "sla_breached")
    assert breach.details == {
        "target": "first_response",
        "due": "2024-04-02T08:00:00+00:00",
        "priority": "high",
    }
    # the desk has no manager among its members: the workspace's admin is told
    assert {to for _, rcpt, _ in outbox.messages for to in rcpt} == {"karen@banken.dk"}
    assert all("Overskredet svarfrist: sag" in text for _, _, text in outbox.messages)
    assert sla_watch.watch(moving, desk_bank.admin, mailer=mailer).breached == []
    assert len(outbox.messages) == 3


def test_a_pending_item_is_not_watched_and_a_desk_manager_is_told_first(
    moving: Store, desk_bank: Bank, clock: Clock, outbox: Outbox
) -> None:
    from lytter.domain.users import Role
    from lytter.services import users

    mailer = Mailer(outbox.host, outbox.port)
    users.add_user(
        moving,
        desk_bank.admin,
        email="lone@banken.dk",
        name="Lone",
        role=Role.MANAGER,
        password="rødgrød med fløde",
    )
    desks.set_members(moving, desk_bank.admin, "Kundeservice", ["lone@banken.dk"])
    waiting, *others = moving.inbox_items(desk_bank.workspace_id)
    inbox.act(moving, desk_bank.admin, waiting.id, ItemAction.WAIT)
    clock.now = datetime(2024, 4, 2, 8, 1, tzinfo=UTC)
    report = sla_watch.watch(moving, desk_bank.admin, mailer=mailer)
    assert waiting.id not in report.breached
    assert sorted(report.breached) == sorted(i.id for i in others)
    assert {to for _, rcpt, _ in outbox.messages for to in rcpt} == {"lone@banken.dk"}
