"""A post's terms as emerging-term detection counts them, and the codes the pipeline stores."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from lytter.analysis.terms import (
    TrendText,
    batch_terms,
    code_of,
    kind_of,
    pack,
    post_terms,
    unpack,
)

AT = datetime(2026, 3, 2, tzinfo=UTC)


def terms(text: str, language: str | None = "da") -> list[tuple[str, str, str]]:
    return post_terms(TrendText(1, text, AT, language))


def reference(text: str, language: str | None) -> set[int]:
    """The codes as `code_of` gives them, one term at a time."""
    return {code_of(key, kind) for key, kind, _ in terms(text, language)}


def test_words_count_by_stem_with_the_spelling_kept() -> None:
    assert terms("Lange ventetider banken") == [
        ("lang", "word", "lange"),
        ("ventetid", "word", "ventetider"),
        ("lang ventetid", "phrase", "lange ventetider"),
        ("bank", "word", "banken"),
        ("ventetid bank", "phrase", "ventetider banken"),
    ]


def test_stopwords_digits_urls_and_emoji_are_no_terms_and_break_phrases() -> None:
    found = terms("MobilePay 😡 nede https://status.dk fejl 2024 igen og nede igen")
    assert [k for k, _, _ in found] == ["mobilepay", "ned", "fejl", "igen", "ned igen"]


def test_hashtags_and_mentions_are_terms_of_their_own() -> None:
    found = terms("#MobilePay @DanskeBank #1 #12345 @a")
    assert [(k, kind) for k, kind, _ in found] == [
        ("#mobilepay", "hashtag"),
        ("@danskebank", "mention"),
    ]


def test_a_code_keeps_its_kind_and_is_the_same_in_every_process() -> None:
    assert kind_of(code_of("bank", "word")) == "word"
    assert kind_of(code_of("ventetid bank", "phrase")) == "phrase"
    assert kind_of(code_of("#mobilepay", "hashtag")) == "hashtag"
    assert kind_of(code_of("@danskebank", "mention")) == "mention"
    # blake2b of the key: pinned, so codes stored by one version are read by the next.
    assert code_of("bank", "word") == 400543606921598112
    assert code_of("ventetid bank", "phrase") == 5464876696932474505


def test_the_pipeline_reads_the_same_codes_as_the_terms_one_by_one() -> None:
    texts = [
        "Ventetiden hos banken er for lang, ventetid igen!",
        "Kundeservice svarer ikke https://t.co/abc",  # a URL last: the next post is its own
        "Øv, MobilePay er nede 😡 #mobilepay @DanskeBank",
        "",
        "Great service today, thanks @AcmeBank! :)",
        "ÆØÅ æblegrød på Aalborg-ruten",
        "null\x00byte inside",
    ]
    languages: list[str | None] = ["da", "da", "da", None, "en", "da", None]
    packed = batch_terms(texts, languages)
    for text, language, stored in zip(texts, languages, packed, strict=True):
        assert set(unpack([stored])[0].tolist()) == reference(text, language), text


def test_packed_codes_unpack_post_by_post() -> None:
    codes, lengths = unpack([pack([1, 2, 3]), b"", pack([2**62])])
    assert codes.tolist() == [1, 2, 3, 2**62]
    assert lengths.tolist() == [3, 0, 1]


WORDS = st.sampled_from(
    [
        "banken",
        "banker",
        "bank",
        "Bank",
        "ventetid",
        "ventetiden",
        "kundeservice",
        "og",
        "er",
        "ikke",
        "2024",
        "æble",
        "Ærø",
        "#fejl",
        "@bank",
        "https://x.dk/a",
        "www.y.com",
        "😡",
        ":)",
        "service",
        "services",
        "the",
        "not",
        "ok",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(
                st.one_of(WORDS, st.text(alphabet="abæøå#@.:,/-_ 1😀", max_size=8)), max_size=12
            ).map(" ".join),
            st.sampled_from(["da", "en", "sv", None]),
        ),
        max_size=6,
    )
)
def test_a_batch_reads_each_post_as_its_terms_one_by_one(
    posts: list[tuple[str, str | None]],
) -> None:
    packed = batch_terms([t for t, _ in posts], [lang for _, lang in posts])
    for (text, language), stored in zip(posts, packed, strict=True):
        assert set(unpack([stored])[0].tolist()) == reference(text, language)
