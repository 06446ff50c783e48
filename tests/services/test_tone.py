"""Tone over time: a selection's analysed posts by tone per hour, day, week or month, in the
workspace's time zone, on the pages the user may see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lytter.domain.posts import PostFilter, SourceRef
from lytter.services import analysing, tone
from lytter.services.errors import UserError
from tests.bank import Bank
from tests.helpers import draft

CPH = ZoneInfo("Europe/Copenhagen")
ODENSE = SourceRef("odense", "Banken Odense")
NOVEMBER = datetime(2024, 11, 1, tzinfo=UTC)  # after the bank's own posts of April


def add_days(bank: Bank) -> None:
    """Monday 4 Nov 2024: two angry posts; Wednesday: one happy; at 23.30 UTC on Sunday 10 Nov
    (Monday 11 Nov in Copenhagen): one angry."""
    at = datetime(2024, 11, 4, 9, tzinfo=UTC)
    bank.store.save_posts(
        bank.workspace_id,
        [
            draft("a1", "Elendig service, jeg er så vred 😡", created_at=at, source=ODENSE),
            draft("a2", "Uhøfligt og dårligt, aldrig igen", created_at=at, source=ODENSE),
            draft(
                "b1",
                "Tusind tak, I er fantastiske ❤️",
                created_at=at + timedelta(days=2),
                source=ODENSE,
            ),
            draft(
                "c1",
                "Forfærdelig ventetid, jeg er rasende",
                created_at=datetime(2024, 11, 10, 23, 30, tzinfo=UTC),
                source=ODENSE,
            ),
        ],
    )
    analysing.analyse_new_posts(bank.store, bank.workspace_id)


def test_days_in_the_workspace_time_zone_with_the_empty_days_between(bank: Bank) -> None:
    add_days(bank)
    series = tone.tone_over_time(
        bank.store, bank.admin, PostFilter(bank.workspace_id, since=NOVEMBER), CPH
    )
    days = [(b.start.date().isoformat(), b.negative, b.positive) for b in series.buckets]
    assert days[0] == ("2024-11-04", 2, 0) and days[2] == ("2024-11-06", 0, 1)
    assert days[-1] == ("2024-11-11", 1, 0)  # Sunday night in UTC is Monday in Copenhagen
    assert len(days) == 8 and days[1] == ("2024-11-05", 0, 0)
    assert series.buckets[0].net == -1.0 and series.total.posts == 4


def test_weeks_start_on_monday_and_months_on_the_first(bank: Bank) -> None:
    add_days(bank)
    query = PostFilter(bank.workspace_id, since=NOVEMBER)
    weeks = tone.tone_over_time(bank.store, bank.admin, query, CPH, "week").buckets
    assert [(b.start.date().isoformat(), b.posts) for b in weeks] == [
        ("2024-11-04", 3),
        ("2024-11-11", 1),
    ]
    (month,) = tone.tone_over_time(bank.store, bank.admin, query, CPH, "month").buckets
    assert month.start.date().isoformat() == "2024-11-01" and month.posts == 4


def test_a_query_narrows_and_an_agent_sees_only_their_pages(bank: Bank) -> None:
    add_days(bank)
    words = tone.tone_over_time(
        bank.store, bank.admin, PostFilter(bank.workspace_id, text="tak OR ventetid"), CPH
    )
    assert words.total.posts == 2
    agent = tone.tone_over_time(bank.store, bank.agent, PostFilter(bank.workspace_id), CPH)
    assert agent.total.posts == 2  # the bank's two Aarhus posts: Odense is not the agent's page


def test_a_bad_interval_is_named(bank: Bank) -> None:
    with pytest.raises(UserError, match="hour, day, week or month, not 'year'"):
        tone.tone_over_time(bank.store, bank.admin, PostFilter(bank.workspace_id), CPH, "year")
