"""Metrics benchmark: the Measure dashboard's queries on 1,000,000 posts and 200,000 inbox
items over 38 pages and two years, from the roll-ups against the same numbers from raw rows.

A SQLite workspace is filled in bulk (the triggers mark every day and item as they go in):
`--posts` posts (default 1,000,000) on 38 own pages and off them, by 200,000 authors, each with
a tone, a tenth matching each of three saved queries of three brands; `--items` inbox items
(default 200,000) on five desks with SLA targets, most answered, many resolved. Then:

1. **Roll-up build**: `services.metrics.refresh` computes every day and item once (what an
   existing database does after upgrading; afterwards only changed days are recomputed).
2. **Incremental refresh**: 2,000 new posts on today's pages, then a refresh.
3. **Dashboard**: the queries the Measure page runs (last 30 days by day for the workspace;
   last month by week for a random page; the last year by month; a desk's last 90 days by
   week; share of voice), each `--runs` times: p50 and p95 per query and over all, from the
   roll-ups and, on fewer runs, from raw rows (`services.metrics.raw_metrics`); both must
   give the same numbers.
4. **Page health**: `services.health.page_health` for the 38 pages, p50 and p95.

Target (issue #9): dashboard p95 < 200 ms. The last line is a summary.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

from lytter.domain.access import Actor  # noqa: E402
from lytter.domain.metrics import Granularity, Metrics, Period  # noqa: E402
from lytter.domain.posts import AuthorRef, PostDraft, SourceRef  # noqa: E402
from lytter.domain.workspaces import BrandKind  # noqa: E402
from lytter.services import desks as desk_service  # noqa: E402
from lytter.services import health, metrics  # noqa: E402
from lytter.store import open_store  # noqa: E402
from lytter.store.tables import (  # noqa: E402
    authors,
    inbox_items,
    post_analyses,
    posts,
    query_matches,
)

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
PAGES = 38
DAYS = 730
TONES = ("negative", "neutral", "neutral", "positive")


def build(path: Path, n_posts: int, n_items: int, rng: random.Random) -> tuple[Any, Actor]:
    store = open_store(f"sqlite:///{path}", clock=lambda: NOW)
    ws = store.ensure_workspace("bench", "Benchmark")
    own = store.ensure_brand(ws.id, "Banken", BrandKind.OWN)
    rivals = [store.ensure_brand(ws.id, f"Rival {r}", BrandKind.COMPETITOR) for r in (1, 2)]
    # the 38 pages, each with its own account, made by saving one post a page
    store.save_posts(
        ws.id,
        [
            PostDraft(
                platform="facebook",
                external_id=f"hello-{p}",
                text="Velkommen",
                created_at=NOW - timedelta(days=DAYS),
                author=AuthorRef(f"page-{p}"),
                source=SourceRef(f"page-{p}", f"Banken {p}"),
            )
            for p in range(PAGES)
        ],
    )
    pages = [s.id for s in store.list_sources(ws.id)]
    for source_id in pages:
        store.set_source_brand(source_id, own.id)
    queries = [
        store.add_query(ws.id, name, name.lower(), brand.id, (), ())
        for name, brand in (("Banken", own), ("Rival1", rivals[0]), ("Rival2", rivals[1]))
    ]
    page_authors = {}
    with store.engine.begin() as conn:
        for p, source_id in enumerate(pages):
            page_authors[source_id] = (
                conn.execute(authors.select().where(authors.c.handle == f"page-{p}")).one().id
            )
        conn.execute(
            authors.insert(),
            [
                {"workspace_id": ws.id, "platform": "facebook", "handle": f"user-{a}"}
                for a in range(200_000)
            ],
        )
        first_author = conn.execute(authors.select().where(authors.c.handle == "user-0")).one().id
    start_id = 10_000
    with store.engine.begin() as conn:
        for chunk in range(0, n_posts, 50_000):
            rows, tones, matches = [], [], []
            for n in range(chunk, min(n_posts, chunk + 50_000)):
                pid = start_id + n
                at = NOW - timedelta(seconds=rng.randrange(DAYS * 86_400))
                page = pages[n % PAGES] if n % 10 else None
                mine = page is not None and n % 20 == 1
                rows.append(
                    {
                        "id": pid,
                        "workspace_id": ws.id,
                        "platform": "facebook",
                        "external_id": f"p{n}",
                        "source_id": page,
                        "author_id": page_authors[page]
                        if mine
                        else first_author + int(rng.paretovariate(1.2) * 100) % 200_000,
                        "root_id": None if mine or n % 2 else f"p{n - 1}",
                        "parent_id": None if mine or n % 2 else f"p{n - 1}",
                        "text": "netbanken virker ikke",
                        "created_at": at,
                        "collected_at": at,
                        "likes": rng.randrange(50),
                        "comments": rng.randrange(5),
                        "shares": rng.randrange(3),
                        "mapper": "bench",
                    }
                )
                tones.append(
                    {
                        "post_id": pid,
                        "language": "da",
                        "sentiment": TONES[n % 4],
                        "sentiment_score": 0.0,
                        "offensive": 0.0,
                        "model": "bench",
                        "analysed_at": NOW,
                    }
                )
                for q, query in enumerate(queries):
                    if (n + q) % 10 == 0:
                        matches.append({"query_id": query.id, "post_id": pid})
            conn.execute(posts.insert(), rows)
            conn.execute(post_analyses.insert(), tones)
            conn.execute(query_matches.insert(), matches)
            print(f"  {min(n_posts, chunk + 50_000):,} posts", file=sys.stderr, end="\r")
    admin = Actor.system(ws.id)
    desk_ids = []
    for d in range(5):
        desk = desk_service.add_desk(store, admin, f"Desk {d}", "mon-fri 08:00-16:00")
        desk_service.set_sla(store, admin, desk.name, "normal", "2h", "16h")
        desk_ids.append(desk.id)
    with store.engine.begin() as conn:
        rows = []
        for n in range(n_items):
            created = NOW - timedelta(seconds=rng.randrange(DAYS * 86_400))
            answered = created + timedelta(minutes=rng.expovariate(1 / 180)) if n % 5 else None
            resolved = (
                answered + timedelta(hours=rng.expovariate(1 / 20)) if answered and n % 3 else None
            )
            if answered and answered > NOW:
                answered = resolved = None
            if resolved and resolved > NOW:
                resolved = None
            rows.append(
                {
                    "workspace_id": ws.id,
                    "source_id": pages[n % PAGES],
                    "platform": "facebook",
                    "thread": f"t{n}",
                    "state": "resolved" if resolved else "open",
                    "priority": "normal",
                    "desk_id": desk_ids[n % 5] if n % 7 else None,
                    "tags": [],
                    "posts": 1,
                    "version": 1,
                    "created_at": created,
                    "updated_at": resolved or answered or created,
                    "waiting_since": None if answered else created,
                    "first_response_at": answered,
                    "resolved_at": resolved,
                }
            )
        conn.execute(inbox_items.insert(), rows)
    print(file=sys.stderr)
    return store, admin


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    took, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        took.append((time.perf_counter() - start) * 1000)
    return took, result


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20, help="runs of each dashboard query")
    parser.add_argument("--raw-runs", type=int, default=2, help="runs of each from raw rows")
    args = parser.parse_args()
    rng = random.Random(9)
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        store, admin = build(Path(tmp) / "metrics.sqlite", args.posts, args.items, rng)
        print(
            f"built {args.posts:,} posts, {args.items:,} items"
            f" in {time.perf_counter() - began:.0f} s"
        )
        ws = admin.workspace_id

        began = time.perf_counter()
        days, items = metrics.refresh(store, ws)
        build_s = time.perf_counter() - began
        print(f"roll-up build: {days:,} days and {items:,} items in {build_s:.1f} s")

        store.save_posts(
            ws,
            [
                PostDraft(
                    platform="facebook",
                    external_id=f"new-{n}",
                    text="ny kommentar",
                    created_at=NOW - timedelta(minutes=n % 600),
                    author=AuthorRef(f"user-{n}"),
                    source=SourceRef(f"page-{n % PAGES}", f"Banken {n % PAGES}"),
                )
                for n in range(2_000)
            ],
        )
        began = time.perf_counter()
        days, _ = metrics.refresh(store, ws)
        incremental_ms = (time.perf_counter() - began) * 1000
        print(f"incremental refresh after 2,000 new posts: {days} days in {incremental_ms:.0f} ms")

        today = NOW.date()
        last_month = metrics.period_named(store, admin, "last-month")
        page = store.list_sources(ws)[rng.randrange(PAGES)].name
        dashboard: list[tuple[str, Period, Granularity, dict[str, str]]] = [
            ("30 days by day", Period(today - timedelta(days=29), today), Granularity.DAY, {}),
            ("a page, last month by week", last_month, Granularity.WEEK, {"page": page}),
            ("a year by month", Period(today - timedelta(days=364), today), Granularity.MONTH, {}),
            (
                "a desk, 90 days by week",
                Period(today - timedelta(days=89), today),
                Granularity.WEEK,
                {"desk": "Desk 1"},
            ),
            (
                "Banken's voice, 30 days",
                Period(today - timedelta(days=29), today),
                Granularity.DAY,
                {"voice_of": "Banken"},
            ),
        ]
        all_rolled: list[float] = []
        all_raw: list[float] = []
        print(f"{'query':32} {'p50 ms':>8} {'p95 ms':>8} {'raw p50':>9} {'ratio':>7}")
        for name, period, granularity, options in dashboard:
            filt = metrics.metric_filter(store, admin, **options)
            rolled, found = timed(
                lambda p=period, g=granularity, f=filt: metrics.metrics(store, admin, p, g, f),
                args.runs,
            )
            raw, expected = timed(
                lambda p=period, g=granularity, f=filt: metrics.raw_metrics(store, admin, p, g, f),
                args.raw_runs,
            )
            same = isinstance(found, Metrics) and found.as_dict() == expected.as_dict()
            if not same:
                raise SystemExit(f"{name}: the roll-ups and the raw rows disagree")
            all_rolled += rolled
            all_raw += raw
            ratio = statistics.median(raw) / statistics.median(rolled)
            print(
                f"{name:32} {pct(rolled, 50):8.1f} {pct(rolled, 95):8.1f}"
                f" {statistics.median(raw):9.0f} {ratio:6.0f}x"
            )
        health_ms, found_health = timed(lambda: health.page_health(store, admin), args.runs)
        print(
            f"{'page health (' + str(len(found_health)) + ' pages)':32}"
            f" {pct(health_ms, 50):8.1f} {pct(health_ms, 95):8.1f}"
        )
        p95 = pct(all_rolled, 95)
        raw_p50 = statistics.median(all_raw)
        ratio = raw_p50 / statistics.median(all_rolled)
        verdict = "meets" if p95 < 200 and pct(health_ms, 95) < 200 else "MISSES"
        print(
            f"summary: dashboard p95 {p95:.0f} ms from roll-ups vs raw p50 {raw_p50:.0f} ms"
            f" ({ratio:.0f}x); page health p95 {pct(health_ms, 95):.0f} ms;"
            f" {args.posts:,} posts, {args.items:,} items, {PAGES} pages, {DAYS} days;"
            f" build {build_s:.0f} s, incremental {incremental_ms:.0f} ms;"
            f" {verdict} the 200 ms target"
        )
        store.close()


if __name__ == "__main__":
    main()
