"""Sentiment lexicons: AFINN (Finn Årup Nielsen, Apache-2.0; lexicons/) for Danish and English,
its emoticon list, and a small emoji list, with negation and intensifiers.

A lexicon scores a post's words: phrases of up to three words first ("for lidt", "not good"
is handled by negation instead), a negated word counts half and the other way, and an
intensifier before a word (meget, virkelig, very, really...) multiplies it by 1.5.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

FILES = {"da": "AFINN-da-32.txt", "en": "AFINN-en-165.txt"}
INTENSIFIERS = frozenset(
    [
        "meget",
        "virkelig",
        "vildt",
        "rigtig",
        "totalt",
        "utroligt",
        "ekstremt",
        "mega",
        "super",
        "enormt",
        "fuldstændig",
        "helt",
        "very",
        "really",
        "so",
        "extremely",
        "totally",
        "absolutely",
        "incredibly",
        "super",
        "too",
        "most",
    ]
)
# Common emoji, scored on AFINN's -5..5 scale by hand (the emoticon list covers :) and :( ).
EMOJI = {
    "😀": 2,
    "😃": 2,
    "😄": 2,
    "😁": 2,
    "😊": 2,
    "🙂": 1,
    "😍": 3,
    "🥰": 3,
    "😘": 2,
    "❤": 3,
    "♥": 3,
    "💕": 3,
    "💖": 3,
    "👍": 2,
    "👏": 2,
    "🙏": 1,
    "🎉": 3,
    "🥳": 3,
    "😂": 1,
    "🤣": 1,
    "😉": 1,
    "😎": 2,
    "💪": 2,
    "✨": 1,
    "🌟": 2,
    "⭐": 1,
    "👌": 2,
    "😢": -2,
    "😭": -2,
    "😞": -2,
    "😔": -2,
    "😟": -2,
    "😕": -1,
    "🙁": -2,
    "☹": -2,
    "😠": -3,
    "😡": -3,
    "🤬": -4,
    "😤": -2,
    "🙄": -2,
    "😒": -2,
    "👎": -2,
    "💩": -3,
    "🤮": -3,
    "🤢": -2,
    "😱": -2,
    "😩": -2,
    "😫": -2,
    "😑": -1,
    "😐": -1,
    "🤦": -2,
    "💔": -3,
    "😓": -1,
    "😬": -1,
}


class LexiconScore(NamedTuple):
    positive: float
    negative: float  # as a positive number

    @property
    def total(self) -> float:
        return self.positive - self.negative


@dataclass(frozen=True)
class Lexicon:
    """Word and phrase scores for one or more languages."""

    words: dict[str, float]
    longest: int
    starts: frozenset[str] = frozenset()  # the first words of the phrases of several words

    def score(self, words: list[tuple[str, bool]]) -> LexiconScore:
        """Score (word, negated) pairs as `features._negated_words` gives them."""
        positive = negative = 0.0
        i = 0
        while i < len(words):
            value = None
            span = 1
            if words[i][0] in self.starts:
                for n in range(min(self.longest, len(words) - i), 0, -1):
                    phrase = " ".join(w for w, _ in words[i : i + n])
                    if phrase in self.words:
                        value, span = self.words[phrase], n
                        break
            else:
                value = self.words.get(words[i][0])
            if value is not None:
                if i > 0 and words[i - 1][0] in INTENSIFIERS:
                    value *= 1.5
                if words[i][1]:
                    value = -value * 0.5
                if value > 0:
                    positive += value
                else:
                    negative -= value
            i += span
        return LexiconScore(positive, negative)


def _read(name: str) -> dict[str, float]:
    text = (resources.files("lytter.analysis") / "lexicons" / name).read_text(encoding="utf-8")
    entries: dict[str, float] = {}
    for line in text.splitlines():
        word, _, score = line.rpartition("\t")
        if word:
            entries[word.casefold()] = float(score)
    return entries


@cache
def lexicon(language: str | None) -> Lexicon:
    """The lexicon for a language: da or en, and both for any other (or unknown) language."""
    words: dict[str, float] = {}
    for code in [language] if language in FILES else list(FILES):
        for word, value in _read(FILES[code]).items():
            words.setdefault(word, value)
    words.update(_read("AFINN-emoticon-8.txt"))
    words.update({e: float(v) for e, v in EMOJI.items()})
    starts = frozenset(w.split(" ")[0] for w in words if " " in w)
    return Lexicon(words, max(len(w.split()) for w in words), starts)
