"""Text to hashed features, the same at training time (scripts/train_models.py) and at run time.

A post becomes a sparse vector of `DIM` buckets (CRC-32 of each feature's name, so it is stable
across Python versions and processes, and no vocabulary has to ship):

- words and word pairs, lower-cased, with negation marked: after ikke/aldrig/ingen/not/never/
  n't... the next words up to the end of the clause (at most three) are `¬word`, so "ikke
  dårligt" is not "dårligt";
- character 3–5-grams inside words, which carry Danish compounds and inflections
  (kundeservice, kundeservicen) and misspellings;
- emoji and emoticons as tokens of their own;
- lexicon scores (AFINN, see `lexicon.py`) with negation flipping and intensifiers, as a few
  weighted features;
- shape: exclamation and question marks, a shouted word, a URL, a mention.

The vector is L2-normalised, as TF-IDF rows are.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable
from functools import lru_cache

from lytter.analysis.lexicon import Lexicon

DIM = 1 << 18

NEGATORS = frozenset(
    [
        "ikke",
        "aldrig",
        "ingen",
        "intet",
        "ingenting",
        "hverken",
        "uden",
        "næppe",
        "ik",
        "ikk",
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "none",
        "neither",
        "nor",
        "without",
        "cannot",
        "cant",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "wasnt",
        "arent",
        "werent",
        "wont",
        "wouldnt",
        "shouldnt",
        "couldnt",
        "aint",
        "hardly",
    ]
)
NEGATION_SPAN = 3

_TOKEN = re.compile(
    r"""
    (?P<url>(?:https?://|www\.)\S+)
  | (?P<mention>@\w+)
  | (?P<emoticon>(?<!\w)[:;=8xX][-'^o]?[()\[\]DPpOo/\\|3*]+(?!\w)|<3)
  | (?P<word>\#?\w+(?:['’]\w+)*)
  | (?P<emoji>[\U0001F000-\U0001FAFF\u2600-\u27BF])
  | (?P<stop>[.!?;:,]+)
    """,
    re.VERBOSE,
)


_LONG_WORD = re.compile(r"\b[^\W\d_]{3,}\b")
MASK = DIM - 1
crc32 = zlib.crc32


def _bucket(name: str) -> int:
    return crc32(name.encode()) & MASK


# Words repeat (Zipf), so a word's own buckets are hashed once per process, not once per use.
@lru_cache(maxsize=1 << 17)
def _word_bucket(token: str) -> int:
    return _bucket("w" + token)


@lru_cache(maxsize=1 << 17)
def _gram_buckets(word: str) -> tuple[int, ...]:
    """The buckets of a word's character 3-5-grams (none for short or non-alphabetic words)."""
    if len(word) <= 3 or not word.isalpha():
        return ()
    padded = f" {word} "
    return tuple(
        _bucket("c" + padded[i : i + n]) for n in (3, 4, 5) for i in range(len(padded) - n + 1)
    )


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, token) pairs: url, mention, emoticon, word, emoji, stop (punctuation)."""
    found: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "word"
        value = m.group()
        if kind == "word":
            value = value.casefold().replace("’", "'")
        found.append((kind, value))
    return found


def _negated_words(found: list[tuple[str, str]]) -> list[tuple[str, bool]]:
    """The words (and emoji, emoticons) in order, each with whether a negation covers it."""
    out: list[tuple[str, bool]] = []
    left = 0
    for kind, value in found:
        if kind == "stop":
            left = 0
            continue
        if kind in ("url", "mention"):
            continue
        if kind == "word" and (value.replace("'", "") in NEGATORS or value.endswith("n't")):
            out.append((value, False))
            left = NEGATION_SPAN
            continue
        out.append((value, left > 0))
        left = max(0, left - 1)
    return out


def featurise(text: str, lexicon: Lexicon) -> dict[int, float]:
    """The post's feature vector as {bucket: value}, L2-normalised."""
    counts = raw_features(text, lexicon)
    norm = math.sqrt(sum(v * v for v in counts.values())) or 1.0
    return {k: v / norm for k, v in counts.items()}


def raw_features(text: str, lexicon: Lexicon) -> dict[int, float]:
    """The post's features before normalisation (a batch normalises them at once)."""
    found = tokens(text)
    words = _negated_words(found)
    counts: dict[int, float] = {}
    get = counts.get
    previous = "<s>"
    for word, negated in words:
        token = f"¬{word}" if negated else word
        b = _word_bucket(token)
        counts[b] = get(b, 0.0) + 1.0
        b = crc32(f"b{previous} {token}".encode()) & MASK
        counts[b] = get(b, 0.0) + 1.0
        previous = token
        for b in _gram_buckets(word):
            counts[b] = get(b, 0.0) + 0.5
    ones = [_bucket(f"b{previous} </s>")]
    for kind, value in found:
        if kind in ("url", "mention"):
            ones.append(_bucket("k" + kind))
        elif kind == "stop" and ("!" in value or "?" in value):
            ones.append(
                _bucket("p" + ("!" if "!" in value else "?") + ("+" if len(value) > 1 else ""))
            )
    if any(m.group().isupper() for m in _LONG_WORD.finditer(text)):
        ones.append(_bucket("kshout"))
    for b in ones:
        counts[b] = get(b, 0.0) + 1.0

    def add(name: str, value: float) -> None:
        b = _bucket(name)
        counts[b] = get(b, 0.0) + value

    score = lexicon.score(words)
    if score.positive:
        add("lpos", math.log1p(score.positive))
    if score.negative:
        add("lneg", math.log1p(score.negative))
    add("lsum" + ("+" if score.total > 0 else "-" if score.total < 0 else "0"), 1.0)
    return counts


def batch(texts: Iterable[str], lexicon: Lexicon) -> list[dict[int, float]]:
    return [featurise(t, lexicon) for t in texts]
