"""Spellings: the matcher's tokeniser in C reads every text exactly as `tokenise` does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lytter.text.fold import nfc
from lytter.text.spellings import Spellings
from lytter.text.tokenise import tokenise


def spelled(texts: list[str]) -> list[list[str]]:
    """Each text's tokens as written, read by one Spellings table."""
    table = Spellings()
    seen: list[str] = []
    out: list[list[str]] = []
    ids, counts, new = table.scan(texts)
    seen += new
    start = 0
    for count in counts.tolist():
        out.append([seen[i] for i in ids[start : start + count].tolist()])
        start += count
    return out


def written(text: str) -> list[str]:
    return [t.text for t in tokenise(text)]


def test_tokens_are_the_tokenisers_urls_hashtags_mentions_words_and_emoji() -> None:
    text = "Hej @Danske_Bank! #Kundeservice er nede 😡😡 se https://danskebank.dk/hjælp. Don't"
    assert spelled([text]) == [written(text)]
    assert spelled([text])[0][-3:] == ["se", "https://danskebank.dk/hjælp", "Don't"]


def test_the_edges_of_the_tokeniser_are_kept() -> None:
    texts = [
        '(Bank), "Kundeservice" #Tag... @bruger: foo_bar _x it\'s ’tis – … www. WWW.DR.DK/nyt).',
        "«Århus» Aalborg! 5,000 kr. 11-8pm. ##dobbelt @ # ½ x² 😡bank bank😡 ❶ ➀",
        "[video](http://x.dk/a) HTTPſ://x.dk httpS://y.dk/?a=1&b=2!) http://. www.x",
        "ÆØÅ? é Straße* can't’t don''t x'",
        "e\u0301t cafe\u0301",  # decomposed: read as composed
        "",
        "\x00 nul\x00byte",
    ]
    assert spelled(texts) == [written(t) for t in texts]


def test_a_spelling_keeps_its_id_across_batches_and_only_new_ones_come_back() -> None:
    table = Spellings()
    ids, counts, new = table.scan(["Bank bank Bank", "kunde"])
    assert ids.tolist() == [0, 1, 0, 2] and counts.tolist() == [3, 1]
    assert new == ["Bank", "bank", "kunde"]
    ids, counts, new = table.scan(["kunde Kunde bank"])
    assert ids.tolist() == [2, 3, 1] and new == ["Kunde"] and len(table) == 4


def test_many_spellings_survive_the_table_growing() -> None:
    table = Spellings()
    words = [f"ord{n}" for n in range(200_000)]
    ids, _, new = table.scan([" ".join(words)])
    assert new == words and ids.tolist() == list(range(200_000))
    again, _, new = table.scan([" ".join(reversed(words))])
    assert new == [] and again.tolist() == list(reversed(range(200_000)))


# Text made of the characters the rules turn on: letters (Danish, accented, long s), digits,
# marks that end or join tokens, URL prefixes, emoji and their neighbours, odd whitespace.
_PIECES = st.sampled_from(
    [
        "a",
        "B",
        "æ",
        "Å",
        "é",
        "ſ",
        "ß",
        "_",
        "1",
        "½",
        "²",
        "❶",
        "#",
        "@",
        "'",
        "’",
        ".",
        ",",
        "!",
        "?",
        ")",
        "]",
        "(",
        "<",
        ">",
        '"',
        " ",
        "\n",
        "\t",
        "\u00a0",
        "\u2028",
        "\x1c",
        "\x00",
        "😡",
        "☀",
        "🫶",
        "e\u0301",
        "http://",
        "HTTPS://",
        "www.",
        "Www.",
        "hTtPſ://",
        "https:/",
        "dk/x",
        "bank",
        "Bank",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=25).map("".join), min_size=1, max_size=6))
def test_any_text_is_read_as_tokenise_reads_it(texts: list[str]) -> None:
    assert spelled(texts) == [written(nfc(t)) for t in texts]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=4))
def test_any_unicode_is_read_as_tokenise_reads_it(texts: list[str]) -> None:
    assert spelled(texts) == [written(nfc(t)) for t in texts]
