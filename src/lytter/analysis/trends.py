"""Emerging terms: the words, phrases, #hashtags and @mentions that suddenly grow.

Every post counts once for each term it holds: a content word (keyed by its stem in the post's
language, so "ventetid" and "ventetiden" are one term), two content words in a row (a phrase),
a #hashtag or an @mention. One author counts at most once per term and hour, so one
person repeating a hashtag is not a trend. That gives each term an hourly series of posts.

A term is *emerging* at hour `h` when, for one of the windows of 1, 3, 6 or 24 hours that end
at `h`, the posts holding it in the window (`o`) are many more than its own baseline predicts:
its share of all posts in the `baseline_days` before the window, times the number of posts in
the window (`e = p·N`). Because `e` follows the window's own volume, a quiet night expects
little and a busy Monday morning much: the daily and weekly rhythm is in the expectation, and
a term that is merely as common as always is never emerging however busy the hour. The burst
score is the Poisson log-likelihood ratio `G = 2·(o·ln(o/e) − (o − e))`; a term is emerging
when `o ≥ min_count`, `o/e ≥ min_ratio` and `G ≥ threshold`. A term seen for the first time
has the share of one post in its baseline, so a new word needs several posts to count.

benchmarks/trends.py replays real crisis tweets into a month of other real posts: this finds
the events' own keywords within hours with few false alarms a calm day, against a mean + 3σ
baseline on hourly counts in the same run.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import numpy as np

from lytter.analysis.terms import (
    KINDS,
    TrendText,
    batch_terms,
    code_of,
    kind_of,
    post_terms,
    unpack,
)
from lytter.domain.analysis import TrendSettings

HOUR = timedelta(hours=1)
# Scored in slices of this many terms, so the hour-by-term arrays stay small.
_SLICE = 4096


@dataclass(slots=True)
class TermSeries:
    """Posts per term and hour from `start` on, and all posts per hour."""

    start: datetime
    keys: list[str]
    kinds: list[str]
    counts: np.ndarray  # [term, hour], posts (one per author) holding the term
    totals: np.ndarray  # [hour], all posts
    spelled: dict[str, Counter[str]] = field(default_factory=dict)
    # term → (hour, post id) of each post holding it, oldest first
    posts: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    # Where the terms are known by code only (coded_series): fills `spelled` and `posts` of
    # the terms at these indices and returns those it could name.
    describe: Callable[[Sequence[int]], set[int]] | None = None

    @property
    def hours(self) -> int:
        return int(self.totals.shape[0])

    def label(self, index: int) -> str:
        """How the term is written most often."""
        key = self.keys[index]
        spellings = self.spelled.get(key)
        return spellings.most_common(1)[0][0] if spellings else key

    def hour_of(self, moment: datetime) -> int:
        return math.floor((moment - self.start) / HOUR)


@dataclass(frozen=True, slots=True)
class EmergingTerm:
    """A term that grew: how much, since when, and its hourly posts."""

    term: str
    kind: str  # word, phrase, hashtag or mention
    score: float  # the highest burst score in the hours looked at
    count: int  # posts in the window that scored highest
    expected: float  # what the baseline expected in that window
    window: int  # hours
    first_hour: datetime  # the first hour it was emerging
    peak_hour: datetime
    series: tuple[int, ...]  # posts per hour, oldest first
    post_ids: tuple[int, ...]  # its posts in the hours looked at, newest first (at most 200)

    @property
    def ratio(self) -> float:
        return self.count / self.expected if self.expected else math.inf


def term_series(
    posts: Iterable[TrendText],
    start: datetime,
    end: datetime,
    *,
    min_total: int = 1,
    terms: Callable[[TrendText], list[tuple[str, str, str]]] | None = None,
) -> TermSeries:
    """Hourly posts per term for posts published in [start, end); terms with fewer than
    `min_total` posts in all are left out (they can never reach a `min_count` above it).
    `terms` reads a post's terms (default: `post_terms`; a cache of it where posts recur)."""
    read = terms or post_terms
    start = start.replace(minute=0, second=0, microsecond=0)
    hours = max(1, math.ceil((end - start) / HOUR))
    totals = np.zeros(hours, dtype=np.float64)
    index: dict[str, int] = {}
    kinds: list[str] = []
    cells: set[tuple[int, object, int]] = set()
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    post_ids: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for post in sorted(posts, key=lambda p: p.published_at):
        hour = math.floor((post.published_at - start) / HOUR)
        if not 0 <= hour < hours:
            continue
        totals[hour] += 1
        who: object = post.author if post.author is not None else ("post", post.id)
        for key, kind, spelling in read(post):
            term = index.get(key)
            if term is None:
                term = index[key] = len(kinds)
                kinds.append(kind)
            cells.add((term, who, hour))
            spelled[key][spelling] += 1
            post_ids[term].append((hour, post.id))
    keys = list(index)
    counts, keep = _dense(cells, len(keys), hours, min_total)
    kept = [keys[i] for i in keep.tolist()]
    return TermSeries(
        start=start,
        keys=kept,
        kinds=[kinds[i] for i in keep.tolist()],
        counts=counts,
        totals=totals,
        spelled={k: spelled[k] for k in kept},
        posts={keys[i]: post_ids[i] for i in keep.tolist()},
    )


def _dense(
    cells: set[tuple[int, object, int]], terms: int, hours: int, min_total: int
) -> tuple[np.ndarray, np.ndarray]:
    """The [term, hour] counts of the terms with at least `min_total` cells, and which."""
    if not cells:
        return np.zeros((0, hours)), np.zeros(0, dtype=np.int64)
    which, _, at = zip(*cells, strict=True)
    return _counted(
        np.asarray(which, dtype=np.int64), np.asarray(at, dtype=np.int64), terms, hours, min_total
    )


def _counted(
    term: np.ndarray, hour: np.ndarray, terms: int, hours: int, min_total: int
) -> tuple[np.ndarray, np.ndarray]:
    """[term, hour] counts of (term, hour) cells, only for the terms with `min_total` cells
    or more (the rest are never dense: a week of a big selection has millions of terms)."""
    keep = np.flatnonzero(np.bincount(term, minlength=terms) >= min_total)
    renumber = np.full(terms, -1, dtype=np.int64)
    renumber[keep] = np.arange(len(keep))
    new = renumber[term]
    mine = new >= 0
    flat = np.bincount(new[mine] * hours + hour[mine], minlength=len(keep) * hours)
    return flat.reshape(len(keep), hours).astype(np.float64), keep


@dataclass(frozen=True, slots=True)
class CodedPosts:
    """Posts as stored term codes give them (lytter.analysis.terms): what trends count
    without reading the texts. Arrays have one entry per post, `codes` all posts' codes one
    post after another (`lengths` of each)."""

    ids: np.ndarray  # int64
    published: np.ndarray  # float64, seconds since the epoch
    authors: np.ndarray  # int64, the author's number (the same for all posts of one author)
    languages: list[str | None]  # the language each post's codes were read in
    codes: np.ndarray  # int64
    lengths: np.ndarray  # int64

    def __len__(self) -> int:
        return len(self.ids)


def coded_posts(posts: Sequence[TrendText], stored: Mapping[int, bytes]) -> CodedPosts:
    """The posts with their codes: as `stored` (post id → packed codes, from the analysing
    pipeline), else read from their texts now."""
    missing = [p for p in posts if p.id not in stored]
    read = dict(
        zip(
            (p.id for p in missing),
            batch_terms([p.text for p in missing], [p.language for p in missing]),
            strict=True,
        )
    )
    codes, lengths = unpack(stored[p.id] if p.id in stored else read[p.id] for p in posts)
    numbers: dict[object, int] = {}
    return CodedPosts(
        ids=np.fromiter((p.id for p in posts), dtype=np.int64, count=len(posts)),
        published=np.fromiter(
            (p.published_at.timestamp() for p in posts), dtype=np.float64, count=len(posts)
        ),
        authors=np.fromiter(
            (
                numbers.setdefault(("post", p.id) if p.author is None else p.author, len(numbers))
                for p in posts
            ),
            dtype=np.int64,
            count=len(posts),
        ),
        languages=[p.language for p in posts],
        codes=codes,
        lengths=lengths,
    )


def coded_series(
    posts: CodedPosts,
    start: datetime,
    end: datetime,
    *,
    min_total: int = 1,
    texts: Callable[[Sequence[int]], Mapping[int, str]],
    sample: int = 20,
) -> TermSeries:
    """`term_series` from stored term codes: the same counts, as array operations.

    What a term is called is known only from its posts' texts, so the series can `describe`
    the terms asked for (emerging_terms asks for the few that scored): it reads the texts of
    each one's newest `sample` posts with `texts` (post id → text) and names the term by its
    most common spelling there."""
    start = start.replace(minute=0, second=0, microsecond=0)
    hours = max(1, math.ceil((end - start) / HOUR))
    hour = np.floor((posts.published - start.timestamp()) / 3600).astype(np.int64)
    inside = (hour >= 0) & (hour < hours)
    totals = np.bincount(hour[inside], minlength=hours)[:hours].astype(np.float64)
    owner = np.repeat(np.arange(len(posts)), posts.lengths)
    owner = owner[inside[owner]]
    codes = posts.codes[np.repeat(inside, posts.lengths)]
    unique, term = np.unique(codes, return_inverse=True)
    _, author = np.unique(posts.authors, return_inverse=True)
    n_authors = int(author.max(initial=0)) + 1
    cell = np.sort((term * n_authors + author[owner]) * hours + hour[owner])
    cell = cell[np.concatenate(([True], cell[1:] != cell[:-1]))] if len(cell) else cell
    counts, keep = _counted(
        cell // (n_authors * hours), cell % hours, len(unique), hours, min_total
    )
    kept_codes = unique[keep]
    series = TermSeries(
        start=start,
        keys=[f"{c:016x}" for c in kept_codes.tolist()],
        kinds=[kind_of(c) for c in kept_codes.tolist()],
        counts=counts,
        totals=totals,
    )
    # Oldest first, as term_series adds them.
    order = np.lexsort((posts.ids, posts.published))
    rank = np.empty(len(posts), dtype=np.int64)
    rank[order] = np.arange(len(posts))
    renumber = np.full(len(unique), -1, dtype=np.int64)
    renumber[keep] = np.arange(len(keep))

    def describe(indices: Sequence[int]) -> set[int]:
        if not indices:
            return set()
        wanted = np.asarray(indices, dtype=np.int64)
        chosen = np.isin(renumber[term], wanted)
        which, whose = renumber[term][chosen], owner[chosen]
        arranged = np.lexsort((rank[whose], which))
        which, whose = which[arranged], whose[arranged]
        bounds = (
            np.searchsorted(which, wanted, side="left"),
            np.searchsorted(which, wanted, side="right"),
        )
        newest: dict[int, list[int]] = {}
        for t, begin, stop in zip(indices, *(b.tolist() for b in bounds), strict=True):
            mine = whose[begin:stop]
            key = series.keys[t]
            series.posts[key] = list(
                zip(hour[mine].tolist(), posts.ids[mine].tolist(), strict=True)
            )
            newest[t] = mine[-sample:].tolist()
        read = texts(sorted({int(posts.ids[p]) for ps in newest.values() for p in ps}))
        named = {int(kept_codes[t]): t for t in indices}
        spelled: dict[int, Counter[str]] = defaultdict(Counter)
        for p in sorted({p for ps in newest.values() for p in ps}):
            text = read.get(int(posts.ids[p]))
            if text is None:
                continue
            post = TrendText(int(posts.ids[p]), text, start, posts.languages[p])
            for key, kind, spelling in post_terms(post):
                t = named.get(code_of(key, kind))
                if t is not None:
                    spelled[t][spelling] += 1
        for t, spellings in spelled.items():
            series.spelled[series.keys[t]] = spellings
        return set(spelled)

    series.describe = describe
    return series


def _windowed(cumulative: np.ndarray, end: np.ndarray, length: int) -> np.ndarray:
    """Sums over the `length` hours before each `end` (exclusive), clipped at hour 0."""
    end = np.maximum(end, 0)
    begin = np.maximum(end - length, 0)
    sums: np.ndarray = cumulative[..., end] - cumulative[..., begin]
    return sums


def burst_scores(
    series: TermSeries, settings: TrendSettings | None = None, first: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per term and hour from hour `first` on: the burst score (0 where not emerging), the
    window (hours) that scored it, the posts in that window and what its baseline expected.

    Hours whose window and baseline would reach before the first day of the series score 0:
    a term needs a day of history before it can be said to grow.
    """
    settings = settings or TrendSettings()
    n_terms, hours = series.counts.shape
    first = min(max(first, 0), hours)
    shape = (n_terms, hours - first)
    score = np.zeros(shape, dtype=np.float32)
    window = np.zeros(shape, dtype=np.int16)
    observed = np.zeros(shape, dtype=np.float32)
    expected = np.zeros(shape, dtype=np.float32)
    baseline = settings.baseline_days * 24
    volume = np.concatenate(([0.0], np.cumsum(series.totals)))
    hour_end = np.arange(first + 1, hours + 1)
    for begin in range(0, n_terms, _SLICE):
        rows = slice(begin, begin + _SLICE)
        cumulative = np.zeros((min(_SLICE, n_terms - begin), hours + 1))
        np.cumsum(series.counts[rows], axis=1, out=cumulative[:, 1:])
        for w in settings.windows:
            ready = hour_end - w >= 24
            o = _windowed(cumulative, hour_end, w)
            n = _windowed(volume, hour_end, w)
            b = _windowed(cumulative, hour_end - w, baseline)
            nb = _windowed(volume, hour_end - w, baseline)
            e = (b + 1.0) / (nb + 1.0) * n
            with np.errstate(divide="ignore", invalid="ignore"):
                g = 2.0 * (o * np.log(np.where(o > 0, o / e, 1.0)) - (o - e))
            hit = ready & (o >= settings.min_count) & (o >= settings.min_ratio * e)
            hit &= g >= settings.threshold
            better = hit & (g > score[rows])
            score[rows] = np.where(better, g, score[rows])
            window[rows] = np.where(better, w, window[rows])
            observed[rows] = np.where(better, o, observed[rows])
            expected[rows] = np.where(better, e, expected[rows])
    return score, window, observed, expected


def emerging_terms(
    series: TermSeries,
    settings: TrendSettings | None = None,
    *,
    since: datetime | None = None,
    limit: int = 30,
    kinds: Sequence[str] = KINDS,
) -> list[EmergingTerm]:
    """The terms emerging at any hour from `since` (default: the series' last day) to its end,
    highest score first. A word is left out where an emerging phrase holding it says as much
    ("train crash", not also "train" and "crash", unless they grew on their own too)."""
    settings = settings or TrendSettings()
    first = max(0, series.hours - 24 if since is None else series.hour_of(since))
    # Only the hours looked at are scored (a week of baseline is read, not scored).
    recent, window, observed, expected = burst_scores(series, settings, first)
    candidates = [
        t
        for t in np.flatnonzero(recent.max(axis=1, initial=0.0) > 0).tolist()
        if series.kinds[t] in kinds
    ]
    if series.describe is not None:
        named = series.describe(candidates)
        candidates = [t for t in candidates if t in named]
    found: list[EmergingTerm] = []
    for t in candidates:
        peak = int(recent[t].argmax())
        began = int(np.flatnonzero(recent[t] > 0)[0])
        found.append(
            EmergingTerm(
                term=series.label(t),
                kind=series.kinds[t],
                score=round(float(recent[t, peak]), 1),
                count=int(observed[t, peak]),
                expected=round(float(expected[t, peak]), 2),
                window=int(window[t, peak]),
                first_hour=series.start + (first + began) * HOUR,
                peak_hour=series.start + (first + peak) * HOUR,
                series=tuple(int(c) for c in series.counts[t].tolist()),
                post_ids=_posts_since(series.posts.get(series.keys[t], []), first),
            )
        )
    found.sort(key=lambda f: (-f.score, f.term))  # ties in the order of their names
    return _without_echoes(found)[:limit]


def _posts_since(posts: list[tuple[int, int]], first: int, most: int = 200) -> tuple[int, ...]:
    newest: list[int] = []
    for hour, post_id in reversed(posts):
        if hour < first or len(newest) == most:
            break
        newest.append(post_id)
    return tuple(newest)


def _without_echoes(found: list[EmergingTerm]) -> list[EmergingTerm]:
    """Drops a term that a higher one already shows: most of its posts are that term's and it
    grew little more ("crash" after "train crash"). A word is left to the phrase that holds it
    in most of its posts, and phrases of one story join up: "dr eu" + "eu vestager" +
    "vestager skat" is "dr eu vestager skat"."""
    phrases = [f for f in found if f.kind == "phrase"]
    kept: list[tuple[EmergingTerm, set[int]]] = []
    echoes: list[list[EmergingTerm]] = []  # the phrases each kept term echoes
    for term in sorted(found, key=lambda f: (-f.score, f.kind != "phrase", f.term)):
        if term.kind == "word" and any(
            term.term in p.term.split() and p.count >= 2 / 3 * term.count for p in phrases
        ):
            continue
        mine = set(term.post_ids)
        for n, (other, theirs) in enumerate(kept):
            if len(mine & theirs) >= 0.8 * len(mine) and term.count <= 1.5 * other.count:
                if other.kind == term.kind == "phrase":
                    echoes[n].append(term)
                break
        else:
            kept.append((term, mine))
            echoes.append([])
    return [_joined_all(term, echoed) for (term, _), echoed in zip(kept, echoes, strict=True)]


def _joined_all(phrase: EmergingTerm, others: list[EmergingTerm]) -> EmergingTerm:
    """`phrase` lengthened by each of `others` that fits on at either end, in whatever order
    they fit ("breaking metro" + "line closed" + "metro line")."""
    pending = list(others)
    while pending:
        for n, other in enumerate(pending):
            longer = _joined(phrase, other)
            if longer is not phrase:
                phrase = longer
                del pending[n]
                break
        else:
            break
    return phrase


def _joined(phrase: EmergingTerm, other: EmergingTerm) -> EmergingTerm:
    """`phrase` lengthened by `other` where one ends with the word the other starts with."""
    mine, theirs = phrase.term.split(), other.term.split()
    if mine[-1] == theirs[0] and theirs[-1] not in mine:
        return replace(phrase, term=" ".join(mine + theirs[1:]))
    if theirs[-1] == mine[0] and theirs[0] not in mine:
        return replace(phrase, term=" ".join(theirs[:-1] + mine))
    return phrase


def growing_groups(
    posts: Sequence[TrendText],
    group_of: Mapping[int, str],
    settings: TrendSettings | None = None,
    *,
    hours: int = 24,
) -> dict[str, EmergingTerm]:
    """Groups of posts (themes) that grew in the `hours` up to the newest post, by the same
    rule as terms: a group's posts in a window against its own share of all the posts before
    it. `group_of` maps a post id to its group; returns the growing groups by name, each as
    an EmergingTerm of kind "theme"."""
    if not posts:
        return {}
    end = max(p.published_at for p in posts) + timedelta(microseconds=1)
    start = min(p.published_at for p in posts)

    def group(post: TrendText) -> list[tuple[str, str, str]]:
        name = group_of.get(post.id)
        return [] if name is None else [(name, "theme", name)]

    settings = settings or TrendSettings()
    series = term_series(posts, start, end, min_total=settings.min_count, terms=group)
    found = emerging_terms(
        series, settings, since=end - hours * HOUR, limit=len(series.keys), kinds=("theme",)
    )
    return {term.term: term for term in found}
