"""Matching benchmark: 1,000 saved queries against 200,000 real posts, engine vs reference.

    python benchmarks/matching.py [--queries 1000] [--posts 200000] [--reference-posts 300]
                                  [--single-posts 20000]

Queries are generated from the posts' own frequent words (3-30 terms each, with OR lists, NOT,
phrases, wildcards, inflections and NEAR), seeded so every run uses the same ones; the posts
are distinct real posts (see `corpus`). The engine (lytter.querylang.batch.BatchMatcher, what
the collecting pipeline and back-fills use: a batch of posts at a time, with numpy) runs on
one core over all posts, starting cold; the post-by-post Matcher (used for a single post, e.g.
"test this query") over a sample, and the reference evaluator (tests/querylang/reference.py,
one query at a time) over a smaller one, all in the same run. Prints posts/s for each, the
ratio engine/reference and whether all three agree, then a one-line summary.
Targets: engine >= 100,000 posts/s, >= 200x the reference.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))
from tests.querylang.reference import Post, matches  # noqa: E402

from ingest import real_texts  # noqa: E402
from lytter.gcpause import gc_paused  # noqa: E402
from lytter.querylang import parse  # noqa: E402
from lytter.querylang.batch import BATCH, BatchMatcher  # noqa: E402
from lytter.querylang.document import Document  # noqa: E402
from lytter.querylang.match import Matcher  # noqa: E402
from lytter.text.tokenise import tokenise  # noqa: E402

TARGET_RATE = 100_000
TARGET_RATIO = 200


def corpus(shared: Path, size: int) -> list[tuple[str, str]]:
    """Up to `size` distinct real posts: Danish comments and customer-service tweets first, then
    tweets and comments from the other shared datasets (SemEval, TweetEval, GoEmotions,
    CrisisLex), so a run of 200,000 posts repeats none."""
    texts = real_texts(shared)
    more = [
        (shared / "semeval2017_task4a_english/semeval_2013_2016_all_subtaskA.csv", "text"),
        *[(p, "text") for p in sorted((shared / "tweeteval").glob("*/*.csv"))],
        *[(shared / "goemotions" / f"{n}.csv", "text") for n in ("train", "dev", "test")],
        *[
            (p, " Tweet Text")
            for p in sorted((shared / "crisislex/CrisisLexT26").glob("*/*-tweets_labeled.csv"))
        ],
    ]
    seen = {t for t, _ in texts}
    for path, column in more:
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                text = (row.get(column) or "").strip()
                if text and text not in seen:
                    seen.add(text)
                    texts.append((text, "en"))
        if len(texts) >= size:
            break
    return texts[:size]


def vocabulary(texts: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """(names, topics): rarer words play brands and products, commoner ones topics."""
    counts: Counter[str] = Counter()
    for text, _ in texts[:50_000]:
        counts.update(t.folded for t in tokenise(text) if t.kind == "word" and len(t.folded) > 3)
    ranked = [w for w, _ in counts.most_common(10_000)]
    # The very commonest words are left out: nobody listens for "that" or "have".
    return ranked[400:10_000], ranked[60:3_000]


def make_query(rng: random.Random, vocab: tuple[list[str], list[str]]) -> str:
    """A saved query as professionals write them: (names) AND/NEAR (topics) NOT (noise)."""
    names, topics = vocab

    def term(words: list[str]) -> str:
        w = rng.choice(words)
        roll = rng.random()
        if roll < 0.10 and len(w) > 5:
            return w[: rng.randint(3, 5)] + "*"
        if roll < 0.14 and len(w) > 5:
            return "*" + w[-4:]
        if roll < 0.22:
            return w + "~"
        if roll < 0.32:
            return f'"{w} {rng.choice(words)}"'
        return w

    def or_list(words: list[str], n: int) -> str:
        return "(" + " OR ".join(term(words) for _ in range(n)) + ")"

    size = rng.randint(3, 30)
    n_names = max(1, size // 3)
    n_topics = max(1, size - n_names - 3)
    parts = [or_list(names, n_names)]
    roll = rng.random()
    if roll < 0.35:
        near = f"NEAR/{rng.randint(2, 8)}{'f' if rng.random() < 0.3 else ''}"
        parts.append(f"{near} {or_list(topics, n_topics)}")
    elif roll < 0.85:
        parts.append("AND " + or_list(topics, n_topics))
    if rng.random() < 0.6:
        parts.append("NOT " + or_list(topics, rng.randint(1, 3)))
    return " ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--reference-posts", type=int, default=300)
    parser.add_argument("--single-posts", type=int, default=20_000)
    parser.add_argument("--shared", type=Path, default=ROOT / "../shared/data")
    args = parser.parse_args()

    texts = corpus(args.shared.resolve(), args.posts)
    rng = random.Random(2026)
    vocab = vocabulary(real_texts(args.shared.resolve()))
    queries = {i: parse(make_query(rng, vocab)) for i in range(args.queries)}
    posts = [texts[i % len(texts)] for i in range(args.posts)]

    started = time.perf_counter()
    engine = BatchMatcher(queries)
    compile_s = time.perf_counter() - started

    found: list[list[int]] = []
    times: list[float] = []
    for offset in range(0, len(posts), BATCH):
        started = time.perf_counter()
        with gc_paused():  # as lytter.services.queries matches a batch
            docs = [Document(t, language=lang) for t, lang in posts[offset : offset + BATCH]]
            found += engine.match_many(docs)
        times.append(time.perf_counter() - started)
    engine_rate = len(posts) / sum(times)
    # The engine learns each distinct chunk and word once: the second half of the run, new
    # posts but a vocabulary met before, shows the rate of a long-running collector.
    half = len(times) // 2
    warm_rate = (len(posts) - half * BATCH) / sum(times[half:])
    matched = sum(map(len, found))

    matcher = Matcher(queries)
    single = posts[: args.single_posts]
    started = time.perf_counter()
    agree_single = 0
    for n, (text, language) in enumerate(single):
        agree_single += matcher.match(Document(text, language=language)) == found[n]
    single_rate = len(single) / (time.perf_counter() - started)

    sample = posts[: args.reference_posts]
    started = time.perf_counter()
    agree = 0
    for n, (text, language) in enumerate(sample):
        post = Post(text, language)
        agree += [i for i, q in queries.items() if matches(q, post)] == found[n]
    reference_rate = len(sample) / (time.perf_counter() - started)

    print(f"{args.queries:,} queries (compiled in {compile_s:.2f} s), {len(posts):,} posts")
    print(
        f"engine       {engine_rate:>10,.0f} posts/s  ({matched / len(posts):.2f} matches a post)"
    )
    print(f"  2nd half   {warm_rate:>10,.0f} posts/s  (its vocabulary met in the first half)")
    print(f"post by post {single_rate:>10,.0f} posts/s  (on {len(single):,} posts)")
    print(f"reference    {reference_rate:>10,.1f} posts/s  (on {len(sample)} posts)")
    print(
        f"agreement    {agree}/{len(sample)} with the reference, "
        f"{agree_single:,}/{len(single):,} with post by post"
    )
    ratio = engine_rate / reference_rate
    ok = (
        engine_rate >= TARGET_RATE
        and ratio >= TARGET_RATIO
        and agree == len(sample)
        and agree_single == len(single)
    )
    verdict = "targets met" if ok else "TARGETS MISSED"
    print(
        f"matching {args.queries:,} queries: engine {engine_rate:,.0f} posts/s, "
        f"{ratio:,.0f}x the reference — {verdict}"
    )


if __name__ == "__main__":
    main()
