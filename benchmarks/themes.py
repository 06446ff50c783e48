"""Themes benchmark: Lytter's themes against human topic labels, vs TF-IDF + k-means.

    python benchmarks/themes.py [--seeds 5] [--speed-posts 5000]

The human labels are ../shared/data/twcs_customer_support/labeled_topics: 200 customer tweets
per brand (AmazonHelp, AppleSupport, SpotifyCares), each marked with the topics it is about
(Delivery, Prime, Battery, Update, Premium, Billing...). A tweet counts with its first topic;
tweets with none are left out. For each brand both methods look for as many groups as the
brand has topics: Lytter's themes (lytter.analysis.themes, what `lytter themes` runs) and, in
the same run, a plain baseline (scikit-learn's TfidfVectorizer with its defaults and KMeans
with 10 restarts). Each is scored by normalised mutual information (NMI) with the labels,
averaged over `--seeds` random starts. Then the time to find the themes of 5,000 real posts.
Prints the scores per brand, their means and ratio, then a one-line summary.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import normalized_mutual_info_score

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from ingest import real_texts  # noqa: E402
from lytter.analysis.themes import ThemeText, find_themes  # noqa: E402

BRANDS = ("AmazonHelp", "AppleSupport", "SpotifyCares")
NOT_TOPICS = {
    "main_tweet_id",
    "tweet_id",
    "in_response_to_tweet_id",
    "response_tweet_id",
    "created_at",
    "author_id",
    "inbound",
    "text",
    "company",
}


def labelled(shared: Path, brand: str) -> tuple[list[str], list[str]]:
    """The brand's labelled tweets and the first topic of each."""
    path = shared / f"twcs_customer_support/labeled_topics/twcs-{brand}-200-inbound.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    topics = [c for c in rows[0] if c not in NOT_TOPICS]
    texts, labels = [], []
    for row in rows:
        marked = [t for t in topics if (row[t] or "").strip() not in ("", "0", "0.0")]
        if marked:
            texts.append(row["text"])
            labels.append(marked[0])
    return texts, labels


def lytter_groups(texts: list[str], k: int, seed: int) -> np.ndarray:
    themes = find_themes([ThemeText(i, t, "en") for i, t in enumerate(texts)], k=k, seed=seed)
    groups = np.full(len(texts), -1)  # a tweet in no theme is a group of its own kind
    for n, theme in enumerate(themes):
        groups[list(theme.post_ids)] = n
    return groups


def baseline_groups(texts: list[str], k: int, seed: int) -> np.ndarray:
    vectors = TfidfVectorizer().fit_transform(texts)
    groups: np.ndarray = KMeans(k, n_init=10, random_state=seed).fit_predict(vectors)
    return groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--speed-posts", type=int, default=5_000)
    parser.add_argument("--shared", type=Path, default=ROOT / "../shared/data")
    args = parser.parse_args()
    shared = args.shared.resolve()

    print(f"{'brand':14} {'tweets':>6} {'topics':>6} {'lytter NMI':>11} {'tf-idf+k-means':>15}")
    ours, base = [], []
    for brand in BRANDS:
        texts, labels = labelled(shared, brand)
        k = len(set(labels))
        seeds = range(args.seeds)
        a = statistics.mean(
            normalized_mutual_info_score(labels, lytter_groups(texts, k, s)) for s in seeds
        )
        b = statistics.mean(
            normalized_mutual_info_score(labels, baseline_groups(texts, k, s)) for s in seeds
        )
        ours.append(a)
        base.append(b)
        print(f"{brand:14} {len(texts):>6} {k:>6} {a:>11.3f} {b:>15.3f}")
    mean_ours, mean_base = statistics.mean(ours), statistics.mean(base)
    ratio = mean_ours / mean_base
    print(f"{'mean':28} {mean_ours:>11.3f} {mean_base:>15.3f}   ({ratio:.2f}x)")

    sample = real_texts(shared)[: args.speed_posts]
    posts = [ThemeText(i, t, lang) for i, (t, lang) in enumerate(sample)]
    started = time.perf_counter()
    themes = find_themes(posts)
    seconds = time.perf_counter() - started
    print(f"themes of {len(posts):,} real posts: {len(themes)} themes in {seconds:.2f} s")
    for theme in themes[:5]:
        print(f"  {theme.count:>5}  {theme.label}")

    verdict = "better than the baseline" if ratio > 1 else "NOT BETTER THAN THE BASELINE"
    print(
        f"themes: NMI {mean_ours:.3f} vs TF-IDF + k-means {mean_base:.3f} ({ratio:.2f}x),"
        f" {len(posts):,} posts in {seconds:.1f} s — {verdict}"
    )


if __name__ == "__main__":
    main()
