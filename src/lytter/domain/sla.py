"""Response times counted in business hours: when an answer is due, and how an SLA stands.

A desk is open on certain hours of each weekday in its own time zone (Europe/Copenhagen by
default), and closed on the public holidays of its country (Danish ones from the `holidays`
library: Store Bededag until 2023, Kristi Himmelfartsdag, Grundlovsdag is not one). A target
of "4 hours" means 4 open hours: a comment at 15:00 on a Friday, with the desk open 8–16 on
weekdays, is due at 11:00 on Monday. Hours are wall-clock times, so a due time across a change
to or from summer time still falls at the same local hour; a desk open around the clock counts
real hours (the night the clocks go forward is an hour shorter).

An SLA's clock runs only while the item waits for us: it pauses while the item is pending
(waiting for the customer) and starts again where it stopped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

DAY = 24 * 60  # minutes
_SEARCH_DAYS = 3 * 366  # how far ahead a due time is looked for before giving up


@lru_cache(maxsize=64)
def _public_holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year))


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """When a desk counts time.

    `weekly[d]` holds the open spans of weekday d (0 = Monday) as minutes after local
    midnight, e.g. `((480, 960),)` for 8–16; a span may end at 1440 (midnight). The public
    holidays of `country` (None: none) and the dates in `closed` are closed all day.
    """

    weekly: tuple[tuple[tuple[int, int], ...], ...]
    timezone: str = "Europe/Copenhagen"
    country: str | None = "DK"
    closed: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError("business hours need one entry per weekday, Monday first")
        for spans in self.weekly:
            for start, end in spans:
                if not 0 <= start < end <= DAY:
                    raise ValueError(f"an open span must lie within a day: {start}-{end}")
        ZoneInfo(self.timezone)  # an unknown zone fails here, not at the first due time

    @classmethod
    def office(
        cls,
        opens: time = time(8),
        closes: time = time(16),
        days: int = 5,
        timezone: str = "Europe/Copenhagen",
        country: str | None = "DK",
    ) -> BusinessHours:
        """Open `opens`–`closes` on the first `days` weekdays (Monday to Friday by default)."""
        span = ((opens.hour * 60 + opens.minute, closes.hour * 60 + closes.minute),)
        weekly = tuple(span if d < days else () for d in range(7))
        return cls(weekly, timezone=timezone, country=country)

    @classmethod
    def always(cls, timezone: str = "Europe/Copenhagen") -> BusinessHours:
        """Open around the clock, every day of the year."""
        return cls(tuple(((0, DAY),) for _ in range(7)), timezone=timezone, country=None)

    def is_closed(self, day: date) -> bool:
        """Whether the desk is closed all of `day` (a public holiday or a closed date)."""
        if day in self.closed:
            return True
        return self.country is not None and day in _public_holidays(self.country, day.year)

    def is_open(self, at: datetime) -> bool:
        """Whether `at` falls in open hours (wall-clock hours of its local day)."""
        local = at.astimezone(ZoneInfo(self.timezone))
        if self.is_closed(local.date()):
            return False
        minute = local.hour * 60 + local.minute + local.second / 60
        return any(start <= minute < end for start, end in self.weekly[local.weekday()])

    def spans(
        self, start: datetime, end: datetime | None = None
    ) -> Iterator[tuple[datetime, datetime]]:
        """The open spans from `start` on (to `end`, or for three years), in UTC, clipped."""
        zone = ZoneInfo(self.timezone)
        day = start.astimezone(zone).date()
        for _ in range(_SEARCH_DAYS):
            if not self.is_closed(day):
                midnight = datetime.combine(day, time(0), tzinfo=zone)
                for open_minute, close_minute in self.weekly[day.weekday()]:
                    # Wall-clock arithmetic: 8:00 is 8:00 local on the days the clocks change.
                    opens = (midnight + timedelta(minutes=open_minute)).astimezone(UTC)
                    closes = (midnight + timedelta(minutes=close_minute)).astimezone(UTC)
                    if end is not None and opens >= end:
                        return
                    if closes > start:
                        yield max(opens, start), closes if end is None else min(closes, end)
            day += timedelta(days=1)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant `duration` of open time after `start`."""
        left = duration
        if left <= timedelta(0):
            return start
        for opens, closes in self.spans(start):
            if closes - opens >= left:
                return opens + left
            left -= closes - opens
        raise ValueError("these business hours are never open: no due time can be set")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """How much open time lies between `start` and `end`."""
        if end <= start:
            return timedelta(0)
        return sum((c - o for o, c in self.spans(start, end)), timedelta(0))


class SlaState(StrEnum):
    """Where an item stands against one SLA target."""

    RUNNING = "running"  # in time
    WARNING = "warning"  # in time, but the breach is near
    BREACHED = "breached"  # past due and not done
    PAUSED = "paused"  # waiting for the customer: the clock stands still
    MET = "met"  # done in time
    MISSED = "missed"  # done, but late


@dataclass(frozen=True, slots=True)
class SlaClock:
    """One SLA target for one item: its clock's running spans and whether it is done.

    `running` holds the spans the clock ran (start, end), oldest first; the last one's end is
    None while it still runs. `done_at` is when the target was reached (the first answer, the
    resolution), None until then.
    """

    target: timedelta
    running: Sequence[tuple[datetime, datetime | None]]
    done_at: datetime | None = None

    def used(self, hours: BusinessHours, now: datetime) -> timedelta:
        """The open time the clock has run until `now` (or until it was done)."""
        until = now if self.done_at is None else min(now, self.done_at)
        return sum(
            (hours.between(start, min(end or until, until)) for start, end in self.running),
            timedelta(0),
        )

    def due(self, hours: BusinessHours) -> datetime | None:
        """When the target is due, if the clock runs on from its last start (None: paused)."""
        if not self.running or self.running[-1][1] is not None:
            return None
        last_start = self.running[-1][0]
        before = sum(
            (hours.between(start, end) for start, end in self.running[:-1] if end is not None),
            timedelta(0),
        )
        return hours.add(last_start, self.target - before)

    def state(self, hours: BusinessHours, now: datetime, warn_before: timedelta) -> SlaState:
        """How the target stands at `now`; WARNING when at most `warn_before` of open time is
        left."""
        used = self.used(hours, now)
        if self.done_at is not None and self.done_at <= now:
            return SlaState.MET if used <= self.target else SlaState.MISSED
        if used >= self.target:
            return SlaState.BREACHED
        if not self.running or self.running[-1][1] is not None:
            return SlaState.PAUSED
        return SlaState.WARNING if self.target - used <= warn_before else SlaState.RUNNING


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_hours(
    text: str, *, timezone: str = "Europe/Copenhagen", country: str | None = "DK"
) -> BusinessHours:
    """Business hours from a line people write: `mon-fri 08:00-16:00`, several parts with `;`
    (`mon-thu 8-16; fri 8-15`), `24/7` for around the clock (no holidays closed)."""
    text = text.strip().lower()
    if text in ("24/7", "always"):
        return BusinessHours(tuple(((0, DAY),) for _ in range(7)), timezone=timezone, country=None)
    weekly: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for part in filter(None, (p.strip() for p in text.split(";"))):
        try:
            days, spans = part.split(None, 1)
        except ValueError:
            raise ValueError(f"'{part}': write days and hours, e.g. mon-fri 08:00-16:00") from None
        for day in _day_range(days):
            for span in spans.replace(" ", "").split(","):
                opens, _, closes = span.partition("-")
                start, end = _minute(opens, part), _minute(closes, part, end=True)
                if end <= start:
                    raise ValueError(f"'{part}': {span} closes before it opens")
                weekly[day].append((start, end))
    return BusinessHours(
        tuple(tuple(sorted(spans)) for spans in weekly), timezone=timezone, country=country
    )


def _day_range(text: str) -> list[int]:
    days: list[int] = []
    for piece in text.split(","):
        first, _, last = piece.partition("-")
        if first[:3] not in _DAYS or (last and last[:3] not in _DAYS):
            raise ValueError(f"'{text}': days are mon, tue, wed, thu, fri, sat, sun")
        start = _DAYS.index(first[:3])
        end = _DAYS.index(last[:3]) if last else start
        days += list(range(start, end + 1)) if end >= start else [*range(start, 7), *range(end + 1)]
    return days


def _minute(text: str, part: str, end: bool = False) -> int:
    hours, _, minutes = text.partition(":")
    try:
        value = int(hours) * 60 + int(minutes or 0)
    except ValueError:
        raise ValueError(f"'{part}': write hours as 08:00-16:00") from None
    if not 0 <= value <= DAY or (value == DAY and not end) or int(minutes or 0) >= 60:
        raise ValueError(f"'{part}': {text} is not a time of day")
    return value


def describe_hours(hours: BusinessHours) -> str:
    """Business hours as `parse_hours` reads them (`mon-fri 08:00-16:00`)."""
    if hours.country is None and all(spans == ((0, DAY),) for spans in hours.weekly):
        return "24/7"
    parts: list[str] = []
    day = 0
    while day < 7:
        spans = hours.weekly[day]
        last = day
        while last + 1 < 7 and hours.weekly[last + 1] == spans:
            last += 1
        if spans:
            days = _DAYS[day] if last == day else f"{_DAYS[day]}-{_DAYS[last]}"
            times = ",".join(f"{_clock(a)}-{_clock(b)}" for a, b in spans)
            parts.append(f"{days} {times}")
        day = last + 1
    return "; ".join(parts) or "closed"


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_duration(text: str) -> timedelta:
    """A target people write: `4h`, `90m`, `1h30m` (open time, so no days)."""
    found = re.fullmatch(r"\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*", text.lower())
    if not text.strip() or found is None or not any(found.groups()):
        raise ValueError(f"'{text}' is not a duration: write 4h, 90m or 1h30m")
    return timedelta(hours=int(found.group(1) or 0), minutes=int(found.group(2) or 0))


def format_duration(value: timedelta) -> str:
    """A target as people write it, read back by `parse_duration`: 4h, 90m → 1h30m."""
    hours, minutes = divmod(int(value.total_seconds() // 60), 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes or not hours else "")
