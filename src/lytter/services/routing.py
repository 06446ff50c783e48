"""Routing: new inbox items go to a desk or person by the workspace's ordered rules, each
with the reason written in its history; a dry run shows what a new rule would have done.

A rule's conditions look at the item's page and platform and at its customers' posts: the
saved queries they match, their language and tone, their authors and the authors' types
(critic, troll, ambassador), words in the query language, and when the item came in. Its
actions put the item on a desk, give it to a person (or to the desk's members on shift in
turn, or to the one with the fewest open items), and set priority, tags and a note.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

from lytter.domain.access import Actor, Permission
from lytter.domain.inbox import InboxItem, Priority
from lytter.domain.routing import (
    ASSIGN_MODES,
    Actions,
    Conditions,
    Decision,
    ItemFacts,
    Names,
    RoutingRule,
    RuleIndex,
)
from lytter.domain.sla import BusinessHours, parse_hours
from lytter.querylang import parse
from lytter.querylang.batch import BatchMatcher
from lytter.querylang.document import Document
from lytter.services import desks
from lytter.services.access import require
from lytter.services.errors import NotFound, UserError
from lytter.services.sources import resolve_sources
from lytter.store.base import Store

DRY_RUN_DAYS = 7
_CHUNK = 2_000  # items read at a time


@dataclass(frozen=True, slots=True)
class RuleDraft:
    """A rule as people write it: pages, queries, desks and people by name."""

    name: str
    pages: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    queries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sentiments: tuple[str, ...] = ()
    author_types: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    keywords: str | None = None
    hours: str | None = None
    desk: str | None = None
    user: str | None = None
    assign: str | None = None
    priority: str | None = None
    tags: tuple[str, ...] = ()
    note: str | None = None


def _resolve(store: Store, actor: Actor, draft: RuleDraft) -> tuple[Conditions, Actions]:
    """The draft's conditions and actions by id, each name checked."""
    name = draft.name.strip()
    if not name:
        raise UserError("a routing rule needs a name", field="name")
    sources = tuple(s.id for s in resolve_sources(store, actor.workspace_id, list(draft.pages)))
    saved = {q.name.casefold(): q.id for q in store.list_queries(actor.workspace_id)}
    ids = {str(q): q for q in saved.values()}
    query_ids: list[int] = []
    for ref in draft.queries:
        found = saved.get(ref.strip().casefold(), ids.get(ref.strip()))
        if found is None:
            raise NotFound("no saved query '{ref}'", ref=ref)
        query_ids.append(found)
    if draft.keywords:
        parse(draft.keywords)  # a QueryError with a caret when it is not a query
    if draft.hours:
        try:
            parse_hours(draft.hours)
        except ValueError as exc:
            raise UserError("{problem}", problem=str(exc), field="hours") from None
    for value, allowed, what in (
        (draft.sentiments, ("negative", "neutral", "positive"), "sentiment"),
        (draft.author_types, ("critic", "troll", "ambassador", "none"), "author type"),
    ):
        wrong = [v for v in value if v not in allowed]
        if wrong:
            raise UserError(
                "unknown {what} '{value}': use {allowed}",
                what=what,
                value=wrong[0],
                allowed=", ".join(allowed),
                field=what.replace(" ", "_"),
            )
    desk = None if draft.desk is None else desks.find_desk(store, actor, draft.desk)
    user_id = None
    if draft.user is not None:
        user = store.find_user(draft.user.strip().lower())
        if user is None or user.workspace_id != actor.workspace_id:
            raise NotFound("no user {email} in this workspace", email=draft.user)
        user_id = user.id
    if draft.assign is not None and (draft.assign not in ASSIGN_MODES or desk is None):
        raise UserError(
            "assign takes round_robin or least_loaded, among the members of the rule's desk",
            field="assign",
        )
    priority = None
    if draft.priority is not None:
        try:
            priority = Priority(draft.priority.lower())
        except ValueError:
            raise UserError(
                "unknown priority '{priority}': use low, normal, high or urgent",
                priority=draft.priority,
                field="priority",
            ) from None
    actions = Actions(
        desk.id if desk else None,
        user_id,
        draft.assign,
        priority,
        tuple(t.strip() for t in draft.tags if t.strip()),
        draft.note.strip() if draft.note else None,
    )
    if not actions.as_dict():
        raise UserError("a routing rule must do something: a desk, a person, a priority, tags")
    conditions = Conditions(
        sources,
        tuple(p.lower() for p in draft.platforms),
        tuple(query_ids),
        tuple(lang.lower() for lang in draft.languages),
        draft.sentiments,
        draft.author_types,
        tuple(a.lstrip("@").lower() for a in draft.authors),
        draft.keywords,
        draft.hours,
    )
    return conditions, actions


def add_rule(
    store: Store, actor: Actor, draft: RuleDraft, position: int | None = None
) -> RoutingRule:
    """A new rule, tried at `position` (1 first; the rules from there move down), or last."""
    require(actor, Permission.MANAGE_USERS)
    conditions, actions = _resolve(store, actor, draft)
    return store.add_rule(actor.workspace_id, draft.name.strip(), conditions, actions, position)


def list_rules(store: Store, actor: Actor) -> list[RoutingRule]:
    require(actor, Permission.READ)
    return store.list_rules(actor.workspace_id)


def find_rule(store: Store, actor: Actor, ref: str) -> RoutingRule:
    """A rule by its name or id."""
    for rule in list_rules(store, actor):
        if ref.strip().casefold() in (rule.name.casefold(), str(rule.id)):
            return rule
    raise NotFound("no routing rule '{ref}'", ref=ref)


def delete_rule(store: Store, actor: Actor, ref: str) -> RoutingRule:
    require(actor, Permission.MANAGE_USERS)
    rule = find_rule(store, actor, ref)
    store.delete_rule(rule.id)
    return rule


def move_rule(store: Store, actor: Actor, ref: str, position: int) -> RoutingRule:
    """Try the rule at `position` (1: first); the rules in between shift one place."""
    require(actor, Permission.MANAGE_USERS)
    rule = find_rule(store, actor, ref)
    store.move_rule(rule.id, position)
    return find_rule(store, actor, str(rule.id))


def enable_rule(store: Store, actor: Actor, ref: str, enabled: bool) -> RoutingRule:
    require(actor, Permission.MANAGE_USERS)
    rule = find_rule(store, actor, ref)
    store.set_rule_enabled(rule.id, enabled)
    return find_rule(store, actor, str(rule.id))


@dataclass(frozen=True, slots=True)
class Labels:
    """What a rule's ids are called: pages, saved queries, desks and people."""

    pages: dict[int, str]
    queries: dict[int, str]
    desks: dict[int, str]
    users: dict[int, str]

    @classmethod
    def of(cls, store: Store, workspace_id: int) -> Labels:
        return cls(
            {s.id: s.name for s in store.list_sources(workspace_id)},
            {q.id: q.name for q in store.list_queries(workspace_id)},
            {d.id: d.name for d in store.list_desks(workspace_id)},
            {u.id: u.email for u in store.list_users(workspace_id)},
        )


def as_dict(rule: RoutingRule, labels: Labels) -> dict[str, Any]:
    """The rule as people read it (names, not ids): the CLI's --json and the API."""
    c, a = rule.conditions, rule.actions
    when: dict[str, Any] = {
        "pages": [labels.pages.get(i, str(i)) for i in c.sources],
        "platforms": list(c.platforms),
        "queries": [labels.queries.get(i, str(i)) for i in c.queries],
        "languages": list(c.languages),
        "sentiments": list(c.sentiments),
        "author_types": list(c.author_types),
        "authors": list(c.authors),
        "words": c.keywords,
        "hours": c.hours,
    }
    then: dict[str, Any] = {
        "desk": None if a.desk_id is None else labels.desks.get(a.desk_id, str(a.desk_id)),
        "to": None if a.user_id is None else labels.users.get(a.user_id, str(a.user_id)),
        "assign": a.assign,
        "priority": None if a.priority is None else a.priority.value,
        "tags": list(a.tags),
        "note": a.note,
    }
    return {
        "id": rule.id,
        "position": rule.position,
        "name": rule.name,
        "enabled": rule.enabled,
        "when": {k: v for k, v in when.items() if v not in ([], None)},
        "then": {k: v for k, v in then.items() if v not in ([], None)},
    }


def wording(rule: RoutingRule, labels: Labels) -> tuple[str, str]:
    """(when, then) of the rule in a line each: "page Banken Aarhus; tone negative"."""
    shown = as_dict(rule, labels)

    def line(parts: dict[str, Any]) -> str:
        return "; ".join(
            f"{k.replace('_', ' ')} {', '.join(v) if isinstance(v, list) else v}"
            for k, v in parts.items()
        )

    return line(shown["when"]) or "every item", line(shown["then"])


def names(store: Store, workspace_id: int) -> Names:
    return Names(
        {s.id: s.name for s in store.list_sources(workspace_id)},
        {q.id: q.name for q in store.list_queries(workspace_id)},
    )


@lru_cache(maxsize=64)
def _hours(text: str) -> BusinessHours:
    return parse_hours(text)


@lru_cache(maxsize=8)
def _keyword_matcher(worded: tuple[tuple[int, str], ...]) -> BatchMatcher:
    """One matcher for the rules' keywords, kept while the rules stay the same."""
    return BatchMatcher({rule_id: parse(text) for rule_id, text in worded})


def facts(
    store: Store, items: Sequence[InboxItem], rules: Sequence[RoutingRule]
) -> list[ItemFacts]:
    """What the rules read of each item: its page and its customers' posts."""
    posts = store.item_posts([i.id for i in items])
    matches: dict[int, set[int]] = defaultdict(set)
    for post_id, query_id in store.matched_queries([p.post_id for p in posts]):
        matches[post_id].add(query_id)
    keyword_rules: dict[int, set[int]] = defaultdict(set)
    worded = tuple((r.id, r.conditions.keywords) for r in rules if r.conditions.keywords)
    if worded and posts:
        found = _keyword_matcher(worded).match_many(
            [Document(p.text, language=p.language) for p in posts]
        )
        for post, rule_ids in zip(posts, found, strict=True):
            keyword_rules[post.item_id].update(rule_ids)
    per_item: dict[int, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    for p in posts:
        seen = per_item[p.item_id]
        seen["queries"].update(matches.get(p.post_id, ()))
        for key, value in (
            ("languages", p.language),
            ("sentiments", p.sentiment),
            ("author_types", p.author_type),
            ("authors", (p.author or "").lower() or None),
        ):
            if value:
                seen[key].add(value)
    return [
        ItemFacts(
            item.id,
            item.source_id,
            None,
            item.platform,
            item.created_at,
            frozenset(per_item[item.id]["queries"]),
            frozenset(per_item[item.id]["languages"]),
            frozenset(per_item[item.id]["sentiments"]),
            frozenset(per_item[item.id]["author_types"]),
            frozenset(per_item[item.id]["authors"]),
            frozenset(keyword_rules.get(item.id, ())),
        )
        for item in items
    ]


def decisions(
    store: Store, workspace_id: int, items: Sequence[InboxItem], rules: Sequence[RoutingRule]
) -> list[Decision]:
    named = names(store, workspace_id)
    index = RuleIndex(list(rules))
    return [index.decide(f, named, _hours) for f in facts(store, items, rules)]


def route(store: Store, actor: Actor, item_ids: Sequence[int]) -> list[Decision]:
    """Route these items by the rules: each taken one goes where its rule says, and its history
    says which rule and why."""
    require(actor, Permission.ACT)
    rules = store.list_rules(actor.workspace_id)
    done: list[Decision] = []
    picker = _Picker(store, actor.workspace_id)
    for start in range(0, len(item_ids), _CHUNK):
        items = store.inbox_items(
            actor.workspace_id, ids=item_ids[start : start + _CHUNK], limit=_CHUNK
        )
        by_id = {i.id: i for i in items}
        changes = []
        for decision in decisions(store, actor.workspace_id, items, rules):
            if decision.rule is not None:
                changes.append(_change(picker, by_id[decision.item_id], decision))
            done.append(decision)
        store.change_items(changes, actor.name, "routed")  # one transaction per chunk
    return done


def _change(
    picker: _Picker, item: InboxItem, decision: Decision
) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """What the rule does to the item: (item id, its new fields, the history's details)."""
    assert decision.rule is not None
    act = decision.rule.actions
    fields: dict[str, Any] = {}
    details: dict[str, Any] = {"rule": decision.rule.id, "why": decision.why}
    if act.desk_id is not None:
        fields["desk_id"] = details["desk"] = act.desk_id
    assignee = act.user_id
    if assignee is None and act.assign and act.desk_id is not None:
        assignee = picker.pick(act.desk_id, act.assign)
    if assignee is not None:
        fields["assignee_id"] = details["assignee"] = assignee
    if act.priority is not None:
        fields["priority"] = details["priority"] = act.priority.value
    if act.tags:
        fields["tags"] = list(dict.fromkeys([*item.tags, *act.tags]))
        details["tags"] = list(act.tags)
    if act.note:
        details["note"] = act.note
    return item.id, fields, details


class _Picker:
    """Who on a desk's shift gets the next item: in turn (round-robin) or the one with the
    fewest open items (least-loaded, counting what this routing gave out so far)."""

    def __init__(self, store: Store, workspace_id: int) -> None:
        self.store = store
        self.workspace_id = workspace_id
        self.now = store.clock()
        self.desks = {d.id: d for d in store.list_desks(workspace_id)}
        self.away = store.absences(workspace_id, self.now)
        self.load: dict[int, int] | None = None

    def pick(self, desk_id: int, mode: str) -> int | None:
        """A member on shift (None when nobody is: the item waits on the desk)."""
        desk = self.desks.get(desk_id)
        if desk is None:
            return None
        on = desks.on_shift(desk, self.now, self.away)
        if not on:
            return None
        if mode != "least_loaded":
            return self.store.next_in_rotation(desk.id, on)
        if self.load is None:
            everyone = sorted({m for d in self.desks.values() for m in d.members})
            self.load = self.store.open_items_per_user(self.workspace_id, everyone)
        load = self.load
        chosen = min(on, key=lambda m: (load.get(m, 0), m))
        load[chosen] = load.get(chosen, 0) + 1
        return chosen


@dataclass(frozen=True, slots=True)
class DryRun:
    """What the rules, with a new one among them, would have done to recent items."""

    rule: RoutingRule
    decisions: list[tuple[InboxItem, Decision]]

    @property
    def taken(self) -> int:
        return sum(1 for _, d in self.decisions if d.rule is self.rule)


def dry_run(
    store: Store,
    actor: Actor,
    draft: RuleDraft,
    position: int | None = None,
    days: int = DRY_RUN_DAYS,
) -> DryRun:
    """Route the items of the last `days` days (up to the newest item) again with `draft` among
    the rules (nothing is changed): which would the new rule take, and why."""
    require(actor, Permission.READ)
    conditions, actions = _resolve(store, actor, draft)
    rules = store.list_rules(actor.workspace_id)
    at = len(rules) + 1 if position is None else max(1, min(position, len(rules) + 1))
    new = RoutingRule(0, actor.workspace_id, draft.name.strip(), at, conditions, actions)
    shifted = [
        RoutingRule(
            r.id,
            r.workspace_id,
            r.name,
            r.position + (r.position >= at),
            r.conditions,
            r.actions,
            r.enabled,
        )
        for r in rules
    ]
    visible = None if actor.source_ids is None else sorted(actor.source_ids)
    # The last days up to the newest item: now, in a workspace that collects every day.
    newest = store.newest_item_at(actor.workspace_id) or store.clock()
    items = store.inbox_items(
        actor.workspace_id,
        source_ids=visible,
        since=min(newest, store.clock()) - timedelta(days=days),
        limit=100_000,
    )
    found = decisions(store, actor.workspace_id, items, [*shifted, new])
    return DryRun(new, list(zip(items, found, strict=True)))
