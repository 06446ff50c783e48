"""What Lytter hears in a post: its language, tone and offensiveness, Danish first, offline."""

from __future__ import annotations

import pytest

from lytter.analysis.analyse import analyse
from lytter.analysis.features import _negated_words, tokens
from lytter.analysis.language import identify
from lytter.analysis.lexicon import lexicon


def tone(text: str, language: str = "da") -> str:
    return analyse([text], known=[language])[0].sentiment


def test_danish_norwegian_and_swedish_come_apart_on_short_posts() -> None:
    texts = [
        "Hvorfor kan jeg ikke logge på netbanken?",
        "Jeg har ventet i kø i en time, det er ikke greit",
        "Jag har väntat i en timme på svar",
        "Eg er ikkje sikker på det",
        "The app keeps crashing",
        "Das ist nicht schlecht",
    ]
    assert identify(texts) == ["da", "nb", "sv", "nn", "en", "de"]


def test_a_workspace_that_hears_two_languages_chooses_between_them() -> None:
    assert identify(["Jeg har ventet i kø i en time"], ("da", "en")) == ["da"]
    assert identify(["", "1234"], ("da", "en")) == [None, None]


def test_negation_covers_the_words_after_it_up_to_the_end_of_the_clause() -> None:
    words = _negated_words(tokens("Det er ikke så dårligt. Men dyrt!"))
    assert words == [
        ("det", False),
        ("er", False),
        ("ikke", False),
        ("så", True),
        ("dårligt", True),
        ("men", False),
        ("dyrt", False),
    ]
    assert ("good", True) in _negated_words(tokens("It isn't good"))


def test_the_lexicon_flips_negated_words_and_strengthens_intensified_ones() -> None:
    da = lexicon("da")
    assert da.score(_negated_words(tokens("det er dårligt"))).total < 0
    assert da.score(_negated_words(tokens("det er ikke dårligt"))).total > 0
    plain = da.score(_negated_words(tokens("god service"))).total
    assert da.score(_negated_words(tokens("virkelig god service"))).total == 1.5 * plain
    assert (
        da.score(_negated_words(tokens("😡"))).total
        < 0
        < da.score(_negated_words(tokens(":)"))).total
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kundeservicen er elendig, jeg har ventet i over en time 😡", "negative"),
        ("Tusind tak for den hurtige hjælp, I er fantastiske 👍", "positive"),
        ("Filialen i Vejle åbner kl. 10 på lørdag.", "neutral"),
        ("Skønt med en ærlig rådgiver, der tog sig god tid 😊", "positive"),
        ("Det er en skandale og en katastrofe for de ældre", "negative"),
    ],
)
def test_danish_tone(text: str, expected: str) -> None:
    assert tone(text) == expected


def test_ikke_daarligt_is_not_negative() -> None:
    assert tone("Det er dårligt") == "negative"
    assert tone("Det er ikke dårligt") != "negative"
    assert (
        analyse(["Det er ikke dårligt"], known=["da"])[0].sentiment_score
        > analyse(["Det er dårligt"], known=["da"])[0].sentiment_score
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@delta worst airline ever, lost my bag again 😡", "negative"),
        ("Thanks @delta for the upgrade, amazing crew! :)", "positive"),
        ("Flight 202 departs from gate B4 at 10:30", "neutral"),
    ],
)
def test_english_tone(text: str, expected: str) -> None:
    assert tone(text, "en") == expected


def test_not_bad_is_better_than_bad() -> None:
    [bad, not_bad] = analyse(["This is bad", "This is not bad"], known=["en", "en"])
    assert not_bad.sentiment_score > bad.sentiment_score


def test_abuse_is_offensive_and_a_question_is_not() -> None:
    [abuse, question] = analyse(
        ["Du er en klam idiot og en fucking taber", "Hvornår åbner filialen i Vejle?"],
        known=["da", "da"],
    )
    assert abuse.offensive > 0.5 > question.offensive


def test_every_analysis_reads_as_json() -> None:
    [result] = analyse(["Godt gået!"])
    assert set(result.as_dict()) == {"language", "sentiment", "sentiment_score", "offensive"}
    assert -1 <= result.sentiment_score <= 1 and 0 <= result.offensive <= 1
