"""Collect benchmark: 100,000 statuses from a local Mastodon-shaped server, stored in SQLite.

    python benchmarks/collect.py [--posts 100000]

A real HTTP server on 127.0.0.1 (werkzeug, the one the connector tests use) serves a hashtag
timeline of generated statuses, shaped and paged as Mastodon's API documents (40 per page,
`min_id`). `lytter.services.collecting` collects it through the Mastodon connector: HTTP,
mapping to posts, storing each page with its cursor, then matching saved queries (none here).
The baseline, in the same run against the same server: a plain loop that fetches each page
with httpx and inserts (id, text) rows with sqlite3. Prints posts/s for both, the ratio, the
peak RSS of this process while collecting, and one summary line. Target: >= 2,000 posts/s and
flat memory. (Only the Mastodon connector so far: RSS has no paging to walk.)
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
from tests.connectors.platforms import MastodonTimeline, mastodon_status  # noqa: E402

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

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        return timeline.handler(Request(environ))(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=False)
    ports.put(server.server_port)
    server.serve_forever()


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
    with tempfile.TemporaryDirectory(prefix="lytter-collect-bench-") as tmp:
        os.environ["LYTTER_KEY_FILE"] = str(Path(tmp) / "key")
        plain_s = baseline(base, Path(tmp) / "plain.sqlite")

        store = open_store(f"sqlite:///{Path(tmp) / 'lytter.sqlite'}")
        ws = store.ensure_workspace("default")
        admin = Actor.system(ws.id)
        settings = {"instance": base, "mode": "tag", "tag": "banken", "since": "2025-12-31"}
        collecting.add_source(store, admin, "mastodon", settings, name="#banken")
        rss_before = peak_rss_mb()
        started = time.perf_counter()
        report = collecting.collect(store, admin)
        lytter_s = time.perf_counter() - started
        stored = store.count_posts(PostFilter(ws.id))
        store.close()
    platform.terminate()

    [done] = report.sources
    if done.error or stored != args.posts:
        sys.exit(f"collect failed: {done.error or f'{stored} of {args.posts} stored'}")
    rate = args.posts / lytter_s
    plain = args.posts / plain_s
    print(f"{args.posts:,} statuses, {done.pages:,} pages of 40 from a local Mastodon API")
    print(f"lytter collect   {rate:>9,.0f} posts/s  ({lytter_s:.1f} s; mapped, deduped, stored)")
    print(f"plain loop       {plain:>9,.0f} posts/s  ({plain_s:.1f} s; fetch + insert id, text)")
    print(f"ratio            {rate / plain:>9.2f}x the plain loop")
    print(f"peak RSS         {peak_rss_mb():>9.0f} MB  (before collecting: {rss_before:.0f} MB)")
    verdict = "target met" if rate >= TARGET else "TARGET MISSED"
    print(
        f"collect mastodon {args.posts:,} posts: {rate:,.0f} posts/s, {rate / plain:.2f}x a plain"
        f" fetch-and-insert loop — {verdict} (>= {TARGET:,})"
    )


if __name__ == "__main__":
    main()
