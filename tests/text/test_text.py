"""Folding, tokens and stems: Danish letters kept apart, URLs and hashtags whole."""

from __future__ import annotations

from lytter.text.fold import fold
from lytter.text.stem import stem
from lytter.text.tokenise import phrase_words, tokenise


def test_folding_lowers_and_strips_accents_but_keeps_danish_letters() -> None:
    assert fold("Café Über") == "cafe uber"
    assert fold("FÅR Æbler Øl") == "får æbler øl"
    assert fold("får") != fold("far")


def test_swedish_and_german_letters_fold_onto_danish_ones() -> None:
    assert fold("Malmö Kräfta") == "malmø kræfta"


def test_aa_reads_as_å_only_when_asked() -> None:
    assert fold("Aarhus") == "aarhus"
    assert fold("Aarhus", aa=True) == "århus"


def test_tokens_keep_urls_hashtags_mentions_and_emoji_whole() -> None:
    tokens = tokenise("Hej @Danske_Bank! #Kundeservice er nede 😡 se https://danskebank.dk/hjælp.")
    assert [(t.folded, t.kind) for t in tokens] == [
        ("hej", "word"),
        ("@danske_bank", "mention"),
        ("#kundeservice", "hashtag"),
        ("er", "word"),
        ("nede", "word"),
        ("😡", "emoji"),
        ("se", "word"),
        ("https://danskebank.dk/hjælp", "url"),
    ]


def test_a_url_is_one_token_whatever_case_its_scheme_is_written_in() -> None:
    assert [t.kind for t in tokenise("SE HTTP://DR.DK/NYHEDER og WWW.DR.DK")] == [
        "word",
        "url",
        "word",
        "url",
    ]


def test_phrase_words_keep_their_wildcards() -> None:
    assert phrase_words("Kunde* service?") == ["kunde*", "service?"]


def test_danish_inflections_share_a_stem_but_compounds_do_not() -> None:
    assert {stem(w, "da") for w in ("bank", "banken", "bankens", "banker")} == {"bank"}
    assert stem("bankrådgiver", "da") != "bank"


def test_english_inflections_share_a_stem() -> None:
    assert stem("delayed", "en") == stem("delay", "en") == stem("delays", "en")
