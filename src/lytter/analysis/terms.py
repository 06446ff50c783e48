"""The terms of a post that emerging-term detection counts (lytter.analysis.trends).

A post holds each of its terms once: a content word keyed by its stem in the post's language
(so "ventetid" and "ventetiden" are one term), two content words in a row (a phrase), a
#hashtag and an @mention. Stopwords, digits and one-letter words are no terms and break a
phrase, as URLs and emoji do.

`post_terms` gives them as text, with the spelling used. `batch_terms` gives the same terms as
64-bit codes, packed in a few bytes: the analysing pipeline reads them once per post as the
post comes in and stores them beside its tone (`post_analyses.terms`), so counting terms over
a week of posts is array work instead of reading and tokenising every text again. A code's
two low bits hold its kind, the rest a hash of its key (blake2b for a word, hashtag or
mention; a phrase mixes its two words' codes), so a code stays the same in every process and
version. With 61 bits, two of a million terms share one with a chance of one in a million
or so; the texts of a term's posts tell its key where it is shown.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, partial
from hashlib import blake2b

import numpy as np

from lytter.text.fold import fold, nfc
from lytter.text.stem import stem
from lytter.text.stopwords import STOPWORDS
from lytter.text.tokenise import _STREAM, SEPARATOR, tokenise

KINDS = ("word", "phrase", "hashtag", "mention")
_KIND = {kind: n for n, kind in enumerate(KINDS)}
# Words that are in every post of the trade and say nothing on their own.
_NOISE_WORDS = """
    amp rt via http https www com co t s m ll re ve d im dont cant thats
"""
STOP = frozenset().union(*STOPWORDS.values()) | frozenset(_NOISE_WORDS.split())
_M64 = (1 << 64) - 1
_M61 = (1 << 61) - 1


@dataclass(frozen=True, slots=True)
class TrendText:
    """A post as trends read it."""

    id: int
    text: str
    published_at: datetime
    language: str | None = None
    author: str | None = None


def _language(language: str | None) -> str | None:
    """The stemmer a post's words get: its own for Danish and English, else by each word."""
    return language if language in ("da", "en") else None


def post_terms(post: TrendText) -> list[tuple[str, str, str]]:
    """(key, kind, spelling) of each term of the post, once each."""
    language = _language(post.language)
    seen: dict[str, tuple[str, str, str]] = {}
    previous: tuple[str, str] | None = None
    for token in tokenise(post.text):
        word = token.folded
        if token.kind in ("hashtag", "mention"):
            if len(word) > 2 and not word[1:].isdigit():
                seen.setdefault(word, (word, token.kind, token.text))
            previous = None
            continue
        if (
            token.kind != "word"
            or len(word) < 2
            or word in STOP
            or not word[0].isalpha()
            or word.isdigit()
        ):
            previous = None
            continue
        root = stem(word, language or ("en" if word.isascii() else "da"))
        seen.setdefault(root, (root, "word", word))
        if previous is not None and previous[0] != root:
            key = f"{previous[0]} {root}"
            seen.setdefault(key, (key, "phrase", f"{previous[1]} {word}"))
        previous = (root, word)
    return list(seen.values())


def _hashed(key: str, kind: int) -> int:
    digest = int.from_bytes(blake2b(key.encode(), digest_size=8).digest(), "little")
    return (digest & _M61) << 2 | kind


def _phrase(first: int, second: int) -> int:
    """The code of the phrase of two word codes (splitmix64's finaliser over both)."""
    x = (first * 0x9E3779B97F4A7C15 + second) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    x ^= x >> 31
    return (x & _M61) << 2 | _KIND["phrase"]


@lru_cache(maxsize=1 << 16)
def _word_code(key: str) -> int:
    return _hashed(key, _KIND["word"])


def code_of(key: str, kind: str) -> int:
    """The code of a term given as `post_terms` gives it."""
    if kind == "phrase":
        first, second = key.split(" ")
        return _phrase(_word_code(first), _word_code(second))
    if kind == "word":
        return _word_code(key)
    return _hashed(key, _KIND[kind])


def kind_of(code: int) -> str:
    return KINDS[code & 3]


# What a token as written adds to its post's terms, per stemming language: a word's code (low
# bits 00; it may start or end a phrase), a hashtag's or mention's (10, 11; ends a phrase),
# 0 for a token that is no term (ends a phrase), or _NEXT where the next post starts.
_NEXT = 1


def _token_code(token: str, language: str | None) -> int:
    if token == SEPARATOR:
        return _NEXT
    first = token[0]
    if first == "#" or first == "@":
        word = fold(token)
        if len(word) > 2 and not word[1:].isdigit():
            return _hashed(word, _KIND["hashtag" if first == "#" else "mention"])
        return 0
    if "." in token or ":" in token or not (first.isalnum() or first == "_"):
        return 0  # a URL or an emoji: words hold neither "." nor ":"
    word = fold(token)
    if len(word) < 2 or word in STOP or not word[0].isalpha() or word.isdigit():
        return 0
    return _word_code(stem(word, language or ("en" if word.isascii() else "da")))


_READERS = {
    language: lru_cache(maxsize=1 << 15)(partial(_token_code, language=language))
    for language in ("da", "en", None)
}


def _mixed(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """`_phrase` of many pairs at once (uint64 arithmetic wraps as `& _M64` does)."""
    x = first.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + second.astype(np.uint64)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return ((x & np.uint64(_M61)) << np.uint64(2) | np.uint64(_KIND["phrase"])).astype(np.int64)


def batch_terms(texts: Sequence[str], languages: Sequence[str | None]) -> list[bytes]:
    """The codes of each text's terms (`post_terms` as `code_of` codes them), packed to
    store: what the pipeline runs on every post as it comes in.

    The texts of one stemming language are tokenised as one string; each distinct token's
    code is remembered (words repeat), and phrases and each post's distinct codes are worked
    out with array operations over the whole batch."""
    packed = [b""] * len(texts)
    groups: dict[str | None, list[int]] = {}
    for i, language in enumerate(languages):
        if SEPARATOR in texts[i]:  # never in real posts; read on its own
            post = TrendText(i, texts[i], datetime.min, language)
            packed[i] = pack(code_of(key, kind) for key, kind, _ in post_terms(post))
        else:
            groups.setdefault(_language(language), []).append(i)
    for language, chosen in groups.items():
        # Whitespace around the separator ends a URL before it.
        stream = nfc(f" {SEPARATOR} ".join(texts[i] for i in chosen) + f" {SEPARATOR}")
        codes = np.fromiter(map(_READERS[language], _STREAM.findall(stream)), dtype=np.int64)
        post = np.cumsum(codes == _NEXT) - (codes == _NEXT)  # the post each token is in
        low = codes & 3
        word = (low == 0) & (codes != 0)
        pair = word[:-1] & word[1:] & (codes[:-1] != codes[1:])
        found = np.concatenate(
            (codes[word | (low >= 2)], _mixed(codes[:-1][pair], codes[1:][pair]))
        )
        owner = np.concatenate((post[word | (low >= 2)], post[:-1][pair]))
        order = np.lexsort((found, owner))
        found, owner = found[order], owner[order]
        first = np.ones(len(found), dtype=bool)
        first[1:] = (found[1:] != found[:-1]) | (owner[1:] != owner[:-1])
        found, owner = found[first].astype("<i8"), owner[first]
        ends = np.searchsorted(owner, np.arange(1, len(chosen) + 1))
        begin = 0
        for i, end in zip(chosen, ends.tolist(), strict=True):
            packed[i] = found[begin:end].tobytes()
            begin = end
    return packed


def pack(codes: Iterable[int]) -> bytes:
    """Codes as stored: 8 bytes each, little-endian."""
    packed = array("q", codes)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def unpack(blobs: Iterable[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """The codes of many packed posts one after another, and how many each post has."""
    parts = list(blobs)
    codes = np.frombuffer(b"".join(parts), dtype="<i8").astype(np.int64, copy=False)
    lengths = np.fromiter((len(p) >> 3 for p in parts), dtype=np.int64, count=len(parts))
    return codes, lengths
