"""Metrics over any period and granularity, per workspace, brand, page, desk, person, platform
and saved query (`lytter metrics`, GET /api/v1/metrics, the Measure page).

`metrics` reads the roll-ups (lytter.store.metrics), recomputing first whatever changed since;
`raw_metrics` computes the same numbers from the raw rows, to check the roll-ups against and
as the benchmark's baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from lytter.domain.access import Actor, Permission
from lytter.domain.inbox import Desk, InboxItem, ItemEvent, Priority, SlaPolicy, sla_clocks
from lytter.domain.metrics import (
    Granularity,
    ItemFact,
    MetricFilter,
    Metrics,
    Period,
    PostSums,
    Scope,
    Totals,
    VoiceShare,
    bucket_of,
    buckets,
    local_day,
    parse_period,
)
from lytter.domain.sla import SlaClock, SlaState
from lytter.services import desks as desk_service
from lytter.services import inbox, queries
from lytter.services.access import require
from lytter.services.dates import zone_named
from lytter.services.errors import NotFound, UserError
from lytter.store.base import Store
from lytter.store.metrics import FactsOf, ItemFilter, RollupFilter

_STATES = {
    SlaState.MET: "met",
    SlaState.MISSED: "missed",
    SlaState.BREACHED: "breached",
    SlaState.PAUSED: "paused",
    SlaState.RUNNING: "running",
    SlaState.WARNING: "running",
}


def zone_of(store: Store, workspace_id: int) -> ZoneInfo:
    workspace = store.workspace(workspace_id)
    return zone_named(workspace.timezone if workspace is not None else "Europe/Copenhagen")


def period_named(store: Store, actor: Actor, text: str) -> Period:
    """The period `text` names (lytter.domain.metrics.parse_period), today being the
    workspace's today; UserError with examples otherwise."""
    today = store.clock().astimezone(zone_of(store, actor.workspace_id)).date()
    try:
        return parse_period(text, today)
    except ValueError as e:
        raise UserError("{problem}", field="period", problem=str(e)) from None


def granularity_named(text: str) -> Granularity:
    try:
        return Granularity(text.strip().lower())
    except ValueError:
        raise UserError(
            "granularity '{value}' is not day, week or month", field="granularity", value=text
        ) from None


# -- keeping the roll-ups ------------------------------------------------------------------


def item_fact(
    item: InboxItem,
    events: list[ItemEvent],
    zone: ZoneInfo,
    desks: dict[int, Desk],
    policies: dict[tuple[int, Priority], SlaPolicy],
    now: datetime,
) -> ItemFact:
    """How metrics count one inbox item, its SLA targets as they stand at `now`."""
    first_state = first_due = resolution_state = resolution_due = None
    policy = policies.get((item.desk_id, item.priority)) if item.desk_id is not None else None
    if policy is not None and item.desk_id in desks:
        hours = desk_service.hours_of(desks[item.desk_id])
        first, resolution = sla_clocks(item, events, policy)

        def state(clock: SlaClock | None) -> tuple[str | None, datetime | None]:
            if clock is None:
                return None, None
            now_state = _STATES[clock.state(hours, now, policy.warn_before)]
            return now_state, clock.due(hours) if now_state == "running" else None

        first_state, first_due = state(first)
        resolution_state, resolution_due = state(resolution)

    def seconds(at: datetime | None) -> int | None:
        return None if at is None else int((at - item.created_at).total_seconds())

    return ItemFact(
        item.id,
        local_day(item.created_at, zone),
        item.source_id,
        item.platform,
        item.desk_id,
        item.assignee_id,
        seconds(item.first_response_at),
        seconds(item.resolved_at),
        first_state,
        first_due,
        resolution_state,
        resolution_due,
    )


def _facts_of(store: Store, workspace_id: int, zone: ZoneInfo) -> FactsOf:
    known: list[tuple[dict[int, Desk], dict[tuple[int, Priority], SlaPolicy]]] = []

    def facts(items: Sequence[InboxItem], events: dict[int, list[ItemEvent]]) -> list[ItemFact]:
        if not known:  # read once, inside the refresh (after its lock)
            known.append(
                (
                    {d.id: d for d in store.list_desks(workspace_id)},
                    {(p.desk_id, p.priority): p for p in store.sla_policies(workspace_id)},
                )
            )
        by_id, policies = known[0]
        now = store.clock()
        return [item_fact(i, events[i.id], zone, by_id, policies, now) for i in items]

    return facts


def refresh(
    store: Store, workspace_id: int, progress: Callable[[int, int], None] | None = None
) -> tuple[int, int]:
    """Bring the workspace's roll-ups up to date: (days recomputed, items recomputed)."""
    if not store.metrics_stale(workspace_id):
        return 0, 0
    zone = zone_of(store, workspace_id)
    return store.refresh_metrics(
        workspace_id, zone, inbox.is_page, _facts_of(store, workspace_id, zone), progress
    )


def rebuild(
    store: Store, actor: Actor, progress: Callable[[int, int], None] | None = None
) -> tuple[int, int]:
    """Recompute every roll-up of the workspace (after its time zone changed)."""
    require(actor, Permission.MANAGE_USERS)
    store.forget_metrics(actor.workspace_id)
    return refresh(store, actor.workspace_id, progress)


# -- choosing what to count --------------------------------------------------------------


def find_page(store: Store, actor: Actor, page: str) -> int:
    """A page (source) the actor sees, by its id or name (the first by id when two pages
    share a name)."""
    wanted = page.strip()
    for s in store.list_sources(actor.workspace_id):
        if (str(s.id) == wanted or s.name.casefold() == wanted.casefold()) and actor.sees_source(
            s.id
        ):
            return s.id
    raise NotFound("there is no page '{name}'", field="page", name=page)


def metric_filter(
    store: Store,
    actor: Actor,
    *,
    page: str | None = None,
    brand: str | None = None,
    platform: str | None = None,
    query: str | None = None,
    voice_of: str | None = None,
    desk: str | None = None,
    person: str | None = None,
) -> MetricFilter:
    """A filter from the names people use: a page (id or name), a brand (its pages), a
    platform, a saved query, a brand's saved queries (`voice_of`), a desk, a person (e-mail)."""
    require(actor, Permission.READ)
    ws = actor.workspace_id
    source_ids: set[int] | None = None
    if page is not None:
        found = [
            s
            for s in store.list_sources(ws)
            if str(s.id) == page.strip() or s.name.casefold() == page.strip().casefold()
        ]
        if not found:
            raise NotFound("there is no page '{name}'", field="page", name=page)
        source_ids = {s.id for s in found}
    brands = {b.name.casefold(): b for b in store.list_brands(ws)}

    def brand_named(name: str, field: str) -> int:
        b = brands.get(name.strip().casefold())
        if b is None:
            raise NotFound("there is no brand '{name}'", field=field, name=name)
        return b.id

    if brand is not None:
        brand_id = brand_named(brand, "brand")
        pages = {s.id for s in store.list_sources(ws) if s.brand_id == brand_id}
        source_ids = pages if source_ids is None else source_ids & pages
    if actor.source_ids is not None:
        source_ids = set(actor.source_ids) if source_ids is None else source_ids & actor.source_ids
    query_id = None
    if query is not None:
        query_id = queries._find(store, actor, query).id
    desk_id = None
    if desk is not None:
        desk_id = desk_service.find_desk(store, actor, desk).id
    assignee_id = None
    if person is not None:
        user = store.find_user(person.strip())
        if user is None or user.workspace_id != ws:
            raise NotFound("there is no user '{email}'", field="person", email=person)
        assignee_id = user.id
    return MetricFilter(
        frozenset(source_ids) if source_ids is not None else None,
        platform.strip().lower() if platform else None,
        query_id,
        brand_named(voice_of, "voice_of") if voice_of is not None else None,
        desk_id,
        assignee_id,
    )


def _rollup_filter(filt: MetricFilter) -> RollupFilter:
    scope, scope_id = filt.scope
    return RollupFilter(scope, scope_id, filt.source_ids, filt.platform)


def _item_filter(filt: MetricFilter) -> ItemFilter:
    return ItemFilter(filt.source_ids, filt.platform, filt.desk_id, filt.assignee_id)


def _spans(period: Period, granularity: Granularity) -> list[tuple[date, date]]:
    found = []
    for start in buckets(period, granularity):
        following = _next(start, granularity)
        found.append((max(start, period.start), min(following - timedelta(days=1), period.end)))
    return found


def _next(start: date, granularity: Granularity) -> date:
    if granularity is Granularity.DAY:
        return start + timedelta(days=1)
    if granularity is Granularity.WEEK:
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def _voice(store: Store, ws: int, counts: dict[int, int]) -> list[VoiceShare]:
    whole = sum(counts.values())
    found = []
    for b in store.list_brands(ws):
        has_queries = b.id in counts
        if not has_queries:
            continue
        found.append(
            VoiceShare(b.id, b.name, b.kind, counts[b.id], counts[b.id] / whole if whole else None)
        )
    return sorted(found, key=lambda v: (v.kind != "own", -v.posts, v.brand))


# -- reading them --------------------------------------------------------------------------


def metrics(
    store: Store,
    actor: Actor,
    period: Period,
    granularity: Granularity = Granularity.DAY,
    filt: MetricFilter | None = None,
) -> Metrics:
    """The period's numbers from the roll-ups (brought up to date first)."""
    require(actor, Permission.READ)
    filt = filt or metric_filter(store, actor)
    ws = actor.workspace_id
    refresh(store, ws)
    spans = _spans(period, granularity)
    where = _rollup_filter(filt)
    series = [Totals(start) for start in buckets(period, granularity)]
    total = Totals(period.start)
    if filt.counts_posts:
        by_bucket = {t.start: t for t in series}
        for day, sums in store.rollup_days(ws, period.start, period.end, where).items():
            by_bucket[bucket_of(day, granularity)].posts.add(sums)
            total.posts.add(sums)
        counts = store.unique_authors(ws, [*spans, (period.start, period.end)], where)
        for t, n in zip(series, counts, strict=False):
            t.unique_authors = n
        total.unique_authors = counts[-1]
    if filt.counts_items:
        now = store.clock()
        by_bucket = {t.start: t for t in series}
        for fact in store.facts(ws, period.start, period.end, _item_filter(filt)):
            by_bucket[bucket_of(fact.day, granularity)].items.count(fact, now)
            total.items.count(fact, now)
    voice = (
        _voice(store, ws, store.voice(ws, period.start, period.end, where))
        if filt.counts_posts
        else []
    )
    return Metrics(period, granularity, total, series, voice)


def raw_metrics(
    store: Store,
    actor: Actor,
    period: Period,
    granularity: Granularity = Granularity.DAY,
    filt: MetricFilter | None = None,
) -> Metrics:
    """The same numbers as `metrics`, computed from the raw posts, analyses, matches and
    inbox items (with each item's SLA as the inbox shows it now)."""
    require(actor, Permission.READ)
    filt = filt or metric_filter(store, actor)
    ws = actor.workspace_id
    zone = zone_of(store, ws)
    start, end = period.bounds(zone)
    where = _rollup_filter(filt)
    series = {b: Totals(b) for b in buckets(period, granularity)}
    total = Totals(period.start)
    if filt.counts_posts:
        writers: dict[date, set[int]] = {b: set() for b in series}
        everyone: set[int] = set()
        for p in store.raw_posts(ws, start, end, where, inbox.is_page):
            b = bucket_of(local_day(p.created_at, zone), granularity)
            sums = PostSums(
                1,
                1 if p.own else 0,
                1 if p.reply else 0,
                p.likes,
                p.comments,
                p.shares,
                p.views,
                0 if p.sentiment is None else 1,
                1 if p.sentiment == "positive" else 0,
                1 if p.sentiment == "negative" else 0,
                1 if p.own and p.reply else 0,
            )
            series[b].posts.add(sums)
            total.posts.add(sums)
            if p.author_id is not None:
                writers[b].add(p.author_id)
                everyone.add(p.author_id)
        for b, found in writers.items():
            series[b].unique_authors = len(found)
        total.unique_authors = len(everyone)
    if filt.counts_items:
        _raw_items(store, actor, filt, zone, start, end, granularity, series, total)
    voice: list[VoiceShare] = []
    if filt.counts_posts:
        counts: dict[int, int] = {}
        for brand in store.list_brands(ws):
            limit = RollupFilter(Scope.BRAND, brand.id, filt.source_ids, filt.platform)
            n = len(list(store.raw_posts(ws, start, end, limit, inbox.is_page)))
            if n:
                counts[brand.id] = n
        voice = _voice(store, ws, counts)
    return Metrics(period, granularity, total, list(series.values()), voice)


def _raw_items(
    store: Store,
    actor: Actor,
    filt: MetricFilter,
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
    granularity: Granularity,
    series: dict[date, Totals],
    total: Totals,
) -> None:
    found = [
        i
        for i in store.raw_items(actor.workspace_id, start, end)
        if (filt.source_ids is None or i.source_id in filt.source_ids)
        and (filt.platform is None or i.platform == filt.platform)
        and (filt.desk_id is None or i.desk_id == filt.desk_id)
        and (filt.assignee_id is None or i.assignee_id == filt.assignee_id)
    ]
    system = Actor.system(actor.workspace_id)
    slas = inbox.item_slas(store, system, found)
    now = store.clock()
    for item, sla in zip(found, slas, strict=True):

        def seconds(at: datetime | None, item: InboxItem = item) -> int | None:
            return None if at is None else int((at - item.created_at).total_seconds())

        def state(target: inbox.SlaTarget | None) -> str | None:
            return None if target is None else _STATES[target.state]

        fact = ItemFact(
            item.id,
            local_day(item.created_at, zone),
            item.source_id,
            item.platform,
            item.desk_id,
            item.assignee_id,
            seconds(item.first_response_at),
            seconds(item.resolved_at),
            state(sla.first_response if sla else None),
            None,
            state(sla.resolution if sla else None),
            None,
        )
        b = bucket_of(fact.day, granularity)
        series[b].items.count(fact, now)
        total.items.count(fact, now)
