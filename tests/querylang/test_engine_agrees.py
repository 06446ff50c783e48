"""Property: both engines (post by post, and a batch at a time) agree with the plain reference
evaluator."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lytter.querylang import ast, parse
from lytter.querylang.batch import BatchMatcher
from lytter.querylang.document import Document
from lytter.querylang.match import Matcher
from lytter.querylang.render import render
from tests.querylang.reference import Post, matches

# Words that share stems, compounds, Danish letters, case and accent variants.
WORDS = [
    "bank",
    "banken",
    "bankens",
    "banker",
    "bankrådgiver",
    "rådgiver",
    "rådgiveren",
    "netbank",
    "nede",
    "får",
    "far",
    "kø",
    "køen",
    "service",
    "servicen",
    "kundeservice",
    "delay",
    "delayed",
    "delays",
    "flight",
    "og",
    "ikke",
    "til",
    "at",
    "café",
    "Cafe",
    "ÆBLE",
    "æble",
    "Nordea",
    "nordea",
]
TAGS = ["#kundeservice", "#Bank", "@DanskeBank", "@nordea"]

word = st.sampled_from(WORDS)


def wildcarded(w: str) -> st.SearchStrategy[str]:
    return st.sampled_from(
        [w, w[:3] + "*", "*" + w[-3:], w[:1] + "?" + w[2:], w[:2] + "*" + w[-1:]]
    )


term = st.one_of(
    st.builds(ast.Term, word),
    word.flatmap(wildcarded).map(ast.Term),
    st.builds(lambda w: ast.Term(w, stem=True), word),
    st.builds(lambda w: ast.Term(w, case_sensitive=True), word),
)
phrase = st.builds(
    lambda ws, slop: ast.Phrase(" ".join(ws), slop),
    st.lists(word, min_size=2, max_size=3),
    st.one_of(st.none(), st.integers(0, 3)),
)
tagged = st.sampled_from(
    [ast.Hashtag("kundeservice"), ast.Hashtag("bank"), ast.Mention("danskebank")]
)
field = st.sampled_from(
    [ast.Field("lang", "da"), ast.Field("lang", "en"), ast.Field("platform", "facebook")]
)
atom = st.one_of(term, term, phrase, tagged, field)


def extend(children: st.SearchStrategy[ast.Node]) -> st.SearchStrategy[ast.Node]:
    return st.one_of(
        st.builds(lambda xs: ast.And(tuple(xs)), st.lists(children, min_size=2, max_size=3)),
        st.builds(lambda xs: ast.Or(tuple(xs)), st.lists(children, min_size=2, max_size=3)),
        st.builds(ast.Not, children),
        st.builds(ast.Near, children, children, st.integers(0, 4), st.booleans()),
    )


query = st.recursive(atom, extend, max_leaves=6)
post = st.builds(
    Post,
    st.lists(st.one_of(word, word, word, st.sampled_from(TAGS)), max_size=14).map(" ".join),
    st.sampled_from(["da", "en"]),
    platform=st.sampled_from(["facebook", "twitter"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(query, min_size=1, max_size=8), st.lists(post, min_size=1, max_size=5))
def test_engine_and_reference_agree(queries: list[ast.Node], posts: list[Post]) -> None:
    matcher = Matcher(dict(enumerate(queries)))
    docs = [Document(p.text, language=p.language, platform=p.platform) for p in posts]
    batch = BatchMatcher(dict(enumerate(queries))).match_many(docs)
    for p, doc, together in zip(posts, docs, batch, strict=True):
        expected = [i for i, q in enumerate(queries) if matches(q, p)]
        assert matcher.match(doc) == expected, (p, [queries[i] for i in expected])
        assert together == expected, (p, [queries[i] for i in expected])


@settings(max_examples=200, deadline=None)
@given(query)
def test_a_rendered_query_parses_back_to_the_same_meaning(q: ast.Node) -> None:
    once = parse(render(q))
    assert parse(render(once)) == once


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(query, min_size=1, max_size=6), st.lists(post, min_size=60, max_size=140))
def test_a_batch_of_many_posts_agrees_with_post_by_post(
    queries: list[ast.Node], posts: list[Post]
) -> None:
    # Over 64 posts the batch's sets of posts span several machine words, the last one in part.
    docs = [Document(p.text, language=p.language, platform=p.platform) for p in posts]
    matcher = Matcher(dict(enumerate(queries)))
    together = BatchMatcher(dict(enumerate(queries))).match_many(docs)
    assert together == [matcher.match(doc) for doc in docs]
