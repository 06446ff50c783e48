"""The words a full-text index holds for a post: what `querylang.narrow` looks for.

Both stores index a post's text lower-cased, with the accents of Latin letters removed (`får`
as `far`, `Köbenhavn` as `kobenhavn`; æ, ø and ß are letters of their own and kept), split at
every character that is not a letter or a digit. SQLite's FTS5 tokenizer does that itself;
for PostgreSQL the words are worked out here, in the importing process, and stored as a
`tsvector` without positions (`search_vector`): a search only asks which posts contain which
words, and the server, which is the bottleneck of a bulk load, is spared the work.

Neither index is asked for the words that `indexed` refuses: Danish and English stop words,
single letters and digits, and the bits of every link (`https`, `co`), so the PostgreSQL index
leaves them out. They are in nearly every post, so they narrow nothing, and they were 40% of
that index's entries and most of its upkeep. A search for such a word is decided by the
matcher alone (see `querylang.narrow`).
"""

from __future__ import annotations

import re
import unicodedata

from lytter.text.stopwords import STOPWORDS

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
    """The distinct words in `text`, as the index spells them."""
    found = set(WORD.findall(index_text(text)))
    if len(text) * 4 > MAX_WORD_BYTES:  # a word may be too long (4 bytes a character at most)
        found = {w for w in found if len(w.encode()) <= MAX_WORD_BYTES}
    return found


def _unindexed() -> frozenset[str]:
    words = {w for stop in STOPWORDS.values() for s in stop for w in WORD.findall(index_text(s))}
    return frozenset(words | {"http", "https", "www", "co", "com"})


UNINDEXED = _unindexed()
"""Words never asked of an index, in its spelling (besides every word of one character)."""


def indexed(word: str) -> bool:
    """Whether a search may ask the index for `word` (in the index's spelling)."""
    return len(word) > 1 and word not in UNINDEXED


def search_vector(text: str) -> str:
    """`text`'s indexed words as a PostgreSQL tsvector literal (no positions)."""
    words = [w for w in index_words(text) - UNINDEXED if len(w) > 1]
    # The words are letters and digits only: nothing in them needs escaping inside quotes.
    return "'" + "' '".join(words) + "'" if words else ""
