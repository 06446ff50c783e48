"""Goals: a target for one metric, per day, week, month or year, for the workspace, a page or
a desk ("at least one own post a day", "response rate at least 95 % a week", "median first
response at most 60 minutes", "net sentiment at least 0 a month").

`judge` reads what a period has done so far against the goal and says where it stands: a
finished period met or missed it; the running one is on track, at risk, met already (a count
that has reached its target) or missed already (a count that has passed its ceiling). A count
is judged against the share of the period gone by, so 20 own posts a month is on track with 10
by the 15th; a rate or a time is judged as it stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Cadence(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class Comparison(StrEnum):
    AT_LEAST = "at-least"
    AT_MOST = "at-most"


class Kind(StrEnum):
    COUNT = "count"  # adds up over the period: judged against the time gone by
    SHARE = "share"  # a percentage (0-100) of what the period holds
    MINUTES = "minutes"  # a time, median or 90th percentile


@dataclass(frozen=True, slots=True)
class GoalMetric:
    """What a goal can be set on: the `Totals.as_dict` key it reads, how to show it and the
    way it usually points."""

    name: str
    key: str
    kind: Kind
    comparison: Comparison
    posts: bool  # read from posts (a desk has none) rather than inbox items
    label: str


METRICS: dict[str, GoalMetric] = {
    m.name: m
    for m in (
        GoalMetric("own-posts", "own_posts", Kind.COUNT, Comparison.AT_LEAST, True, "own posts"),
        GoalMetric(
            "own-replies", "own_replies", Kind.COUNT, Comparison.AT_LEAST, True, "own replies"
        ),
        GoalMetric("posts", "posts", Kind.COUNT, Comparison.AT_LEAST, True, "posts"),
        GoalMetric("engagement", "engagement", Kind.COUNT, Comparison.AT_LEAST, True, "engagement"),
        GoalMetric(
            "unique-authors",
            "unique_authors",
            Kind.COUNT,
            Comparison.AT_LEAST,
            True,
            "unique authors",
        ),
        GoalMetric(
            "net-sentiment", "net_sentiment", Kind.SHARE, Comparison.AT_LEAST, True, "net sentiment"
        ),
        GoalMetric(
            "negative-share",
            "negative_share",
            Kind.SHARE,
            Comparison.AT_MOST,
            True,
            "negative share",
        ),
        GoalMetric(
            "response-rate",
            "response_rate",
            Kind.SHARE,
            Comparison.AT_LEAST,
            False,
            "response rate",
        ),
        GoalMetric(
            "first-response-median",
            "first_response_median_s",
            Kind.MINUTES,
            Comparison.AT_MOST,
            False,
            "median first response",
        ),
        GoalMetric(
            "first-response-p90",
            "first_response_p90_s",
            Kind.MINUTES,
            Comparison.AT_MOST,
            False,
            "90th percentile first response",
        ),
        GoalMetric(
            "resolution-median",
            "resolution_median_s",
            Kind.MINUTES,
            Comparison.AT_MOST,
            False,
            "median resolution",
        ),
        GoalMetric(
            "sla-first-response",
            "sla_first_response",
            Kind.SHARE,
            Comparison.AT_LEAST,
            False,
            "first responses within SLA",
        ),
        GoalMetric(
            "sla-resolution",
            "sla_resolution",
            Kind.SHARE,
            Comparison.AT_LEAST,
            False,
            "resolutions within SLA",
        ),
        GoalMetric("items", "items", Kind.COUNT, Comparison.AT_MOST, False, "inbox items"),
    )
}


class Status(StrEnum):
    MET = "met"  # the period reached the target (a count may reach it early)
    MISSED = "missed"  # the period is over (or a ceiling is passed) and the target is not met
    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    NO_DATA = "no-data"  # nothing to measure yet (no inbox items for a response rate, say)


@dataclass(frozen=True, slots=True)
class Goal:
    id: int
    workspace_id: int
    name: str
    metric: str  # a key of METRICS
    comparison: Comparison
    target: float  # in the metric's unit: a count, a percentage, minutes
    cadence: Cadence
    source_id: int | None  # a page, or None
    desk_id: int | None  # a desk, or None; neither: the whole workspace
    created_at: datetime
    created_by: str

    @property
    def measure(self) -> GoalMetric:
        return METRICS[self.metric]


def value_of(metric: GoalMetric, totals: dict[str, object]) -> float | None:
    """The metric in the goal's unit from a `Totals.as_dict`: shares as percentages, times
    in minutes."""
    raw = totals.get(metric.key)
    if raw is None:
        return None
    assert isinstance(raw, int | float)
    if metric.kind is Kind.SHARE:
        return float(raw) * 100
    if metric.kind is Kind.MINUTES:
        return float(raw) / 60
    return float(raw)


def _reached(value: float, comparison: Comparison, target: float) -> bool:
    return value >= target if comparison is Comparison.AT_LEAST else value <= target


@dataclass(frozen=True, slots=True)
class Verdict:
    status: Status
    value: float | None  # so far
    expected: float | None  # for a count in a running period: where it should be by now


def judge(
    metric: GoalMetric,
    comparison: Comparison,
    target: float,
    value: float | None,
    elapsed: float,
) -> Verdict:
    """Where a period stands: `value` is what it holds so far, `elapsed` the share of the
    period gone by (from 0 to 1; 1 for a finished period)."""
    finished = elapsed >= 1
    if metric.kind is Kind.COUNT:
        so_far = value or 0.0
        if finished:
            return Verdict(
                Status.MET if _reached(so_far, comparison, target) else Status.MISSED,
                so_far,
                None,
            )
        expected = target * elapsed
        if comparison is Comparison.AT_LEAST:
            if so_far >= target:
                return Verdict(Status.MET, so_far, expected)
            status = Status.ON_TRACK if so_far >= expected else Status.AT_RISK
        else:
            if so_far > target:
                return Verdict(Status.MISSED, so_far, expected)
            status = Status.ON_TRACK if so_far <= expected else Status.AT_RISK
        return Verdict(status, so_far, expected)
    if value is None:
        return Verdict(Status.NO_DATA, None, None)
    if finished:
        status = Status.MET if _reached(value, comparison, target) else Status.MISSED
    else:
        status = Status.ON_TRACK if _reached(value, comparison, target) else Status.AT_RISK
    return Verdict(status, value, None)
