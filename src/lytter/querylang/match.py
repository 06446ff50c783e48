"""Matching queries against posts: each query compiled to functions, and one `Matcher` that
finds a post's candidate queries with one Aho-Corasick pass over its folded text before
evaluating only those.

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
from collections.abc import Callable, Mapping
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
Test = Callable[[Document], bool]
Spans = Callable[[Document], list[Span]]


@lru_cache(maxsize=50_000)
def pattern(text: str) -> re.Pattern[str] | None:
    """The regex of a word with wildcards; None for a plain word."""
    if "*" not in text and "?" not in text:
        return None
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)
    return re.compile(body + r"\Z", re.S)


def _wildcard_positions(doc: Document, regex: re.Pattern[str], cased: bool) -> list[int]:
    key = (regex.pattern, cased)
    found = doc.memo.get(key)
    if found is None:
        table = doc.raw if cased else doc.positions
        found = sorted(p for t, ps in table.items() if regex.match(t) for p in ps)
        doc.memo[key] = found
    return found


@dataclass(frozen=True, slots=True)
class Compiled:
    """A node as two functions: does it match, and where (for NEAR)."""

    test: Test
    spans: Spans


def _positional(where: Callable[[Document], list[int]]) -> Compiled:
    return Compiled(lambda d: bool(where(d)), lambda d: [(p, p) for p in where(d)])


def _term(node: ast.Term, aa: bool) -> Compiled:
    if node.case_sensitive:
        cased = pattern(node.text)
        if cased is None:
            text = node.text
            return _positional(lambda d: d.raw.get(text, []))
        return _positional(lambda d: _wildcard_positions(d, cased, True))
    folded = fold(node.text, aa=aa)
    if node.stem:
        stems = {name: stem_with(folded, name) for name in STEMMERS}
        return _positional(lambda d: d.stems.get(stems[stemmer_name(d.language)], []))
    regex = pattern(folded)
    if regex is None:
        return _positional(lambda d: d.positions.get(folded, []))
    return _positional(lambda d: _wildcard_positions(d, regex, False))


def _phrase(node: ast.Phrase, aa: bool) -> Compiled:
    parts = phrase_words(node.text, aa=aa)
    checks = [pattern(w) for w in parts]
    n = len(parts)
    slop = node.slop

    def at(tokens: list[str], i: int, k: int) -> bool:
        regex = checks[k]
        return regex.match(tokens[i]) is not None if regex else tokens[i] == parts[k]

    if slop is None:

        def exact(d: Document) -> list[Span]:
            tokens = d.tokens
            starts = d.positions.get(parts[0], []) if checks[0] is None else range(len(tokens))
            return [
                (i, i + n - 1)
                for i in starts
                if i + n <= len(tokens) and all(at(tokens, i + k, k) for k in range(n))
            ]

        return Compiled(lambda d: bool(exact(d)), exact)
    window = n + slop

    def near(d: Document) -> list[Span]:
        tokens = d.tokens
        spans = []
        for start in range(max(1, len(tokens) - window + 1)):
            end = min(len(tokens), start + window)
            used: set[int] = set()
            for k in range(n):
                hit = next(
                    (i for i in range(start, end) if i not in used and at(tokens, i, k)), None
                )
                if hit is None:
                    break
                used.add(hit)
            else:
                spans.append((min(used), max(used)))
        return spans

    return Compiled(lambda d: bool(near(d)), near)


def field_test(node: ast.Field, aa: bool) -> Test:
    """Whether a document's field (author, site, ...) has the value `node` asks for."""
    value = fold(node.value, aa=aa)
    regex = pattern(value)
    name = node.name

    def test(candidate: str) -> bool:
        if name == "site":
            return candidate == value or candidate.endswith("." + value)
        if name == "url" and regex is None:
            return value in candidate
        return candidate == value if regex is None else regex.match(candidate) is not None

    return lambda d: any(test(c) for c in d.fields[name])


def _field(node: ast.Field, aa: bool) -> Compiled:
    return Compiled(field_test(node, aa), lambda d: [])


def _near(node: ast.Near, aa: bool) -> Compiled:
    left, right = compile_node(node.left, aa), compile_node(node.right, aa)
    distance, ordered = node.distance, node.ordered

    def spans(d: Document) -> list[Span]:
        ls = left.spans(d)
        if not ls:
            return []
        rs = right.spans(d)
        found = []
        for a in ls:
            for b in rs:
                if a[1] < b[0] and b[0] - a[1] - 1 <= distance:
                    found.append((a[0], b[1]))
                elif not ordered and b[1] < a[0] and a[0] - b[1] - 1 <= distance:
                    found.append((b[0], a[1]))
        return found

    return Compiled(lambda d: bool(spans(d)), spans)


def _any_of(items: tuple[ast.Node, ...], aa: bool) -> Compiled:
    """OR, with its plain words, stems and wildcards each tested in one step: a saved query's
    OR list of 20 brand names costs one set operation, not 20 lookups."""
    parts = [compile_node(i, aa) for i in items]
    words: set[str] = set()
    stems: dict[str, set[str]] = {name: set() for name in STEMMERS}
    wild: list[str] = []
    rest: list[Test] = []
    for item, part in zip(items, parts, strict=True):
        if isinstance(item, ast.Term) and not item.case_sensitive:
            folded = fold(item.text, aa=aa)
            regex = pattern(folded)
            if item.stem:
                for name in STEMMERS:
                    stems[name].add(stem_with(folded, name))
            elif regex is None:
                words.add(folded)
            else:
                wild.append(regex.pattern)
        elif isinstance(item, ast.Hashtag):
            words.add("#" + fold(item.tag, aa=aa))
        elif isinstance(item, ast.Mention):
            words.add("@" + fold(item.handle, aa=aa))
        else:
            rest.append(part.test)
    frozen_words = frozenset(words)
    frozen_stems = {name: frozenset(found) for name, found in stems.items() if found}
    combined = re.compile("|".join(f"(?:{w})" for w in wild), re.S) if wild else None

    def test(d: Document) -> bool:
        if frozen_words and not frozen_words.isdisjoint(d.positions):
            return True
        if frozen_stems:
            wanted = frozen_stems.get(stemmer_name(d.language))
            if wanted and not wanted.isdisjoint(d.stems):
                return True
        if combined is not None and _wildcard_positions(d, combined, False):
            return True
        return any(t(d) for t in rest)

    return Compiled(test, lambda d: [s for p in parts for s in p.spans(d)])


def compile_node(node: ast.Node, aa: bool = False) -> Compiled:
    """`node` as a test (does it match?) and a spans function (where, for NEAR)."""
    match node:
        case ast.Term():
            return _term(node, aa)
        case ast.Phrase():
            return _phrase(node, aa)
        case ast.Hashtag(tag):
            key = "#" + fold(tag, aa=aa)
            return _positional(lambda d: d.positions.get(key, []))
        case ast.Mention(handle):
            key = "@" + fold(handle, aa=aa)
            return _positional(lambda d: d.positions.get(key, []))
        case ast.Field():
            return _field(node, aa)
        case ast.Near():
            return _near(node, aa)
        case ast.Not(item):
            inner = compile_node(item, aa).test
            return Compiled(lambda d: not inner(d), lambda d: [])
        case ast.And(items):
            parts = [compile_node(i, aa) for i in items]
            tests = [p.test for p in parts]

            def all_spans(d: Document) -> list[Span]:
                if not all(t(d) for t in tests):
                    return []
                return [s for p in parts for s in p.spans(d)]

            return Compiled(lambda d: all(t(d) for t in tests), all_spans)
        case ast.Or(items):
            return _any_of(items, aa)
        case ast.Synonym(name):
            raise ValueError(f"${name} must be expanded before compiling")
    raise TypeError(f"not a query node: {node!r}")


# -- which queries can a post match? ----------------------------------------------------------

MIN_LITERAL = 2
_WORD_CHAR = re.compile(r"\w")

# A trigger is a literal with where it must sit in a word: E exactly a word, S at a word's
# start, T at a word's end, N anywhere. Flags only bind at literal ends that are word chars.
EXACT, START, TAIL, ANY = "E", "S", "T", "N"


def _key(literal: str, flag: str) -> str:
    if not _WORD_CHAR.match(literal[:1]):
        flag = {EXACT: TAIL, START: ANY}.get(flag, flag)
    if not _WORD_CHAR.match(literal[-1:]):
        flag = {EXACT: START, TAIL: ANY}.get(flag, flag)
    return flag + literal


def _stem_literals(word: str) -> frozenset[str] | None:
    # A Snowball stem is the word less its ending, with at most the last letters changed
    # (happy → happi): its first letters start every word that has that stem.
    keys = set()
    for name in STEMMERS:
        root = stem_with(word, name)
        literal = root[: max(3, len(root) - 2)]
        if len(literal) < MIN_LITERAL:
            return None
        keys.add(_key(literal, START))
    return frozenset(keys)


def triggers(node: ast.Node, aa: bool = False) -> frozenset[str] | None:
    """Keys (a flag and a literal), one of which occurs in a post's folded text whenever
    `node` matches it; None when no such key can be named (NOT, fields)."""
    match node:
        case ast.Term(text=text, stem=is_stem):
            folded = fold(text, aa=aa)
            if is_stem:
                return _stem_literals(folded)
            if pattern(folded) is None:
                return frozenset({_key(folded, EXACT)})
            chunks = [c for c in re.split(r"[*?]+", folded) if c]
            longest = max(chunks, key=len) if chunks else ""
            if len(longest) < MIN_LITERAL:
                return None
            leading, trailing = folded.startswith(longest), folded.endswith(longest)
            flag = START if leading else TAIL if trailing else ANY
            return frozenset({_key(longest, flag)})
        case ast.Phrase(text):
            usable = [
                k
                for k in (triggers(ast.Term(w), aa) for w in phrase_words(text, aa=aa))
                if k is not None
            ]
            return max(usable, key=lambda k: min(map(len, k))) if usable else None
        case ast.Hashtag(tag):
            return frozenset({_key("#" + fold(tag, aa=aa), EXACT)})
        case ast.Mention(handle):
            return frozenset({_key("@" + fold(handle, aa=aa), EXACT)})
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
    return None


class Matcher:
    """Every saved query of a workspace in one matcher.

    Each query is indexed by literals a post must contain for it to match (its words, the
    start of its stems, the longest piece of its wildcards). One Aho-Corasick pass over the
    post's folded text finds the candidate queries; only those are evaluated, and a post
    without candidates is never even tokenised. Queries with no literal (only NOT or fields)
    are evaluated on every post.
    """

    def __init__(
        self, queries: Mapping[int, ast.Node], synonyms: Synonyms | None = None, aa: bool = False
    ) -> None:
        self.aa = aa
        self.always: list[tuple[int, Test]] = []
        # literal -> flag -> the queries it triggers
        by_literal: dict[str, dict[str, list[tuple[int, Test]]]] = {}
        for query_id, node in queries.items():
            node = expand(node, synonyms or {})
            test = compile_node(node, aa).test
            keys = triggers(node, aa)
            if keys is None:
                self.always.append((query_id, test))
                continue
            for key in keys:
                flags = by_literal.setdefault(key[1:], {})
                flags.setdefault(key[0], []).append((query_id, test))
        self.automaton = ahocorasick.Automaton()
        for n, (literal, flags) in enumerate(by_literal.items()):
            self.automaton.add_word(literal, (n, len(literal), list(flags.items())))
        self.empty = not by_literal
        if not self.empty:
            self.automaton.make_automaton()

    def candidates(self, doc: Document) -> dict[int, Test]:
        """The queries `doc` could match, by id."""
        found: dict[int, Test] = dict(self.always)
        if self.empty:
            return found
        text = doc.folded
        size = len(text)
        word = _WORD_CHAR.match
        done: set[tuple[int, str]] = set()
        for end, (n, length, flags) in self.automaton.iter(text):
            start = end - length + 1
            before = start == 0 or word(text, start - 1) is None
            after = end + 1 == size or word(text, end + 1) is None
            for flag, entries in flags:
                if (n, flag) in done:
                    continue
                if (
                    flag == ANY
                    or (flag == START and before)
                    or (flag == TAIL and after)
                    or (before and after)
                ):
                    done.add((n, flag))
                    found.update(entries)
        return found

    def match(self, doc: Document) -> list[int]:
        """The ids of the queries `doc` matches, in ascending order."""
        candidates = self.candidates(doc)
        if not candidates:
            return []
        return sorted(qid for qid, test in candidates.items() if test(doc))
