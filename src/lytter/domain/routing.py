"""Routing rules: which desk (or person) a new inbox item goes to, and why.

Rules are tried in their order; the first whose every condition holds routes the item: it
goes to the rule's desk and person, gets its priority, tags and note. An empty condition
holds for every item. Each condition that held is worded as a reason, so the item's history
says "rule 2 'Netbank': page Banken Aarhus; matches query 'Netbank nede'".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lytter.domain.inbox import Priority
from lytter.domain.sla import BusinessHours

ASSIGN_MODES = ("round_robin", "least_loaded")


@dataclass(frozen=True, slots=True)
class Conditions:
    """What an item must be for a rule to take it; each empty field holds for any item."""

    sources: tuple[int, ...] = ()
    platforms: tuple[str, ...] = ()
    queries: tuple[int, ...] = ()  # saved queries any of its posts matches
    languages: tuple[str, ...] = ()
    sentiments: tuple[str, ...] = ()  # of any of its posts: negative, neutral, positive
    author_types: tuple[str, ...] = ()  # critic, troll, ambassador
    authors: tuple[str, ...] = ()  # handles
    keywords: str | None = None  # a query in the query language, on its posts' texts
    hours: str | None = None  # when the item came in, e.g. "sat-sun 00:00-24:00"

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in _fields(self).items() if v not in ((), None)}


@dataclass(frozen=True, slots=True)
class Actions:
    """What a rule does to the items it takes."""

    desk_id: int | None = None
    user_id: int | None = None  # a person, or:
    assign: str | None = None  # round_robin or least_loaded among the desk's members on shift
    priority: Priority | None = None
    tags: tuple[str, ...] = ()
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in _fields(self).items() if v not in ((), None)}


def _fields(obj: object) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class RoutingRule:
    id: int
    workspace_id: int
    name: str
    position: int  # rules are tried in ascending position
    conditions: Conditions
    actions: Actions
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """What rules look at: an item's page and its posts (their matches, tone, authors)."""

    item_id: int
    source_id: int | None
    source_name: str | None
    platform: str
    created_at: datetime
    queries: frozenset[int] = frozenset()
    languages: frozenset[str] = frozenset()
    sentiments: frozenset[str] = frozenset()
    author_types: frozenset[str] = frozenset()
    authors: frozenset[str] = frozenset()
    keyword_rules: frozenset[int] = frozenset()  # rules whose keywords its posts match


@dataclass(frozen=True, slots=True)
class Decision:
    """The rule that routes an item and why (None: no rule took it)."""

    item_id: int
    rule: RoutingRule | None
    reasons: tuple[str, ...] = ()

    @property
    def why(self) -> str:
        if self.rule is None:
            return "no rule matched"
        said = "; ".join(self.reasons) or "every item"
        return f"rule {self.rule.position} '{self.rule.name}': {said}"


@dataclass(frozen=True, slots=True)
class Names:
    """How conditions are worded: names of pages and queries by id."""

    sources: Mapping[int, str] = field(default_factory=dict)
    queries: Mapping[int, str] = field(default_factory=dict)


def reasons(
    rule: RoutingRule,
    facts: ItemFacts,
    names: Names,
    hours: Callable[[str], BusinessHours],
) -> tuple[str, ...] | None:
    """Why `rule` takes the item, a reason per condition; None when a condition fails."""
    c = rule.conditions
    said: list[str] = []
    if c.sources:
        if facts.source_id not in c.sources:
            return None
        said.append(f"page {names.sources.get(facts.source_id or 0, facts.source_name)}")
    if c.platforms:
        if facts.platform not in c.platforms:
            return None
        said.append(f"platform {facts.platform}")
    for wanted, have, word in (
        (c.languages, facts.languages, "language"),
        (c.sentiments, facts.sentiments, "tone"),
        (c.author_types, facts.author_types, "author is a"),
        (c.authors, facts.authors, "author"),
    ):
        if wanted:
            common = sorted(set(wanted) & have)
            if not common:
                return None
            said.append(f"{word} {', '.join(common)}")
    if c.queries:
        common_ids = sorted(set(c.queries) & facts.queries)
        if not common_ids:
            return None
        said.append(
            "matches query " + ", ".join(f"'{names.queries.get(q, q)}'" for q in common_ids)
        )
    if c.keywords:
        if rule.id not in facts.keyword_rules:
            return None
        said.append(f"words {c.keywords}")
    if c.hours:
        if not _within(hours(c.hours), facts.created_at):
            return None
        said.append(f"came in {c.hours}")
    return tuple(said)


def _within(hours: BusinessHours, at: datetime) -> bool:
    """Whether `at` falls in one of the open spans."""
    return hours.is_open(at)


def decide(
    rules: list[RoutingRule],
    facts: ItemFacts,
    names: Names,
    hours: Callable[[str], BusinessHours],
    *,
    ordered: bool = False,
) -> Decision:
    """The first enabled rule, in order, that takes the item (`ordered`: `rules` are sorted
    by position already, as `lytter.services.routing` passes them for a batch)."""
    for rule in rules if ordered else sorted(rules, key=lambda r: r.position):
        if not rule.enabled:
            continue
        found = reasons(rule, facts, names, hours)
        if found is not None:
            return Decision(facts.item_id, rule, found)
    return Decision(facts.item_id, None)


class RuleIndex:
    """The rules of a workspace, ready to route a batch: each rule is tried only on the items
    that pass its most selective condition (its words, else its pages, else its platforms),
    in position order, so an item meets the few rules that can take it instead of all.
    `decide` gives exactly what the plain `decide` gives."""

    def __init__(self, rules: list[RoutingRule]) -> None:
        self.rules = [r for r in sorted(rules, key=lambda r: r.position) if r.enabled]
        self.everywhere: list[int] = []  # positions in self.rules
        self.by_rule: dict[int, int] = {}  # rule id -> position, for worded rules
        self.by_source: dict[int, list[int]] = {}
        self.by_platform: dict[str, list[int]] = {}
        for n, rule in enumerate(self.rules):
            c = rule.conditions
            if c.keywords:
                self.by_rule[rule.id] = n
            elif c.sources:
                for source in c.sources:
                    self.by_source.setdefault(source, []).append(n)
            elif c.platforms:
                for platform in c.platforms:
                    self.by_platform.setdefault(platform, []).append(n)
            else:
                self.everywhere.append(n)

    def decide(
        self, facts: ItemFacts, names: Names, hours: Callable[[str], BusinessHours]
    ) -> Decision:
        candidates = [
            *self.everywhere,
            *self.by_source.get(facts.source_id or 0, ()),
            *self.by_platform.get(facts.platform, ()),
            *(self.by_rule[r] for r in facts.keyword_rules if r in self.by_rule),
        ]
        open_at: dict[str, bool] = {}  # the rules' hours, each checked once per item
        for n in sorted(set(candidates)):
            rule = self.rules[n]
            when = rule.conditions.hours
            if when is not None:
                if when not in open_at:
                    open_at[when] = _within(hours(when), facts.created_at)
                if not open_at[when]:
                    continue
            found = reasons(rule, facts, names, hours)
            if found is not None:
                return Decision(facts.item_id, rule, found)
        return Decision(facts.item_id, None)
