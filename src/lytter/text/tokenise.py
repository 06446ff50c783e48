"""Splitting a post into tokens: words, URLs, #hashtags, @mentions and emoji, in order."""

from __future__ import annotations

import re
from typing import NamedTuple

from lytter.text.fold import fold, fold_text, nfc

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


# Marks that may stand around a word in a chunk (`(bank),` `"bank"`) and are never tokens.
_EDGES = "\"'’.,;:!?()[]{}<>«»„“”‘*-–—…/|~^="

_PHRASE_WORD = re.compile(r"[#@]?[\w*?]+(?:['’][\w*?]+)*")


def phrase_words(text: str, *, aa: bool = False) -> list[str]:
    """The folded words of a quoted phrase, keeping `*` and `?` wildcards in them."""
    return [fold(w, aa=aa) for w in _PHRASE_WORD.findall(text)]


def chunk_tokens(chunk: str, *, aa: bool = False) -> list[str]:
    """The folded tokens of a run of text without whitespace.

    No token spans whitespace, so a text's tokens are its whitespace-split chunks' tokens one
    after another: a matcher splits a batch with `str.split` and remembers each distinct
    chunk's tokens (`Bank,` → `bank`), since chunks repeat much as words do.
    """
    return chunks_tokens([chunk], aa=aa)[0]


def _single(chunk: str) -> str | None:
    """The chunk's one token as written, when it is a plain word, #hashtag or @mention with
    only punctuation around it (most chunks); None when the chunk needs the full tokeniser."""
    # None of the marks stripped is, or starts, a token, so the token inside is unchanged.
    core = chunk if chunk.isalnum() else chunk.strip(_EDGES)
    body = core[1:] if core[:1] in ("#", "@") else core
    return core if body.replace("_", "").isalnum() else None


def chunks_tokens(chunks: list[str], *, aa: bool = False) -> list[list[str]]:
    """`chunk_tokens` of many chunks at once: the single words among them are folded together."""
    singles = list(map(_single, chunks))
    # Folding keeps line breaks where they are, so the single words fold in one pass.
    folded = iter(fold_text("\n".join(filter(None, singles)), aa=aa).split("\n"))
    return [
        [fold(m.group(), aa=aa) for m in _TOKEN.finditer(chunk)]
        if single is None
        else [next(folded)]
        for single, chunk in zip(singles, chunks, strict=True)
    ]
