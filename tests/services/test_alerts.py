"""Alerts on a frozen clock: one incident is one alert however often it is checked, it closes
when the incident is over, a page's alert reaches only those who see the page, and new alerts
reach their subscribers once, by a real SMTP server and a real webhook receiver on 127.0.0.1
that checks the HMAC signature."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from lytter.app import create_app
from lytter.cli.main import app
from lytter.domain.alerts import SIGNATURE_HEADER, TIMESTAMP_HEADER, AlertKind, verify
from lytter.domain.inbox import ItemAction
from lytter.domain.posts import AuthorRef, SourceRef
from lytter.domain.workspaces import BrandKind
from lytter.services import alerts, auth, desks, goals, inbox
from lytter.services.errors import UserError
from lytter.services.mail import Mailer
from lytter.store import Store, open_store
from tests.bank import Bank, make_bank
from tests.helpers import T0, Clock, draft
from tests.page import smtp_server

NOW = datetime(2024, 4, 30, 10, tzinfo=UTC)
AARHUS = SourceRef("aarhus", "Banken Aarhus")


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def frozen(db_url: str, clock: Clock) -> Iterator[Store]:
    store = open_store(db_url, clock=clock)
    yield store
    store.close()


@pytest.fixture
def bank(frozen: Store) -> Bank:
    """The bank's two pages are its own and have never posted themselves: both dormant."""
    bank = make_bank(frozen)
    own = frozen.ensure_brand(bank.workspace_id, "Banken", BrandKind.OWN)
    for source_id in (bank.aarhus, bank.odense):
        frozen.set_source_brand(source_id, own.id)
    return bank


def dormant(store: Store, bank: Bank) -> alerts.CheckReport:
    return alerts.check(store, bank.workspace_id, kinds=[AlertKind.DORMANT_PAGE])


def test_one_incident_is_one_alert_until_it_is_over(
    frozen: Store, bank: Bank, clock: Clock
) -> None:
    first = dormant(frozen, bank)
    assert sorted(a.key for a in first.opened) == [
        f"dormant-page:{bank.aarhus}",
        f"dormant-page:{bank.odense}",
    ]
    assert "Banken Aarhus (facebook) has never posted (dormant after 14)" in {
        a.title for a in first.opened
    }
    clock.now += timedelta(hours=1)
    again = dormant(frozen, bank)
    assert again.opened == [] and again.closed == []
    aarhus_posts = draft(
        "own", "Nyt fra filialen", created_at=clock.now, source=AARHUS, author=AuthorRef("aarhus")
    )
    frozen.save_posts(bank.workspace_id, [aarhus_posts])
    over = dormant(frozen, bank)
    assert over.opened == [] and [a.key for a in over.closed] == [f"dormant-page:{bank.aarhus}"]
    assert len(frozen.list_alerts(bank.workspace_id, open_only=True)) == 1
    assert len(frozen.list_alerts(bank.workspace_id)) == 2


def test_a_page_s_alert_reaches_only_those_who_see_the_page(frozen: Store, bank: Bank) -> None:
    dormant(frozen, bank)
    seen = {s.alert.source_id for s in alerts.inbox(frozen, bank.agent)}
    assert seen == {bank.aarhus}
    assert {s.alert.source_id for s in alerts.inbox(frozen, bank.viewer)} == {
        bank.aarhus,
        bank.odense,
    }
    assert alerts.mark_read(frozen, bank.agent) == 1
    assert all(s.read for s in alerts.inbox(frozen, bank.agent))
    assert not any(s.read for s in alerts.inbox(frozen, bank.viewer))
    odense = next(
        s.alert.id for s in alerts.inbox(frozen, bank.admin) if s.alert.source_id == bank.odense
    )
    with pytest.raises(UserError):
        alerts.mark_read(frozen, bank.agent, [odense])


def test_new_alerts_are_mailed_once_to_each_subscriber(frozen: Store, bank: Bank) -> None:
    alerts.subscribe(frozen, bank.admin, "email")
    alerts.subscribe(frozen, bank.agent, "email", kinds="dormant-page")
    alerts.subscribe(frozen, bank.viewer, "email", kinds=["goal-at-risk"])
    with smtp_server() as received:
        mailer = Mailer(received.host, received.port)
        report = alerts.check(frozen, bank.workspace_id, mailer=mailer)
        alerts.check(frozen, bank.workspace_id, mailer=mailer)  # nothing new: nothing sent
    to = sorted(rcpt[0] for _, rcpt, _ in received.messages)
    # the admin gets both pages, the agent only Aarhus, the viewer wants no dormant pages
    assert to == ["jonas@banken.dk", "karen@banken.dk", "karen@banken.dk"]
    assert report.sent == 3 and report.failed == []
    subjects = sorted(text.splitlines()[0] for _, _, text in received.messages)
    assert (
        subjects[0]
        == "Subject: [Lytter] Banken Aarhus (facebook) has never posted (dormant after 14)"
    )


class Receiver(BaseHTTPRequestHandler):
    """A webhook receiver: keeps what it is sent, answers `status`."""

    received: list[tuple[dict[str, str], bytes]] = []
    status = 200

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[Receiver]]]:
    handler = type("Hook", (Receiver,), {"received": [], "status": 200})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", handler
    server.shutdown()
    server.server_close()


def test_a_webhook_gets_signed_slack_json_and_a_failure_is_retried(
    frozen: Store, bank: Bank, receiver: tuple[str, type[Receiver]], clock: Clock
) -> None:
    url, hook = receiver
    sub, secret = alerts.subscribe(frozen, bank.agent, "webhook", url)
    assert secret and frozen.list_subscriptions(bank.workspace_id)[0].secret != secret
    hook.status = 500
    failing = dormant(frozen, bank)
    assert failing.sent == 0 and "answered 500" in failing.failed[0]
    hook.status = 200
    clock.now += timedelta(minutes=5)
    retried = dormant(frozen, bank)
    assert retried.sent == 1 and retried.failed == []
    assert dormant(frozen, bank).sent == 0
    assert len(hook.received) == 2  # the failed try and the one that got through
    headers, body = hook.received[-1]
    assert verify(secret, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    assert not verify("wrong", headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    sent = json.loads(body)
    assert sent["text"].startswith("[Banken] Banken Aarhus (facebook) has never posted")
    assert sent["alert"]["kind"] == "dormant-page"


def test_a_spike_and_a_missed_goal_each_open_one_alert(
    frozen: Store, bank: Bank, clock: Clock
) -> None:
    goals.add_goal(frozen, bank.admin, "Weekly", "own-posts", 3, "week", page="Banken Aarhus")
    busy = [
        draft(f"s{n}", "Netbanken er nede igen", created_at=NOW - timedelta(minutes=n))
        for n in range(25)
    ]
    frozen.save_posts(bank.workspace_id, busy)
    report = alerts.check(
        frozen, bank.workspace_id, kinds=[AlertKind.VOLUME_SPIKE, AlertKind.GOAL_AT_RISK]
    )
    titles = sorted(a.title for a in report.opened)
    assert len(titles) == 2
    assert titles[0].startswith("25 posts today")
    assert titles[1].startswith("goal 'Weekly' (Banken Aarhus) missed for 2024-04-22..2024-04-28")
    again = alerts.check(
        frozen, bank.workspace_id, kinds=[AlertKind.VOLUME_SPIKE, AlertKind.GOAL_AT_RISK]
    )
    assert again.opened == [] and again.closed == []


def test_subscriptions_are_checked(frozen: Store, bank: Bank) -> None:
    with pytest.raises(UserError) as bad:
        alerts.subscribe(frozen, bank.admin, "webhook", "ftp://example.org")
    assert bad.value.field == "address"
    with pytest.raises(UserError) as bad:
        alerts.subscribe(frozen, bank.admin, "email", kinds="dormant,spike")
    assert bad.value.field == "kinds"
    with pytest.raises(UserError) as bad:
        alerts.subscribe(frozen, bank.admin, "sms")
    assert bad.value.field == "channel"


def test_the_api_and_cli_show_the_callers_alerts(frozen: Store, bank: Bank, db_url: str) -> None:
    dormant(frozen, bank)
    token = auth.create_token(frozen, bank.agent, "tests").secret
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(frozen)) as client:
        listed = client.get("/api/v1/alerts", headers=headers)
        marked = client.post("/api/v1/alerts/read", json={}, headers=headers)
        made = client.post(
            "/api/v1/alerts/subscriptions",
            json={"channel": "webhook", "address": "https://hooks.example.org/x"},
            headers=headers,
        )
        mine = client.get("/api/v1/alerts/subscriptions", headers=headers)
        gone = client.delete(f"/api/v1/alerts/subscriptions/{made.json()['id']}", headers=headers)
    assert [a["kind"] for a in listed.json()] == ["dormant-page"]
    assert marked.json() == {"marked": 1}
    assert made.status_code == 201 and made.json()["secret"]
    assert mine.json()[0]["secret"] is None and gone.status_code == 204
    base = ["--db", db_url, "--workspace", "banken"]
    shown = CliRunner().invoke(app, ["alert", "list", "--json", "--as", "sofie@banken.dk", *base])
    assert shown.exit_code == 0, shown.output
    rows = [json.loads(line) for line in shown.output.splitlines()]
    assert len(rows) == 2 and not any(r["read"] for r in rows)
    checked = CliRunner().invoke(app, ["alert", "check", *base])
    assert checked.exit_code == 0 and "0 new" in checked.output


def test_items_past_their_target_open_one_alert_per_desk_until_resolved(
    frozen: Store, bank: Bank, clock: Clock
) -> None:
    desks.add_desk(frozen, bank.admin, "Kundeservice", "24/7")
    desks.set_sla(frozen, bank.admin, "Kundeservice", "normal", "1h", None)
    clock.now = T0 + timedelta(minutes=30)  # the bank's posts came in at T0
    inbox.gather(frozen, bank.workspace_id)
    items = frozen.inbox_items(bank.workspace_id, limit=100)
    for item in items:
        inbox.move(frozen, bank.admin, item.id, "Kundeservice")
    sla = [AlertKind.SLA_BREACH]
    assert alerts.check(frozen, bank.workspace_id, kinds=sla).opened == []  # not due yet
    clock.now = T0 + timedelta(hours=2)
    [opened] = alerts.check(frozen, bank.workspace_id, kinds=sla).opened
    assert (
        opened.title == f"{len(items)} open conversations on Kundeservice are past their SLA target"
    )
    for item in items:
        inbox.act(frozen, bank.admin, item.id, ItemAction.RESOLVE)
    [closed] = alerts.check(frozen, bank.workspace_id, kinds=sla).closed
    assert closed.id == opened.id
