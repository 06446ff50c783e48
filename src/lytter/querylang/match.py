"""Matching queries against posts: each query compiled to a function, and one `Matcher` that
finds the candidate queries of a post from its tokens before evaluating only those.

Semantics (the reference evaluator in tests/querylang/reference.py states them plainly):
- a word matches a token equal to it after folding (case, accents but not æ/ø/å);
  `*` is any run of characters, `?` one character; `{Word}` compares the text as written;
  `word~` matches any token with the same Snowball stem in the post's language.
- a phrase matches its words at consecutive positions (stopwords included); `"a b"~n`
  matches when all its words occur within a window of len + n positions.
- `a NEAR/n b`: an occurrence of a and one of b, not overlapping, with at most n tokens
  between them; NEAR/nf also needs a before b. Fields and NOT have no position, so they never
  satisfy a NEAR side.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from lytter.querylang import ast
from lytter.querylang.document import Document
from lytter.querylang.synonyms import Synonyms, expand
from lytter.text.fold import fold
from lytter.text.stem import STEMMERS, stem_with, stemmer_name
from lytter.text.tokenise import phrase_words

Span = tuple[int, int]
NOWHERE: list[Span] = [(-1, -1)]  # true, but at no position (fields, NOT)
Evaluator = Callable[[Document], list[Span]]


@lru_cache(maxsize=50_000)
def pattern(text: str) -> re.Pattern[str] | None:
    """The regex of a word with wildcards; None for a plain word."""
    if "*" not in text and "?" not in text:
        return None
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)
    return re.compile(body + r"\Z", re.S)


def _literal_chunks(text: str) -> list[str]:
    return [c for c in re.split(r"[*?]+", text) if c]


# -- compiling one query ----------------------------------------------------------------------


def _term(node: ast.Term, aa: bool) -> Evaluator:
    if node.case_sensitive:
        cased = pattern(node.text)
        if cased is None:
            text = node.text
            return lambda d: [(p, p) for p in d.raw.get(text, ())]
        return lambda d: [(p, p) for t, ps in d.raw.items() if cased.match(t) for p in ps]
    folded = fold(node.text, aa=aa)
    if node.stem:
        stems = {name: stem_with(folded, name) for name in STEMMERS}
        return lambda d: [(p, p) for p in d.stems.get(stems[stemmer_name(d.language)], ())]
    regex = pattern(folded)
    if regex is None:
        return lambda d: [(p, p) for p in d.positions.get(folded, ())]
    return lambda d: [(p, p) for t, ps in d.positions.items() if regex.match(t) for p in ps]


def _phrase(node: ast.Phrase, aa: bool) -> Evaluator:
    parts = phrase_words(node.text, aa=aa)
    checks = [pattern(w) for w in parts]
    n = len(parts)
    slop = node.slop

    def at(d: Document, i: int, k: int) -> bool:
        regex = checks[k]
        token = d.tokens[i]
        return regex.match(token) is not None if regex else token == parts[k]

    if slop is None:

        def exact(d: Document) -> list[Span]:
            first = parts[0]
            starts = d.positions.get(first, ()) if checks[0] is None else range(len(d.tokens))
            return [
                (i, i + n - 1)
                for i in starts
                if i + n <= len(d.tokens) and all(at(d, i + k, k) for k in range(n))
            ]

        return exact
    window = n + slop

    def near(d: Document) -> list[Span]:
        spans = []
        for start in range(max(1, len(d.tokens) - window + 1)):
            end = min(len(d.tokens), start + window)
            used: set[int] = set()
            for k in range(n):
                hit = next((i for i in range(start, end) if i not in used and at(d, i, k)), None)
                if hit is None:
                    break
                used.add(hit)
            else:
                spans.append((min(used), max(used)))
        return spans

    return near


def _field(node: ast.Field, aa: bool) -> Evaluator:
    value = fold(node.value, aa=aa)
    regex = pattern(value)

    def test(candidate: str) -> bool:
        if node.name == "site":
            return candidate == value or candidate.endswith("." + value)
        if node.name == "url":
            return value in candidate if regex is None else regex.match(candidate) is not None
        return candidate == value if regex is None else regex.match(candidate) is not None

    name = "page" if node.name == "page" else node.name
    return lambda d: NOWHERE if any(test(c) for c in d.fields.get(name, ())) else []


def _near(node: ast.Near, aa: bool) -> Evaluator:
    left, right = compile_node(node.left, aa), compile_node(node.right, aa)
    distance, ordered = node.distance, node.ordered

    def evaluate(d: Document) -> list[Span]:
        ls = [s for s in left(d) if s[0] >= 0]
        if not ls:
            return []
        rs = [s for s in right(d) if s[0] >= 0]
        spans = []
        for a in ls:
            for b in rs:
                if a[1] < b[0] and b[0] - a[1] - 1 <= distance:
                    spans.append((a[0], b[1]))
                elif not ordered and b[1] < a[0] and a[0] - b[1] - 1 <= distance:
                    spans.append((b[0], a[1]))
        return spans

    return evaluate


def compile_node(node: ast.Node, aa: bool = False) -> Evaluator:
    """A function giving the spans where `node` matches a document ([] when it does not)."""
    match node:
        case ast.Term():
            return _term(node, aa)
        case ast.Phrase():
            return _phrase(node, aa)
        case ast.Hashtag(tag):
            key = "#" + fold(tag, aa=aa)
            return lambda d: [(p, p) for p in d.positions.get(key, ())]
        case ast.Mention(handle):
            key = "@" + fold(handle, aa=aa)
            return lambda d: [(p, p) for p in d.positions.get(key, ())]
        case ast.Field():
            return _field(node, aa)
        case ast.Near():
            return _near(node, aa)
        case ast.Not(item):
            inner = compile_node(item, aa)
            return lambda d: [] if inner(d) else NOWHERE
        case ast.And(items):
            parts = [compile_node(i, aa) for i in items]

            def all_of(d: Document) -> list[Span]:
                spans: list[Span] = []
                for part in parts:
                    found = part(d)
                    if not found:
                        return []
                    spans.extend(found)
                return spans

            return all_of
        case ast.Or(items):
            parts = [compile_node(i, aa) for i in items]

            def any_of(d: Document) -> list[Span]:
                spans: list[Span] = []
                for part in parts:
                    spans.extend(part(d))
                return spans

            return any_of
        case ast.Synonym(name):
            raise ValueError(f"${name} must be expanded before compiling")
    raise TypeError(f"not a query node: {node!r}")


# -- which queries can a post match? ----------------------------------------------------------

Keys = frozenset[str]
_SUB = "\x00sub:"  # a key that is a literal inside some token (wildcards)
_STEM = "\x00stem:"


def triggers(node: ast.Node, aa: bool = False) -> Keys | None:
    """Keys a post must have one of for `node` to match; None when no key can be named.

    A key is a folded token, `\\0stem:STEM` (a stem in the post's language) or
    `\\0sub:TEXT` (TEXT occurs inside one of the post's tokens).
    """
    match node:
        case ast.Term(text=text, stem=is_stem):
            folded = fold(text, aa=aa)
            if is_stem:
                return frozenset(f"{_STEM}{name}:{stem_with(folded, name)}" for name in STEMMERS)
            if pattern(folded) is None:
                return frozenset({folded})
            chunks = _literal_chunks(folded)
            return frozenset({_SUB + max(chunks, key=len)}) if chunks else None
        case ast.Phrase(text):
            usable = [
                k
                for k in (triggers(ast.Term(w), aa) for w in phrase_words(text, aa=aa))
                if k is not None
            ]
            return min(usable, key=len) if usable else None
        case ast.Hashtag(tag):
            return frozenset({"#" + fold(tag, aa=aa)})
        case ast.Mention(handle):
            return frozenset({"@" + fold(handle, aa=aa)})
        case ast.And(items):
            usable = [k for k in (triggers(i, aa) for i in items) if k is not None]
            return min(usable, key=len) if usable else None
        case ast.Near(left, right):
            usable = [k for k in (triggers(left, aa), triggers(right, aa)) if k is not None]
            return min(usable, key=len) if usable else None
        case ast.Or(items):
            union: set[str] = set()
            for item in items:
                found = triggers(item, aa)
                if found is None:
                    return None
                union |= found
            return frozenset(union)
    return None  # fields, NOT, synonyms (expanded earlier)


@dataclass(frozen=True, slots=True)
class Compiled:
    """One saved query, ready to run."""

    query_id: int
    evaluate: Evaluator


class Matcher:
    """Every saved query of a workspace in one matcher.

    A post's tokens (and stems, and the literals inside its tokens, found with one
    Aho-Corasick pass) look up the queries that could match it; only those are evaluated.
    Queries with no key (only NOT or fields) are evaluated on every post.
    """

    def __init__(
        self, queries: Mapping[int, ast.Node], synonyms: Synonyms | None = None, aa: bool = False
    ) -> None:
        self.aa = aa
        self.by_key: dict[str, list[Compiled]] = {}
        self.always: list[Compiled] = []
        self.stem_keys = False
        literals: set[str] = set()
        for query_id, node in queries.items():
            node = expand(node, synonyms or {})
            compiled = Compiled(query_id, compile_node(node, aa))
            keys = triggers(node, aa)
            if keys is None:
                self.always.append(compiled)
                continue
            for key in keys:
                self.by_key.setdefault(key, []).append(compiled)
                if key.startswith(_SUB):
                    literals.add(key[len(_SUB) :])
                elif key.startswith(_STEM):
                    self.stem_keys = True
        self.automaton: ahocorasick.Automaton | None = None
        if literals:
            self.automaton = ahocorasick.Automaton()
            for literal in literals:
                self.automaton.add_word(literal, _SUB + literal)
            self.automaton.make_automaton()

    def _keys(self, doc: Document) -> Iterable[str]:
        yield from doc.positions
        if self.stem_keys:
            name = stemmer_name(doc.language)
            yield from (f"{_STEM}{name}:{s}" for s in doc.stems)
        if self.automaton is not None:
            text = "\x01".join(doc.positions)
            yield from {key for _, key in self.automaton.iter(text)}

    def match(self, doc: Document) -> list[int]:
        """The ids of the queries `doc` matches, in ascending order."""
        candidates: dict[int, Compiled] = {c.query_id: c for c in self.always}
        by_key = self.by_key
        for key in self._keys(doc):
            for compiled in by_key.get(key, ()):
                candidates[compiled.query_id] = compiled
        return sorted(qid for qid, c in candidates.items() if c.evaluate(doc))
