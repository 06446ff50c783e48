"""The batch engine: a batch of posts matched at once gives what each post alone would."""

from __future__ import annotations

import pytest

from lytter.querylang import batch, parse
from lytter.querylang.batch import BatchMatcher
from lytter.querylang.document import Document
from lytter.querylang.match import Matcher


def match_many(queries: dict[int, str], texts: list[str], **kw: object) -> list[list[int]]:
    engine = BatchMatcher({i: parse(q) for i, q in queries.items()}, **kw)  # type: ignore[arg-type]
    return engine.match_many([Document(t) for t in texts])


def test_each_post_gets_the_ids_of_the_queries_it_matches_in_order() -> None:
    queries = {3: "bank AND kø", 1: "netbank OR mobilpay", 2: "NOT bank"}
    texts = ["Lang kø i banken? Nej, i Bank", "Netbank er nede", "intet her"]
    assert match_many(queries, texts) == [[3], [1, 2], [2]]


def test_near_and_phrases_never_reach_from_one_post_into_the_next() -> None:
    queries = {1: "kø NEAR/3 bank", 2: '"nede igen"'}
    texts = ["lang kø", "bank nede", "igen og igen"]
    assert match_many(queries, texts) == [[], [], []]
    assert match_many(queries, ["kø i banken bank", "netbank nede igen"]) == [[1], [2]]


def test_a_phrase_word_is_the_whole_token_not_a_hashtags_word() -> None:
    assert match_many({1: '"bank nede"'}, ["#bank nede", "bank nede"]) == [[], [1]]
    assert match_many({1: "bank"}, ["#bank nede"]) == [[1]]


def test_inflections_follow_each_posts_language() -> None:
    engine = BatchMatcher({1: parse("bank~")})
    docs = [Document("bankerne lukker", language="da"), Document("the banks close", language="en")]
    assert engine.match_many(docs) == [[1], [1]]


def test_wildcards_match_words_met_for_the_first_time() -> None:
    texts = ["kundeservicen svarer", "servicecenter", "god service"]
    assert match_many({1: "service*", 2: "*service*", 3: "kunde*"}, texts) == [
        [2, 3],
        [1, 2],
        [1, 2],
    ]


def test_queries_without_an_array_form_are_matched_post_by_post() -> None:
    engine = BatchMatcher({1: parse("{Nordea}"), 2: parse('"bank nede"~2'), 3: parse("bank")})
    assert engine.by_post is not None
    docs = [Document(t) for t in ["Nordea bank", "nordea", "bank er nede"]]
    assert engine.match_many(docs) == [[1, 3], [], [2, 3]]


def test_uppercase_urls_are_one_token_as_lowercase_ones_are() -> None:
    assert match_many({1: "example"}, ["HTTP://EXAMPLE.COM/x", "http://example.com"]) == [[], []]
    assert match_many({1: "example"}, ["example.com"]) == [[1]]


def test_odd_texts_give_what_the_post_by_post_matcher_gives() -> None:
    queries = {1: "straße OR strasse", 2: "istanbul", 3: "x", 4: "*"}
    texts = ["Straße", "İstanbul", "a\x00x", "\x00", "", "ß x"]
    single = Matcher({i: parse(q) for i, q in queries.items()})
    assert match_many(queries, texts) == [single.match(Document(t)) for t in texts]


def test_the_vocabulary_starts_afresh_when_full_without_changing_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(batch, "MAX_VOCABULARY", 5)
    engine = BatchMatcher({1: parse("bank AND rådgiver~"), 2: parse("net*")})
    texts = ["bank og rådgiveren", "netbank", "bank", "rådgivere i banken bank"]
    first = engine.match_many([Document(t) for t in texts])
    again = engine.match_many([Document(t) for t in texts])
    assert first == again == [[1], [2], [], [1]]


def test_more_posts_than_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "BATCH", 3)
    texts = [f"post {n} {'bank' if n % 4 == 0 else 'andet'}" for n in range(10)]
    assert match_many({7: "bank"}, texts) == [[7] if n % 4 == 0 else [] for n in range(10)]


def test_not_never_reaches_past_the_last_post_of_a_batch() -> None:
    texts = ["bank" if n % 3 == 0 else "andet" for n in range(130)]
    found = match_many({1: "NOT bank", 2: "NOT (bank AND andet)"}, texts)
    assert found == [[2] if n % 3 == 0 else [1, 2] for n in range(130)]
