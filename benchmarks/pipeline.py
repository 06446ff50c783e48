"""Analysis pipeline benchmark: every post read for language, tone and offensiveness, stored,
and its author typed (critic, troll, ambassador), against VADER's tone alone in the same run.

    python benchmarks/pipeline.py [--posts 100000] [--shared ../shared/data]

Builds a JSONL file of real post texts (TWCS customer tweets, DKHate and Danish political
comments, as benchmarks/ingest.py; about half Danish), imports it into a fresh SQLite file
with no language given, so every post goes through language identification, and 20,000
authors (five posts each on average, so typing has work to do). Then, in a fresh process so
that peak RSS is its own, times `analyse_new_posts`, the function the collecting pipeline
calls after each batch: lingua restricted to the workspace's languages, the shared features,
the sentiment and offensive models, each post's terms for emerging-term detection, saving
every reading, and typing each author from all of their posts. Each stage is also timed
alone on the same texts, to show where the time goes.

The baseline is VADER (vaderSentiment), a common rule-based tone scorer, over the same texts:
one English-only score and nothing stored. Peak RSS is read when each has finished (before
the stages are timed alone). "Per core" divides by the CPU seconds the process
used (lingua runs on several threads), so it does not depend on how many cores the machine has.
Prints posts/s, posts/s per core and peak RSS, and a one-line summary last.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from ingest import real_texts, run_child  # noqa: E402

TARGET = 2_000  # posts/s per core, everything on
AUTHORS = 20_000


def write_posts(path: Path, n: int, texts: list[tuple[str, str]]) -> None:
    """n posts of real text, no language given, from AUTHORS authors over 60 days."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            text, lang = texts[(i * 104_729) % len(texts)]
            row = {
                "id": f"pipe-{i}",
                "platform": "facebook" if lang == "da" else "twitter",
                "text": text,
                "created_at": (start + timedelta(seconds=i * 52)).isoformat(),
                "author": f"person{(i * 7_919) % AUTHORS}",
                "source": f"Side {i % 38}",
            }
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process, all threads) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def phase_lytter(db: Path) -> dict[str, Any]:
    from lytter.analysis.analyse import analyse
    from lytter.analysis.language import identify
    from lytter.analysis.terms import batch_terms
    from lytter.services.analysing import analyse_new_posts
    from lytter.store import open_store

    store = open_store(f"sqlite:///{db}")
    ws = store.ensure_workspace("default")
    # Load the models and the language detector before the clock starts (a running
    # collector has them loaded); the first call of each is otherwise ~1 s.
    analyse(["varm op"], known=[None])
    wall, cpu = timed(lambda: analyse_new_posts(store, ws.id))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with store.engine.connect() as conn:
        posts = conn.exec_driver_sql("SELECT count(*) FROM posts").scalar_one()
        analysed = conn.exec_driver_sql("SELECT count(*) FROM post_analyses").scalar_one()
        typed = conn.exec_driver_sql("SELECT count(*) FROM author_types").scalar_one()
        kinds = dict(
            conn.exec_driver_sql(
                "SELECT coalesce(override, computed), count(*) FROM author_types GROUP BY 1"
            ).all()
        )
        texts = [r[0] for r in conn.exec_driver_sql("SELECT text FROM posts ORDER BY id").all()]
    store.close()

    # Each stage alone, in the pipeline's batches of 1,000.
    batches = [texts[i : i + 1_000] for i in range(0, len(texts), 1_000)]
    stages: dict[str, tuple[float, float]] = {}
    languages: list[list[str | None]] = []
    stages["language"] = timed(lambda: [languages.append(identify(b)) for b in batches])
    stages["tone + offensive"] = timed(
        lambda: [analyse(b, known=k) for b, k in zip(batches, languages, strict=True)]
    )
    stages["terms"] = timed(
        lambda: [batch_terms(b, k) for b, k in zip(batches, languages, strict=True)]
    )
    return {
        "posts": posts,
        "analysed": analysed,
        "authors typed": typed,
        "types": kinds,
        "seconds": wall,
        "cpu_seconds": cpu,
        "stages": stages,
        "peak_rss_mb": peak_mb,
    }


def phase_vader(db: Path) -> dict[str, Any]:
    import sqlite3

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    with sqlite3.connect(db) as conn:
        texts = [r[0] for r in conn.execute("SELECT text FROM posts ORDER BY id")]
    scorer = SentimentIntensityAnalyzer()
    wall, cpu = timed(lambda: [scorer.polarity_scores(t)["compound"] for t in texts])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"posts": len(texts), "seconds": wall, "cpu_seconds": cpu, "peak_rss_mb": peak_mb}


def run_phase(args: argparse.Namespace) -> None:
    db = Path(args.target)
    result = phase_vader(db) if args.phase == "vader" else phase_lytter(db)
    print(json.dumps(result))


def child(phase: str, db: Path) -> dict[str, Any]:
    return run_child(__file__, phase, "--target", str(db))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--shared", type=Path, default=Path(__file__).parents[1] / "../shared/data")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run_phase(args)
        return
    if args.posts < 1:
        parser.error(f"--posts must be at least 1, not {args.posts}")

    from lytter.services.importing import import_file
    from lytter.store import open_store

    with tempfile.TemporaryDirectory(prefix="lytter-pipeline-") as tmp:
        file, db = Path(tmp) / "posts.jsonl", Path(tmp) / "lytter.sqlite"
        write_posts(file, args.posts, real_texts(args.shared.resolve()))
        store = open_store(f"sqlite:///{db}")
        t0 = time.perf_counter()
        report = import_file(store, store.ensure_workspace("default").id, file)
        store.close()
        print(
            f"{report.rows:,} posts of real text imported in {time.perf_counter() - t0:.1f} s "
            f"(no language given; {AUTHORS:,} authors)"
        )
        results = {"VADER tone only": child("vader", db), "lytter pipeline": child("lytter", db)}

    lytter = results["lytter pipeline"]
    print(
        f"analysed {lytter['analysed']:,} posts, typed {lytter['authors typed']:,} authors: "
        + ", ".join(f"{n} {k}" for k, n in sorted(lytter["types"].items()))
    )
    print(f"{'':22} {'posts/s':>9} {'per core':>9} {'seconds':>8} {'CPU s':>7} {'peak RSS':>9}")
    for name, r in results.items():
        print(
            f"{name:22} {r['posts'] / r['seconds']:>9,.0f} {r['posts'] / r['cpu_seconds']:>9,.0f} "
            f"{r['seconds']:>8.1f} {r['cpu_seconds']:>7.1f} {r['peak_rss_mb']:>7,.0f}MB"
        )
    for stage, (wall, cpu) in lytter["stages"].items():
        print(
            f"  stage {stage:16} {lytter['posts'] / wall:>9,.0f} {lytter['posts'] / cpu:>9,.0f} "
            f"{wall:>8.1f} {cpu:>7.1f}"
        )
    per_core = lytter["posts"] / lytter["cpu_seconds"]
    base = results["VADER tone only"]
    ratio = per_core / (base["posts"] / base["cpu_seconds"])
    verdict = "meets" if per_core >= TARGET else "misses"
    print(
        f"pipeline: {per_core:,.0f} posts/s per core with everything on "
        f"({lytter['posts'] / lytter['seconds']:,.0f} posts/s wall), {ratio:.2f}x VADER's tone "
        f"alone, peak RSS {lytter['peak_rss_mb']:,.0f} MB; {verdict} the {TARGET:,} target"
    )


if __name__ == "__main__":
    main()
