"""Analysing stored posts: read once, kept, read again when edited, corrected by people."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lytter.domain.access import Actor
from lytter.domain.posts import PostDraft
from lytter.domain.users import Role
from lytter.services import analysing
from lytter.services.errors import Forbidden, NotFound, UserError
from lytter.store import Store


def draft(external_id: str, text: str, language: str | None = "da") -> PostDraft:
    return PostDraft(
        platform="facebook",
        external_id=external_id,
        text=text,
        created_at=datetime(2026, 11, 1, 12, tzinfo=UTC),
        language=language,
    )


def test_new_posts_are_analysed_once_and_the_results_kept(store: Store) -> None:
    ws = store.ensure_workspace("a")
    store.save_posts(
        ws.id,
        [
            draft("1", "Elendig service, jeg er så vred 😡"),
            draft("2", "Tusind tak, I er fantastiske ❤️"),
            draft("3", "What a terrible experience, never again", language=None),
        ],
    )
    assert analysing.analyse_new_posts(store, ws.id) == 3
    assert analysing.analyse_new_posts(store, ws.id) == 0  # nothing new
    ids = [p.id for p in store.posts_for_matching(ws.id, 0, 10)]
    found = store.analyses_of(ids)
    assert [found[i].sentiment for i in ids] == ["negative", "positive", "negative"]
    assert found[ids[2]].language == "en"  # identified, as the post had none
    assert all(a.model == analysing.models_id() for a in found.values())
    assert store.sentiment_counts(ws.id) == {"negative": 2, "positive": 1}


def test_an_edited_post_is_read_again(store: Store) -> None:
    ws = store.ensure_workspace("a")
    store.save_posts(ws.id, [draft("1", "Tusind tak, I er fantastiske")])
    analysing.analyse_new_posts(store, ws.id)
    store.save_posts(ws.id, [draft("1", "Elendig og uhøflig service, jeg er rasende")])
    assert analysing.analyse_new_posts(store, ws.id) == 1
    (post,) = store.posts_for_matching(ws.id, 0, 10)
    assert store.analyses_of([post.id])[post.id].sentiment == "negative"


def test_a_correction_wins_is_kept_for_retraining_and_survives_a_new_reading(
    store: Store,
) -> None:
    ws = store.ensure_workspace("a")
    store.save_posts(ws.id, [draft("1", "Nå, det var jo en god start på ugen 🙄")])
    analysing.analyse_new_posts(store, ws.id)
    (post,) = store.posts_for_matching(ws.id, 0, 10)
    model_said = store.analyses_of([post.id])[post.id].sentiment
    actor = Actor.system(ws.id)
    corrected = analysing.correct_sentiment(store, actor, post.id, "negative")
    assert (corrected.sentiment, corrected.model_sentiment) == ("negative", model_said)
    assert corrected.corrected
    analysing.analyse_all(store, actor)
    assert store.analyses_of([post.id])[post.id].sentiment == "negative"
    assert store.sentiment_corrections(ws.id) == [
        ("Nå, det var jo en god start på ugen 🙄", "da", model_said, "negative")
    ]


def test_corrections_are_checked(store: Store) -> None:
    ws = store.ensure_workspace("a")
    store.save_posts(ws.id, [draft("1", "fint")])
    (post,) = store.posts_for_matching(ws.id, 0, 10)
    actor = Actor.system(ws.id)
    with pytest.raises(NotFound):
        analysing.correct_sentiment(store, actor, post.id, "negative")  # not analysed yet
    analysing.analyse_new_posts(store, ws.id)
    with pytest.raises(UserError, match="negative, neutral, positive"):
        analysing.correct_sentiment(store, actor, post.id, "sur")
    with pytest.raises(NotFound):
        analysing.correct_sentiment(store, actor, 999_999, "negative")
    reader = Actor(ws.id, Role.VIEWER, None)
    with pytest.raises(Forbidden):
        analysing.correct_sentiment(store, reader, post.id, "negative")


def test_progress_reports_how_far_it_is(store: Store) -> None:
    ws = store.ensure_workspace("a")
    store.save_posts(ws.id, [draft(str(n), f"indlæg nummer {n}") for n in range(5)])
    seen: list[tuple[int, int]] = []
    analysing.analyse_new_posts(store, ws.id, lambda done, total: seen.append((done, total)))
    assert seen[-1] == (5, 5)
