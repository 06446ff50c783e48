"""What a query matches: Danish-aware words, phrases, NEAR, wildcards, fields, synonyms."""

from __future__ import annotations

import pytest

from lytter.querylang import parse
from lytter.querylang.document import Document
from lytter.querylang.match import Matcher
from lytter.services.errors import UserError


def hits(query: str, text: str, synonyms: dict[str, list[str]] | None = None, **kw: object) -> bool:
    matcher = Matcher({1: parse(query)}, synonyms)
    return matcher.match(Document(text, **kw)) == [1]  # type: ignore[arg-type]


def test_words_match_whatever_the_case_and_accents_but_not_other_letters() -> None:
    assert hits("netbank", "NETBANK er nede")
    assert hits("cafe", "Vi ses på Café Nørd")
    assert not hits("far", "Jeg får en ny rådgiver")


def test_inflections_with_tilde_but_not_compounds() -> None:
    for text in ("Banken er lukket", "bankens app", "alle banker"):
        assert hits("bank~", text, language="da"), text
    assert not hits("bank~", "min bankrådgiver", language="da")


def test_a_suffix_wildcard_finds_compounds() -> None:
    assert hits("*rådgiver", "min bankrådgiver svarer ikke")
    assert hits("kunde*", "kundeservicen er lukket")
    assert hits("b?nk", "bank") and not hits("b?nk", "baank")


def test_phrases_keep_their_stopwords_and_order() -> None:
    assert hits('"ikke til at komme igennem"', "Det er ikke til at komme igennem på telefonen")
    assert not hits('"ikke til at komme igennem"', "ikke at komme til igennem")


def test_proximity_phrases_allow_words_between() -> None:
    assert hits('"dårlig service"~2', "dårlig og langsom service")
    assert not hits('"dårlig service"~1', "dårlig og meget langsom service")


def test_NEAR_counts_the_words_between_and_NEARf_keeps_the_order() -> None:
    assert hits("netbank NEAR/2 nede", "netbank er helt nede")
    assert hits("netbank NEAR/2 nede", "nede er helt netbank")
    assert not hits("netbank NEAR/1 nede", "netbank er helt nede")
    assert not hits("netbank NEAR/2f nede", "nede er helt netbank")


def test_NOT_excludes() -> None:
    assert hits("bank NOT lån", "banken... nej, bank")
    assert not hits("bank NOT lån", "bank lån")


def test_case_sensitive_words() -> None:
    assert hits("{Nordea}", "Nordea svarer") and not hits("{Nordea}", "nordea svarer")


def test_a_plain_word_finds_the_hashtag_but_a_hashtag_only_the_hashtag() -> None:
    assert hits("kundeservice", "Tak #Kundeservice")
    assert hits("#kundeservice", "Tak #Kundeservice")
    assert not hits("#kundeservice", "Tak kundeservice")
    assert hits("@danskebank", "Hej @DanskeBank") and not hits("@danskebank", "danskebank")


def test_fields_match_what_is_known_about_the_post() -> None:
    assert hits("lang:en delay*", "Flight delayed", language="en")
    assert not hits("lang:en delay*", "Flight delayed", language="da")
    assert hits('page:"Banken Aarhus"', "hej", page=("Banken Aarhus",))
    assert hits("site:dr.dk", "hej", url="https://www.dr.dk/nyheder/1")
    assert hits("author:mette*", "hej", author=("mettehansen",))
    assert hits("platform:facebook", "hej", platform="Facebook")


def test_synonym_sets_expand_to_any_of_their_entries() -> None:
    sets = {"kundeservice": ["kundeservice*", '"customer service"', "support"]}
    assert hits("$kundeservice NEAR/3 lukket", "kundeservicen er lukket", sets)
    assert hits("$kundeservice", "great customer service", sets)
    with pytest.raises(UserError, match=r"there is no synonym set \$support"):
        hits("$support", "x", sets)


def test_aa_matches_å_where_the_workspace_asks() -> None:
    matcher = Matcher({1: parse("Århus")}, aa=True)
    assert matcher.match(Document("Vi bor i Aarhus", aa=True)) == [1]


def test_the_matcher_returns_every_matching_query() -> None:
    matcher = Matcher({1: parse("netbank"), 2: parse("nede"), 3: parse("lån"), 4: parse("NOT lån")})
    assert matcher.match(Document("Netbank nede")) == [1, 2, 4]


def test_a_query_may_let_its_words_count_in_danish_compounds() -> None:
    from lytter.querylang.compounds import as_compounds

    def compound_hits(query: str, mode: str, text: str) -> bool:
        return Matcher({1: as_compounds(parse(query), mode)}).match(Document(text)) == [1]

    assert not compound_hits("rådgiver", "none", "min bankrådgiver")
    assert compound_hits("rådgiver", "tail", "min bankrådgiver")
    assert not compound_hits("bank", "tail", "bankfilialen lukker")
    assert compound_hits("bank", "head", "bankfilialen lukker")
    assert compound_hits("rådgiver", "both", "rådgiverteamet og bankrådgiveren")
    assert not compound_hits('"bank filial"', "both", "bankfilial"), "phrases keep their words"
