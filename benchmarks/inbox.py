"""Inbox benchmark: a desk's queue among 1,000,000 items, and routing new items through rules.

A SQLite workspace with 20 own pages and 20 desks holds `--items` inbox items (default
1,000,000): `--new` of them (default 10,000) are real customer posts (the bundled customer
support tweets and Danish comments, analysed for language and tone) that just came in, the
rest are older items spread over the desks and states. Then:

1. **Queue**: the query a desk's list runs (its items that are new or open, the longest
   waiting first, 50 at a time), for random desks; p50 and p95 with the desk index, and
   against the same query with that index dropped (the baseline).
2. **Routing**: the new items through `--rules` rules (default 200: pages, languages, tone,
   author types, platforms, keywords in the query language, hours) with
   `lytter.services.routing.route`: facts read, the first rule that holds found, and each
   item moved, assigned and written to its history. The baseline evaluates every rule on
   every item naively (each keyword query compiled alone and run post by post, no first-match
   stop), on a sample; both must choose the same rule for every sampled item.

Targets (issue #8): queue p95 < 100 ms; routing >= 5,000 items/s. The last line is a summary.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

import sqlalchemy as sa  # noqa: E402

from lytter.domain.access import Actor  # noqa: E402
from lytter.domain.inbox import ItemState, Priority  # noqa: E402
from lytter.domain.posts import AuthorRef, PostDraft, SourceRef  # noqa: E402
from lytter.domain.routing import Actions, Conditions, Decision, reasons  # noqa: E402
from lytter.domain.workspaces import BrandKind  # noqa: E402
from lytter.querylang import parse  # noqa: E402
from lytter.querylang.document import Document  # noqa: E402
from lytter.querylang.match import compile_node  # noqa: E402
from lytter.services import analysing, inbox, routing  # noqa: E402
from lytter.store import open_store  # noqa: E402
from lytter.store.tables import inbox_items  # noqa: E402

DATA = Path(__file__).parents[1] / "src" / "lytter" / "demo" / "data"
QUEUE_INDEX = "ix_inbox_items_workspace_id_desk_id_state_waiting_since_created_at"
PAGES = 20
DESKS = 20
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
WORDS = [
    "refund*",
    "delay*",
    "cancel*",
    "bag*",
    "lost",
    "seat*",
    "wifi",
    "app",
    "card*",
    "password",
    "login",
    "crash*",
    "broken",
    "late",
    "flight~",
    "ticket*",
    "charge*",
    "money",
    "help*",
    "wait*",
    "phone",
    "email",
    "service",
    "rude",
    "thank*",
    "love",
    "great",
    "worst",
    "never",
    "again",
    "skat*",
    "regering*",
    "politik*",
    "penge",
    "sygehus*",
    "skole*",
    "borger*",
    "kommune*",
    "netbank*",
    "kundeservice*",
]


def texts() -> list[tuple[str, str | None, str]]:
    """(text, language, author) of the bundled customers' tweets and Danish comments."""
    found = []
    for name in ("twcs.jsonl.gz", "political_comments.jsonl.gz"):
        with gzip.open(DATA / name, "rt", encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                if row.get("inbound", True) and row.get("text"):
                    found.append((row["text"], row.get("language"), str(row.get("author") or "x")))
    return found


def build(
    path: Path, items: int, new: int, rules: int, rng: random.Random
) -> tuple[object, int, list[int]]:
    store = open_store(f"sqlite:///{path}", clock=lambda: NOW)
    ws = store.ensure_workspace("bench", "Benchmark")
    brand = store.ensure_brand(ws.id, "Banken", BrandKind.OWN)
    pool = texts()
    drafts = []
    for n in range(new):
        text, language, author = pool[n % len(pool)]
        page = n % PAGES
        drafts.append(
            PostDraft(
                platform="facebook",
                external_id=f"new-{n}",
                text=text,
                created_at=NOW - timedelta(minutes=new - n),
                author=AuthorRef(f"{author}-{n % 3000}"),
                source=SourceRef(f"page-{page}", f"Banken {page}"),
                language=language,
            )
        )
    store.save_posts(ws.id, drafts)
    for source in store.list_sources(ws.id):
        store.set_source_brand(source.id, brand.id)
    analysing.analyse_new_posts(store, ws.id)
    desks = [
        store.add_desk(ws.id, f"Desk {d}", "mon-fri 08:00-16:00", "Europe/Copenhagen")
        for d in range(DESKS)
    ]
    sources = [s.id for s in store.list_sources(ws.id)]
    old = items - new
    states = [
        ItemState.NEW,
        ItemState.OPEN,
        ItemState.PENDING,
        ItemState.RESOLVED,
        ItemState.RESOLVED,
        ItemState.RESOLVED,
    ]
    with store.engine.begin() as conn:  # type: ignore[attr-defined]
        for start in range(0, old, 50_000):
            rows = []
            for n in range(start, min(old, start + 50_000)):
                created = NOW - timedelta(minutes=rng.randrange(60 * 24 * 365))
                state = states[n % len(states)]
                rows.append(
                    {
                        "workspace_id": ws.id,
                        "source_id": sources[n % len(sources)],
                        "platform": "facebook",
                        "thread": f"old-{n}",
                        "state": state.value,
                        "priority": "normal",
                        "desk_id": desks[n % DESKS].id,
                        "tags": [],
                        "posts": 1,
                        "version": 1,
                        "created_at": created,
                        "updated_at": created,
                        "waiting_since": None if state == ItemState.RESOLVED else created,
                    }
                )
            conn.execute(inbox_items.insert(), rows)
            print(f"  {min(old, start + 50_000):,} older items", file=sys.stderr, end="\r")
    inbox.gather(store, ws.id)  # the new posts become items (no rules yet: not routed)
    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        new_ids = list(
            conn.execute(
                sa.select(inbox_items.c.id)
                .where(inbox_items.c.thread.like("new-%"))
                .order_by(inbox_items.c.id)
            ).scalars()
        )
    for r in range(rules):
        kind = r % 7
        c: dict[str, object] = {}
        if kind == 0:
            c["sources"] = (sources[r % len(sources)],)
            c["sentiments"] = ("negative",)
        elif kind == 1:
            c["languages"] = (rng.choice(["da", "en", "sv"]),)
            c["sentiments"] = (rng.choice(["negative", "positive"]),)
        elif kind == 2:
            c["author_types"] = (rng.choice(["critic", "troll", "ambassador"]),)
        elif kind == 3:
            c["platforms"] = ("instagram",)
        elif kind == 4:
            c["hours"] = "sat-sun 00:00-24:00"
        else:
            a, b = rng.sample(WORDS, 2)
            c["keywords"] = f"{a} AND {b}" if kind == 5 else f"{a} NEAR/5 {b}"
            if kind == 6:
                c["sources"] = tuple(rng.sample(sources, 5))
        store.add_rule(
            ws.id,
            f"rule {r}",
            Conditions(**c),  # type: ignore[arg-type]
            Actions(
                desk_id=desks[r % DESKS].id,
                priority=Priority.HIGH if r % 3 == 0 else None,
                tags=(f"r{r}",),
            ),
        )
    return store, ws.id, new_ids


def queue_times(
    store: object, workspace_id: int, desks: list[int], runs: int, rng: random.Random
) -> list[float]:
    took = []
    for _ in range(runs):
        desk = rng.choice(desks)
        start = time.perf_counter()
        store.inbox_items(
            workspace_id, desk_id=desk, states=(ItemState.NEW, ItemState.OPEN), limit=50
        )  # type: ignore[attr-defined]
        took.append(time.perf_counter() - start)
    return took


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000


def naive_decisions(
    store: object, workspace_id: int, item_ids: list[int]
) -> tuple[list[Decision], float]:
    """Every rule on every item: each keyword query compiled alone, run post by post."""
    rules = sorted(store.list_rules(workspace_id), key=lambda r: r.position)  # type: ignore[attr-defined]
    start = time.perf_counter()
    items = store.inbox_items(workspace_id, ids=item_ids, limit=len(item_ids))  # type: ignore[attr-defined]
    posts = store.item_posts(item_ids)  # type: ignore[attr-defined]
    tests = {
        r.id: compile_node(parse(r.conditions.keywords)).test
        for r in rules
        if r.conditions.keywords
    }
    bare = [r for r in rules]
    facts = routing.facts(store, items, [])  # the same facts, without the batch keywords  # type: ignore[arg-type]
    by_item: dict[int, list[Document]] = {}
    for post in posts:
        by_item.setdefault(post.item_id, []).append(Document(post.text, language=post.language))
    named = routing.names(store, workspace_id)  # type: ignore[arg-type]
    decided = []
    for f in facts:
        docs = by_item.get(f.item_id, [])
        worded = frozenset(rid for rid, test in tests.items() if any(test(d) for d in docs))
        f = type(f)(**{**{k: getattr(f, k) for k in f.__slots__}, "keyword_rules": worded})  # type: ignore[attr-defined]
        taken = [(r, reasons(r, f, named, routing._hours)) for r in bare]  # noqa: SLF001
        first = next(((r, why) for r, why in taken if why is not None), None)
        decided.append(
            Decision(f.item_id, None) if first is None else Decision(f.item_id, first[0], first[1])
        )
    return decided, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--new", type=int, default=10_000)
    parser.add_argument("--rules", type=int, default=200)
    parser.add_argument("--queries", type=int, default=300, help="desk queue queries timed")
    parser.add_argument("--sample", type=int, default=1_000, help="items the naive baseline routes")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        store, ws, new_ids = build(
            Path(tmp) / "inbox.sqlite", args.items, args.new, args.rules, rng
        )
        total = (
            store.engine.connect()
            .execute(sa.select(sa.func.count()).select_from(inbox_items))
            .scalar()
        )  # type: ignore[attr-defined]
        print(
            f"built {total:,} items ({len(new_ids):,} new, {args.rules} rules)"
            f" in {time.perf_counter() - start:.0f} s",
            file=sys.stderr,
        )
        desks = [d.id for d in store.list_desks(ws)]  # type: ignore[attr-defined]

        queue_times(store, ws, desks, 20, rng)  # warm the cache
        indexed = queue_times(store, ws, desks, args.queries, rng)
        with store.engine.begin() as conn:  # type: ignore[attr-defined]
            conn.exec_driver_sql(f"DROP INDEX {QUEUE_INDEX}")
        unindexed = queue_times(store, ws, desks, max(20, args.queries // 10), rng)
        with store.engine.begin() as conn:  # type: ignore[attr-defined]
            conn.exec_driver_sql(
                f"CREATE INDEX {QUEUE_INDEX}"
                " ON inbox_items (workspace_id, desk_id, state, waiting_since, created_at)"
            )
        q50, q95, b95 = p(indexed, 50), p(indexed, 95), p(unindexed, 95)
        print(f"queue query     p50 {q50:7.1f} ms   p95 {q95:7.1f} ms   (target p95 < 100 ms)")
        print(f"  without index p95 {b95:7.1f} ms   ratio {b95 / q95:,.1f}x")

        sample = new_ids[: args.sample]
        naive, naive_s = naive_decisions(store, ws, sample)
        system = Actor.system(ws)
        fast_sample = routing.decisions(
            store, ws, store.inbox_items(ws, ids=sample, limit=len(sample)), store.list_rules(ws)
        )  # type: ignore[attr-defined]
        agree = sum(
            (a.rule.id if a.rule else None) == (b.rule.id if b.rule else None)
            for a, b in zip(
                sorted(naive, key=lambda d: d.item_id),
                sorted(fast_sample, key=lambda d: d.item_id),
                strict=True,
            )
        )
        start = time.perf_counter()
        decided = routing.route(store, system, new_ids)  # type: ignore[arg-type]
        route_s = time.perf_counter() - start
        taken = sum(d.rule is not None for d in decided)
        rate, naive_rate = len(new_ids) / route_s, len(sample) / naive_s
        print(
            f"routing         {len(new_ids):,} items through {args.rules} rules in {route_s:.2f} s:"
            f" {rate:,.0f} items/s, {taken:,} routed (target >= 5,000 items/s)"
        )
        print(
            f"  naive         {len(sample):,} items in {naive_s:.2f} s: {naive_rate:,.0f} items/s"
            f"   ratio {rate / naive_rate:,.1f}x   agreement {agree}/{len(sample)}"
        )
        store.close()  # type: ignore[attr-defined]
    print(
        f"inbox: queue p95 {q95:.1f} ms over {total:,} items"
        f" ({b95 / q95:,.0f}x the unindexed query);"
        f" routing {rate:,.0f} items/s through {args.rules} rules ({rate / naive_rate:,.0f}x naive,"
        f" {agree}/{len(sample)} agree)"
    )


if __name__ == "__main__":
    main()
