"""Emerging terms of a selection of posts: only pages the user may see, with each workspace's
own thresholds."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lytter.domain.analysis import TrendSettings
from lytter.domain.posts import PostFilter, SourceRef
from lytter.services import analysing, trends
from lytter.services.errors import Forbidden, UserError
from tests.bank import Bank
from tests.helpers import OUTAGE_AT, T0, trending_posts


def add_posts(bank: Bank) -> None:
    bank.store.save_posts(bank.workspace_id, trending_posts(SourceRef("aarhus", "Banken Aarhus")))
    analysing.analyse_new_posts(bank.store, bank.workspace_id)


def test_a_sudden_outage_is_the_top_emerging_term_with_its_tone(bank: Bank) -> None:
    add_posts(bank)
    report = trends.trends(bank.store, bank.admin, PostFilter(bank.workspace_id))
    top = report.terms[0]
    assert top.term.term == "mobilepay" and top.term.count == 7
    assert top.term.first_hour == OUTAGE_AT
    assert top.sentiment["negative"] > top.sentiment["positive"]
    assert all("MobilePay" in p.text for p in top.examples)
    assert len(top.examples) == trends.EXAMPLES
    # The period ends with the newest post, whenever that was.
    assert report.until == OUTAGE_AT + timedelta(hours=1)
    assert report.since == report.until - timedelta(hours=24)
    assert report.series_start <= T0 + timedelta(minutes=30)
    assert len(top.term.series) == (report.until - report.series_start) // timedelta(hours=1)


def test_the_pipeline_stores_each_posts_terms_and_trends_count_them(bank: Bank) -> None:
    bank.store.save_posts(bank.workspace_id, trending_posts(SourceRef("aarhus", "Banken Aarhus")))
    everything = PostFilter(bank.workspace_id, limit=1_000)
    assert all(r.terms is None and r.text for r in bank.store.post_terms(everything))
    from_texts = trends.trends(bank.store, bank.admin, PostFilter(bank.workspace_id))
    analysing.analyse_new_posts(bank.store, bank.workspace_id)
    stored = bank.store.post_terms(everything)
    assert stored and all(r.terms and r.text is None for r in stored)
    from_terms = trends.trends(bank.store, bank.admin, PostFilter(bank.workspace_id))
    assert from_terms.terms[0].term.term == "mobilepay"
    assert [t.term for t in from_terms.terms] == [t.term for t in from_texts.terms]
    # A query reads the stored terms of the posts it finds (here: all of them).
    every_post = "i OR på OR min OR kan OR hvad OR hvordan OR mobilepay"
    queried = trends.trends(bank.store, bank.admin, PostFilter(bank.workspace_id, text=every_post))
    assert from_terms.posts_read == len(stored) and queried.posts_read >= len(stored) - 2
    assert [t.term.term for t in queried.terms] == [t.term.term for t in from_terms.terms]
    # Filters on the analyses themselves read the stored terms too.
    negative = PostFilter(bank.workspace_id, sentiments=("negative",), offensive=False)
    assert trends.trends(bank.store, bank.admin, negative).posts_read < len(stored)


def test_a_user_sees_what_emerges_on_their_own_pages_only(bank: Bank) -> None:
    add_posts(bank)
    mine = trends.trends(bank.store, bank.agent, PostFilter(bank.workspace_id))
    assert mine.terms and mine.terms[0].term.term == "mobilepay"  # Aarhus is theirs
    odense = PostFilter(bank.workspace_id, source_ids=(bank.odense,))
    report = trends.trends(bank.store, bank.admin, odense)
    assert report.terms == []
    with pytest.raises(Forbidden):
        trends.trends(bank.store, bank.agent, odense)


def test_a_query_narrows_the_posts_read(bank: Bank) -> None:
    add_posts(bank)
    report = trends.trends(bank.store, bank.admin, PostFilter(bank.workspace_id, text="filial*"))
    assert report.posts_read < 40 and all(t.term.term != "mobilepay" for t in report.terms)


def test_the_workspace_thresholds_decide_what_is_emerging(bank: Bank) -> None:
    add_posts(bank)
    settings = trends.set_trend_settings(bank.store, bank.admin, min_count=8)
    assert settings == TrendSettings(min_count=8)
    report = trends.trends(bank.store, bank.admin, PostFilter(bank.workspace_id))
    assert report.settings.min_count == 8
    assert all(t.term.term != "mobilepay" for t in report.terms)
    trends.set_trend_settings(bank.store, bank.admin, min_count=5, windows=[1, 3])
    assert bank.store.workspace(bank.workspace_id).trends == TrendSettings(windows=(1, 3))  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"min_count": 0}, "min_count"),
        ({"min_count": 2.5}, "min_count"),
        ({"threshold": float("nan")}, "threshold"),
        ({"windows": []}, "windows"),
        ({"windows": [1, 500]}, "windows"),
        ({"baseline_days": "many"}, "baseline_days"),
        ({"sensitivity": 3}, "sensitivity"),
    ],
)
def test_a_setting_out_of_range_is_refused_by_name_and_nothing_changes(
    bank: Bank, change: dict[str, object], field: str
) -> None:
    with pytest.raises(UserError) as refused:
        trends.set_trend_settings(bank.store, bank.admin, **change)
    assert refused.value.field == field
    assert bank.store.workspace(bank.workspace_id).trends == TrendSettings()  # type: ignore[union-attr]


def test_only_admins_and_managers_change_the_thresholds(bank: Bank) -> None:
    with pytest.raises(Forbidden):
        trends.set_trend_settings(bank.store, bank.viewer, min_count=3)


@pytest.mark.parametrize(
    ("options", "field"),
    [({"hours": 0}, "hours"), ({"limit": 500}, "limit"), ({"kinds": ("emoji",)}, "kinds")],
)
def test_bad_options_are_refused_by_name(
    bank: Bank, options: dict[str, object], field: str
) -> None:
    with pytest.raises(UserError) as refused:
        trends.trends(bank.store, bank.admin, PostFilter(bank.workspace_id), **options)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_an_empty_workspace_has_nothing_emerging(bank: Bank) -> None:
    report = trends.trends(bank.store, bank.admin, PostFilter(bank.workspace_id, languages=("sv",)))
    assert report.terms == [] and report.posts_read == 0
