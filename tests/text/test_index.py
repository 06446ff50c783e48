"""The words a full-text index holds for a post (what a search's narrowing looks for)."""

from __future__ import annotations

from lytter.text.index import MAX_WORD_BYTES, index_text, index_words, indexed, search_vector


def test_words_are_lower_cased_and_split_at_everything_but_letters_and_digits() -> None:
    assert index_words("Se bank.dk/kontakt, skriv til mette@bank.dk foo_bar 1.5") == {
        "se", "bank", "dk", "kontakt", "skriv", "til", "mette", "foo", "bar", "1", "5",
    }  # fmt: skip


def test_latin_accents_go_but_danish_letters_and_sharp_s_stay() -> None:
    assert index_text("Café Köbenhavn Ærø Straße Århus Ñandú") == (
        "cafe kobenhavn ærø straße arhus nandu"
    )


def test_decomposed_text_reads_as_composed() -> None:
    assert index_words("Cafe\u0301 ide\u0301") == {"cafe", "ide"}


def test_accents_on_other_scripts_are_kept() -> None:
    assert index_words("йогурт") == {"йогурт"}  # й is и with a breve: a letter of its own


def test_a_word_postgresql_cannot_hold_is_left_out() -> None:
    long_word = "ø" * (MAX_WORD_BYTES // 2 + 1)  # two bytes a letter
    assert index_words(f"kort {long_word}") == {"kort"}


def test_the_vector_is_a_tsvector_literal_without_positions() -> None:
    assert sorted(search_vector("Hej hej, verden!").split()) == ["'hej'", "'verden'"]
    assert search_vector("👍 !!") == ""


def test_stop_words_single_letters_and_link_bits_are_not_indexed() -> None:
    text = "Jeg er ikke tilfreds med banken på Ærø, https://t.co/x i 2 dage"
    assert sorted(search_vector(text).split()) == [
        "'banken'", "'dage'", "'tilfreds'", "'ærø'",
    ]  # fmt: skip
    assert not indexed("pa") and not indexed("the") and not indexed("x")
    assert indexed("bank") and indexed("ærø")
