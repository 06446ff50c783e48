"""Emerging terms of a big workspace: counting the terms the pipeline stored, against reading
every post's text again, in the same run.

    python benchmarks/trend_counts.py [--posts 200000] [--event 2013_Boston_bombings]

Builds `--posts` posts of real text (TWCS customer tweets, DKHate and Danish political
comments, as benchmarks/ingest.py) from 20,000 authors, evenly over the 15 days that trends
read with the default settings (14 baseline days and the day looked at), and the real tweets
of one CrisisLex T26 event in its last 12 hours at their real relative times. They are
imported into a fresh SQLite file and analysed (`analyse_new_posts`, what the collecting
pipeline runs after each batch: it stores each post's terms). Then, each in a fresh process
so that peak RSS is its own, the emerging terms of the whole workspace's last 24 hours are
worked out, best of 3:

- stored terms: `lytter.services.trends.trends` as it is (the stored codes of the posts,
  counted with array operations; only the few emerging terms' posts are read to name them);
- reading the texts (the baseline): the posts read in full and every text tokenised and
  stemmed again (`term_series`), which is how trends counted before the pipeline stored terms.

Both count the same terms in the same languages, so they find the same emerging terms; a term
is named by its most common spelling in its newest 20 posts or in all of them, which can
differ ("thought", "thoughts"). Prints each one's seconds and peak RSS, the ratio, the terms
found, and a one-line summary last.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from ingest import real_texts, run_child  # noqa: E402

AUTHORS = 20_000
DAYS = 15
EVENT_HOURS = 12
END = datetime(2026, 3, 16, 12, tzinfo=UTC)  # the newest post
REPEATS = 3


def event_tweets(shared: Path, event: str) -> list[tuple[datetime, str]]:
    """The event's tweets in the last EVENT_HOURS before END, at their real relative times."""
    from trends import events

    tweets = events(shared)[event]
    first = tweets[0][0]
    begin = END - timedelta(hours=EVENT_HOURS)
    return [
        (begin + (at - first), text)
        for at, text in tweets
        if at - first < timedelta(hours=EVENT_HOURS)
    ]


def write_posts(path: Path, n: int, shared: Path, event: str) -> int:
    texts = real_texts(shared)
    start = END - timedelta(days=DAYS)
    step = (END - start) / n
    with path.open("w", encoding="utf-8") as f:
        rows = [
            (
                start + i * step,
                texts[(i * 104_729) % len(texts)][0],
                f"person{(i * 7_919) % AUTHORS}",
            )
            for i in range(n)
        ]
        rows += [
            (at, text, f"witness{k}") for k, (at, text) in enumerate(event_tweets(shared, event))
        ]
        for i, (at, text, author) in enumerate(rows):
            row = {
                "id": f"trend-{i}",
                "platform": "twitter",
                "text": text,
                "created_at": at.isoformat(),
                "author": author,
                "source": f"Side {i % 38}",
            }
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


def by_reading_texts(store: Any, actor: Any, query: Any, languages: dict[int, str]) -> list[str]:
    """The emerging terms as trends found them before the pipeline stored each post's terms:
    every post read in full, every text tokenised again. Each post is read in the language
    the analysis found (`languages`, read before the clock starts), as the stored terms were:
    before, it was the language the import gave, here none."""
    from dataclasses import replace

    from lytter.analysis.terms import TrendText
    from lytter.analysis.trends import emerging_terms, term_series
    from lytter.services.posts import selected_posts
    from lytter.services.trends import MAX_POSTS, author_key

    settings = store.workspace(actor.workspace_id).trends
    until = END + timedelta(hours=1)
    since = until - timedelta(hours=24)
    read_from = (
        since
        - timedelta(days=settings.baseline_days)
        - max(settings.windows) * (until - since) / 24
    )
    posts = selected_posts(
        store, actor, replace(query, since=read_from, until=until), MAX_POSTS + 1
    )
    start = posts[-1].created_at if len(posts) > MAX_POSTS else read_from
    series = term_series(
        (
            TrendText(p.id, p.text, p.created_at, languages.get(p.id), author_key(p))
            for p in posts[:MAX_POSTS]
            if p.created_at >= start
        ),
        start,
        until,
        min_total=settings.min_count,
    )
    found = emerging_terms(series, settings, since=since, limit=20)
    return [t.term for t in found]


def by_stored_terms(store: Any, actor: Any, query: Any, languages: dict[int, str]) -> list[str]:
    from lytter.services.trends import trends

    return [t.term.term for t in trends(store, actor, query, limit=20).terms]


def run_phase(args: argparse.Namespace) -> None:
    from lytter.domain.access import Actor
    from lytter.domain.posts import PostFilter
    from lytter.store import open_store

    store = open_store(f"sqlite:///{args.target}")
    workspace = store.ensure_workspace("default")
    actor = Actor.system(workspace.id)
    query = PostFilter(workspace.id, until=END + timedelta(hours=1))
    work = by_stored_terms if args.phase == "stored" else by_reading_texts
    languages: dict[int, str] = {}
    if work is by_reading_texts:
        with store.engine.connect() as conn:
            found = conn.exec_driver_sql("SELECT post_id, language FROM post_analyses")
            languages = dict(found.tuples().all())
    best = float("inf")
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        terms = work(store, actor, query, languages)
        best = min(best, time.perf_counter() - t0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": best, "peak_rss_mb": peak, "terms": terms}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--event", default="2013_Boston_bombings")
    parser.add_argument("--shared", type=Path, default=Path(__file__).parents[1] / "../shared/data")
    parser.add_argument("--db", type=Path, help="keep the database here (and reuse it if there)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run_phase(args)
        return
    if args.posts < 1:
        parser.error(f"--posts must be at least 1, not {args.posts}")

    from lytter.services.analysing import analyse_new_posts
    from lytter.services.importing import import_file
    from lytter.store import open_store

    with tempfile.TemporaryDirectory(prefix="lytter-trend-counts-") as tmp:
        file, db = Path(tmp) / "posts.jsonl", args.db or Path(tmp) / "lytter.sqlite"
        n = write_posts(file, args.posts, args.shared.resolve(), args.event)
        if not db.exists():
            store = open_store(f"sqlite:///{db}")
            workspace = store.ensure_workspace("default")
            t0 = time.perf_counter()
            import_file(store, workspace.id, file)
            analyse_new_posts(store, workspace.id)
            store.close()
            print(
                f"{n:,} posts over {DAYS} days ({n - args.posts:,} of them {args.event} in the "
                f"last {EVENT_HOURS} hours) imported and analysed in "
                f"{time.perf_counter() - t0:.0f} s"
            )
        results = {
            "reading the texts": run_child(__file__, "texts", "--target", str(db)),
            "stored terms": run_child(__file__, "stored", "--target", str(db)),
        }

    print(f"{'':18} {'seconds':>8} {'peak RSS':>9}  emerging terms")
    for name, r in results.items():
        terms = ", ".join(r["terms"][:8]) + (" ..." if len(r["terms"]) > 8 else "")
        print(f"{name:18} {r['seconds']:>8.2f} {r['peak_rss_mb']:>7,.0f}MB  {terms}")
    stored, texts = results["stored terms"], results["reading the texts"]
    alike = len(set(stored["terms"]) & set(texts["terms"]))
    same = "the same" if stored["terms"] == texts["terms"] else f"{alike} alike of"
    if stored["terms"] != texts["terms"]:
        # A term is named by its most common spelling in its newest posts (stored terms)
        # or in all of them (reading the texts): "thought" or "thoughts".
        print("stored terms:     ", ", ".join(stored["terms"]))
        print("reading the texts:", ", ".join(texts["terms"]))
    print(
        f"trend counts: {n:,} posts' emerging terms in {stored['seconds']:.2f} s from stored "
        f"terms, {texts['seconds'] / stored['seconds']:.1f}x reading the texts "
        f"({texts['seconds']:.2f} s); {same} {len(stored['terms'])} terms; peak RSS "
        f"{stored['peak_rss_mb']:,.0f} MB against {texts['peak_rss_mb']:,.0f} MB"
    )


if __name__ == "__main__":
    main()
