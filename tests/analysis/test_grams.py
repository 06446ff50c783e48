"""Hashed word and character n-grams for the precise Danish offensive reading: the same text
always gives the same vector, compounds and misspellings share character grams."""

from __future__ import annotations

import numpy as np

from lytter.analysis import grams


def test_words_pairs_and_character_grams_within_words() -> None:
    words, chars = grams.grams("Sikke en IDIOT")
    assert words == ["sikke", "en", "idiot", "sikke en", "en idiot"]
    assert {" id", "idio", "iot ", " en "} <= set(chars)
    assert not any(" " in g.strip() for g in chars)  # never across two words


def test_a_compound_shares_character_grams_with_its_parts() -> None:
    (_, compound), (_, part) = grams.grams("lortesvenskere"), grams.grams("svensker")
    assert len(set(compound) & set(part)) >= 8


def test_tfidf_rows_are_unit_length_and_unseen_buckets_drop() -> None:
    words, _ = grams.counts(["dumme svin", "tak for hjælpen", "dumme dumme"])
    idf = grams.learn_idf(words, min_df=1)
    rows = grams.tfidf(words, idf)
    for row in rows:
        assert abs(np.sqrt(sum(v * v for v in row.values())) - 1.0) < 1e-6
    # "dumme" is in two texts, "svin" in one: rarer grams weigh more
    dumme, svin = (grams._bucket(w) for w in ("dumme", "svin"))
    assert idf[svin] > idf[dumme] > 0
    strict = grams.learn_idf(words, min_df=2)
    assert strict[svin] == 0 and strict[dumme] > 0
    unseen, _ = grams.counts(["helt nye ord"])
    assert grams.tfidf(unseen, idf) == [{}]


def test_scores_are_the_rows_dot_the_weights() -> None:
    words, _ = grams.counts(["a bb cc", "bb"])
    idf = grams.learn_idf(words)
    weights = np.zeros(grams.GRAM_DIM, dtype=np.float32)
    weights[grams._bucket("bb")] = 2.0
    rows = grams.tfidf(words, idf)
    assert np.allclose(grams.score(rows, weights), [2.0 * rows[0][grams._bucket("bb")], 2.0])
