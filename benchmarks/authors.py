"""Critics, trolls and ambassadors benchmark: precision and recall of Lytter's author types on
labelled authors, against a tone-majority rule read from the same post analyses in the same run.

    python benchmarks/authors.py [--shared ../shared/data] [--built 60]

Two sets:

- **Real authors (English)**: the 90 TWCS customers labelled by hand in
  `benchmarks/data/twcs_authors.csv` (see its README: read in full, labelled by issue #7's
  definitions before the classifier existed). Their inbound tweets are read from the shared copy;
  a tweet answering another customer's tweet counts as answering another person. TWCS has no
  follower counts, so reach is unknown.
- **Built authors (Danish and English)**: authors made of held-out, human-labelled posts that no
  model was trained on: a *troll* writes 3 posts labelled offensive and 1 labelled not
  (OffensEval 2020 Danish test; TweetEval offensive test); an *ambassador* writes 3 posts
  labelled positive and 1 neutral (the held-out Danish political sentences; SemEval-2017 test);
  an author of *no type* writes one negative, two neutral and one positive post. Critics are not
  built: "constructive" is not labelled in those sets, so critics are measured on the real set.

The baseline reads each author's majority: offensive posts → troll, negative → critic,
positive → ambassador, else none (no substance, repetition, helping or reach). Prints
precision, recall and F1 per type and set, and a one-line summary last.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from train_models import (  # noqa: E402
    danish_sentences,
    offenseval_da,
    semeval_test,
    tweeteval_offensive,
)

from lytter.analysis.analyse import analyse  # noqa: E402
from lytter.analysis.authors import classify_posts  # noqa: E402
from lytter.domain.analysis import OFFENSIVE_AT  # noqa: E402
from lytter.domain.authors import AuthorPost, AuthorSettings  # noqa: E402

TYPES = ("critic", "troll", "ambassador", "none")
Author = tuple[str, list[AuthorPost]]  # (gold label, posts)


def read(texts: list[str], language: str) -> list[AuthorPost]:
    """Each text as the classifier sees it, read by Lytter's models."""
    found = analyse(texts, known=[language] * len(texts))
    return [AuthorPost(t, a.sentiment, a.offensive) for t, a in zip(texts, found, strict=True)]


def twcs_authors(shared: Path) -> list[Author]:
    gold = {
        r["author_id"]: r["label"]
        for r in csv.DictReader((ROOT / "benchmarks/data/twcs_authors.csv").open())
    }
    path = shared / "twcs_customer_support/twcs_first5000.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    by_id = {r["tweet_id"]: r for r in rows}
    mine = sorted(
        (r for r in rows if r["author_id"] in gold and r["inbound"] == "True"),
        key=lambda r: int(r["tweet_id"]),
    )
    read_posts = read([r["text"] for r in mine], "en")
    posts: dict[str, list[AuthorPost]] = defaultdict(list)
    for r, p in zip(mine, read_posts, strict=True):
        parent = by_id.get(r["in_response_to_tweet_id"])
        other = bool(
            parent and parent["inbound"] == "True" and parent["author_id"] != r["author_id"]
        )
        posts[r["author_id"]].append(
            AuthorPost(p.text, p.sentiment, p.offensive, answers_other=other)
        )
    return [(label, posts[a]) for a, label in gold.items()]


def built_authors(
    offensive: Sequence[tuple[str, str]],
    tone: Sequence[tuple[str, str]],
    language: str,
    count: int,
    seed: int = 7,
) -> list[Author]:
    """`count` trolls, ambassadors and authors of no type made of held-out labelled posts."""
    rng = random.Random(seed)
    pools: dict[str, list[str]] = defaultdict(list)
    for text, label in offensive:
        pools["off" if label == "offensive" else "not"].append(text)
    for text, label in tone:
        pools[label].append(text)
    for pool in pools.values():
        rng.shuffle(pool)
    recipes = {
        "troll": ["off", "off", "off", "not"],
        "ambassador": ["positive", "positive", "positive", "neutral"],
        "none": ["negative", "neutral", "neutral", "positive"],
    }
    wanted: list[tuple[str, list[str]]] = []
    for label, recipe in recipes.items():
        for _ in range(count):
            if any(len(pools[k]) < recipe.count(k) for k in set(recipe)):
                break
            wanted.append((label, [pools[k].pop() for k in recipe]))
    texts = [t for _, ts in wanted for t in ts]
    read_posts = iter(read(texts, language))
    return [(label, [next(read_posts) for _ in ts]) for label, ts in wanted]


def lytter(posts: list[AuthorPost], settings: AuthorSettings) -> str:
    return classify_posts(posts, settings)[0]


def majority(posts: list[AuthorPost], settings: AuthorSettings) -> str:
    n = len(posts)
    if n < settings.min_posts:
        return "none"
    if sum(p.offensive >= OFFENSIVE_AT for p in posts) * 2 >= n:
        return "troll"
    tones = Counter(p.sentiment for p in posts)
    if tones["negative"] * 2 >= n:
        return "critic"
    if tones["positive"] * 2 >= n:
        return "ambassador"
    return "none"


def scores(gold: list[str], said: list[str], label: str) -> tuple[float, float, float, int]:
    tp = sum(g == s == label for g, s in zip(gold, said, strict=True))
    predicted, actual = said.count(label), gold.count(label)
    precision = tp / predicted if predicted else 0.0
    recall = tp / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, actual


def report(name: str, authors: list[Author], types: Sequence[str]) -> dict[str, float]:
    settings = AuthorSettings()
    gold = [label for label, _ in authors]
    ours = [lytter(posts, settings) for _, posts in authors]
    theirs = [majority(posts, settings) for _, posts in authors]
    kinds = ", ".join(f"{gold.count(t)} {t}" for t in TYPES if gold.count(t))
    print(f"\n{name}: {len(authors)} authors ({kinds})")
    print(
        f"  {'type':<11} {'Lytter P':>9} {'R':>6} {'F1':>6}   {'majority P':>10} {'R':>6} {'F1':>6}"
    )
    macro: dict[str, list[float]] = {"lytter": [], "majority": []}
    for label in types:
        p, r, f, n = scores(gold, ours, label)
        bp, br, bf, _ = scores(gold, theirs, label)
        macro["lytter"].append(f)
        macro["majority"].append(bf)
        ours_row = f"{p:>9.2f} {r:>6.2f} {f:>6.2f}"
        print(f"  {label:<11} {ours_row}   {bp:>10.2f} {br:>6.2f} {bf:>6.2f}   (n={n})")
    accuracy = sum(g == s for g, s in zip(gold, ours, strict=True)) / len(gold)
    base_accuracy = sum(g == s for g, s in zip(gold, theirs, strict=True)) / len(gold)
    ours_f1 = sum(macro["lytter"]) / len(types)
    theirs_f1 = sum(macro["majority"]) / len(types)
    print(
        f"  accuracy {accuracy:.2f} (majority {base_accuracy:.2f}); macro-F1 {ours_f1:.2f}"
        f" (majority {theirs_f1:.2f}, {ours_f1 / theirs_f1 if theirs_f1 else float('inf'):.2f}×)"
    )
    return {"f1": ours_f1, "baseline": theirs_f1, "accuracy": accuracy}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--built", type=int, default=60, help="Built authors per type and set.")
    args = parser.parse_args()
    started = time.perf_counter()
    results = {
        "TWCS real (en)": report(
            "TWCS real authors, hand-labelled (English)", twcs_authors(args.shared), TYPES
        ),
        "built da": report(
            "Built authors, Danish (OffensEval-da test, political sentences test split)",
            built_authors(
                offenseval_da(args.shared, "test"),
                danish_sentences(args.shared, "test"),
                "da",
                args.built,
            ),
            ("troll", "ambassador", "none"),
        ),
        "built en": report(
            "Built authors, English (TweetEval offensive test, SemEval-2017 test)",
            built_authors(
                tweeteval_offensive(args.shared, "test"),
                semeval_test(args.shared),
                "en",
                args.built,
            ),
            ("troll", "ambassador", "none"),
        ),
    }
    took = time.perf_counter() - started
    print(
        "\nauthors: macro-F1 "
        + ", ".join(
            f"{name} {r['f1']:.2f} (majority {r['baseline']:.2f})" for name, r in results.items()
        )
        + f"; {took:.0f} s"
    )


if __name__ == "__main__":
    main()
