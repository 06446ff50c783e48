"""Tone over time: how many of a selection's posts read negative, neutral and positive, hour
by hour, day by day, week by week or month by month, in the workspace's time zone.

The selection is the posts filters (a query, pages, languages, author types...) as the asking
user may see them; its analysed posts count, a person's correction of a tone first. Net tone
is (positive - negative) / posts, from -1 to 1.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from lytter.domain.access import Actor
from lytter.domain.posts import PostFilter
from lytter.services.errors import UserError
from lytter.services.posts import selected_posts, visible_to
from lytter.store.base import Store

INTERVALS = ("hour", "day", "week", "month")
MAX_POSTS = 200_000  # the newest posts of a selection counted, at most
MAX_QUERY_POSTS = 20_000  # ... of a query-language search
MAX_BUCKETS = 1_000


@dataclass(frozen=True, slots=True)
class ToneBucket:
    """One hour, day, week or month: its analysed posts by tone."""

    start: datetime  # in the time zone asked for
    negative: int = 0
    neutral: int = 0
    positive: int = 0
    score: float = 0.0  # the mean of the model's scores (-1 to 1); 0 without posts

    @property
    def posts(self) -> int:
        return self.negative + self.neutral + self.positive

    @property
    def net(self) -> float:
        """(positive - negative) / posts, from -1 to 1; 0 without posts."""
        return (self.positive - self.negative) / self.posts if self.posts else 0.0


@dataclass(frozen=True, slots=True)
class ToneSeries:
    interval: str
    buckets: list[ToneBucket]
    posts_read: int
    capped: bool  # more posts matched than were counted (the newest were counted)

    @property
    def total(self) -> ToneBucket:
        start = self.buckets[0].start if self.buckets else datetime.min
        n = sum(b.posts for b in self.buckets)
        return ToneBucket(
            start,
            sum(b.negative for b in self.buckets),
            sum(b.neutral for b in self.buckets),
            sum(b.positive for b in self.buckets),
            sum(b.score * b.posts for b in self.buckets) / n if n else 0.0,
        )


def bucket_start(at: datetime, interval: str, zone: ZoneInfo) -> datetime:
    """The start of the hour, day, week (Monday) or month that `at` falls in, in `zone`."""
    local = at.astimezone(zone)
    if interval == "hour":
        return local.replace(minute=0, second=0, microsecond=0)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if interval == "week":
        day -= timedelta(days=day.weekday())
    elif interval == "month":
        day = day.replace(day=1)
    return day.replace(tzinfo=None).replace(tzinfo=zone)  # the zone's offset on that day


def next_start(start: datetime, interval: str) -> datetime:
    zone = start.tzinfo
    assert isinstance(zone, ZoneInfo)
    if interval == "hour":
        return bucket_start(start + timedelta(hours=1, minutes=30), "hour", zone)
    if interval == "day":
        return bucket_start(start + timedelta(hours=36), "day", zone)
    if interval == "week":
        return bucket_start(start + timedelta(days=7, hours=12), "week", zone)
    month = start.replace(day=28) + timedelta(days=5)
    return bucket_start(month, "month", zone)


def tone_over_time(
    store: Store,
    actor: Actor,
    query: PostFilter,
    zone: ZoneInfo,
    interval: str = "day",
    max_posts: int = MAX_POSTS,
) -> ToneSeries:
    """The tone of the posts `query` selects that the actor may see, per `interval`."""
    if interval not in INTERVALS:
        raise UserError(
            "interval is hour, day, week or month, not '{given}'", field="interval", given=interval
        )
    if query.since and query.until and query.since >= query.until:
        raise UserError("the date range is empty: 'since' must be before 'until'", field="since")
    if query.text and query.text.strip():
        limit = min(max_posts, MAX_QUERY_POSTS)
        ids = tuple(p.id for p in selected_posts(store, actor, query, limit))
        points = store.tone_points(
            replace(visible_to(actor, query), text=None, post_ids=ids), limit
        )
        capped = len(ids) >= limit
    else:
        points = store.tone_points(visible_to(actor, query), max_posts + 1)
        capped = len(points) > max_posts
        points = points[:max_posts]
    counts: dict[datetime, Counter[str]] = {}
    scores: defaultdict[datetime, float] = defaultdict(float)
    for at, tone, score in points:
        key = bucket_start(at, interval, zone)
        counts.setdefault(key, Counter())[tone] += 1
        scores[key] += score
    buckets: list[ToneBucket] = []
    if counts:
        start, last = min(counts), max(counts)
        while start <= last:
            if len(buckets) == MAX_BUCKETS:
                raise UserError(
                    "that is more than {max} {interval}s: choose a longer interval or a shorter"
                    " period",
                    field="interval",
                    max=MAX_BUCKETS,
                    interval=interval,
                )
            c = counts.get(start, Counter())
            n = sum(c.values())
            buckets.append(
                ToneBucket(
                    start,
                    c["negative"],
                    c["neutral"],
                    c["positive"],
                    scores[start] / n if n else 0.0,
                )
            )
            start = next_start(start, interval)
    return ToneSeries(interval, buckets, len(points), capped)
