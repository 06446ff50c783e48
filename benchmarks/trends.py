"""Emerging-terms benchmark: replay real crisis tweets into a month of other real posts.

    python benchmarks/trends.py [--events 25] [--per-day 1000]

The background is `--per-day` real posts a day for 30 days: English tweets of SemEval
2013-2016 and Danish comments (DKHate, Danish political Facebook comments), shuffled and
placed in time by the real hour-of-week rhythm of TWCS customer-care tweets (busy weekday
afternoons, quiet nights). Then, for each CrisisLex T26 event in turn, its ~1,000 labelled
real tweets join at their real relative times (decoded from the tweet ids), the first of them
on day 20 at its real time of day. Both detectors run hour by hour, seeing only the past:

- Lytter: lytter.analysis.trends (what `lytter trends` runs) with its default settings;
- the baseline: a term is flagged in an hour when its count there exceeds the mean + 3σ of its
  hourly counts over the same 14 days before (and is at least the same minimum count).

For each event: the hours from its first tweet until one of its own keywords (its
event_description.json; a hashtag, a word of a keyword phrase or the phrase) is flagged.
False alarms: distinct (term, day) flags on the calm days 8-19 (a week of warm-up first; no
event yet), per calm day. Prints one line per event, then the medians, the events found, the
false alarms and their ratios, then a one-line summary.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from ingest import real_texts  # noqa: E402
from lytter.analysis.terms import TrendText, post_terms  # noqa: E402
from lytter.analysis.trends import (  # noqa: E402
    HOUR,
    TermSeries,
    TrendSettings,
    burst_scores,
    term_series,
)
from lytter.text.fold import fold  # noqa: E402
from lytter.text.stem import stem  # noqa: E402
from lytter.text.stopwords import STOPWORDS  # noqa: E402

DAYS = 30
EVENT_DAY = 19  # 0-based: the 20th day
CALM = range(7, EVENT_DAY)  # days 8-19
START = datetime(2024, 1, 1, tzinfo=UTC)  # a Monday
STOP = frozenset().union(*STOPWORDS.values())


def background_texts(shared: Path) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    with (shared / "semeval2017_task4a_english/semeval_2013_2016_all_subtaskA.csv").open(
        encoding="utf-8"
    ) as f:
        texts += [(r["text"], "en") for r in csv.DictReader(f)]
    texts += [(t, lang) for t, lang in real_texts(shared) if lang == "da"]  # DKHate, comments
    return [(t, lang) for t, lang in texts if t.strip()]


def rhythm(shared: Path) -> list[float]:
    """Share of posts in each hour of the week (Monday 00-01 UTC first) in TWCS."""
    counts = [1.0] * 168
    for name in ("twcs_first5000.csv", "twcs_random5000.csv"):
        with (shared / "twcs_customer_support" / name).open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                at = datetime.strptime(row["created_at"], "%a %b %d %H:%M:%S %z %Y")
                counts[at.weekday() * 24 + at.hour] += 1
    total = sum(counts)
    return [c / total for c in counts]


def background(shared: Path, per_day: int, seed: int = 0) -> list[TrendText]:
    rng = random.Random(seed)
    texts = background_texts(shared)
    rng.shuffle(texts)
    weights = rhythm(shared)
    hours = rng.choices(
        range(DAYS * 24), [weights[h % 168] for h in range(DAYS * 24)], k=per_day * DAYS
    )
    return [
        TrendText(
            id=i,
            text=texts[i % len(texts)][0],
            published_at=START + timedelta(hours=h, seconds=rng.uniform(0, 3600)),
        )
        for i, h in enumerate(sorted(hours))
    ]


def events(shared: Path) -> dict[str, list[tuple[datetime, str]]]:
    out: dict[str, list[tuple[datetime, str]]] = {}
    path = shared / "crisislex/crisislext26_labeled_all_events.csv"
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            at = datetime.fromisoformat(row["created_at_utc_from_id"]).replace(tzinfo=UTC)
            out.setdefault(row["event"], []).append((at, row["text"]))
    return {name: sorted(tweets) for name, tweets in sorted(out.items())}


def _stem(word: str) -> str:
    return stem(word, "en" if word.isascii() else "da")


def keywords(shared: Path, event: str) -> set[str]:
    """The term keys that count as the event's own keywords."""
    path = next((shared / "crisislex/CrisisLexT26" / event).glob("*event_description.json"))
    described = json.loads(path.read_text(encoding="utf-8"))
    keys: set[str] = set()
    for keyword in described["keywords"]:
        folded = fold(keyword.strip())
        if folded.startswith("#") and " " not in folded:
            keys |= {folded, _stem(folded[1:])}
            continue
        words = [w for w in folded.replace("#", "").split() if w not in STOP]
        keys |= {_stem(w) for w in words}
        keys |= {f"{_stem(a)} {_stem(b)}" for a, b in zip(words, words[1:], strict=False)}
    return keys


def mean_3sigma(series: TermSeries, settings: TrendSettings) -> np.ndarray:
    """Per term and hour: flagged when the hour's count exceeds the mean + 3σ of the term's
    hourly counts over the baseline days before it (and reaches the minimum count)."""
    counts = series.counts
    n_terms, hours = counts.shape
    length = settings.baseline_days * 24
    flags = np.zeros((n_terms, hours), dtype=bool)
    for begin in range(0, n_terms, 4096):
        c = counts[begin : begin + 4096]
        s1 = np.concatenate((np.zeros((len(c), 1)), np.cumsum(c, axis=1)), axis=1)
        s2 = np.concatenate((np.zeros((len(c), 1)), np.cumsum(c * c, axis=1)), axis=1)
        end = np.arange(hours)
        first = np.maximum(end - length, 0)
        n = np.maximum(end - first, 1)
        mean = (s1[:, end] - s1[:, first]) / n
        var = np.maximum((s2[:, end] - s2[:, first]) / n - mean**2, 0.0)
        flag = (c > mean + 3 * np.sqrt(var)) & (c >= settings.min_count) & (end >= 24)
        flags[begin : begin + 4096] = flag
    return flags


def evaluate(
    series: TermSeries, flags: np.ndarray, keys: set[str], onset: datetime
) -> tuple[float | None, str, float]:
    """Hours from onset to the first keyword flagged (None: never), the term, and the false
    alarms per calm day."""
    onset_hour = series.hour_of(onset)
    hit_hours = [
        (int(np.flatnonzero(flags[t, onset_hour:])[0]) + onset_hour, series.label(t))
        for t, key in enumerate(series.keys)
        if key in keys and flags[t, onset_hour:].any()
    ]
    latency: float | None = None
    term = "—"
    if hit_hours:
        hour, term = min(hit_hours)
        latency = (series.start + (hour + 1) * HOUR - onset) / HOUR
    calm = flags[:, CALM.start * 24 : CALM.stop * 24]
    alarms = {(t, h // 24) for t, h in zip(*np.nonzero(calm), strict=True)}
    return latency, term, len(alarms) / len(CALM)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--events", type=int, default=26, help="how many events (alphabetical)")
    parser.add_argument("--per-day", type=int, default=1000, help="background posts a day")
    args = parser.parse_args()
    settings = TrendSettings()
    started = time.perf_counter()
    calm_posts = background(args.shared, args.per_day)
    terms_of: Callable[[TrendText], list[tuple[str, str, str]]] = cache(post_terms)
    replayed = [
        e for e in events(args.shared).items() if len(e[1]) and _has_description(args.shared, e[0])
    ]
    print(f"background: {len(calm_posts):,} real posts over {DAYS} days; {len(replayed)} events")
    print(
        f"{'event':32} {'tweets':>6} {'5th h':>6}  {'lytter h':>8} {'3σ h':>6}"
        "  first keyword (lytter)"
    )
    rows = []
    fifths: list[float] = []
    seconds: list[float] = []
    for name, tweets in replayed[: args.events]:
        first = tweets[0][0]
        onset = (
            START + timedelta(days=EVENT_DAY) + (first - first.replace(hour=0, minute=0, second=0))
        )
        posts = calm_posts + [
            TrendText(id=10_000_000 + i, text=text, published_at=onset + (at - first))
            for i, (at, text) in enumerate(tweets)
        ]
        clock = time.perf_counter()
        series = term_series(
            posts, START, START + timedelta(days=DAYS), min_total=settings.min_count, terms=terms_of
        )
        keys = keywords(args.shared, name)
        ours = evaluate(series, burst_scores(series, settings)[0] > 0, keys, onset)
        seconds.append(time.perf_counter() - clock)
        theirs = evaluate(series, mean_3sigma(series, settings), keys, onset)
        rows.append((ours, theirs))
        shown = [f"{x:8.1f}" if x is not None else f"{'—':>8}" for x in (ours[0], theirs[0])]
        fifth = (tweets[min(4, len(tweets) - 1)][0] - first) / HOUR
        fifths.append(fifth)
        print(f"{name:32} {len(tweets):6} {fifth:6.1f}  {shown[0]} {shown[1][2:]:>6}  {ours[1]}")
    found = [sum(r[i][0] is not None for r in rows) for i in (0, 1)]
    medians = [
        statistics.median(
            [r[i][0] if r[i][0] is not None else 24.0 * (DAYS - EVENT_DAY) for r in rows]
        )
        for i in (0, 1)
    ]
    alarms = [statistics.mean(r[i][2] for r in rows) for i in (0, 1)]
    print()
    print(f"{'':24} {'lytter':>10} {'mean+3σ':>10}")
    print(f"{'events found':24} {found[0]:>10} {found[1]:>10}")
    print(f"{'median hours to keyword':24} {medians[0]:>10.1f} {medians[1]:>10.1f}")
    print(f"{'false alarms / calm day':24} {alarms[0]:>10.1f} {alarms[1]:>10.1f}")
    ratio = alarms[1] / alarms[0] if alarms[0] else float("inf")
    print(
        f"{'median hours to 5th tweet':24} {statistics.median(fifths):>10.1f}"
        "   (no detector that needs 5 posts is faster)"
    )
    per_run = statistics.median(seconds)
    print(
        f"one replay (read {len(posts):,} posts' terms, cached, and score "
        f"{series.counts.shape[0]:,} terms x {series.hours} hours): {per_run:.1f} s; "
        f"all took {time.perf_counter() - started:.0f} s"
    )
    print(
        f"trends: lytter found {found[0]}/{len(rows)} events, median {medians[0]:.1f} h after "
        f"the first tweet, {alarms[0]:.2f} false alarms a calm day; "
        f"mean+3σ {found[1]}/{len(rows)}, "
        f"{medians[1]:.1f} h, {alarms[1]:.1f} a day ({ratio:.0f}x lytter's false alarms)"
    )


def _has_description(shared: Path, event: str) -> bool:
    return any((shared / "crisislex/CrisisLexT26" / event).glob("*event_description.json"))


if __name__ == "__main__":
    main()
