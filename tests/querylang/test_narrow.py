"""The index's part of a search: words every matching post contains, as FTS5 and tsquery."""

from __future__ import annotations

import pytest

from lytter.querylang import parse
from lytter.querylang.narrow import fts5_query, index_forms, narrowing, tsquery


def fts(query: str, aa: bool = False) -> str | None:
    found = narrowing(parse(query), aa)
    return None if found is None else fts5_query(found)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("banken", '"banken"'),
        ("dårlig service", '("darlig" AND "service")'),  # the index holds å as a
        ('"dårlig service"', '("darlig" AND "service")'),
        ("kø OR ventetid", '(("kø" OR "ko") OR "ventetid")'),
        ("bank*", '"bank"*'),
        ("ba?k", '"ba"*'),
        ("*rådgiver", None),  # the index cannot look up word endings
        ("k*", None),  # one letter would list half the index
        ("bank NOT rente", '"bank"'),  # NOT narrows nothing: the matcher excludes
        ("platform:twitter", None),
        ("bank AND platform:twitter", '"bank"'),
        ("bank OR platform:twitter", None),  # one side could match any post
        ("#Kundeservice @DanskeBank", '("kundeservice" AND "danskebank")'),
        ("Café", '"cafe"'),
        ("bank NEAR/3 rente", '("bank" AND "rente")'),
        ("{Lego}", '"lego"'),
        ("strasse", '("strasse" OR "straße")'),
        ("foo_bar", '("foo" AND "bar")'),
        # Stop words and single letters are not asked of the index, nor prefixes of them.
        ('"ikke god"', '"god"'),
        ("på", None),
        ("the OR bank", None),
        ("ha* AND bank", '"bank"'),  # "ha*" would miss posts with only "har" or "have"
        ("hav* AND bank", '"bank"'),
        ("banki* AND x", '"banki"*'),
    ],
)
def test_a_query_becomes_words_every_match_contains(query: str, expected: str | None) -> None:
    assert fts(query) == expected


def test_an_inflection_becomes_the_prefix_of_its_stem() -> None:
    # Danish stems banken as bank; every word with that stem starts with its first three.
    assert fts("banken~") == '"ban"*'
    assert fts("kundeservicen~") == '"kundeserv"*'


def test_the_old_spelling_aa_is_looked_up_too_where_the_workspace_asks() -> None:
    assert fts("århus", aa=True) == '("arhus" OR "aarhus")'


def test_ambiguous_letters_give_every_spelling_the_index_may_hold() -> None:
    # The matcher reads ö as ø and ä as æ; the index strips both to o and a.
    assert index_forms("kø") == ["kø", "ko"]
    assert index_forms("sæl") == ["sæl", "sal"]
    assert index_forms("på") == ["pa"]


def test_a_word_with_too_many_spellings_narrows_nothing_rather_than_too_much() -> None:
    assert index_forms("øæøæøæ") is None
    assert fts("øæøæøæ") is None
    assert fts("øæøæøæ bank") == '"bank"'


def test_postgresql_gets_the_same_words_as_a_tsquery() -> None:
    found = narrowing(parse("(kø OR bank*) AND service"))
    assert found is not None
    assert tsquery(found) == "((('kø' | 'ko') | 'bank':*) & 'service')"
