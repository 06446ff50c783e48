"""The words a full-text index holds for a post: what `querylang.narrow` looks for.

Both stores index a post's text lower-cased, with the accents of Latin letters removed (`får`
as `far`, `Köbenhavn` as `kobenhavn`; æ, ø and ß are letters of their own and kept), split at
every character that is not a letter or a digit. SQLite's FTS5 tokenizer does that itself;
for PostgreSQL the words are worked out here, in the importing process, and stored as a
`tsvector` without positions (`search_vector`): a search only asks which posts contain which
words, and the server, which is the bottleneck of a bulk load, is spared the work.
"""

from __future__ import annotations

import re
import unicodedata

# A combining accent on a Latin letter (after NFD: `å` is `a` and a ring).
_LATIN_ACCENTS = re.compile(r"(?<=[\u0001-\u024f\u1e00-\u1eff])[\u0300-\u036f]+")
WORD = re.compile(r"[^\W_]+")
# PostgreSQL refuses longer words in a tsvector (its to_tsvector leaves them out, as here).
MAX_WORD_BYTES = 2046


def index_text(text: str) -> str:
    """`text` lower-cased with the accents of Latin letters removed."""
    low = text.lower()
    if low.isascii():
        return low
    bare = _LATIN_ACCENTS.sub("", unicodedata.normalize("NFD", low))
    return unicodedata.normalize("NFC", bare)


def index_words(text: str) -> set[str]:
    """The distinct words the index holds for `text`."""
    found = set(WORD.findall(index_text(text)))
    if len(text) * 4 > MAX_WORD_BYTES:  # a word may be too long (4 bytes a character at most)
        found = {w for w in found if len(w.encode()) <= MAX_WORD_BYTES}
    return found


def search_vector(text: str) -> str:
    """`text`'s index words as a PostgreSQL tsvector literal (no positions)."""
    # The words are letters and digits only: nothing in them needs escaping inside quotes.
    words = index_words(text)
    return "'" + "' '".join(words) + "'" if words else ""
