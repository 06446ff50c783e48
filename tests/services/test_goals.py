"""Goals on a frozen clock: a page's daily post goal and its history, a month's count judged
against the days gone by, rates that equal the metrics they read, who may set which goal, and
the API and CLI over the same service."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from lytter.app import create_app
from lytter.cli.main import app
from lytter.domain.goals import Status
from lytter.domain.metrics import Granularity, Period
from lytter.domain.posts import AuthorRef, SourceRef
from lytter.domain.workspaces import BrandKind
from lytter.services import auth, desks, goals, inbox, metrics
from lytter.services.errors import Conflict, Forbidden, UserError
from lytter.store import Store, open_store
from tests.bank import Bank, make_bank
from tests.helpers import T0, Clock, draft

NOW = datetime(2024, 4, 10, 10, 0, tzinfo=UTC)  # noon in Copenhagen, a Wednesday
AARHUS = SourceRef("aarhus", "Banken Aarhus")
OWN_DAYS = [date(2024, 4, d) for d in (3, 5, 6, 7)]  # and today, when asked


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def frozen(db_url: str, clock: Clock) -> Iterator[Store]:
    store = open_store(db_url, clock=clock)
    yield store
    store.close()


def own_post(n: int, day: date, hour: int = 8) -> object:
    return draft(
        f"own{n}",
        "Nyt fra filialen",
        created_at=datetime(day.year, day.month, day.day, hour, tzinfo=UTC),
        source=AARHUS,
        author=AuthorRef("aarhus"),
    )


@pytest.fixture
def bank(frozen: Store) -> Bank:
    bank = make_bank(frozen)
    frozen.save_posts(bank.workspace_id, [own_post(n, d) for n, d in enumerate(OWN_DAYS)])
    own = frozen.ensure_brand(bank.workspace_id, "Banken", BrandKind.OWN)
    for source_id in (bank.aarhus, bank.odense):
        frozen.set_source_brand(source_id, own.id)
    return bank


def test_a_daily_post_goal_shows_each_day_met_or_missed(frozen: Store, bank: Bank) -> None:
    goal = goals.add_goal(
        frozen, bank.admin, "Daily post", "own-posts", 1, "day", page="Banken Aarhus"
    )
    found = goals.progress(frozen, bank.admin, goal, history=7)
    assert [(r.start.day, r.status) for r in found.history] == [
        (9, Status.MISSED),
        (8, Status.MISSED),
        (7, Status.MET),
        (6, Status.MET),
        (5, Status.MET),
        (4, Status.MISSED),
        (3, Status.MET),
    ]
    assert found.attainment == pytest.approx(4 / 7)
    assert found.scope == "Banken Aarhus"
    # noon and nothing posted today: half the day gone, half a post expected
    assert found.current.status is Status.AT_RISK
    assert found.current.expected == pytest.approx(0.5, abs=0.01)
    frozen.save_posts(bank.workspace_id, [own_post(99, NOW.date())])
    assert goals.progress(frozen, bank.admin, goal).current.status is Status.MET


def test_a_month_count_is_judged_against_the_days_gone_by(
    frozen: Store, bank: Bank, clock: Clock
) -> None:
    # 4 own posts by noon on the 10th of a 30-day month: 31 % of it gone by
    many = goals.add_goal(frozen, bank.admin, "Twenty", "own-posts", 20, "month")
    few = goals.add_goal(frozen, bank.admin, "Ten", "own-posts", 10, "month")
    assert goals.progress(frozen, bank.admin, many).current.status is Status.AT_RISK
    assert goals.progress(frozen, bank.admin, few).current.status is Status.ON_TRACK
    clock.now = datetime(2024, 5, 1, 10, tzinfo=UTC)  # April is over
    assert goals.progress(frozen, bank.admin, few).history[0].status is Status.MISSED
    assert goals.progress(frozen, bank.admin, few).history[0].value == 4


def test_a_goal_reads_the_same_numbers_as_the_metrics(frozen: Store, bank: Bank) -> None:
    desks.add_desk(frozen, bank.admin, "Kundeservice", "24/7")
    answer = draft(
        "3r",
        "Beklager ventetiden",
        created_at=T0 + timedelta(minutes=48),
        source=SourceRef("odense", "Banken Odense"),
        author=AuthorRef("odense"),
        root_id="3",
        parent_id="3",
    )
    frozen.save_posts(bank.workspace_id, [answer])
    inbox.gather(frozen, bank.workspace_id)
    for item in frozen.inbox_items(bank.workspace_id, limit=100):
        inbox.move(frozen, bank.admin, item.id, "kundeservice")
    rate = goals.add_goal(frozen, bank.admin, "Answer rate", "response-rate", 95, "week")
    quick = goals.add_goal(
        frozen, bank.admin, "Quick", "first-response-median", 60, "week", desk="Kundeservice"
    )
    week = Period(date(2024, 4, 1), date(2024, 4, 7))
    desk = metrics.metric_filter(frozen, bank.admin, desk="Kundeservice")
    workspace = metrics.metrics(frozen, bank.admin, week, Granularity.WEEK).total.as_dict()
    on_desk = metrics.metrics(frozen, bank.admin, week, Granularity.WEEK, desk).total.as_dict()
    assert isinstance(workspace["response_rate"], float)
    assert on_desk["first_response_median_s"] == 45 * 60
    last_week = goals.progress(frozen, bank.admin, rate, history=1).history[0]
    assert last_week.start == week.start
    assert last_week.value == pytest.approx(workspace["response_rate"] * 100)
    last_week = goals.progress(frozen, bank.admin, quick, history=1).history[0]
    assert last_week.value == pytest.approx(on_desk["first_response_median_s"] / 60)


def test_goals_are_checked_and_page_scoped(frozen: Store, bank: Bank) -> None:
    desks.add_desk(frozen, bank.admin, "Kundeservice", "24/7")
    with pytest.raises(UserError) as bad:
        goals.add_goal(frozen, bank.admin, "x", "own-posts", 1, desk="Kundeservice")
    assert bad.value.field == "metric" and "desk has no posts" in str(bad.value)
    with pytest.raises(UserError) as bad:
        goals.add_goal(frozen, bank.admin, "x", "likes", 1)
    assert bad.value.field == "metric" and "own-posts" in str(bad.value)
    with pytest.raises(UserError) as bad:
        goals.add_goal(frozen, bank.admin, "x", "response-rate", 120)
    assert bad.value.field == "target"
    with pytest.raises(UserError) as bad:
        goals.add_goal(frozen, bank.admin, "x", "posts", 1, "fortnight")
    assert bad.value.field == "per"
    goals.add_goal(frozen, bank.admin, "Odense posts", "own-posts", 1, page="Banken Odense")
    goals.add_goal(frozen, bank.admin, "Aarhus posts", "own-posts", 1, page="Banken Aarhus")
    with pytest.raises(Conflict):
        goals.add_goal(frozen, bank.admin, "aarhus POSTS", "posts", 1)
    with pytest.raises(Forbidden):
        goals.add_goal(frozen, bank.agent, "Mine", "own-posts", 1, page="Banken Aarhus")
    assert [g.name for g in goals.list_goals(frozen, bank.agent)] == ["Aarhus posts"]
    assert [g.name for g in goals.list_goals(frozen, bank.viewer)] == [
        "Aarhus posts",
        "Odense posts",
    ]


def test_the_api_sets_lists_and_removes_goals(frozen: Store, bank: Bank) -> None:
    token = auth.create_token(frozen, bank.admin, "tests").secret
    headers = {"Authorization": f"Bearer {token}"}
    daily = {"name": "Daily post", "metric": "own-posts", "target": 1, "page": "Banken Aarhus"}
    with TestClient(create_app(frozen)) as client:
        no_page = client.post("/api/v1/goals", json={**daily, "page": "Aalborg"}, headers=headers)
        bad = client.post(
            "/api/v1/goals", json={"name": "x", "metric": "likes", "target": 1}, headers=headers
        )
        made = client.post("/api/v1/goals", json=daily, headers=headers)
        listed = client.get("/api/v1/goals", params={"history": 7}, headers=headers)
        removed = client.delete("/api/v1/goals/Daily post", headers=headers)
        after = client.get("/api/v1/goals", headers=headers)
    assert no_page.status_code == 404 and no_page.json()["error"]["field"] == "page"
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "metric"
    assert made.status_code == 201, made.text
    [goal] = listed.json()
    assert goal["status"] == "at-risk" and goal["attainment"] == pytest.approx(4 / 7)
    assert [p["status"] for p in goal["history"]][:3] == ["missed", "missed", "met"]
    assert removed.status_code == 204 and after.json() == []


def test_the_cli_adds_lists_and_shows_goals(frozen: Store, bank: Bank, db_url: str) -> None:
    base = ["--db", db_url, "--workspace", "banken"]
    runner = CliRunner()
    added = runner.invoke(
        app,
        ["goal", "add", "Daily post", "--metric", "own-posts", "--target", "1",
         "--page", "Banken Aarhus", *base],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "own posts ≥ 1 a day" in added.output
    wrong = runner.invoke(app, ["goal", "add", "x", "--metric", "likes", "--target", "1", *base])
    assert wrong.exit_code != 0 and "not a metric" in wrong.output
    listed = runner.invoke(app, ["goal", "list", "--json", "--history", "3", *base])
    row = json.loads(listed.output)
    assert row["goal"] == "Daily post" and row["scope"] == "Banken Aarhus"
    assert len(row["history"]) == 3 and row["status"] in {s.value for s in Status}
    shown = runner.invoke(app, ["goal", "show", "Daily post", *base])
    assert shown.exit_code == 0 and "Daily post (Banken Aarhus)" in shown.output
    gone = runner.invoke(app, ["goal", "remove", "Daily post", *base])
    assert gone.exit_code == 0
    assert runner.invoke(app, ["goal", "list", *base]).output.startswith("no goals yet")


def test_a_week_later_last_week_is_judged_as_finished(
    frozen: Store, bank: Bank, clock: Clock
) -> None:
    goal = goals.add_goal(frozen, bank.admin, "Weekly", "own-posts", 3, "week")
    clock.now = NOW + timedelta(days=7)
    found = goals.progress(frozen, bank.admin, goal, history=2)
    assert [(r.start, r.value, r.status) for r in found.history] == [
        (date(2024, 4, 8), 0, Status.MISSED),
        (date(2024, 4, 1), 4, Status.MET),
    ]
