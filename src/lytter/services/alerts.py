"""Alerts: check a workspace for what a team should know now, keep one alert per incident, and
tell the subscribers (`lytter alert check`, and every round of `lytter run`).

The checks, each over the roll-ups or the analyses already stored:

- **emerging term**: a term the trends find growing in the last 24 hours (the workspace's
  trend thresholds);
- **volume spike**: today's posts at least `SPIKE_RATIO` times the daily mean of the 28 days
  before, and at least `SPIKE_MIN` posts;
- **sentiment drop**: the last 7 days' net sentiment at least `DROP_POINTS` points below the
  28 days before, each with at least `DROP_MIN` analysed posts;
- **SLA breach**: unresolved items past a target, per desk;
- **dormant page**: an own page past the workspace's dormant threshold (`lytter health`);
- **goal at risk**: a goal at risk with half its period gone, a ceiling passed, or the
  period just finished missed.

Delivery: every user sees the alerts they may see in the app (a page's alert only for those
who see the page); e-mail and webhook subscriptions (kinds chosen per subscription) get each
new alert once, retried up to `MAX_ATTEMPTS` times while sending fails.
"""

from __future__ import annotations

import json
import re
import secrets as random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import httpx2 as httpx

from lytter.domain.access import Actor, Permission
from lytter.domain.alerts import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Alert,
    AlertKind,
    Channel,
    Signal,
    Subscription,
    payload,
    sign,
)
from lytter.domain.goals import Kind, Status
from lytter.domain.metrics import PostSums, Scope, local_day
from lytter.domain.posts import PostFilter
from lytter.services import goals as goal_service
from lytter.services import health as health_service
from lytter.services import metrics as metric_service
from lytter.services import trends as trend_service
from lytter.services.access import actor_for, require
from lytter.services.errors import NotFound, UserError
from lytter.services.mail import Mailer
from lytter.services.secrets import decrypt, encrypt
from lytter.services.workspaces import workspace_by_id
from lytter.store.base import Store
from lytter.store.metrics import RollupFilter

SPIKE_RATIO = 3.0
SPIKE_MIN = 20
DROP_POINTS = 20.0
DROP_MIN = 20
MAX_ATTEMPTS = 5
EMERGING_LIMIT = 5


# -- the checks -----------------------------------------------------------------------------


def _day_posts(store: Store, ws: int, first: date, last: date) -> dict[date, PostSums]:
    return store.rollup_days(ws, first, last, RollupFilter(Scope.ALL, 0, None, None))


def volume_spike(store: Store, ws: int, now: datetime) -> list[Signal]:
    zone = metric_service.zone_of(store, ws)
    today = local_day(now, zone)
    days = _day_posts(store, ws, today - timedelta(days=28), today)
    posts = days.get(today, PostSums()).posts
    mean = sum(s.posts for d, s in days.items() if d != today) / 28
    if posts < SPIKE_MIN or posts < SPIKE_RATIO * mean:
        return []
    ratio = posts / mean if mean else None
    times = f"{ratio:.1f} times" if ratio else "far above"
    return [
        Signal(
            AlertKind.VOLUME_SPIKE,
            f"volume-spike:{today.isoformat()}",
            f"{posts} posts today, {times} the daily mean of the 28 days before ({mean:.1f})",
            {"day": today.isoformat(), "posts": posts, "mean": round(mean, 2)},
        )
    ]


def _net(sums: PostSums) -> float | None:
    return None if sums.analysed == 0 else 100 * (sums.positive - sums.negative) / sums.analysed


def sentiment_drop(store: Store, ws: int, now: datetime) -> list[Signal]:
    zone = metric_service.zone_of(store, ws)
    today = local_day(now, zone)
    recent, before = PostSums(), PostSums()
    for day, sums in _day_posts(store, ws, today - timedelta(days=34), today).items():
        (recent if day > today - timedelta(days=7) else before).add(sums)
    now_net, then_net = _net(recent), _net(before)
    if (
        now_net is None
        or then_net is None
        or recent.analysed < DROP_MIN
        or before.analysed < DROP_MIN
        or then_net - now_net < DROP_POINTS
    ):
        return []
    return [
        Signal(
            AlertKind.SENTIMENT_DROP,
            "sentiment-drop",
            f"net sentiment fell to {now_net:+.0f} in the last 7 days, from {then_net:+.0f} in "
            "the 28 days before",
            {"net": round(now_net, 1), "before": round(then_net, 1)},
        )
    ]


def sla_breaches(store: Store, ws: int, now: datetime) -> list[Signal]:
    names = {d.id: d.name for d in store.list_desks(ws)}
    found = []
    for desk_id, count in sorted(store.breached_per_desk(ws, now).items(), key=lambda t: t[0] or 0):
        desk = names.get(desk_id, "no desk") if desk_id is not None else "no desk"
        found.append(
            Signal(
                AlertKind.SLA_BREACH,
                f"sla-breach:desk:{desk_id or 0}",
                f"{count} open conversations on {desk} are past their SLA target",
                {"desk": desk, "count": count},
            )
        )
    return found


def dormant_pages(store: Store, ws: int, now: datetime) -> list[Signal]:
    rules = health_service.rules_of(store, ws)
    found = []
    for h in health_service.page_health(store, Actor.system(ws), rules, now):
        if not h.dormant:
            continue
        page = f"{h.facts.name} ({h.facts.platform})"
        days = h.days_since_own_post
        since = "has never posted" if days is None else f"has not posted for {days} days"
        found.append(
            Signal(
                AlertKind.DORMANT_PAGE,
                f"dormant-page:{h.facts.source_id}",
                f"{page} {since} (dormant after {rules.dormant_days})",
                {"page": page, "days": days, "dormant_days": rules.dormant_days},
                h.facts.source_id,
            )
        )
    return found


def goals_at_risk(store: Store, ws: int, now: datetime) -> list[Signal]:
    found = []
    for p in goal_service.all_progress(store, Actor.system(ws), history=1, now=now):
        g = p.goal
        current = p.current
        late = [
            r
            for r in (current,)
            if (r.status is Status.AT_RISK and r.elapsed >= 0.5) or r.status is Status.MISSED
        ]
        late += [r for r in p.history[:1] if r.status is Status.MISSED]
        for r in late[:1]:
            unit = {Kind.SHARE: " %", Kind.MINUTES: " min"}.get(g.measure.kind, "")
            shown = f"{r.value:g}" if g.measure.kind is Kind.COUNT else f"{r.value or 0:.1f}"
            value = "nothing" if r.value is None else f"{shown}{unit}"
            state = "missed" if r.status is Status.MISSED else "at risk"
            period = r.start.isoformat() if r.start == r.end else f"{r.start}..{r.end}"
            found.append(
                Signal(
                    AlertKind.GOAL_AT_RISK,
                    f"goal-at-risk:{g.id}:{r.start.isoformat()}",
                    f"goal '{g.name}' ({p.scope}) {state} for {period}: {value}, target "
                    f"{'at least' if g.comparison.value == 'at-least' else 'at most'} "
                    f"{g.target:g}{unit}",
                    {
                        "goal": g.name,
                        "scope": p.scope,
                        "status": r.status.value,
                        "start": r.start.isoformat(),
                        "end": r.end.isoformat(),
                        "value": r.value,
                        "target": g.target,
                    },
                    g.source_id,
                )
            )
    return found


def emerging_terms(store: Store, ws: int, now: datetime) -> list[Signal]:
    report = trend_service.trends(
        store,
        Actor.system(ws),
        PostFilter(ws, until=now),
        hours=24,
        limit=EMERGING_LIMIT,
        now=now,
    )
    return [
        Signal(
            AlertKind.EMERGING_TERM,
            f"emerging-term:{s.term.term}",
            f"'{s.term.term}' is emerging: {s.term.count} posts in {s.term.window} hours where "
            f"{s.term.expected:.1f} were expected",
            {
                "term": s.term.term,
                "count": s.term.count,
                "expected": round(s.term.expected, 2),
                "hours": s.term.window,
            },
        )
        for s in report.terms
    ]


CHECKS: dict[AlertKind, Callable[[Store, int, datetime], list[Signal]]] = {
    AlertKind.EMERGING_TERM: emerging_terms,
    AlertKind.VOLUME_SPIKE: volume_spike,
    AlertKind.SENTIMENT_DROP: sentiment_drop,
    AlertKind.SLA_BREACH: sla_breaches,
    AlertKind.DORMANT_PAGE: dormant_pages,
    AlertKind.GOAL_AT_RISK: goals_at_risk,
}


@dataclass(slots=True)
class CheckReport:
    opened: list[Alert] = field(default_factory=list)
    closed: list[Alert] = field(default_factory=list)
    sent: int = 0
    failed: list[str] = field(default_factory=list)  # one line per delivery that failed


def check(
    store: Store,
    workspace_id: int,
    *,
    kinds: Sequence[AlertKind] | None = None,
    mailer: Mailer | None = None,
    client: httpx.Client | None = None,
    now: datetime | None = None,
) -> CheckReport:
    """Run the checks, open and close alerts, and deliver what is new."""
    at = now or store.clock()
    wanted = list(kinds or CHECKS)
    metric_service.refresh(store, workspace_id)  # the checks read the roll-ups
    signals: list[Signal] = []
    for kind in wanted:
        signals += CHECKS[kind](store, workspace_id, at)
    opened, closed = store.sync_alerts(workspace_id, wanted, signals)
    report = CheckReport(opened, closed)
    deliver(store, workspace_id, report, mailer=mailer, client=client)
    return report


# -- delivery -------------------------------------------------------------------------------


def deliver(
    store: Store,
    workspace_id: int,
    report: CheckReport | None = None,
    *,
    mailer: Mailer | None = None,
    client: httpx.Client | None = None,
) -> CheckReport:
    """Send every open alert to each subscription that wants it and has not had it (made
    after the subscription; failed ones again, up to MAX_ATTEMPTS)."""
    report = report or CheckReport()
    subscriptions = store.list_subscriptions(workspace_id)
    if not subscriptions:
        return report
    pending = store.list_alerts(workspace_id, open_only=True, limit=1000)
    done = store.deliveries([a.id for a in pending])
    users = {u.id: u for u in store.list_users(workspace_id)}
    workspace = workspace_by_id(store, workspace_id).name
    own_client = client is None
    http = client or httpx.Client(timeout=10.0)
    try:
        for sub in subscriptions:
            user = users.get(sub.user_id)
            if user is None:
                continue
            actor = actor_for(store, user)
            for alert in sorted(pending, key=lambda a: a.id):
                status, attempts = done.get((alert.id, sub.id), ("", 0))
                if (
                    status == "sent"
                    or attempts >= MAX_ATTEMPTS
                    or alert.opened_at < sub.created_at
                    or not sub.wants(alert.kind)
                    or (alert.source_id is not None and not actor.sees_source(alert.source_id))
                ):
                    continue
                try:
                    if sub.channel is Channel.EMAIL:
                        _mail(mailer or Mailer.from_env(), sub, alert, workspace)
                    else:
                        _post(http, sub, alert, workspace)
                except (OSError, httpx.HTTPError, RuntimeError) as e:
                    store.record_delivery(alert.id, sub.id, "failed", str(e) or type(e).__name__)
                    report.failed.append(f"alert {alert.id} to {sub.address}: {e}")
                else:
                    store.record_delivery(alert.id, sub.id, "sent", None)
                    report.sent += 1
    finally:
        if own_client:
            http.close()
    return report


def _mail(mailer: Mailer, sub: Subscription, alert: Alert, workspace: str) -> None:
    lines = [alert.title, "", f"Workspace: {workspace}", f"Kind: {alert.kind.value}"]
    lines += [f"{k}: {v}" for k, v in alert.details.items()]
    lines += ["", f"Opened {alert.opened_at:%Y-%m-%d %H:%M} UTC. Lytter tells you once."]
    mailer.send(sub.address, f"[Lytter] {alert.title}", "\n".join(lines))


def _post(http: httpx.Client, sub: Subscription, alert: Alert, workspace: str) -> None:
    body = json.dumps(payload(alert, workspace), ensure_ascii=False).encode()
    timestamp = str(int(alert.opened_at.timestamp()))
    headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: timestamp}
    if sub.secret:
        headers[SIGNATURE_HEADER] = sign(decrypt(sub.secret), timestamp, body)
    response = http.post(sub.address, content=body, headers=headers)
    if response.status_code >= 300:
        raise RuntimeError(f"the webhook answered {response.status_code}")


# -- what people do -------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_kinds(text: str | Sequence[str] | None) -> list[AlertKind] | None:
    """Kinds from 'dormant-page,sla-breach' (None or 'all': every kind)."""
    if text is None:
        return None
    names = text.split(",") if isinstance(text, str) else list(text)
    names = [n.strip().lower().replace("_", "-") for n in names if n.strip()]
    if not names or names == ["all"]:
        return None
    known = [k.value for k in AlertKind]
    wrong = [n for n in names if n not in known]
    if wrong:
        raise UserError(
            "'{given}' is not a kind of alert: choose from {known}",
            field="kinds",
            given=",".join(wrong),
            known=", ".join(known),
        )
    return [AlertKind(n) for n in names]


def _me(actor: Actor) -> int:
    if actor.user is None:
        raise UserError("alerts are per user: act as one (--as EMAIL)", field="user")
    return actor.user.id


def subscribe(
    store: Store,
    actor: Actor,
    channel: str,
    address: str | None = None,
    kinds: str | Sequence[str] | None = None,
) -> tuple[Subscription, str | None]:
    """Subscribe the acting user by e-mail (their own address unless given) or webhook; the
    webhook's signing secret is returned once, in plain text."""
    require(actor, Permission.READ)
    user_id = _me(actor)
    assert actor.user is not None
    chosen = parse_kinds(kinds)
    secret = None
    if channel == Channel.EMAIL.value:
        address = (address or actor.user.email).strip()
        if not _EMAIL.match(address):
            raise UserError(
                "'{address}' is not an e-mail address", field="address", address=address
            )
    elif channel == Channel.WEBHOOK.value:
        address = (address or "").strip()
        parts = urlsplit(address)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UserError(
                "a webhook needs an http(s) URL, not '{address}'", field="address", address=address
            )
        secret = random.token_urlsafe(24)
    else:
        raise UserError(
            "alerts go by email or webhook, not '{channel}'", field="channel", channel=channel
        )
    sub = store.add_subscription(
        actor.workspace_id,
        user_id,
        Channel(channel),
        address,
        chosen,
        None if secret is None else encrypt(secret),
    )
    return sub, secret


def subscriptions(store: Store, actor: Actor) -> list[Subscription]:
    require(actor, Permission.READ)
    return store.list_subscriptions(actor.workspace_id, _me(actor))


def unsubscribe(store: Store, actor: Actor, subscription_id: int) -> None:
    mine = {s.id for s in subscriptions(store, actor)}
    if subscription_id not in mine:
        raise NotFound("you have no subscription {id}", field="subscription", id=subscription_id)
    store.delete_subscription(subscription_id)


@dataclass(frozen=True, slots=True)
class SeenAlert:
    alert: Alert
    read: bool


def inbox(
    store: Store, actor: Actor, *, open_only: bool = False, limit: int = 50
) -> list[SeenAlert]:
    """The alerts the actor may see, the newest first, with whether they have read each."""
    require(actor, Permission.READ)
    found = [
        a
        for a in store.list_alerts(actor.workspace_id, open_only=open_only, limit=limit * 4)
        if a.source_id is None or actor.sees_source(a.source_id)
    ][:limit]
    read = (
        store.read_alert_ids(actor.user.id, [a.id for a in found])
        if actor.user is not None
        else set()
    )
    return [SeenAlert(a, a.id in read) for a in found]


def mark_read(store: Store, actor: Actor, alert_ids: Sequence[int] | None = None) -> int:
    """Mark these alerts (or every one the actor sees) read; how many were unread."""
    user_id = _me(actor)
    visible = {s.alert.id for s in inbox(store, actor, limit=1000)}
    ids = visible if alert_ids is None else set(alert_ids)
    unknown = ids - visible
    if unknown:
        raise NotFound("there is no alert {id}", field="alert", id=min(unknown))
    return store.mark_alerts_read(user_id, sorted(ids))
