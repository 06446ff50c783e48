"""Which stored posts could a query match? A query as words for the full-text index.

A search over stored posts runs in two steps: the store's full-text index narrows the posts to
candidates, and the matcher decides (`lytter.services.search`). `narrowing(node)` gives the
index's part: a small AND/OR tree of words and word prefixes that every matching post
contains, so the candidates are always a superset of the matches. What the index cannot
express (NOT, fields, words that start with a wildcard) narrows nothing and is left to the
matcher.

Both stores index each post's text lower-cased with every accent removed (`får` as `far`,
`Köbenhavn` as `kobenhavn`), keeping æ, ø and ß, and split at every character that is not a
letter or digit (`lytter.text.index`); stop words and single letters are never asked of it.
The matcher folds more finely (it keeps å apart from a, reads ö as ø), so `index_forms` lists
the index spellings a folded word can have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product
from typing import TypeAlias

from lytter.querylang import ast
from lytter.text.fold import fold
from lytter.text.index import UNINDEXED, indexed
from lytter.text.index import WORD as INDEX_WORD
from lytter.text.stem import STEMMERS, stem_with
from lytter.text.tokenise import phrase_words


@dataclass(frozen=True, slots=True)
class Word:
    """A word the post must contain (`prefix`: a word starting with it), as the matcher folds
    it, and the spellings under which the index may hold it (see `index_forms`)."""

    text: str
    forms: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple[Narrowing, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Narrowing, ...]


Narrowing: TypeAlias = Word | AllOf | AnyOf

MIN_PREFIX = 2
"""Shorter prefixes would list most of the index: they narrow nothing worth the cost."""

_WILDCARD = re.compile(r"[*?]")
MAX_FORMS = 16


def _all(items: list[Narrowing]) -> Narrowing | None:
    unique = list(dict.fromkeys(items))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else AllOf(tuple(unique))


def _any(items: list[Narrowing]) -> Narrowing:
    unique = list(dict.fromkeys(items))
    return unique[0] if len(unique) == 1 else AnyOf(tuple(unique))


def _word(text: str, aa: bool, prefix: bool = False) -> Word | None:
    forms = index_forms(text, aa)
    if forms is None:
        return None
    # The index leaves out stop words and single letters: asking it for one, or for a prefix
    # of one ("ha*" and "har"), would miss the posts that have it.
    if prefix:
        if any(w.startswith(f) for f in forms for w in UNINDEXED):
            return None
    elif not all(indexed(f) for f in forms):
        return None
    return Word(text, tuple(forms), prefix)


def _words(folded: str, aa: bool) -> Narrowing | None:
    """A folded word, maybe with wildcards, as index words: those before its first wildcard,
    the last of them as a prefix when a wildcard follows it."""
    wild = _WILDCARD.search(folded)
    parts = INDEX_WORD.findall(folded if wild is None else folded[: wild.start()])
    items: list[Narrowing | None] = [_word(p, aa) for p in parts[:-1]]
    if parts:
        last = parts[-1]
        if wild is None:
            items.append(_word(last, aa))
        elif len(last) >= MIN_PREFIX:
            items.append(_word(last, aa, prefix=True))
    return _all([i for i in items if i is not None])


def _stem(folded: str, aa: bool) -> Narrowing | None:
    # Every word with the query word's stem starts with the stem less its last two letters
    # (see match._stem_literals); one prefix per stemmer, as the post's language decides.
    literals = {stem_with(folded, name) for name in STEMMERS}
    literals = {root[: max(3, len(root) - 2)] for root in literals}
    # "ban" already finds whatever "bank" would.
    shortest = {w for w in literals if not any(w != o and w.startswith(o) for o in literals)}
    prefixes: list[Narrowing] = []
    for literal in sorted(shortest):
        found = _words(literal + "*", aa)
        if found is None:
            return None
        prefixes.append(found)
    return _any(prefixes)


def narrowing(node: ast.Node, aa: bool = False) -> Narrowing | None:
    """Words every post matching `node` contains; None when the index cannot narrow it.

    Synonyms must be expanded first.
    """
    match node:
        case ast.Term(text=text, stem=is_stem):
            folded = fold(text, aa=aa)
            return _stem(folded, aa) if is_stem else _words(folded, aa)
        case ast.Phrase(text):
            found = [n for w in phrase_words(text, aa=aa) if (n := _words(w, aa)) is not None]
            return _all(found)
        case ast.Hashtag(tag):
            return _words(fold(tag, aa=aa), aa)
        case ast.Mention(handle):
            return _words(fold(handle, aa=aa), aa)
        case ast.Near(left, right):
            return _all([n for side in (left, right) if (n := narrowing(side, aa)) is not None])
        case ast.And(items):
            return _all([n for item in items if (n := narrowing(item, aa)) is not None])
        case ast.Or(items):
            either = [narrowing(item, aa) for item in items]
            usable = [e for e in either if e is not None]
            return _any(usable) if len(usable) == len(either) else None
        case ast.Synonym(name):
            raise ValueError(f"${name} must be expanded before narrowing")
    return None  # NOT and fields: the index cannot say


# What the matcher's fold keeps apart but the index does not: å (a), æ (a from ä), ø (o from
# ö); with the old spelling aa, a folded å may be written aa. Casefolding makes ß "ss".
_FORMS = {"å": ("a",), "æ": ("æ", "a"), "ø": ("ø", "o")}
_FORMS_AA = {**_FORMS, "å": ("a", "aa")}
_PIECE = re.compile(r"ss|.", re.S)


def index_forms(word: str, aa: bool = False) -> list[str] | None:
    """The spellings under which the index holds a word the matcher folds to `word`; None
    when there are more than MAX_FORMS (such a word then narrows nothing)."""
    table = _FORMS_AA if aa else _FORMS
    choices = [
        ("ss", "ß") if piece == "ss" else table.get(piece, (piece,))
        for piece in _PIECE.findall(word)
    ]
    count = 1
    for options in choices:
        count *= len(options)
    if count > MAX_FORMS:
        return None
    return ["".join(p) for p in product(*choices)]


def fts5_query(narrowing: Narrowing) -> str:
    """The narrowing as an SQLite FTS5 query (every word quoted: no input is FTS5 syntax)."""
    match narrowing:
        case Word(forms=forms, prefix=prefix):
            star = "*" if prefix else ""
            terms = [f'"{form}"{star}' for form in forms]
            return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"
        case AllOf(items):
            return "(" + " AND ".join(fts5_query(i) for i in items) + ")"
        case AnyOf(items):
            return "(" + " OR ".join(fts5_query(i) for i in items) + ")"


def tsquery(narrowing: Narrowing) -> str:
    """The narrowing as a PostgreSQL tsquery for to_tsquery('simple', ...)."""
    match narrowing:
        case Word(forms=forms, prefix=prefix):
            star = ":*" if prefix else ""
            terms = [f"'{form}'{star}" for form in forms]
            return terms[0] if len(terms) == 1 else "(" + " | ".join(terms) + ")"
        case AllOf(items):
            return "(" + " & ".join(tsquery(i) for i in items) + ")"
        case AnyOf(items):
            return "(" + " | ".join(tsquery(i) for i in items) + ")"
