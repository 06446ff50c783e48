"""Watching the inbox's SLA clocks: a warning before a breach, the breach itself as an event,
and an escalation to the desk's managers.

`watch` runs in the collector's loop (`lytter run`) and as `lytter inbox watch`. Each item on
a desk with targets for its priority is looked at once per run: when a target comes within
its warning time, the item's history gets `sla_warning`; when it passes, `sla_breached`, and
the breach is escalated: the item's priority goes up to high (unless it is higher), and the
desk's managers (its members who are managers or admins; else the workspace's managers and
admins who see the page) are told by e-mail. Each warning and breach is written once per
clock (a target's due time names it), so running again tells nobody twice.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from lytter.domain.access import PAGE_SCOPED_ROLES, Actor, Permission
from lytter.domain.inbox import Desk, InboxItem, ItemEvent, ItemState, Priority
from lytter.domain.sla import SlaState
from lytter.domain.users import Role, User
from lytter.services import desks as desk_service
from lytter.services import inbox
from lytter.services.access import require
from lytter.services.mail import Mailer
from lytter.store.base import Store

WATCHED = (ItemState.NEW, ItemState.OPEN, ItemState.SNOOZED)
"""Pending items wait for the customer: their clocks stand still, so they are not watched."""
_PAGE = 1_000
_RANK = [Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT]


@dataclass
class WatchReport:
    warned: list[int] = field(default_factory=list)  # item ids
    breached: list[int] = field(default_factory=list)
    escalated: list[tuple[int, list[str], str]] = field(default_factory=list)  # (item, to, status)


def _managers(store: Store, item: InboxItem, members: tuple[int, ...]) -> list[User]:
    """Whom a breach goes to: the desk's members who are managers or admins, else every
    manager and admin of the workspace who sees the item's page."""
    users = store.list_users(item.workspace_id)
    leads = [u for u in users if u.id in members and u.role in (Role.MANAGER, Role.ADMIN)]
    if leads:
        return leads
    grants = store.grants(item.workspace_id)
    return [
        u
        for u in users
        if u.role in (Role.MANAGER, Role.ADMIN)
        and (u.role not in PAGE_SCOPED_ROLES or item.source_id in grants.get(u.id, []))
    ]


def watch(
    store: Store,
    actor: Actor,
    *,
    mailer: Mailer | None = None,
    progress: Callable[[int], None] | None = None,
) -> WatchReport:
    """Warn about targets near their breach, record breaches once and escalate them."""
    require(actor, Permission.ACT)
    report = WatchReport()
    by_id = {d.id: d for d in desk_service.list_desks(store, actor)}
    policies = desk_service.policies(store, actor)
    if not policies:
        return report
    offset, seen = 0, 0
    while page := store.inbox_items(actor.workspace_id, states=WATCHED, limit=_PAGE, offset=offset):
        offset += len(page)
        counted = [i for i in page if (i.desk_id or 0, i.priority) in policies]
        events = store.items_events([i.id for i in counted])  # one read per page
        for item in counted:
            history = events[item.id]
            status = inbox.item_sla(store, actor, item, known=(by_id, policies), events=history)
            if status is None:
                continue
            _look(store, actor, item, status, history, by_id, mailer, report)
        seen += len(page)
        if progress:
            progress(seen)
    return report


def _look(
    store: Store,
    actor: Actor,
    item: InboxItem,
    status: inbox.ItemSla,
    events: list[ItemEvent],
    by_id: dict[int, Desk],
    mailer: Mailer | None,
    report: WatchReport,
) -> None:
    done = {
        (e.kind, e.details.get("target"), e.details.get("due"))
        for e in events
        if e.kind in ("sla_warning", "sla_breached")
    }
    for target, clock in (
        ("first_response", status.first_response),
        ("resolution", status.resolution),
    ):
        if clock is None or clock.due is None:
            continue
        due = clock.due.isoformat()
        if clock.state == SlaState.WARNING and ("sla_warning", target, due) not in done:
            store.change_item(
                item.id, {}, actor.name, "sla_warning", {"target": target, "due": due}
            )
            report.warned.append(item.id)
        elif clock.state == SlaState.BREACHED and ("sla_breached", target, due) not in done:
            _breach(store, actor, item, target, clock.due, by_id, mailer, report)


def _breach(
    store: Store,
    actor: Actor,
    item: InboxItem,
    target: str,
    due: datetime,
    by_id: dict[int, Desk],
    mailer: Mailer | None,
    report: WatchReport,
) -> None:
    fields: dict[str, str] = {}
    if _RANK.index(item.priority) < _RANK.index(Priority.HIGH):
        fields["priority"] = Priority.HIGH.value
    details = {"target": target, "due": due.isoformat()}
    if fields:
        details["priority"] = Priority.HIGH.value
    store.change_item(item.id, fields, actor.name, "sla_breached", details)
    report.breached.append(item.id)
    desk = by_id.get(item.desk_id or 0)
    leads = _managers(store, item, desk.members if desk else ())
    to = [u.email for u in leads]
    status = "nobody to tell: the desk has no manager"
    if to:
        name = desk.name if desk else "?"
        what = "første svar" if target == "first_response" else "løsning"
        body = (
            f"Sag {item.id} på bordet {name} har overskredet svarfristen for {what} "
            f"({due:%Y-%m-%d %H:%M} UTC).\n"
            f"Inbox item {item.id} on the desk {name} missed its "
            f"{target.replace('_', ' ')} target ({due:%Y-%m-%d %H:%M} UTC).\n\n"
            f"lytter inbox show {item.id}\n"
        )
        try:
            sent = (mailer or Mailer.from_env()).send(
                ", ".join(to), f"Overskredet svarfrist: sag {item.id}", body
            )
            status = f"sent {sent}"
        except (OSError, smtplib.SMTPException) as exc:
            status = f"failed: {exc}"[:300]
    store.change_item(item.id, {}, actor.name, "escalated", {"to": to, "mail": status})
    report.escalated.append((item.id, to, status))
