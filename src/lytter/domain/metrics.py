"""Metrics over a period: what a workspace's pages, desks and people did, bucketed by day,
week or month in the workspace's time zone (lytter.services.metrics).

The numbers come from roll-ups kept up to date as posts, analyses, matches and inbox items
change (lytter.store.metrics); `Totals` is what one bucket (or the whole period) adds up to,
from either the roll-ups or the raw rows, so the two can be compared exactly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Granularity(StrEnum):
    DAY = "day"
    WEEK = "week"  # ISO weeks, from Monday
    MONTH = "month"


class Scope(StrEnum):
    """What a roll-up row counts: every post, a saved query's matches, or a brand's (the
    posts matching any of the brand's saved queries, each once)."""

    ALL = "all"
    QUERY = "query"
    BRAND = "brand"


@dataclass(frozen=True, slots=True)
class Period:
    """From `start` to `end`, both whole local days included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as UTC times, the end excluded."""
        return day_bounds(self.start, zone)[0], day_bounds(self.end, zone)[1]

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """One local day as UTC times, the end excluded (23 or 25 hours when the clocks change)."""
    start = datetime.combine(day, time(0), zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    return start, end


def local_day(at: datetime, zone: ZoneInfo) -> date:
    return at.astimezone(zone).date()


def bucket_of(day: date, granularity: Granularity) -> date:
    """The first day of the bucket `day` falls in."""
    if granularity is Granularity.WEEK:
        return day - timedelta(days=day.weekday())
    if granularity is Granularity.MONTH:
        return day.replace(day=1)
    return day


def buckets(period: Period, granularity: Granularity) -> list[date]:
    """The first day of every bucket the period touches, oldest first."""
    found: list[date] = []
    day = period.start
    while day <= period.end:
        b = bucket_of(day, granularity)
        if not found or found[-1] != b:
            found.append(b)
        day += timedelta(days=1)
    return found


_NAMED = re.compile(r"^last-(\d+)-days$")


def parse_period(text: str, today: date) -> Period:
    """A period people write: `last-7-days`, `last-30-days`, `this-week`, `last-week`,
    `this-month`, `last-month`, `this-year`, `last-year`, `2026-10` (a month), `2026`
    (a year), `2026-10-01..2026-10-31` or a single day `2026-10-05`.

    ValueError with an example when it is none of these.
    """
    value = text.strip().lower()
    m = _NAMED.match(value)
    if m:
        n = int(m.group(1))
        if not 1 <= n <= 3660:
            raise ValueError(f"'{text}': the number of days must be from 1 to 3660")
        return Period(today - timedelta(days=n - 1), today)
    monday = today - timedelta(days=today.weekday())
    first = today.replace(day=1)
    named = {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
        "this-week": (monday, today),
        "last-week": (monday - timedelta(days=7), monday - timedelta(days=1)),
        "this-month": (first, today),
        "last-month": ((first - timedelta(days=1)).replace(day=1), first - timedelta(days=1)),
        "this-year": (today.replace(month=1, day=1), today),
        "last-year": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    }
    if value in named:
        return Period(*named[value])
    try:
        if ".." in value:
            a, b = value.split("..", 1)
            return Period(date.fromisoformat(a.strip()), date.fromisoformat(b.strip()))
        if re.fullmatch(r"\d{4}", value):
            return Period(date(int(value), 1, 1), date(int(value), 12, 31))
        if re.fullmatch(r"\d{4}-\d{2}", value):
            start = date.fromisoformat(value + "-01")
            return Period(start, month_end(start))
        day = date.fromisoformat(value)
        return Period(day, day)
    except ValueError as e:
        if "before it starts" in str(e):
            raise ValueError(f"'{text}': {e}") from None
    raise ValueError(
        f"'{text}' is not a period: write e.g. last-30-days, last-month, this-week, 2026-10 or "
        "2026-10-01..2026-10-31"
    )


def month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def percentile(sorted_values: Sequence[float], p: float) -> float | None:
    """The nearest-rank percentile (`p` from 0 to 1) of values sorted ascending: the smallest
    value with at least `p` of the values at or below it; None for no values."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p * len(sorted_values) - 1e-9))
    return sorted_values[rank - 1]


@dataclass(frozen=True, slots=True)
class MetricFilter:
    """Which posts and items to count; None: no limit on that dimension.

    `source_ids` are pages (sources); `brand_id` limits to the brand's pages; `query_id` and
    `scope_brand_id` count only the posts matching a saved query or any of a brand's queries;
    `desk_id` and `assignee_id` apply to inbox items (posts have neither).
    """

    source_ids: frozenset[int] | None = None
    platform: str | None = None
    query_id: int | None = None
    scope_brand_id: int | None = None
    desk_id: int | None = None
    assignee_id: int | None = None

    @property
    def scope(self) -> tuple[Scope, int]:
        if self.query_id is not None:
            return Scope.QUERY, self.query_id
        if self.scope_brand_id is not None:
            return Scope.BRAND, self.scope_brand_id
        return Scope.ALL, 0

    @property
    def counts_items(self) -> bool:
        """Inbox items are counted unless the filter is about matches (a query or a brand's)."""
        return self.query_id is None and self.scope_brand_id is None

    @property
    def counts_posts(self) -> bool:
        """Posts are counted unless the filter is about a desk or a person."""
        return self.desk_id is None and self.assignee_id is None


@dataclass(slots=True)
class PostSums:
    """What the posts of a bucket add up to."""

    posts: int = 0
    own_posts: int = 0
    replies: int = 0
    likes: int = 0
    comments: int = 0
    shares: int = 0
    views: int = 0
    analysed: int = 0
    positive: int = 0
    negative: int = 0
    own_replies: int = 0  # the pages' own answers in conversations (part of own_posts)

    def add(self, other: PostSums) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def engagement(self) -> int:
        return self.likes + self.comments + self.shares


@dataclass(frozen=True, slots=True)
class ItemFact:
    """One inbox item as metrics count it: its day, who had it, and how it was answered.

    `first_state` / `resolution_state` are the SLA targets' states when the item last changed:
    met, missed, breached, running (then `*_due` says when it breaches) or paused; None when
    its desk promises nothing for its priority.
    """

    item_id: int
    day: date
    source_id: int | None
    platform: str
    desk_id: int | None
    assignee_id: int | None
    first_response_s: int | None
    resolution_s: int | None
    first_state: str | None
    first_due: datetime | None
    resolution_state: str | None
    resolution_due: datetime | None


def sla_state_at(state: str | None, due: datetime | None, now: datetime) -> str | None:
    """A stored SLA state as it stands at `now`: a running target past its due time is
    breached."""
    if state == "running" and due is not None and due <= now:
        return "breached"
    return state


@dataclass(slots=True)
class ItemSums:
    """What the inbox items of a bucket add up to (response times in seconds, sorted)."""

    items: int = 0
    answered: int = 0
    resolved: int = 0
    first_response: list[int] = field(default_factory=list)
    resolution: list[int] = field(default_factory=list)
    first_met: int = 0
    first_missed: int = 0
    resolution_met: int = 0
    resolution_missed: int = 0

    def count(self, fact: ItemFact, now: datetime) -> None:
        self.items += 1
        if fact.first_response_s is not None:
            self.answered += 1
            self.first_response.append(fact.first_response_s)
        if fact.resolution_s is not None:
            self.resolved += 1
            self.resolution.append(fact.resolution_s)
        first = sla_state_at(fact.first_state, fact.first_due, now)
        if first == "met":
            self.first_met += 1
        elif first in ("missed", "breached"):
            self.first_missed += 1
        resolution = sla_state_at(fact.resolution_state, fact.resolution_due, now)
        if resolution == "met":
            self.resolution_met += 1
        elif resolution in ("missed", "breached"):
            self.resolution_missed += 1


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


@dataclass(slots=True)
class Totals:
    """One bucket's (or a whole period's) numbers."""

    start: date
    posts: PostSums = field(default_factory=PostSums)
    unique_authors: int = 0
    items: ItemSums = field(default_factory=ItemSums)

    def as_dict(self) -> dict[str, object]:
        p, i = self.posts, self.items
        first = sorted(i.first_response)
        resolution = sorted(i.resolution)
        first_due = i.first_met + i.first_missed
        resolution_due = i.resolution_met + i.resolution_missed
        return {
            "start": self.start.isoformat(),
            "posts": p.posts,
            "own_posts": p.own_posts - p.own_replies,
            "own_replies": p.own_replies,
            "engagement": p.engagement,
            "likes": p.likes,
            "comments": p.comments,
            "shares": p.shares,
            "views": p.views,
            "unique_authors": self.unique_authors,
            "analysed": p.analysed,
            "positive": p.positive,
            "negative": p.negative,
            "positive_share": _share(p.positive, p.analysed),
            "negative_share": _share(p.negative, p.analysed),
            "net_sentiment": None if p.analysed == 0 else (p.positive - p.negative) / p.analysed,
            "items": i.items,
            "answered": i.answered,
            "response_rate": _share(i.answered, i.items),
            "first_response_median_s": percentile(first, 0.5),
            "first_response_p90_s": percentile(first, 0.9),
            "resolved": i.resolved,
            "resolution_median_s": percentile(resolution, 0.5),
            "resolution_p90_s": percentile(resolution, 0.9),
            "sla_first_response_met": i.first_met,
            "sla_first_response_due": first_due,
            "sla_first_response": _share(i.first_met, first_due),
            "sla_resolution_met": i.resolution_met,
            "sla_resolution_due": resolution_due,
            "sla_resolution": _share(i.resolution_met, resolution_due),
        }


@dataclass(frozen=True, slots=True)
class VoiceShare:
    """One brand's share of the posts matching any brand's saved queries."""

    brand_id: int
    brand: str
    kind: str  # own, competitor
    posts: int
    share: float | None


@dataclass(frozen=True, slots=True)
class Metrics:
    """A period's numbers: the whole period and each bucket, plus share of voice."""

    period: Period
    granularity: Granularity
    total: Totals
    series: list[Totals]
    voice: list[VoiceShare]

    def as_dict(self) -> dict[str, object]:
        return {
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "granularity": self.granularity.value,
            "total": self.total.as_dict(),
            "series": [t.as_dict() for t in self.series],
            "share_of_voice": [
                {"brand": v.brand, "kind": v.kind, "posts": v.posts, "share": v.share}
                for v in self.voice
            ],
        }


def days(period: Period) -> Iterator[date]:
    day = period.start
    while day <= period.end:
        yield day
        day += timedelta(days=1)
