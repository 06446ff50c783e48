"""The query language, by example: each test is a line of its documentation."""

from __future__ import annotations

from lytter.querylang import parse
from lytter.querylang.ast import And, Field, Hashtag, Mention, Near, Not, Or, Phrase, Synonym, Term


def test_a_word_is_a_term() -> None:
    assert parse("netbank") == Term("netbank")


def test_adjacent_words_are_joined_by_an_implicit_AND() -> None:
    assert parse("netbank nede") == And((Term("netbank"), Term("nede")))
    assert parse("netbank AND nede") == parse("netbank nede")


def test_OR_binds_looser_than_AND() -> None:
    assert parse("a OR b c") == Or((Term("a"), And((Term("b"), Term("c")))))


def test_parentheses_group() -> None:
    assert parse("(danske OR nordea) bank") == And(
        (Or((Term("danske"), Term("nordea"))), Term("bank"))
    )


def test_NOT_excludes_and_binds_tightest() -> None:
    assert parse("bank NOT lån") == And((Term("bank"), Not(Term("lån"))))
    assert parse("NOT (a OR b)") == Not(Or((Term("a"), Term("b"))))


def test_operators_are_whole_upper_case_words() -> None:
    assert parse("ORANGE ANDERSEN") == And((Term("ORANGE"), Term("ANDERSEN")))
    assert parse("nearly NEARBY") == And((Term("nearly"), Term("NEARBY")))


def test_quotes_make_a_phrase_and_tilde_n_a_proximity() -> None:
    assert parse('"dårlig service"') == Phrase("dårlig service")
    assert parse('"dårlig service"~3') == Phrase("dårlig service", slop=3)


def test_NEAR_n_and_ordered_NEAR_nf_work_between_terms_and_groups() -> None:
    assert parse("netbank NEAR/3 nede") == Near(Term("netbank"), Term("nede"), 3)
    assert parse("(app OR netbank) NEAR/2f nede") == Near(
        Or((Term("app"), Term("netbank"))), Term("nede"), 2, ordered=True
    )


def test_wildcards_and_inflections() -> None:
    assert parse("*rådgiver") == Term("*rådgiver")
    assert parse("b?nk") == Term("b?nk")
    assert parse("bank~") == Term("bank", stem=True)


def test_braces_make_a_word_case_sensitive() -> None:
    assert parse("{BMW}") == Term("BMW", case_sensitive=True)


def test_hashtags_mentions_and_synonym_sets() -> None:
    assert parse("#kundeservice @DanskeBank $support") == And(
        (Hashtag("kundeservice"), Mention("DanskeBank"), Synonym("support"))
    )


def test_fields_filter_on_what_is_known_about_a_post() -> None:
    assert parse('author:mette page:"Banken Aarhus" lang:da') == And(
        (Field("author", "mette"), Field("page", "Banken Aarhus"), Field("lang", "da"))
    )
    assert parse("site:dr.dk") == Field("site", "dr.dk")


def test_comments_are_ignored() -> None:
    assert parse("bank <<<not the river bank>>> lån") == And((Term("bank"), Term("lån")))


def test_a_word_with_punctuation_inside_is_a_phrase() -> None:
    assert parse("e-mail") == Phrase("e-mail")
    assert parse("https://danskebank.dk") == Term("https://danskebank.dk")
