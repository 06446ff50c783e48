"""Collect benchmark: 100,000 posts per connector from local platform-shaped servers, in SQLite.

    python benchmarks/collect.py [--posts 100000]

A real HTTP server on 127.0.0.1 (werkzeug, in its own process) serves a Mastodon hashtag
timeline (40 per page, `min_id`), a Bluesky search (100 per page, `cursor`), a Facebook page
(1 post in 100 with 99 comments: the feed 100 a page, each post's comments 100 a page) and an
Instagram account (1 media in 50 with 49 comments, 50 a page), of generated posts, shaped and
paged as each API documents. `lytter.services.collecting` collects each
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
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2 as httpx
from werkzeug.serving import make_server

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))
from lytter.demo.platform import (  # noqa: E402
    BlueskySearch,
    GraphApi,
    MastodonTimeline,
    bluesky_post,
    facebook_comment,
    facebook_post,
    instagram_comment,
    instagram_media,
    mastodon_status,
)
from lytter.domain.access import Actor  # noqa: E402
from lytter.domain.posts import PostFilter  # noqa: E402
from lytter.services import collecting  # noqa: E402
from lytter.store import open_store  # noqa: E402

TARGET = 2_000
START = datetime(2026, 1, 1, tzinfo=UTC)
PAGE = "105273638444220"
ACCOUNT = "17841405822304914"
FB_THREAD = 100  # a post and its 99 comments
IG_THREAD = 50  # a media and its 49 comments


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
    graph = GraphApi()
    fb_posts = [
        facebook_post(i, page=PAGE, start=START, text=texts[i % len(texts)])
        for i in range(posts // FB_THREAD)
    ]
    graph.feeds[PAGE] = fb_posts
    for n, post in enumerate(fb_posts):
        graph.comments[post["id"]] = [
            facebook_comment(
                n * FB_THREAD + i, post_id=post["id"], start=START, text=texts[i % len(texts)]
            )
            for i in range(FB_THREAD - 1)
        ]
    media = [
        instagram_media(i, start=START, text=texts[i % len(texts)])
        for i in range(posts // IG_THREAD)
    ]
    graph.media[ACCOUNT] = media
    for n, item in enumerate(media):
        graph.comments[item["id"]] = [
            instagram_comment(n * IG_THREAD + i, start=START, text=texts[i % len(texts)])
            for i in range(IG_THREAD - 1)
        ]

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        request = Request(environ)
        if request.path.startswith(f"/{graph.version}/"):
            served = graph
        else:
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


def graph_baseline(edge: str, node: str, comment_limit: int) -> Callable[[str, Path], float]:
    """The plain loop for a Graph API list and each item's comments, following `next`."""

    def run(base: str, db: Path) -> float:
        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE posts (id TEXT PRIMARY KEY, text TEXT)")
        started = time.perf_counter()
        with httpx.Client() as client:

            def walk(url: str | None, params: dict[str, Any] | None) -> Iterator[Any]:
                while url:
                    body = client.get(url, params=params).json()
                    yield body["data"]
                    url, params = body.get("paging", {}).get("next"), None

            first = f"{base}/v26.0/{node}/{edge}"
            for items in walk(first, {"since": int(START.timestamp()) - 86400, "limit": 100}):
                rows = [(i["id"], i.get("message") or i.get("caption")) for i in items]
                for item in items:
                    url = f"{base}/v26.0/{item['id']}/comments"
                    for comments in walk(url, {"limit": comment_limit}):
                        rows += [(c["id"], c.get("message") or c.get("text")) for c in comments]
                conn.executemany("INSERT OR IGNORE INTO posts VALUES (?, ?)", rows)
                conn.commit()
        elapsed = time.perf_counter() - started
        conn.close()
        return elapsed

    return run


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
        "facebook": (
            {"page": PAGE, "graph": f"{base}/v26.0", "since": "2025-12-31"},
            graph_baseline("feed", PAGE, 100),
            100,
        ),
        "instagram": (
            {"account": ACCOUNT, "graph": f"{base}/v26.0", "since": "2025-12-31"},
            graph_baseline("media", ACCOUNT, 50),
            50,
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
            token = "page-token" if name in ("facebook", "instagram") else None
            collecting.add_source(store, admin, name, settings, name=name, secret=token)
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
