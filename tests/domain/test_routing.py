"""The rule index routes exactly as trying every rule in order does, only faster."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from lytter.domain.routing import (
    Actions,
    Conditions,
    ItemFacts,
    Names,
    RoutingRule,
    RuleIndex,
    decide,
)
from lytter.domain.sla import parse_hours


def test_the_index_decides_as_the_rules_in_order_do() -> None:
    rng = random.Random(3)
    pick = rng.choice
    rules = []
    for n in range(120):
        c: dict[str, object] = {}
        for _ in range(rng.randint(0, 3)):
            key = pick(["sources", "platforms", "languages", "sentiments", "keywords", "hours"])
            if key == "sources":
                c["sources"] = tuple(rng.sample(range(1, 9), 2))
            elif key == "platforms":
                c["platforms"] = (pick(["facebook", "instagram"]),)
            elif key == "languages":
                c["languages"] = (pick(["da", "en"]),)
            elif key == "sentiments":
                c["sentiments"] = (pick(["negative", "positive"]),)
            elif key == "keywords":
                c["keywords"] = "x"
            else:
                c["hours"] = pick(["sat-sun 00:00-24:00", "mon-fri 08:00-16:00"])
        enabled = rng.random() > 0.1
        rules.append(
            RoutingRule(n, 1, f"r{n}", rng.randrange(500), Conditions(**c), Actions(), enabled)
        )  # type: ignore[arg-type]
    start = datetime(2026, 11, 20, tzinfo=UTC)
    index = RuleIndex(rules)
    for k in range(2_000):
        facts = ItemFacts(
            k,
            rng.randrange(1, 9),
            None,
            pick(["facebook", "instagram"]),
            start + timedelta(minutes=rng.randrange(60 * 24 * 7)),
            languages=frozenset(rng.sample(["da", "en"], rng.randint(0, 2))),
            sentiments=frozenset(rng.sample(["negative", "positive"], rng.randint(0, 2))),
            keyword_rules=frozenset(r.id for r in rules if rng.random() < 0.05),
        )
        plain = decide(rules, facts, Names(), parse_hours)
        fast = index.decide(facts, Names(), parse_hours)
        assert (fast.rule, fast.reasons) == (plain.rule, plain.reasons)
