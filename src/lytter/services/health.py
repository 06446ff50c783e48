"""Page health for many pages at once: each own page's last own post and reply, the
conversations waiting for it, a score with its reasons, the worst first (`lytter health`)."""

from __future__ import annotations

from datetime import datetime

from lytter.domain.access import Actor, Permission
from lytter.domain.health import HealthRules, PageFacts, PageHealth, assess
from lytter.services import metrics
from lytter.services.access import require
from lytter.services.inbox import is_page
from lytter.store.base import Store


def page_health(
    store: Store, actor: Actor, rules: HealthRules | None = None, now: datetime | None = None
) -> list[PageHealth]:
    """The health of every own page the actor sees, the worst first (dormant, then by score,
    then the longest silent)."""
    require(actor, Permission.READ)
    at = now or store.clock()
    waiting = store.waiting_per_source(actor.workspace_id)
    names: dict[int, tuple[str, str]] = {}
    own: dict[int, list[datetime]] = {}
    replies: dict[int, list[datetime]] = {}
    metrics.refresh(store, actor.workspace_id)  # page_activity reads the roll-ups
    zone = metrics.zone_of(store, actor.workspace_id)
    for row in store.page_activity(actor.workspace_id, zone):
        if not actor.sees_source(row.source_id):
            continue
        names[row.source_id] = (row.page_name, row.platform)
        if is_page(row.author_handle, row.page_handle, row.page_name):
            if row.last_post is not None:
                own.setdefault(row.source_id, []).append(row.last_post)
            if row.last_reply is not None:
                replies.setdefault(row.source_id, []).append(row.last_reply)
    found = []
    for source_id, (name, platform) in names.items():
        count, oldest = waiting.get(source_id, (0, None))
        facts = PageFacts(
            source_id,
            name,
            platform,
            max(own.get(source_id, []), default=None),
            max(replies.get(source_id, []), default=None),
            count,
            oldest,
        )
        found.append(assess(facts, at, rules))
    return sorted(
        found,
        key=lambda h: (
            not h.dormant,
            h.score,
            -(h.days_since_own_post if h.days_since_own_post is not None else 10**6),
            h.facts.name,
        ),
    )
