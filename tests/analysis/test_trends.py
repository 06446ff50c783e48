"""Emerging terms: words that suddenly grow against their own baseline, early and rarely wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lytter.analysis.terms import TrendText, batch_terms, code_of, post_terms
from lytter.analysis.trends import (
    TermSeries,
    burst_scores,
    coded_posts,
    coded_series,
    emerging_terms,
    term_series,
)
from lytter.domain.analysis import TrendSettings
from tests.helpers import EVERYDAY, OUTAGE

START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday


def calm(days: int, per_hour: int = 4, busy_hours: range = range(0)) -> list[TrendText]:
    """`days` of everyday posts, each from its own author; more of them in `busy_hours`."""
    posts: list[TrendText] = []
    for hour in range(days * 24):
        n = per_hour * (5 if hour % 24 in busy_hours else 1)
        for k in range(n):
            i = len(posts)
            posts.append(
                TrendText(
                    i,
                    EVERYDAY[i % len(EVERYDAY)],
                    START + timedelta(hours=hour, minutes=k * 60 // n),
                    "da",
                    f"kunde{i}",
                )
            )
    return posts


def burst(
    at: datetime, texts: list[str], first_id: int, *, author: str | None = None
) -> list[TrendText]:
    return [
        TrendText(first_id + i, t, at + timedelta(minutes=5 * i), "da", author or f"vred{i}")
        for i, t in enumerate(texts)
    ]


def emerging_at(posts: list[TrendText], end: datetime, **settings: object) -> list[str]:
    series = term_series(posts, START, end, min_total=1)
    found = emerging_terms(series, TrendSettings(**settings))  # type: ignore[arg-type]
    return [f.term for f in found]


def test_a_word_that_suddenly_grows_is_emerging() -> None:
    at = START + timedelta(days=3, hours=10)
    posts = calm(3) + burst(at, OUTAGE, 10_000)
    terms = emerging_at(posts, at + timedelta(hours=1))
    assert terms[0] == "mobilepay"


def test_nothing_is_emerging_on_an_ordinary_day_however_busy_its_hours() -> None:
    # Every afternoon is five times as busy as the rest of the day: a daily rhythm, not news.
    posts = calm(4, busy_hours=range(12, 17))
    assert emerging_at(posts, START + timedelta(days=4)) == []


def test_one_author_repeating_a_word_is_not_a_trend() -> None:
    at = START + timedelta(days=3, hours=10)
    posts = calm(3) + burst(at, OUTAGE, 10_000, author="troll")
    assert "mobilepay" not in emerging_at(posts, at + timedelta(hours=1))


def test_a_term_needs_a_day_of_history_before_it_can_grow() -> None:
    at = START + timedelta(hours=5)
    posts = calm(1) + burst(at, OUTAGE, 10_000)
    assert emerging_at(posts, START + timedelta(hours=7)) == []


def test_a_few_posts_are_not_enough_however_new_the_word() -> None:
    at = START + timedelta(days=3, hours=10)
    posts = calm(3) + burst(at, OUTAGE[:4], 10_000)
    assert "mobilepay" not in emerging_at(posts, at + timedelta(hours=1))
    assert "mobilepay" in emerging_at(posts, at + timedelta(hours=1), min_count=4)


def test_the_emerging_term_says_how_much_it_grew_since_when_and_which_posts() -> None:
    at = START + timedelta(days=3, hours=10)
    posts = calm(3) + burst(at, OUTAGE, 10_000)
    series = term_series(posts, START, at + timedelta(hours=1))
    top = emerging_terms(series)[0]
    assert top.kind == "word"
    assert top.count == 7
    assert top.expected < 0.1 and top.ratio > 50
    assert top.first_hour == at
    assert sum(top.series) == 7 and top.series[-1] == 7
    assert top.post_ids == tuple(range(10_006, 9_999, -1))  # newest first


def test_inflections_count_as_one_term_and_phrases_and_hashtags_as_their_own() -> None:
    terms = {
        key: kind
        for key, kind, _ in post_terms(
            TrendText(1, "Lang ventetid hos #kundeservice, ventetiden er @Banken værd", START, "da")
        )
    }
    assert terms["ventetid"] == "word"  # ventetid and ventetiden
    assert sum(1 for k in terms if k.startswith("ventetid")) == 1
    assert terms["lang ventetid"] == "phrase"
    assert terms["#kundeservice"] == "hashtag"
    assert terms["@banken"] == "mention"
    assert "hos" not in terms and "er" not in terms  # stop words


def test_a_story_is_shown_once_as_its_longest_phrase() -> None:
    at = START + timedelta(days=3, hours=10)
    story = [f"Breaking: metro line closed {i} times" for i in range(8)]
    posts = calm(3) + burst(at, story, 10_000)
    terms = emerging_at(posts, at + timedelta(hours=1))
    assert terms == ["breaking metro line closed"]  # not also "metro", "line closed"...


def test_scores_use_only_the_past() -> None:
    at = START + timedelta(days=3, hours=10)
    before = calm(3)
    posts = before + burst(at, OUTAGE, 10_000)
    end = at + timedelta(hours=6)
    with_burst = burst_scores(term_series(posts, START, end))[0]
    without = burst_scores(term_series(before, START, end))[0]
    hour = (at - START) // timedelta(hours=1)
    assert with_burst[:, :hour].max() == without[:, :hour].max() == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"min_count": 0},
        {"min_ratio": 0.5},
        {"threshold": 0},
        {"baseline_days": 0},
        {"baseline_days": 91},
        {"windows": ()},
        {"windows": (0,)},
    ],
)
def test_settings_out_of_range_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        TrendSettings(**bad)  # type: ignore[arg-type]


def test_settings_round_trip_through_their_stored_form() -> None:
    settings = TrendSettings(min_count=3, windows=(24, 1, 1))
    assert TrendSettings.from_dict(settings.as_dict()) == TrendSettings(
        min_count=3, windows=(1, 24)
    )
    assert TrendSettings.from_dict(None) == TrendSettings()
    assert TrendSettings.from_dict({"unknown": 1}) == TrendSettings()


def from_codes(posts: list[TrendText], end: datetime, stored_share: float = 0.5) -> TermSeries:
    """The series as trends build it from the codes the pipeline stored (for the first
    `stored_share` of the posts; the others' are read from their texts)."""
    kept = posts[: int(len(posts) * stored_share)]
    packed = batch_terms([p.text for p in kept], [p.language for p in kept])
    stored = {p.id: codes for p, codes in zip(kept, packed, strict=True)}
    texts = {p.id: p.text for p in posts}
    return coded_series(
        coded_posts(posts, stored),
        START,
        end,
        min_total=2,
        texts=lambda ids: {i: texts[i] for i in ids},
    )


def test_stored_codes_count_what_reading_the_texts_counts() -> None:
    at = START + timedelta(days=3, hours=10)
    posts = calm(3, busy_hours=range(9, 17)) + burst(at, OUTAGE, 10_000)
    posts += burst(at, OUTAGE[:3], 20_000, author="samme")  # one author, many posts
    end = at + timedelta(hours=2)
    read = term_series(posts, START, end, min_total=2)
    coded = from_codes(posts, end)
    assert len(coded.keys) == len(read.keys)
    assert (coded.totals == read.totals).all()
    row = {key: n for n, key in enumerate(coded.keys)}
    for n, (key, kind) in enumerate(zip(read.keys, read.kinds, strict=True)):
        mine = row[f"{code_of(key, kind):016x}"]
        assert coded.kinds[mine] == kind
        assert (coded.counts[mine] == read.counts[n]).all(), key


def test_emerging_terms_from_stored_codes_are_named_from_their_posts() -> None:
    at = START + timedelta(days=3, hours=10)
    posts = calm(3) + burst(at, OUTAGE, 10_000)
    end = at + timedelta(hours=1)
    read = emerging_terms(term_series(posts, START, end, min_total=2))
    coded = emerging_terms(from_codes(posts, end, stored_share=1.0))
    assert [t.term for t in coded] == [t.term for t in read] and coded[0].term == "mobilepay"
    assert coded == read  # scores, windows, hours, series and posts alike
