"""Page health: is each own page alive, answering and keeping up? A page in a coma for two
years is a silent disaster, so the quiet ones come first.

`assess` reads one page's facts (its last own post and reply, the comments waiting for an
answer) against the workspace's rules and gives a score from 0 to 100 with the reasons for
every point taken off; a page with no own post for `dormant_days` is dormant.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from typing import Any

# Each threshold's allowed range, so a wrong value gets a message naming it.
RANGES: dict[str, tuple[int, int]] = {
    "dormant_days": (1, 3650),
    "reply_days": (1, 365),
    "unanswered": (0, 100_000),
    "wait_hours": (1, 8760),
}


@dataclass(frozen=True, slots=True)
class HealthRules:
    """When a page counts as dormant or slow (the workspace's thresholds)."""

    dormant_days: int = 14  # no own post for this long: dormant
    reply_days: int = 2  # comments waiting and no reply for this long: not answering
    unanswered: int = 10  # this many comments waiting: behind
    wait_hours: int = 24  # the oldest waiting comment this old: slow

    def __post_init__(self) -> None:
        for name, (low, high) in RANGES.items():
            value = getattr(self, name)
            if not low <= value <= high:
                raise ValueError(f"{name} must be between {low} and {high}, not {value}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any] | None) -> HealthRules:
        """Rules from stored or given values; a missing one keeps its default."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: int(v) for k, v in (values or {}).items() if k in known})


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What is known of one own page."""

    source_id: int
    name: str
    platform: str
    last_own_post: datetime | None  # the page's newest post of its own (not a reply)
    last_reply: datetime | None  # the page's newest reply in a conversation
    unanswered: int  # conversations waiting for the page's answer
    oldest_waiting: datetime | None


@dataclass(frozen=True, slots=True)
class PageHealth:
    facts: PageFacts
    score: int  # 0-100, higher is healthier
    dormant: bool
    reasons: tuple[str, ...]  # why points were taken off, the worst first
    days_since_own_post: int | None
    days_since_reply: int | None


def assess(facts: PageFacts, now: datetime, rules: HealthRules | None = None) -> PageHealth:
    """The page's score and reasons: dormant −50, not answering −20, behind −1 a waiting
    conversation over the threshold (at most −20), slow −10."""
    rules = rules or HealthRules()
    taken: list[tuple[int, str]] = []
    last = facts.last_own_post
    dormant = last is None or now - last >= timedelta(days=rules.dormant_days)
    if last is None:
        taken.append((50, "no own post yet"))
    elif dormant:
        taken.append(
            (50, f"no own post for {(now - last).days} days (dormant after {rules.dormant_days})")
        )
    if facts.unanswered:
        reply = facts.last_reply
        if reply is None or now - reply >= timedelta(days=rules.reply_days):
            since = "never replied" if reply is None else f"no reply for {(now - reply).days} days"
            taken.append((20, f"{since} while {facts.unanswered} conversations wait"))
        if facts.unanswered > rules.unanswered:
            over = facts.unanswered - rules.unanswered
            taken.append(
                (min(20, over), f"{facts.unanswered} conversations wait (over {rules.unanswered})")
            )
        oldest = facts.oldest_waiting
        if oldest is not None and now - oldest >= timedelta(hours=rules.wait_hours):
            hours = int((now - oldest).total_seconds() // 3600)
            waited = f"{hours} hours" if hours < 48 else f"{hours // 24} days"
            taken.append((10, f"the oldest has waited {waited} (over {rules.wait_hours} hours)"))
    taken.sort(key=lambda t: -t[0])
    score = max(0, 100 - sum(points for points, _ in taken))
    return PageHealth(
        facts,
        score,
        dormant,
        tuple(reason for _, reason in taken),
        None if last is None else max(0, (now - last).days),
        None if facts.last_reply is None else max(0, (now - facts.last_reply).days),
    )
