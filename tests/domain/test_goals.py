"""Where a goal's period stands: a count is judged against the time gone by, a rate or a time
as it stands; a finished period met or missed it."""

from __future__ import annotations

from lytter.domain.goals import METRICS, Comparison, Status, judge, value_of

POSTS = METRICS["own-posts"]
RATE = METRICS["response-rate"]
MEDIAN = METRICS["first-response-median"]
ITEMS = METRICS["items"]


def test_a_count_is_on_track_when_it_keeps_pace_with_the_time_gone_by() -> None:
    # 20 own posts a month: 10 by the middle is on track, 5 is at risk
    assert judge(POSTS, Comparison.AT_LEAST, 20, 10, 0.5).status is Status.ON_TRACK
    at_risk = judge(POSTS, Comparison.AT_LEAST, 20, 5, 0.5)
    assert at_risk.status is Status.AT_RISK and at_risk.expected == 10


def test_a_count_that_reached_its_target_early_is_met() -> None:
    assert judge(POSTS, Comparison.AT_LEAST, 1, 3, 0.1).status is Status.MET


def test_a_count_past_its_ceiling_is_missed_before_the_period_ends() -> None:
    assert judge(ITEMS, Comparison.AT_MOST, 100, 101, 0.2).status is Status.MISSED
    assert judge(ITEMS, Comparison.AT_MOST, 100, 30, 0.2).status is Status.AT_RISK
    assert judge(ITEMS, Comparison.AT_MOST, 100, 10, 0.2).status is Status.ON_TRACK


def test_a_finished_period_is_met_or_missed() -> None:
    assert judge(POSTS, Comparison.AT_LEAST, 1, 1, 1).status is Status.MET
    assert judge(POSTS, Comparison.AT_LEAST, 1, None, 1).status is Status.MISSED
    assert judge(RATE, Comparison.AT_LEAST, 95, 94.9, 1).status is Status.MISSED
    assert judge(MEDIAN, Comparison.AT_MOST, 60, 59, 1).status is Status.MET


def test_a_rate_is_judged_as_it_stands_and_without_data_is_no_data() -> None:
    assert judge(RATE, Comparison.AT_LEAST, 95, 96, 0.1).status is Status.ON_TRACK
    assert judge(RATE, Comparison.AT_LEAST, 95, 80, 0.9).status is Status.AT_RISK
    assert judge(RATE, Comparison.AT_LEAST, 95, None, 0.5).status is Status.NO_DATA
    assert judge(RATE, Comparison.AT_LEAST, 95, None, 1).status is Status.NO_DATA


def test_values_are_read_in_the_goal_s_unit() -> None:
    totals = {"response_rate": 0.955, "first_response_median_s": 5400, "own_posts": 3}
    assert value_of(RATE, totals) == 95.5
    assert value_of(MEDIAN, totals) == 90
    assert value_of(POSTS, totals) == 3
    assert value_of(METRICS["net-sentiment"], {"net_sentiment": None}) is None
