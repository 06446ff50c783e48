"""Page health for many pages at once: each own page's last own post and reply, the
conversations waiting for it, a score with its reasons, the worst first (`lytter health`)."""

from __future__ import annotations

from datetime import datetime

from lytter.domain.access import Actor, Permission
from lytter.domain.health import RANGES, HealthRules, PageFacts, PageHealth, assess
from lytter.services import metrics
from lytter.services.access import require
from lytter.services.errors import UserError
from lytter.services.inbox import is_page
from lytter.services.workspaces import workspace_by_id
from lytter.store.base import Store


def rules_of(store: Store, workspace_id: int) -> HealthRules:
    """The workspace's own thresholds (the defaults until someone saves theirs)."""
    return workspace_by_id(store, workspace_id).health


def changed(rules: HealthRules, **changes: int | None) -> HealthRules:
    """`rules` with `changes` made (None leaves a threshold as it is); a UserError naming
    the threshold when a value is out of range."""
    values = rules.as_dict()
    for name, value in changes.items():
        if name not in RANGES:
            raise UserError("there is no health threshold '{name}'", field=name, name=name)
        if value is None:
            continue
        low, high = RANGES[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise UserError(
                "{name} must be a whole number from {low} to {high}, not {given}",
                field=name,
                name=name,
                low=low,
                high=high,
                given=value,
            )
        values[name] = value
    return HealthRules.from_dict(values)


def set_health_settings(store: Store, actor: Actor, **changes: int | None) -> HealthRules:
    """Keeps the workspace's page-health thresholds with `changes` made."""
    require(actor, Permission.MANAGE_SOURCES)
    rules = changed(rules_of(store, actor.workspace_id), **changes)
    store.set_health_settings(actor.workspace_id, rules)
    return rules


def page_health(
    store: Store, actor: Actor, rules: HealthRules | None = None, now: datetime | None = None
) -> list[PageHealth]:
    """The health of every own page the actor sees, the worst first (dormant, then by score,
    then the longest silent), by `rules` or else the workspace's own."""
    require(actor, Permission.READ)
    rules = rules or rules_of(store, actor.workspace_id)
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
