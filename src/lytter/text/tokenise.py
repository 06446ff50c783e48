"""Splitting a post into tokens: words, URLs, #hashtags, @mentions and emoji, in order."""

from __future__ import annotations

import re
from typing import NamedTuple

from lytter.text.fold import fold, nfc

# Order matters: a URL before the words inside it, a hashtag before its word.
_KINDS = {
    "url": r"""(?i:https?://|www\.)[^\s<>"]+[^\s<>".,;:!?)\]]""",
    "hashtag": r"\#\w+",
    "mention": r"@\w+",
    "word": r"\w+(?:['’]\w+)*",
    "emoji": r"[\U0001F000-\U0001FAFF\u2600-\u27BF]",
}
_TOKEN = re.compile("|".join(f"(?P<{kind}>{body})" for kind, body in _KINDS.items()))

# A batch of posts is tokenised as one string, the posts apart by SEPARATOR (a token of its own).
SEPARATOR = "\x00"
_STREAM = re.compile("|".join(_KINDS.values()) + "|" + SEPARATOR)


class Token(NamedTuple):
    """One token: its text as written, folded, its kind, and where it starts in the text."""

    text: str
    folded: str
    kind: str  # word, url, hashtag, mention or emoji
    start: int


def tokenise(text: str, *, aa: bool = False) -> list[Token]:
    """The tokens of `text` in order; positions in the list are what NEAR counts."""
    text = nfc(text)
    return [
        Token(m.group(), fold(m.group(), aa=aa), m.lastgroup or "word", m.start())
        for m in _TOKEN.finditer(text)
    ]


def words(text: str, *, aa: bool = False) -> list[str]:
    """The folded tokens of `text` (for queries: the words of a phrase)."""
    return [t.folded for t in tokenise(text, aa=aa)]


_PHRASE_WORD = re.compile(r"[#@]?[\w*?]+(?:['’][\w*?]+)*")


def phrase_words(text: str, *, aa: bool = False) -> list[str]:
    """The folded words of a quoted phrase, keeping `*` and `?` wildcards in them."""
    return [fold(w, aa=aa) for w in _PHRASE_WORD.findall(text)]
