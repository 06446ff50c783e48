"""Metrics from roll-ups equal the same numbers computed from the raw rows, on SQLite and
PostgreSQL, through every kind of change: new posts, changed counts, analyses and corrections,
new saved queries, inbox answers and resolutions, a desk's new targets, and time passing."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from lytter.app import create_app
from lytter.cli.main import app
from lytter.domain.access import Actor
from lytter.domain.inbox import ItemAction, ItemState
from lytter.domain.metrics import Granularity, MetricFilter, Period
from lytter.domain.posts import AuthorRef, Engagement, PostDraft, PostFilter, SourceRef
from lytter.domain.workspaces import BrandKind
from lytter.services import analysing, auth, desks, inbox, metrics, queries
from lytter.store import Store, open_store
from tests.bank import Bank, make_bank
from tests.helpers import EVERYDAY, OUTAGE, Clock, draft

START = datetime(2024, 3, 25, 6, tzinfo=UTC)  # the clocks go forward on the 31st
PERIOD = Period(date(2024, 3, 24), date(2024, 4, 8))


@pytest.fixture
def clock() -> Clock:
    return Clock(START + timedelta(days=10))


@pytest.fixture
def moving(db_url: str, clock: Clock) -> Iterator[Store]:
    store = open_store(db_url, clock=clock)
    yield store
    store.close()


PAGES = {
    "aarhus": SourceRef("aarhus", "Banken Aarhus"),
    "odense": SourceRef("odense", "Banken Odense"),
    "rival": SourceRef("rival", "Rivalen"),
}


def posts_for(days: range, rng: random.Random, prefix: str) -> list[PostDraft]:
    found = []
    n = 0
    for day in days:
        for _ in range(rng.randint(3, 9)):
            n += 1
            page = rng.choice([*PAGES, None])
            at = START + timedelta(days=day, minutes=rng.randint(-600, 900))
            text = rng.choice(EVERYDAY + OUTAGE + ["Rivalen er bedre", "Netbanken er nede"])
            own = page is not None and rng.random() < 0.2
            found.append(
                draft(
                    f"{prefix}{n}",
                    text,
                    created_at=at,
                    source=PAGES[page] if page else None,
                    author=AuthorRef(page if own and page else f"kunde{rng.randint(1, 12)}"),
                    engagement=Engagement(
                        likes=rng.randint(0, 20), comments=rng.randint(0, 3), shares=None
                    ),
                )
            )
            if page and not own and rng.random() < 0.5:  # the page answers some
                found.append(
                    draft(
                        f"{prefix}{n}r",
                        "Tak, vi ser på det",
                        created_at=at + timedelta(minutes=rng.randint(5, 3000)),
                        source=PAGES[page],
                        author=AuthorRef(page),
                        root_id=f"{prefix}{n}",
                        parent_id=f"{prefix}{n}",
                    )
                )
    return found


@pytest.fixture
def busy(moving: Store) -> Bank:
    """Two weeks of posts on the bank's two pages, a rival's page and no page; analysed,
    matched by three saved queries, gathered into the inbox onto a desk with targets."""
    bank = make_bank(moving)
    ws = bank.workspace_id
    rng = random.Random(7)
    moving.save_posts(ws, posts_for(range(0, 12), rng, "p"))
    own = moving.ensure_brand(ws, "Banken", BrandKind.OWN)
    rival = moving.ensure_brand(ws, "Rivalen", BrandKind.COMPETITOR)
    for s in moving.list_sources(ws):
        if s.external_id in ("aarhus", "odense"):
            moving.set_source_brand(s.id, own.id)
        elif s.external_id == "rival":
            moving.set_source_brand(s.id, rival.id)
    analysing.analyse_new_posts(moving, ws)
    queries.add_query(
        moving, bank.admin, name="Netbank", text="netbanken OR mobilepay", brand="Banken"
    )
    queries.add_query(moving, bank.admin, name="Banken", text="banken OR filialen", brand="Banken")
    queries.add_query(moving, bank.admin, name="Rivalen", text="rivalen", brand="Rivalen")
    desks.add_desk(moving, bank.admin, "Kundeservice", "mon-fri 08:00-16:00")
    desks.set_sla(moving, bank.admin, "kundeservice", "normal", "2h", "8h", warn_before="30m")
    inbox.gather(moving, ws)
    for n, item in enumerate(sorted(moving.inbox_items(ws, limit=10_000), key=lambda i: i.id)):
        if n % 3:
            inbox.move(moving, bank.admin, item.id, "kundeservice")
        if n % 4 == 0:
            inbox.assign(moving, bank.admin, item.id, "karen@banken.dk")
        if n % 5 == 0:
            inbox.act(moving, bank.admin, item.id, ItemAction.RESOLVE)
    return bank


def same(store: Store, actor: Actor, filt: MetricFilter | None = None) -> None:
    for granularity in Granularity:
        rolled = metrics.metrics(store, actor, PERIOD, granularity, filt).as_dict()
        raw = metrics.raw_metrics(store, actor, PERIOD, granularity, filt).as_dict()
        assert rolled == raw, granularity


def every_filter(store: Store, bank: Bank) -> Iterator[MetricFilter]:
    actor = bank.admin
    yield metrics.metric_filter(store, actor)
    yield metrics.metric_filter(store, actor, page="Banken Aarhus")
    yield metrics.metric_filter(store, actor, brand="Banken")
    yield metrics.metric_filter(store, actor, platform="facebook")
    yield metrics.metric_filter(store, actor, query="Netbank")
    yield metrics.metric_filter(store, actor, voice_of="Banken")
    yield metrics.metric_filter(store, actor, desk="Kundeservice")
    yield metrics.metric_filter(store, actor, person="karen@banken.dk")


def test_the_roll_ups_equal_the_raw_rows_for_every_dimension(moving: Store, busy: Bank) -> None:
    for filt in every_filter(moving, busy):
        same(moving, busy.admin, filt)
    found = metrics.metrics(moving, busy.admin, PERIOD, Granularity.WEEK).as_dict()
    total = found["total"]
    assert isinstance(total, dict)
    # The data is rich enough for the comparison to mean something.
    assert total["posts"] > 80 and total["own_posts"] > 10 and total["unique_authors"] > 10
    assert total["items"] > 20 and 0 < total["answered"] < total["items"]
    assert total["sla_first_response_due"] > 0 and total["positive"] > 0
    assert [v["brand"] for v in found["share_of_voice"]] == ["Banken", "Rivalen"]  # type: ignore[index]


def test_the_roll_ups_follow_every_change(moving: Store, busy: Bank, clock: Clock) -> None:
    ws = busy.workspace_id
    metrics.metrics(moving, busy.admin, PERIOD)  # computed once
    rng = random.Random(11)
    # new posts, some on days already rolled up, analysed, matched, gathered
    moving.save_posts(ws, posts_for(range(5, 14), rng, "q"))
    analysing.analyse_new_posts(moving, ws)
    queries.match_new_posts(moving, ws)
    inbox.gather(moving, ws)
    same(moving, busy.admin)
    # changed counts on a post collected again, and a person's correction of a tone
    again = posts_for(range(0, 12), random.Random(7), "p")[:3]
    moving.save_posts(ws, [d._replace(engagement=Engagement(likes=999)) for d in again])
    (post,) = moving.find_posts(PostFilter(ws, sentiments=("positive",), limit=1))
    analysing.correct_sentiment(moving, busy.admin, post.id, "negative")
    same(moving, busy.admin)
    # a new saved query, answers and resolutions, a desk's targets changed
    queries.add_query(moving, busy.admin, name="Kort", text="kort OR pinkode", brand="Banken")
    waiting = [i for i in moving.inbox_items(ws, limit=10_000) if i.state != ItemState.RESOLVED]
    for item in waiting[:5]:
        inbox.act(moving, busy.admin, item.id, ItemAction.RESOLVE)
    desks.set_sla(moving, busy.admin, "kundeservice", "normal", "30m", "2h", warn_before="10m")
    for filt in every_filter(moving, busy):
        same(moving, busy.admin, filt)
    # time passes: running targets breach without anything being written
    clock.now += timedelta(days=3)
    same(moving, busy.admin, metrics.metric_filter(moving, busy.admin, desk="Kundeservice"))


def test_a_page_scoped_person_counts_only_their_pages(moving: Store, busy: Bank) -> None:
    everything = metrics.metrics(moving, busy.admin, PERIOD).total
    theirs = metrics.metrics(moving, busy.agent, PERIOD).total
    aarhus = metrics.metrics(
        moving,
        busy.admin,
        PERIOD,
        filt=metrics.metric_filter(moving, busy.admin, page="Banken Aarhus"),
    ).total
    assert theirs.as_dict() == aarhus.as_dict()
    assert 0 < theirs.posts.posts < everything.posts.posts
    same(moving, busy.agent)


def test_refreshing_twice_changes_nothing(moving: Store, busy: Bank) -> None:
    metrics.metrics(moving, busy.admin, PERIOD)
    assert metrics.refresh(moving, busy.workspace_id) == (0, 0)
    assert not moving.metrics_stale(busy.workspace_id)
    before = metrics.metrics(moving, busy.admin, PERIOD).as_dict()
    assert metrics.rebuild(moving, busy.admin)[0] > 10
    assert metrics.metrics(moving, busy.admin, PERIOD).as_dict() == before


def test_the_api_gives_the_callers_numbers_and_explains_a_bad_period(
    moving: Store, busy: Bank
) -> None:
    token = auth.create_token(moving, busy.agent, "tests").secret
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(moving)) as client:
        found = client.get(
            "/api/v1/metrics",
            params={"period": str(PERIOD), "granularity": "week"},
            headers=headers,
        )
        bad = client.get("/api/v1/metrics", params={"period": "soon"}, headers=headers)
    assert found.status_code == 200, found.text
    expected = metrics.metrics(moving, busy.agent, PERIOD, Granularity.WEEK).as_dict()
    assert found.json() == json.loads(json.dumps(expected))
    assert [b["start"] for b in found.json()["series"]] == [
        "2024-03-18",
        "2024-03-25",
        "2024-04-01",
        "2024-04-08",
    ]
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "period"
    assert "last-30-days" in bad.json()["error"]["message"]


def test_the_cli_prints_a_table_and_json(moving: Store, busy: Bank, db_url: str) -> None:
    args = ["metrics", "--db", db_url, "--workspace", "banken", "--period", str(PERIOD)]
    table = CliRunner().invoke(app, [*args, "--by", "week"])
    assert table.exit_code == 0, table.output
    assert "2024-03-25" in table.output and "share of voice" in table.output
    as_json = CliRunner().invoke(app, [*args, "--json", "--desk", "Kundeservice"])
    found = json.loads(as_json.output)
    assert found["total"]["items"] > 0 and found["total"]["posts"] == 0  # a desk has no posts
    raw = CliRunner().invoke(app, [*args, "--json", "--desk", "Kundeservice", "--raw"])
    assert json.loads(raw.output) == found
