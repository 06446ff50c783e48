"""Build the demo workspace's data files from ../shared/data (run from the repo root).

    python scripts/make_demo_data.py [--shared ../shared/data]

Writes src/lytter/demo/data/*.jsonl.gz in Lytter's normalised import schema, plus the
licences. Output is deterministic: running it twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

OUT = Path("src/lytter/demo/data")

# The travel-company view of TWCS: we are Delta, these airlines are our competitors.
OWN_BRAND = "Delta"
COMPETITORS = ("AmericanAir", "SouthwestAir", "British_Airways", "AlaskaAir")

# Outlet names that are really a platform, and spellings to merge.
_NOT_OUTLETS = {"", "Facebook", "Reddit", "Twitter"}
_OUTLET_SPELLING = {"Politikken": "Politiken", "Jyllands-posten": "Jyllands-Posten"}


def write_jsonl_gz(path: Path, rows: list[dict[str, Any]]) -> None:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as gz:
        for row in rows:
            gz.write((json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n").encode())
    path.write_bytes(buffer.getvalue())
    print(f"{path}: {len(rows):,} posts, {path.stat().st_size / 1024:,.0f} KiB")


def dkhate(shared: Path) -> list[dict[str, Any]]:
    """Danish Reddit comments with their real timestamps (the Facebook rows have none)."""
    rows = []
    with (shared / "dkhate/dkhate_full_labeled.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if not r["timestamp"] or not r["uid"]:
                continue
            subreddit = r["source"].removeprefix("Reddit Comments ").strip()
            rows.append(
                {
                    "id": r["uid"],
                    "platform": "reddit",
                    "text": r["text"],
                    "created_at": r["timestamp"].replace(" ", "T") + "Z",
                    "source": subreddit,
                    "source_url": f"https://www.reddit.com/{subreddit}/",
                    "language": "da",
                    "dataset": "dkhate",
                }
            )
    return rows


def _page_slug(url: str) -> str | None:
    m = re.search(r"facebook\.com/([^/]+)/", url)
    return m.group(1) if m else None


def _outlet(media: str, url: str, outlet_of_page: dict[str, str]) -> str:
    media = _OUTLET_SPELLING.get(media.strip(), media.strip())
    if media not in _NOT_OUTLETS:
        return media
    if slug := _page_slug(url):
        return outlet_of_page.get(slug, slug)
    if m := re.search(r"reddit\.com/(r/[^/]+)/", url):
        return m.group(1)
    return "Ukendt medie"


def political_comments(shared: Path) -> list[dict[str, Any]]:
    """Danish comments on news posts, one page per outlet; times are synthetic (none in data).

    Each article URL is one thread; it is given a start time spread deterministically over
    January-April 2019 (when the data was collected), and its comments follow minutes apart.
    """
    rows = []
    start = datetime(2019, 1, 7, 7, 0, tzinfo=UTC)
    per_thread: dict[str, int] = {}
    with (shared / "danish_facebook_political_comments/comments.csv").open(encoding="utf-8") as f:
        comments = list(csv.DictReader(f))
    # A page slug (tv2nyhederne) names its outlet (TV2) wherever a row gives both.
    outlet_of_page: dict[str, str] = {}
    for r in comments:
        slug, media = _page_slug(r["url"]), _OUTLET_SPELLING.get(r["media"].strip(), r["media"])
        if slug and media.strip() not in _NOT_OUTLETS:
            outlet_of_page.setdefault(slug, media.strip())
    for n, r in enumerate(comments, start=1):
        url = r["url"].strip()
        platform = "reddit" if "reddit.com" in url else "facebook"
        thread = hashlib.sha256(url.encode()).hexdigest()
        offset = int(thread[:8], 16) % (113 * 24 * 60)  # minutes into the 113 days
        k = per_thread.get(url, 0)
        per_thread[url] = k + 1
        created = start + timedelta(minutes=offset + 7 * k + (int(thread[8:10], 16) % 7))
        post_id = re.search(r"/(?:posts|comments)/([^/]+)", url)
        rows.append(
            {
                "id": f"dpc-{n}",
                "platform": platform,
                "text": r["text"],
                "created_at": created.isoformat().replace("+00:00", "Z"),
                "source": _outlet(r["media"], url, outlet_of_page),
                "root_id": post_id.group(1) if post_id else f"thread-{thread[:12]}",
                "url": url or None,
                "language": "da",
                "topic": r["topic"],
                "created_at_synthetic": True,
                "dataset": "danish_facebook_political_comments",
            }
        )
    return rows


def twcs(shared: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """English customer-care threads, intact; each thread's source is the brand that answers."""
    with (shared / "twcs_customer_support/twcs_first5000.csv").open(encoding="utf-8") as f:
        tweets = list(csv.DictReader(f))
    by_id = {t["tweet_id"]: t for t in tweets}
    brands = {t["author_id"] for t in tweets if t["inbound"] == "False"}

    def root_of(t: dict[str, str]) -> str:
        seen = set()
        while t["in_response_to_tweet_id"] and t["in_response_to_tweet_id"] in by_id:
            if t["tweet_id"] in seen:
                break
            seen.add(t["tweet_id"])
            t = by_id[t["in_response_to_tweet_id"]]
        return t["tweet_id"]

    thread_brand: dict[str, str] = {}
    for t in tweets:
        if t["inbound"] == "False":
            thread_brand.setdefault(root_of(t), t["author_id"])
    rows = []
    for t in tweets:
        root = root_of(t)
        brand = thread_brand.get(root)
        if brand is None:
            mentioned = [h for h in re.findall(r"@(\w+)", t["text"]) if h in brands]
            brand = mentioned[0] if mentioned else None
        created = datetime.strptime(t["created_at"], "%a %b %d %H:%M:%S %z %Y")
        rows.append(
            {
                "id": t["tweet_id"],
                "platform": "twitter",
                "text": t["text"],
                "created_at": created.isoformat().replace("+00:00", "Z"),
                "author": t["author_id"],
                "source": f"@{brand}" if brand else None,
                "source_id": brand,
                "source_url": f"https://twitter.com/{brand}" if brand else None,
                "root_id": root if root != t["tweet_id"] else None,
                "parent_id": t["in_response_to_tweet_id"] or None,
                "language": "en",
                "inbound": t["inbound"] == "True",
                "dataset": "twcs_customer_support",
            }
        )
    kinds = {OWN_BRAND: "own", **dict.fromkeys(COMPETITORS, "competitor")}
    return rows, kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    shared: Path = args.shared
    OUT.mkdir(parents=True, exist_ok=True)
    write_jsonl_gz(OUT / "dkhate.jsonl.gz", dkhate(shared))
    write_jsonl_gz(OUT / "political_comments.jsonl.gz", political_comments(shared))
    rows, kinds = twcs(shared)
    write_jsonl_gz(OUT / "twcs.jsonl.gz", rows)
    (OUT / "brands.json").write_text(json.dumps(kinds, indent=2) + "\n", encoding="utf-8")
    licences = OUT / "licences"
    licences.mkdir(exist_ok=True)
    shutil.copy(shared / "dkhate/LICENSE", licences / "dkhate-CC-BY-4.0.txt")
    shutil.copy(
        shared / "danish_facebook_political_comments/LICENSE",
        licences / "danish-political-comments-CC-BY-NC-SA-4.0.txt",
    )


if __name__ == "__main__":
    main()
