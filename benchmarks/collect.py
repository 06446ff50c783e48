"""Collect benchmark: 100,000 posts per connector from local platform-shaped servers, in SQLite.

    python benchmarks/collect.py [--posts 100000]

A real HTTP server on 127.0.0.1 (werkzeug, in its own process) serves a Mastodon hashtag
timeline (40 per page, `min_id`) and a Bluesky search (100 per page, `cursor`) of generated
posts, shaped and paged as each API documents. `lytter.services.collecting` collects each
through its connector: HTTP, mapping to posts, storing each page with its cursor, then
matching saved queries (none here).
The baseline, in the same run against the same server: a plain loop that fetches each page
with httpx and inserts (id, text) rows with sqlite3. Prints posts/s for both, the ratio, the
peak RSS of this process while collecting, and one summary line. Target: >= 2,000 posts/s and
flat memory. (RSS is not here: a feed is one document with no paging to walk.)
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx
from werkzeug.serving import make_server

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))
from tests.connectors.platforms import (  # noqa: E402
    BlueskySearch,
    MastodonTimeline,
    bluesky_post,
    mastodon_status,
)

from lytter.domain.access import Actor  # noqa: E402
from lytter.domain.posts import PostFilter  # noqa: E402
from lytter.services import collecting  # noqa: E402
from lytter.store import open_store  # noqa: E402

TARGET = 2_000
START = datetime(2026, 1, 1, tzinfo=UTC)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _serve(posts: int, ports: multiprocessing.Queue[int]) -> None:
    """The platform, in a process of its own (as a real one would be): one core each."""
    from werkzeug import Request

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    texts = [
        "Lang kø hos banken i dag, ingen svar på telefonen",
        "Tak for hurtig hjælp i kundeservice 👍",
        "Netbanken er nede igen #banken",
        "Hvorfor stiger renten nu?",
    ]
    timeline = MastodonTimeline(
        [
            mastodon_status(i, start=START, text=f"{texts[i % len(texts)]} ({i})")
            for i in range(posts)
        ]
    )
    search = BlueskySearch(
        [bluesky_post(i, start=START, text=f"{texts[i % len(texts)]} ({i})") for i in range(posts)]
    )

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        request = Request(environ)
        served = search if "searchPosts" in request.path else timeline
        return served.handler(request)(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=False)
    ports.put(server.server_port)
    server.serve_forever()


def bluesky_baseline(base: str, db: Path) -> float:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE posts (id TEXT PRIMARY KEY, text TEXT)")
    started = time.perf_counter()
    cursor = None
    with httpx.Client() as client:
        while True:
            params = {"q": "bank", "limit": 100, "since": "2025-12-31T00:00:00.000Z"}
            if cursor:
                params["cursor"] = cursor
            body = client.get(f"{base}/xrpc/app.bsky.feed.searchPosts", params=params).json()
            conn.executemany(
                "INSERT OR IGNORE INTO posts VALUES (?, ?)",
                [(p["uri"], p["record"]["text"]) for p in body["posts"]],
            )
            conn.commit()
            cursor = body.get("cursor")
            if not cursor:
                break
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def baseline(base: str, db: Path) -> float:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE posts (id TEXT PRIMARY KEY, text TEXT)")
    started = time.perf_counter()
    min_id = "0"
    with httpx.Client() as client:
        while True:
            page = client.get(
                f"{base}/api/v1/timelines/tag/banken", params={"min_id": min_id, "limit": 40}
            ).json()
            if not page:
                break
            conn.executemany(
                "INSERT OR IGNORE INTO posts VALUES (?, ?)", [(s["id"], s["content"]) for s in page]
            )
            conn.commit()
            min_id = max(page, key=lambda s: int(s["id"]))["id"]
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    args = parser.parse_args()

    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    platform = multiprocessing.Process(target=_serve, args=(args.posts, ports), daemon=True)
    platform.start()
    base = f"http://127.0.0.1:{ports.get(timeout=300)}"
    cases = {
        "mastodon": (
            {"instance": base, "mode": "tag", "tag": "banken", "since": "2025-12-31"},
            baseline,
            40,
        ),
        "bluesky": (
            {"mode": "search", "query": "bank", "service": base, "since": "2025-12-31"},
            bluesky_baseline,
            100,
        ),
    }
    summary = []
    print(f"{args.posts:,} posts per connector from a local server shaped like each platform's API")
    print(f"{'connector':10} {'lytter posts/s':>15} {'plain loop':>11} {'ratio':>6} {'pages':>6}")
    with tempfile.TemporaryDirectory(prefix="lytter-collect-bench-") as tmp:
        os.environ["LYTTER_KEY_FILE"] = str(Path(tmp) / "key")
        rss_before = peak_rss_mb()
        for name, (settings, plain_loop, _) in cases.items():
            plain_s = plain_loop(base, Path(tmp) / f"plain-{name}.sqlite")
            store = open_store(f"sqlite:///{Path(tmp) / f'lytter-{name}.sqlite'}")
            ws = store.ensure_workspace("default")
            admin = Actor.system(ws.id)
            collecting.add_source(store, admin, name, settings, name=name)
            started = time.perf_counter()
            report = collecting.collect(store, admin)
            lytter_s = time.perf_counter() - started
            stored = store.count_posts(PostFilter(ws.id))
            store.close()
            [done] = report.sources
            if done.error or stored != args.posts:
                platform.terminate()
                sys.exit(f"{name}: {done.error or f'{stored} of {args.posts} stored'}")
            rate, plain = args.posts / lytter_s, args.posts / plain_s
            summary.append((name, rate, rate / plain))
            print(
                f"{name:10} {rate:>15,.0f} {plain:>11,.0f} {rate / plain:>5.2f}x {done.pages:>6,}"
            )
    platform.terminate()
    print(f"peak RSS {peak_rss_mb():.0f} MB (before collecting: {rss_before:.0f} MB)")
    worst = min(rate for _, rate, _ in summary)
    verdict = "target met" if worst >= TARGET else "TARGET MISSED"
    rates = ", ".join(f"{n} {r:,.0f}/s ({x:.2f}x)" for n, r, x in summary)
    print(
        f"collect {args.posts:,} posts per connector: {rates} vs a plain fetch-and-insert loop"
        f" — {verdict} (>= {TARGET:,})"
    )


if __name__ == "__main__":
    main()
