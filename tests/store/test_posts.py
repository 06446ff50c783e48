"""The Store keeps posts idempotently and finds them again, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lytter.domain.analysis import AnalysisRow
from lytter.domain.posts import AuthorRef, Engagement, PostFilter, SourceRef, with_prepared
from lytter.querylang.narrow import Word
from lytter.store import Store, StoreError
from lytter.store.sql import SqlStore
from lytter.store.tables import post_edits
from tests.conftest import FROZEN
from tests.helpers import T0, draft


def test_same_post_twice_is_one_row(store: Store) -> None:
    ws = store.ensure_workspace("default")
    first = store.save_posts(ws.id, [draft("1"), draft("2")])
    again = store.save_posts(ws.id, [draft("1"), draft("2")])
    assert (first.inserted, again.inserted, again.unchanged) == (2, 0, 2)
    assert store.count_posts(PostFilter(ws.id)) == 2


def test_changed_text_updates_the_post_and_keeps_the_old_text_as_an_edit(store: Store) -> None:
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft("1", "Jeres app virker ikke")])
    result = store.save_posts(ws.id, [draft("1", "Jeres app virker igen, tak!")])
    assert (result.updated, result.edited) == (1, 1)
    [post] = store.find_posts(PostFilter(ws.id))
    assert post.text == "Jeres app virker igen, tak!"
    [edit] = store.post_edits(post.id)
    assert edit.old_text == "Jeres app virker ikke"
    assert edit.replaced_at == FROZEN


def test_changed_counts_update_the_post_without_an_edit(store: Store) -> None:
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft("1", engagement=Engagement(likes=1))])
    result = store.save_posts(ws.id, [draft("1", engagement=Engagement(likes=5, comments=2))])
    assert (result.updated, result.edited) == (1, 0)
    [post] = store.find_posts(PostFilter(ws.id))
    assert post.engagement == Engagement(likes=5, comments=2)
    assert store.post_edits(post.id) == []


def test_the_same_post_twice_in_one_batch_is_one_row_and_one_edit(store: Store) -> None:
    ws = store.ensure_workspace("default")
    result = store.save_posts(ws.id, [draft("1", "først"), draft("1", "så")])
    assert result.inserted == 1
    [post] = store.find_posts(PostFilter(ws.id))
    assert post.text == "så"
    assert [e.old_text for e in store.post_edits(post.id)] == ["først"]


def test_saving_a_batch_with_an_earlier_text_again_keeps_each_edit_once(store: Store) -> None:
    # A file that holds a post and then its edited copy, imported twice: history unchanged.
    ws = store.ensure_workspace("default")
    batch = [draft("1", "først"), draft("1", "så")]
    store.save_posts(ws.id, batch)
    again = store.save_posts(ws.id, batch)
    assert (again.inserted, again.updated, again.edited, again.unchanged) == (0, 0, 0, 2)
    [post] = store.find_posts(PostFilter(ws.id))
    assert [e.old_text for e in store.post_edits(post.id)] == ["først"]


def test_an_earlier_text_that_is_the_stored_text_is_one_edit(store: Store) -> None:
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft("1", "først")])
    result = store.save_posts(
        ws.id, [draft("1", "først"), draft("1", "så"), draft("1", "til sidst")]
    )
    assert (result.updated, result.edited) == (1, 2)
    [post] = store.find_posts(PostFilter(ws.id))
    assert post.text == "til sidst"
    assert [e.old_text for e in store.post_edits(post.id)] == ["først", "så"]


def test_a_later_copy_without_source_or_url_keeps_what_was_stored(store: Store) -> None:
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft("1", "a", url="https://fb.com/1")])
    store.save_posts(ws.id, [draft("1", "b", source=None, url=None, author=None)])
    [post] = store.find_posts(PostFilter(ws.id))
    assert (post.text, post.source_name, post.url, post.author_handle) == (
        "b",
        "Banken Aarhus",
        "https://fb.com/1",
        "mette",
    )


def test_authors_are_deduplicated_per_platform(store: Store) -> None:
    ws = store.ensure_workspace("default")
    store.save_posts(
        ws.id,
        [
            draft("1", author=AuthorRef("mette", "Mette F.", 10)),
            draft("2", author=AuthorRef("mette")),
            draft("3", platform="instagram", author=AuthorRef("mette")),
        ],
    )
    store.save_posts(ws.id, [draft("4", author=AuthorRef("mette", None, 12))])
    posts = {p.external_id: p for p in store.find_posts(PostFilter(ws.id))}
    assert posts["1"].author_id == posts["2"].author_id == posts["4"].author_id
    assert posts["3"].author_id != posts["1"].author_id
    assert posts["4"].author_name == "Mette F."  # a copy without a name keeps the name
    assert store.stats(ws.id).authors == 2


def test_sources_are_created_once_per_platform_account(store: Store) -> None:
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft("1"), draft("2", source=SourceRef("page-2", "Banken Odense"))])
    store.save_posts(ws.id, [draft("3")])
    names = sorted(s.name for s in store.list_sources(ws.id))
    assert names == ["Banken Aarhus", "Banken Odense"]


def test_workspaces_never_see_each_others_posts(store: Store) -> None:
    bank = store.ensure_workspace("bank")
    union = store.ensure_workspace("union")
    store.save_posts(bank.id, [draft("1", "renten stiger")])
    store.save_posts(union.id, [draft("1", "overenskomst nu")])
    assert [p.text for p in store.find_posts(PostFilter(bank.id))] == ["renten stiger"]
    assert store.count_posts(PostFilter(union.id, narrowing=Word("renten", ("renten",)))) == 0
    assert store.get_post(union.id, store.find_posts(PostFilter(bank.id))[0].id) is None


def test_filters_narrow_by_source_platform_language_and_date(store: Store) -> None:
    ws = store.ensure_workspace("default")
    store.save_posts(
        ws.id,
        [
            draft("1", "a", created_at=T0),
            draft("2", "b", created_at=T0 + timedelta(days=2), language="en"),
            draft("3", "c", platform="instagram", source=SourceRef("ig", "Banken IG")),
        ],
    )
    aarhus = next(s.id for s in store.list_sources(ws.id) if s.name == "Banken Aarhus")

    def ids(**kw: object) -> list[str]:
        q = PostFilter(ws.id, **kw)  # type: ignore[arg-type]
        return sorted(p.external_id for p in store.find_posts(q))

    assert ids(source_ids=(aarhus,)) == ["1", "2"]
    assert ids(platforms=("instagram",)) == ["3"]
    assert ids(languages=("en",)) == ["2"]
    assert ids(since=T0 + timedelta(days=1)) == ["2"]
    assert ids(until=T0 + timedelta(minutes=1)) == ["1"]


def test_filters_narrow_by_tone_a_correction_first_and_by_offensive_language(
    store: Store,
) -> None:
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft(str(i), t) for i, t in enumerate(["tak", "øv", "hej", "?"])])
    by_text = {p.text: p.id for p in store.find_posts(PostFilter(ws.id))}
    store.save_analyses(
        [
            AnalysisRow(by_text["tak"], "da", "positive", 0.8, 0.01),
            AnalysisRow(by_text["øv"], "da", "negative", -0.7, 0.91),
            AnalysisRow(by_text["hej"], "da", "neutral", 0.0, 0.02),
        ],
        model="test",
    )  # "?" is not analysed yet

    def texts(**kw: object) -> list[str]:
        q = PostFilter(ws.id, **kw)  # type: ignore[arg-type]
        return sorted(p.text for p in store.find_posts(q))

    assert texts(sentiments=("negative",)) == ["øv"]
    assert texts(sentiments=("negative", "neutral")) == ["hej", "øv"]
    assert texts(offensive=True) == ["øv"]
    assert texts(offensive=False) == ["?", "hej", "tak"]  # not known to be offensive
    store.correct_sentiment(by_text["hej"], "negative", None)
    assert texts(sentiments=("negative",)) == ["hej", "øv"]
    assert store.count_posts(PostFilter(ws.id, sentiments=("positive",))) == 1


def test_posts_list_newest_first_and_paginate(store: Store) -> None:
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft(str(i)) for i in range(10)])
    first = store.find_posts(PostFilter(ws.id, limit=4))
    second = store.find_posts(PostFilter(ws.id, limit=4, offset=4))
    assert [p.external_id for p in first] == ["9", "8", "7", "6"]
    assert [p.external_id for p in second] == ["5", "4", "3", "2"]


def test_times_are_stored_in_utc_and_read_back_as_aware_times(store: Store) -> None:
    ws = store.ensure_workspace("default")
    copenhagen = datetime(2024, 7, 1, 14, 30).astimezone()  # any aware time
    store.save_posts(ws.id, [draft("1", created_at=copenhagen)])
    [post] = store.find_posts(PostFilter(ws.id))
    assert post.created_at == copenhagen
    assert post.created_at.tzinfo == UTC
    assert post.collected_at == FROZEN


def test_thread_returns_the_whole_conversation_oldest_first(store: Store) -> None:
    ws = store.ensure_workspace("default")
    store.save_posts(
        ws.id,
        [
            draft("10", "Hvorfor er appen nede?"),
            draft("11", "Vi kigger på det", root_id="10", parent_id="10"),
            draft("12", "Tak!", root_id="10", parent_id="11"),
            draft("20", "Et andet emne"),
        ],
    )
    reply = next(p for p in store.find_posts(PostFilter(ws.id)) if p.external_id == "12")
    assert [p.external_id for p in store.thread(ws.id, reply)] == ["10", "11", "12"]


def test_a_batch_mixing_given_and_missing_fields_stores_each_post_as_given(store: Store) -> None:
    # Columns that a whole batch leaves empty are left out of the insert; the rest bind NULLs.
    ws = store.ensure_workspace("default")
    collected = FROZEN - timedelta(days=1)
    store.save_posts(
        ws.id,
        [
            draft("1", author=None, source=None, language=None),
            draft("2", url="https://fb.com/2", collected_at=collected, engagement=Engagement(3)),
        ],
    )
    store.save_posts(ws.id, [draft("3", author=None, source=None, language=None)])
    one, two, three = sorted(store.find_posts(PostFilter(ws.id)), key=lambda p: p.external_id)
    assert (one.author_handle, one.source_name, one.language, one.url) == (None, None, None, None)
    assert one.collected_at == three.collected_at == FROZEN  # the store's clock
    assert (two.author_handle, two.source_name, two.url) == (
        "mette",
        "Banken Aarhus",
        "https://fb.com/2",
    )
    assert (two.collected_at, two.engagement) == (collected, Engagement(3))
    assert three.engagement == Engagement()


def test_rows_prepared_elsewhere_are_stored_like_drafts(store: Store) -> None:
    # An import's reader prepares rows with the store's own function, on another core.
    ws = store.ensure_workspace("default")
    rows = with_prepared([draft("1").row(), draft("2", url="u").row()], store.row_preparer())
    result = store.save_rows(ws.id, rows)
    store.save_posts(ws.id, [draft("3"), draft("4", url="u")])
    assert result.inserted == 2
    posts = sorted(store.find_posts(PostFilter(ws.id)), key=lambda p: p.external_id)
    assert [(p.created_at, p.url, p.source_name) for p in posts[:2]] == [
        (d.created_at, d.url, "Banken Aarhus") for d in (draft("1"), draft("2", url="u"))
    ]
    assert [p.text for p in posts] == ["hej"] * 4


def test_saving_into_a_workspace_that_does_not_exist_is_refused(store: Store) -> None:
    ws = store.ensure_workspace("default")
    with pytest.raises(StoreError, match=f"no workspace with id {ws.id + 1}"):
        store.save_posts(ws.id + 1, [draft("1")])
    assert store.count_posts(PostFilter(ws.id)) == 0


def test_foreign_keys_are_still_checked_after_a_bulk_save(store: SqlStore) -> None:
    # A bulk save skips checking the references it resolved itself; no other write may.
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft("1")])
    with pytest.raises(sa.exc.IntegrityError), store._write() as conn:
        conn.execute(post_edits.insert().values(post_id=10**6, old_text="x", replaced_at=T0))
    store.save_posts(ws.id, [draft("2")])
    assert store.count_posts(PostFilter(ws.id)) == 2


def test_raw_payload_is_kept(store: Store) -> None:
    ws = store.ensure_workspace("default")
    raw = {"id": "1", "reactions": {"like": 3}, "tekst": "æøå"}
    store.save_posts(ws.id, [draft("1", raw=raw)])
    [post] = store.find_posts(PostFilter(ws.id))
    assert post.raw == raw


def test_stats_count_what_is_stored(store: Store) -> None:
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft("1"), draft("2", language="en"), draft("3", platform="rss")])
    store.save_posts(ws.id, [draft("1", "ny tekst")])
    s = store.stats(ws.id)
    assert (s.posts, s.sources, s.edits) == (3, 2, 1)
    assert dict(s.by_platform) == {"facebook": 2, "rss": 1}
    assert dict(s.by_language) == {"da": 2, "en": 1}
    assert s.first_post == T0 + timedelta(minutes=1)
    assert s.first_post is not None and s.first_post.tzinfo == UTC


def test_a_failed_batch_stores_nothing_and_the_next_batch_still_works(store: Store) -> None:
    ws = store.ensure_workspace("default")
    poison = draft("2", created_at=datetime(2024, 1, 1))  # naive: refused inside the transaction
    try:
        store.save_posts(ws.id, [draft("1", author=AuthorRef("ny")), poison])
    except ValueError:
        pass
    else:  # pragma: no cover
        raise AssertionError("a naive time must be refused")
    assert store.count_posts(PostFilter(ws.id)) == 0
    assert store.stats(ws.id).authors == 0
    store.save_posts(ws.id, [draft("1", author=AuthorRef("ny"))])
    [post] = store.find_posts(PostFilter(ws.id))
    assert post.author_handle == "ny"


def test_counting_can_stop_at_a_cap(store: Store) -> None:
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft(str(i)) for i in range(12)])
    assert store.count_posts(PostFilter(ws.id)) == 12
    assert store.count_posts(PostFilter(ws.id), cap=5) == 5
    assert store.count_posts(PostFilter(ws.id), cap=50) == 12


def test_facets_are_the_platforms_and_languages_in_use(store: Store) -> None:
    ws = store.ensure_workspace("default")
    store.save_posts(
        ws.id,
        [draft("1"), draft("2", platform="rss", language=None), draft("3", language="en")],
    )
    assert store.facets(ws.id) == (["facebook", "rss"], ["da", "en"])
