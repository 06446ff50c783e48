"""A page's health: dormant after the workspace's days without an own post, points off for not
answering, for falling behind and for slow answers, each with its reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lytter.domain.health import HealthRules, PageFacts, assess

NOW = datetime(2024, 5, 1, 12, tzinfo=UTC)


def facts(**kw: object) -> PageFacts:
    values: dict[str, object] = {
        "source_id": 1,
        "name": "Banken Aarhus",
        "platform": "facebook",
        "last_own_post": NOW - timedelta(days=1),
        "last_reply": NOW - timedelta(hours=2),
        "unanswered": 0,
        "oldest_waiting": None,
    }
    values.update(kw)
    return PageFacts(**values)  # type: ignore[arg-type]


def test_a_page_that_posts_and_answers_is_healthy() -> None:
    health = assess(facts(), NOW)
    assert (health.score, health.dormant, health.reasons) == (100, False, ())
    assert (health.days_since_own_post, health.days_since_reply) == (1, 0)


def test_dormant_from_the_workspaces_day_on() -> None:
    almost = assess(facts(last_own_post=NOW - timedelta(days=13, hours=23)), NOW)
    assert not almost.dormant and almost.score == 100
    dormant = assess(facts(last_own_post=NOW - timedelta(days=14)), NOW)
    assert dormant.dormant and dormant.score == 50
    assert dormant.reasons == ("no own post for 14 days (dormant after 14)",)
    lenient = assess(facts(last_own_post=NOW - timedelta(days=14)), NOW, HealthRules(30))
    assert not lenient.dormant
    never = assess(facts(last_own_post=None, last_reply=None), NOW)
    assert never.dormant and never.reasons == ("no own post yet",)


def test_waiting_conversations_cost_points_the_worst_reason_first() -> None:
    health = assess(
        facts(
            last_reply=NOW - timedelta(days=3),
            unanswered=15,
            oldest_waiting=NOW - timedelta(days=4),
        ),
        NOW,
    )
    assert health.reasons == (
        "no reply for 3 days while 15 conversations wait",
        "the oldest has waited 4 days (over 24 hours)",
        "15 conversations wait (over 10)",
    )
    assert health.score == 100 - 20 - 10 - 5
    slow = assess(facts(unanswered=1, oldest_waiting=NOW - timedelta(hours=30)), NOW)
    assert slow.reasons == ("the oldest has waited 30 hours (over 24 hours)",)
