"""Ingest benchmark: `lytter import` into SQLite and PostgreSQL against sqlite-utils.

    python benchmarks/ingest.py [--posts 1000000] [--shared ../shared/data] [--skip-postgres]

Builds a JSONL file of real post texts from ../shared/data (cycled, with unique ids, 50,000
authors, 38 pages, two years of timestamps), then times, each in a fresh process so peak RSS
is its own:
  - lytter → SQLite (FTS5 index, dedupe, authors and sources resolved, edits detected)
  - lytter → PostgreSQL (tsvector index with danish/english configurations, same work)
  - the baseline: sqlite-utils' insert_all of the same rows into a table with a primary key
    and an FTS5 index kept by triggers
Prints posts/s, peak RSS and the ratios, then a one-line summary.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

TARGET_SQLITE = 30_000
TARGET_POSTGRES = 15_000
TARGET_RSS_MB = 300
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def real_texts(shared: Path) -> list[tuple[str, str]]:
    """(text, language) pairs from the shared datasets."""
    texts: list[tuple[str, str]] = []
    for name in ("twcs_first5000.csv", "twcs_random5000.csv"):
        with (shared / "twcs_customer_support" / name).open(encoding="utf-8") as f:
            texts += [(r["text"], "en") for r in csv.DictReader(f)]
    with (shared / "dkhate/dkhate_full_labeled.csv").open(encoding="utf-8") as f:
        texts += [(r["text"], "da") for r in csv.DictReader(f)]
    with (shared / "danish_facebook_political_comments/comments.csv").open(encoding="utf-8") as f:
        texts += [(r["text"], "da") for r in csv.DictReader(f)]
    return [(t, lang) for t, lang in texts if t.strip()]


def write_posts(path: Path, n: int, texts: list[tuple[str, str]]) -> int:
    start = datetime(2023, 1, 1, tzinfo=UTC)
    size = 0
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            text, lang = texts[i % len(texts)]
            row = {
                "id": f"bench-{i}",
                "platform": "facebook" if lang == "da" else "twitter",
                "text": text,
                "created_at": (start + timedelta(seconds=i * 63)).isoformat(),
                "author": f"author{(i * 7919) % 50_000}",
                "source": f"Side {i % 38}",
                "language": lang,
                "likes": i % 17,
            }
            line = json.dumps(row, ensure_ascii=False) + "\n"
            size += len(line.encode())
            f.write(line)
    return size


# -- phases, each run in its own process ---------------------------------------------------


def phase_lytter(url: str, path: Path) -> dict[str, Any]:
    from lytter.services.importing import import_file
    from lytter.store import open_store

    store = open_store(url)
    ws = store.ensure_workspace("default")
    t0 = time.perf_counter()
    report = import_file(store, ws.id, path, rejects_path=path.with_suffix(".rejects"))
    seconds = time.perf_counter() - t0
    assert report.saved.inserted == report.rows, report
    t0 = time.perf_counter()
    again = import_file(store, ws.id, path, rejects_path=path.with_suffix(".rejects"))
    seconds_again = time.perf_counter() - t0
    assert again.saved.inserted == 0 and again.saved.unchanged == report.rows, again
    store.close()
    return {"posts": report.rows, "seconds": seconds, "reimport_seconds": seconds_again}


def phase_sqlite_utils(db_path: Path, path: Path) -> dict[str, Any]:
    import sqlite_utils

    db = sqlite_utils.Database(db_path)
    db.execute("PRAGMA journal_mode=WAL")
    table = db.table("posts")
    columns = {
        "id": str,
        "platform": str,
        "text": str,
        "created_at": str,
        "author": str,
        "source": str,
        "language": str,
        "likes": int,
    }
    table.create(columns, pk="id")
    table.enable_fts(["text"], create_triggers=True)

    def rows() -> Any:
        with path.open(encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)

    t0 = time.perf_counter()
    table.insert_all(rows(), pk="id", ignore=True, batch_size=5000)
    seconds = time.perf_counter() - t0
    posts = db.execute("SELECT count(*) FROM posts").fetchone()[0]
    return {"posts": posts, "seconds": seconds}


def run_phase(args: argparse.Namespace) -> None:
    path = Path(args.file)
    if args.phase == "sqlite-utils":
        result = phase_sqlite_utils(Path(args.target), path)
    else:
        result = phase_lytter(args.target, path)
    # The larger of this process and its reader process (a child, for big files).
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    result["peak_rss_mb"] = peak_kb / 1024
    print(json.dumps(result))


def run_child(script: str, phase: str, *args: str) -> dict[str, Any]:
    """Run one phase of a benchmark script in a fresh process (so peak RSS is its own) and
    return the JSON object it prints last."""
    cmd = [sys.executable, script, "--phase", phase, *args]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{phase} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def child(phase: str, target: str, file: Path) -> dict[str, Any]:
    return run_child(__file__, phase, "--target", target, "--file", str(file))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--shared", type=Path, default=Path(__file__).parents[1] / "../shared/data")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run_phase(args)
        return

    with tempfile.TemporaryDirectory(prefix="lytter-bench-") as tmp:
        tmpdir = Path(tmp)
        file = tmpdir / "posts.jsonl"
        size = write_posts(file, args.posts, real_texts(args.shared.resolve()))
        print(f"{args.posts:,} posts of real text, {size / 2**20:,.0f} MiB of JSONL")

        results: dict[str, dict[str, Any]] = {}
        results["sqlite-utils"] = child("sqlite-utils", str(tmpdir / "baseline.sqlite"), file)
        results["lytter sqlite"] = child("lytter", f"sqlite:///{tmpdir / 'lytter.sqlite'}", file)
        if not args.skip_postgres:
            import sqlalchemy as sa

            name = f"lytter_bench_{uuid.uuid4().hex[:8]}"
            admin = sa.create_engine(
                PG_ADMIN.replace("postgresql://", "postgresql+psycopg://"),
                isolation_level="AUTOCOMMIT",
            )
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            try:
                url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
                results["lytter postgresql"] = child("lytter", url, file)
            finally:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.dispose()

    base = results["sqlite-utils"]["posts"] / results["sqlite-utils"]["seconds"]
    header = ("posts/s", "seconds", "re-import s", "peak RSS", "vs sqlite-utils")
    print(f"{'':20} {header[0]:>10} {header[1]:>9} {header[2]:>12} {header[3]:>10} {header[4]:>16}")
    for name, r in results.items():
        rate = r["posts"] / r["seconds"]
        again = f"{r['reimport_seconds']:.1f}" if "reimport_seconds" in r else "-"
        print(
            f"{name:20} {rate:>10,.0f} {r['seconds']:>9.1f} {again:>12} "
            f"{r['peak_rss_mb']:>8,.0f}MB {rate / base:>15.2f}x"
        )
    lite = results["lytter sqlite"]
    lite_rate = lite["posts"] / lite["seconds"]
    peak = max(r["peak_rss_mb"] for k, r in results.items() if k.startswith("lytter"))
    ok = lite_rate >= TARGET_SQLITE and lite_rate >= base and peak < TARGET_RSS_MB
    summary = f"sqlite {lite_rate:,.0f} posts/s ({lite_rate / base:.2f}x sqlite-utils)"
    if "lytter postgresql" in results:
        pg = results["lytter postgresql"]
        pg_rate = pg["posts"] / pg["seconds"]
        ok = ok and pg_rate >= TARGET_POSTGRES
        summary += f", postgresql {pg_rate:,.0f} posts/s"
    summary += f", peak RSS {peak:,.0f} MB"
    verdict = "targets met" if ok else "TARGETS MISSED"
    print(f"ingest {args.posts:,} posts: {summary} — {verdict}")


if __name__ == "__main__":
    main()
