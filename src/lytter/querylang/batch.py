"""Matching a batch of posts at once: every saved query evaluated over the whole batch with
numpy, so the cost per post is a few array operations, not a Python call per query.

How it works:
- The batch's texts are read in C (`text/spellings.pyx`): each token's spelling as written
  (`Bank`) gets an id from a hash table, and only spellings never met before come back to
  Python, to be folded (`bank`) and looked up once. The posts' tokens lie one after another,
  a gap between posts, so a token's index is its position in the batch.
- A query's words are grouped into *leaves*: a plain word, a hashtag, a `word~`, a wildcard,
  or an OR list of them is one leaf. Which leaves a token satisfies is worked out once per
  distinct token (a word seen again costs one lookup) and kept in flat arrays.
- Per batch, every leaf's token positions come out of one counting sort in C
  (`querylang/positions.pyx`), a token's word and its stem in its post's language each
  naming their leaves. A leaf's posts, an AND, OR and NOT are boolean arrays over the batch;
  a phrase is the first word's positions followed by the next words' (`searchsorted`); NEAR
  compares each left occurrence with the nearest right occurrence on either side.
- What has no array form here ({CaseSensitive} words, `"a b"~n`, NEAR inside a NEAR side) is
  left to the post-by-post `Matcher` for the queries that use it.

Both give the same answers as the reference evaluator in tests/querylang/reference.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

import ahocorasick
import numpy as np
import numpy.typing as npt

from lytter.gcpause import gc_paused
from lytter.querylang import ast
from lytter.querylang.document import Document
from lytter.querylang.match import Matcher, field_test, pattern
from lytter.querylang.program import KINDS, Program, leaf_positions
from lytter.querylang.synonyms import Synonyms, expand
from lytter.text.fold import fold, fold_text
from lytter.text.spellings import Spellings
from lytter.text.stem import STEMMERS, stem_with, stemmer_name
from lytter.text.stem import stemmer as stemmer_of
from lytter.text.tokenise import phrase_words

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

BATCH = 8_192  # posts per pass: big enough that the per-query array calls are cheap per post
MAX_VOCABULARY = 2_000_000  # distinct tokens remembered before the memory starts afresh
_EMPTY: Ints = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Leaf:
    """Words tested against one token position: any of them matching is a hit.

    `whole` leaves are a phrase's words: they compare the token as a whole, so `#tag` is not
    its bare word `tag` there.
    """

    words: frozenset[str] = frozenset()
    wildcards: frozenset[str] = frozenset()  # folded words with * or ?
    stems: tuple[tuple[str, frozenset[str]], ...] = ()  # (stemmer, stems)
    whole: bool = False


class _Growing:
    """Flat arrays of which leaves each vocabulary id satisfies (CSR: start, count, leaves)."""

    def __init__(self, capacity: int = 1 << 12) -> None:
        self.start = np.zeros(capacity, dtype=np.int64)
        self.count = np.full(capacity, -1, dtype=np.int64)  # -1: not worked out yet
        self.leaves = np.zeros(capacity, dtype=np.int64)
        self.used = 0

    def ensure(self, size: int) -> None:
        if size > len(self.count):
            grown = max(size, 2 * len(self.count))
            self.start = np.resize(self.start, grown)
            count = np.full(grown, -1, dtype=np.int64)
            count[: len(self.count)] = self.count
            self.count = count

    def put(self, ids: Ints, owners: Ints, leaves: Ints) -> None:
        """Record the leaves of the vocabulary ids `ids`: `ids[owners[j]]` has `leaves[j]`
        (`owners` ascending), and the ids no owner names have none."""
        if not len(ids):
            return
        self.ensure(int(ids.max()) + 1)
        counts = np.bincount(owners, minlength=len(ids))
        end = self.used + len(leaves)
        if end > len(self.leaves):
            self.leaves = np.resize(self.leaves, max(end, 2 * len(self.leaves)))
        self.start[ids] = self.used + np.cumsum(counts) - counts
        self.count[ids] = counts
        self.leaves[self.used : end] = leaves
        self.used = end


# A token's key is looked for between these marks (whitespace to the tokeniser, so never
# inside a token): `\x1ebank\x1f` is the word bank, `\x1eban` a prefix, `ken\x1f` a suffix.
_OPEN, _CLOSE = "\x1e", "\x1f"

# What a key found by the automaton means for the token it is found in.
_EXACT, _MAYBE = 0, 2  # its leaves; wildcards to test against the token


@dataclass
class _Index:
    """Where a token's leaves are looked up: words, wildcards, stems."""

    words: dict[str, list[tuple[int, bool]]] = field(default_factory=dict)  # word → leaves
    wildcards: dict[str, int] = field(default_factory=dict)  # wildcard word → number
    wildcard_regex: list[re.Pattern[str]] = field(default_factory=list)
    wildcard_leaves: list[list[tuple[int, bool]]] = field(default_factory=list)
    stem_lists: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # while compiling
    stems: dict[str, dict[str, tuple[int, ...]]] = field(default_factory=dict)  # stemmer → stem
    # Every word, `lit*` and `*lit` literal between marks, and the longest literal of each other
    # wildcard: one pass over a batch's new tokens finds all of them.
    automaton: ahocorasick.Automaton | None = None
    unanchored: list[int] = field(default_factory=list)  # wildcards with no literal to find


def _pairs(owners: Ints, leaves: list[tuple[int, ...]], n_leaves: int) -> tuple[Ints, Ints]:
    """(owner, leaf) pairs, each once, in ascending order: `owners[j]` has the `leaves[j]`."""
    counts = np.fromiter(map(len, leaves), dtype=np.int64, count=len(leaves))
    flat = np.fromiter(chain.from_iterable(leaves), dtype=np.int64, count=int(counts.sum()))
    codes = np.unique(np.repeat(owners, counts) * n_leaves + flat)
    return codes // n_leaves, codes % n_leaves


@dataclass
class _Nodes:
    """The queries' trees as flat lists of nodes, for `Program` (program.pyx): node n is of
    kind `op[n]` with `arg[n]` and the kids `kids[first[n]:first[n] + count[n]]`."""

    op: list[int] = field(default_factory=list)
    arg: list[int] = field(default_factory=list)
    first: list[int] = field(default_factory=list)
    count: list[int] = field(default_factory=list)
    kids: list[int] = field(default_factory=list)
    height: list[int] = field(default_factory=list)
    # What Python works out per batch: fields, by (name, folded value).
    outside: list[Callable[[Sequence[Document]], Bools]] = field(default_factory=list)
    outside_ids: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, kind: str, arg: int = 0, kids: Sequence[int] = ()) -> int:
        self.op.append(KINDS.index(kind))
        self.arg.append(arg)
        self.first.append(len(self.kids))
        self.count.append(len(kids))
        below = () if kind == "phrase" else kids  # a phrase's kids are leaves, not nodes
        self.height.append(1 + max((self.height[k] for k in below), default=0))
        self.kids.extend(kids)
        return len(self.op) - 1

    def cost(self, node: int) -> int:
        """How much working out a node costs, roughly: an AND tries cheap kids first."""
        return {"leaf": 0, "outside": 1, "not": 2, "or": 2, "phrase": 3}.get(
            KINDS[self.op[node]], 4
        )

    def field(self, node: ast.Field, aa: bool) -> int:
        key = (node.name, fold(node.value, aa=aa))
        number = self.outside_ids.get(key)
        if number is None:
            check = field_test(node, aa)

            def posts(docs: Sequence[Document]) -> Bools:
                return np.fromiter(map(check, docs), dtype=np.bool_, count=len(docs))

            number = self.outside_ids[key] = len(self.outside)
            self.outside.append(posts)
        return self.add("outside", number)


class _Unsupported(Exception):
    """A node with no array form here: its query is matched post by post."""


class BatchMatcher:
    """Every saved query of a workspace, matched against many posts at a time.

    `match_many(docs)` gives the same lists as `Matcher.match` would for each document.
    """

    _word_of: Ints

    def __init__(
        self, queries: Mapping[int, ast.Node], synonyms: Synonyms | None = None, aa: bool = False
    ) -> None:
        self.aa = aa
        self._leaf_ids: dict[Leaf, int] = {}
        self._index = _Index()
        self._nodes = _Nodes()
        roots: list[tuple[int, int]] = []  # (query id, node)
        by_post: dict[int, ast.Node] = {}
        for query_id, node in sorted(queries.items()):
            node = expand(node, synonyms or {})
            try:
                roots.append((query_id, self._plan(node, need_spans=False)))
            except _Unsupported:
                by_post[query_id] = node
        self.by_post = Matcher(by_post, aa=aa) if by_post else None
        self.batch_queries = len(roots)  # matched a batch at a time; the others post by post
        self._finish_index()
        self._program = self._compile(roots)
        self._forget()

    # -- compiling ---------------------------------------------------------------------------

    def _leaf(self, leaf: Leaf) -> int:
        found = self._leaf_ids.get(leaf)
        if found is not None:
            return found
        number = self._leaf_ids[leaf] = len(self._leaf_ids)
        index = self._index
        for word in leaf.words:
            index.words.setdefault(word, []).append((number, leaf.whole))
        for word in leaf.wildcards:
            if word not in index.wildcards:
                regex = pattern(word)
                assert regex is not None
                index.wildcards[word] = len(index.wildcard_regex)
                index.wildcard_regex.append(regex)
                index.wildcard_leaves.append([])
            index.wildcard_leaves[index.wildcards[word]].append((number, leaf.whole))
        for stemmer, stems in leaf.stems:
            for s in stems:
                index.stem_lists.setdefault(stemmer, {}).setdefault(s, []).append(number)
        return number

    def _simple_leaf(self, items: Sequence[ast.Node]) -> int:
        words: set[str] = set()
        wildcards: set[str] = set()
        stems: dict[str, set[str]] = {}
        for item in items:
            if isinstance(item, ast.Hashtag):
                words.add("#" + fold(item.tag, aa=self.aa))
            elif isinstance(item, ast.Mention):
                words.add("@" + fold(item.handle, aa=self.aa))
            elif isinstance(item, ast.Term):
                folded = fold(item.text, aa=self.aa)
                if item.stem:
                    for name in STEMMERS:
                        stems.setdefault(name, set()).add(stem_with(folded, name))
                elif pattern(folded) is None:
                    words.add(folded)
                else:
                    wildcards.add(folded)
        return self._leaf(
            Leaf(
                frozenset(words),
                frozenset(wildcards),
                tuple(sorted((k, frozenset(v)) for k, v in stems.items())),
            )
        )

    def _plan(self, node: ast.Node, need_spans: bool) -> int:
        """The node that matches `node` (a NEAR side's nodes must give its occurrences)."""
        nodes = self._nodes
        match node:
            case ast.Term(case_sensitive=True):
                raise _Unsupported
            case ast.Term() | ast.Hashtag() | ast.Mention():
                return nodes.add("leaf", self._simple_leaf([node]))
            case ast.Phrase(text, slop):
                parts = phrase_words(text, aa=self.aa)
                if slop is not None or not parts:
                    raise _Unsupported
                return nodes.add("phrase", kids=[self._whole_leaf(p) for p in parts])
            case ast.Field():
                return nodes.field(node, self.aa)
            case ast.Not(item):
                return nodes.add("not", kids=[self._plan(item, need_spans=False)])
            case ast.And(items):
                kids = [self._plan(i, need_spans) for i in items]
                return nodes.add("and", kids=sorted(kids, key=nodes.cost))
            case ast.Or(items):
                simple = [
                    i
                    for i in items
                    if isinstance(i, ast.Hashtag | ast.Mention)
                    or (isinstance(i, ast.Term) and not i.case_sensitive)
                ]
                rest = [self._plan(i, need_spans) for i in items if i not in simple]
                kids = ([nodes.add("leaf", self._simple_leaf(simple))] if simple else []) + rest
                return kids[0] if len(kids) == 1 else nodes.add("or", kids=kids)
            case ast.Near(left, right, distance, ordered):
                if need_spans:
                    raise _Unsupported
                sides = [self._plan(left, need_spans=True), self._plan(right, need_spans=True)]
                return nodes.add("near", 2 * distance + int(ordered), sides)
        raise _Unsupported

    def _whole_leaf(self, word: str) -> int:
        if pattern(word) is None:
            return self._leaf(Leaf(words=frozenset({word}), whole=True))
        return self._leaf(Leaf(wildcards=frozenset({word}), whole=True))

    def _finish_index(self) -> None:
        index = self._index
        index.stems = {
            name: {s: tuple(sorted(numbers)) for s, numbers in stems.items()}
            for name, stems in index.stem_lists.items()
        }
        # Each key's leaves, for a token and for a hashtag's word (which fits no phrase's word).
        keys: dict[str, tuple[int, tuple[int, ...], tuple[int, ...]]] = {}

        def add(key: str, kind: int, entries: list[tuple[int, bool]]) -> None:
            _, every, loose = keys.get(key, (kind, (), ()))
            every += tuple(leaf for leaf, _ in entries)
            loose += tuple(leaf for leaf, whole in entries if not whole)
            keys[key] = (kind, every, loose)

        for word, entries in index.words.items():
            add(_OPEN + word + _CLOSE, _EXACT, entries)
        literals: dict[str, list[int]] = {}
        for word, number in index.wildcards.items():
            body = word.strip("*")
            if "*" not in body and "?" not in body and word.count("*") == 1:
                # A prefix or a suffix: found between marks, its leaves are the token's.
                key = _OPEN + body if word.endswith("*") else body + _CLOSE
                add(key, _EXACT, index.wildcard_leaves[number])
                continue
            longest = max(re.split(r"[*?]+", word), key=len)
            if len(longest) < 2:
                index.unanchored.append(number)
            else:
                literals.setdefault(longest, []).append(number)
        if keys or literals:
            index.automaton = ahocorasick.Automaton()
            for key, found in keys.items():
                index.automaton.add_word(key, found)
            for literal, numbers in literals.items():
                index.automaton.add_word(literal, (_MAYBE, tuple(numbers), ()))
            index.automaton.make_automaton()

    def _compile(self, roots: list[tuple[int, int]]) -> Program:
        """The queries' nodes as one program, which C runs over a batch (program.pyx)."""
        nodes = self._nodes

        def array(values: list[int]) -> Ints:
            return np.array(values, dtype=np.int64)

        return Program(
            op=array(nodes.op),
            arg=array(nodes.arg),
            first=array(nodes.first),
            count=array(nodes.count),
            kids=array(nodes.kids),
            roots=array([node for _, node in roots]),
            query_ids=array([query_id for query_id, _ in roots]),
            outside=nodes.outside,
            n_leaves=len(self._leaf_ids),
            depth=max((nodes.height[node] for _, node in roots), default=1),
        )

    # -- a token's leaves --------------------------------------------------------------------

    def _token_leaves(self, tokens: list[str]) -> tuple[Ints, Ints]:
        """The leaves each of `tokens` satisfies (its word, a hashtag's word, wildcards), as
        (token index, leaf) pairs in ascending order; most tokens satisfy none."""
        index = self._index
        # Each token is a key, and so is the word of each hashtag or mention (`#bank` → `bank`),
        # which satisfies no phrase's word (`whole` leaves).
        tagged = [n for n, token in enumerate(tokens) if token[0] in "#@"]
        keys = tokens + [tokens[n][1:] for n in tagged]
        owner = np.array(list(range(len(tokens))) + tagged, dtype=np.int64)
        hit_keys: list[int] = []
        hit_leaves: list[tuple[int, ...]] = []
        regex, wildcard_leaves = index.wildcard_regex, index.wildcard_leaves
        if index.automaton is not None:
            text = _OPEN + (_CLOSE + _OPEN).join(keys) + _CLOSE
            found = list(index.automaton.iter(text))
            if found:
                ends = np.cumsum(np.fromiter(map(len, keys), dtype=np.int64, count=len(keys)) + 2)
                hit_ends = np.fromiter((end for end, _ in found), np.int64, count=len(found))
                at = np.searchsorted(ends, hit_ends, side="right").tolist()
                for k, (_, (kind, every, loose)) in zip(at, found, strict=True):
                    if kind == _MAYBE:  # wildcards whose longest literal is in the key
                        for n in every:
                            if regex[n].match(keys[k]):
                                hit_keys.append(k)
                                hit_leaves.append(
                                    tuple(
                                        leaf
                                        for leaf, whole in wildcard_leaves[n]
                                        if k < len(tokens) or not whole
                                    )
                                )
                    else:
                        hit_keys.append(k)
                        hit_leaves.append(every if k < len(tokens) else loose)
        for n in index.unanchored:
            for k, key in enumerate(keys):
                if regex[n].match(key):
                    hit_keys.append(k)
                    hit_leaves.append(
                        tuple(
                            leaf
                            for leaf, whole in wildcard_leaves[n]
                            if k < len(tokens) or not whole
                        )
                    )
        return _pairs(owner[hit_keys], hit_leaves, len(self._leaf_ids))

    def _stem_leaves(self, tokens: list[str], stemmer: str) -> tuple[Ints, Ints]:
        """The stem leaves of each token (or of a hashtag's or mention's word), in one language,
        as (token index, leaf) pairs in ascending order."""
        index = self._index.stems[stemmer]
        words = [t[1:] if t[:1] in ("#", "@") else t for t in tokens]
        stems = stemmer_of(stemmer).stemWords(words)
        hit_keys: list[int] = []
        hit_leaves: list[tuple[int, ...]] = []
        for n, leaves in enumerate(map(index.get, stems)):
            if leaves is not None and (w := words[n]) and "://" not in w:
                hit_keys.append(n)
                hit_leaves.append(leaves)
        return _pairs(np.array(hit_keys, dtype=np.int64), hit_leaves, len(self._leaf_ids))

    def _add_tokens(self, new: set[str]) -> None:
        tokens = list(new)
        first = len(self._words)
        self._words.extend(tokens)
        self._vocabulary.update(zip(tokens, range(first, len(self._words)), strict=True))
        entries = np.arange(first, len(self._words), dtype=np.int64) * self._slots
        self._leaves.put(entries, *self._token_leaves(tokens))

    def _tokens(self, docs: Sequence[Document]) -> tuple[Ints, Ints]:
        """The batch's tokens' word ids, post after post, and how many tokens each post has."""
        if len(self._spellings) > MAX_VOCABULARY or len(self._words) > MAX_VOCABULARY:
            self._forget()
        spelled, counts, new = self._spellings.scan([d.text for d in docs])
        if new:
            # A new spelling (`Bank`) is folded once and joins its word (`bank`), new or not.
            folded = fold_text("\n".join(new), aa=self.aa).split("\n")
            self._add_tokens(set(folded).difference(self._vocabulary))
            word_ids = np.fromiter(
                map(self._vocabulary.__getitem__, folded), dtype=np.int64, count=len(folded)
            )
            self._word_of = np.concatenate([self._word_of, word_ids])
        return self._word_of[spelled], counts

    def _forget(self) -> None:
        """Start the vocabulary afresh (at first, and when it has grown too big)."""
        self._spellings = Spellings()  # each token as written
        self._word_of = _EMPTY  # spelling id → folded word id
        self._vocabulary: dict[str, int] = {}  # folded word → id
        self._words: list[str] = []
        # A word's leaves are entry `word * slots`, its stem's in stemmer n `word * slots + 1 + n`.
        self._stemmers = list(self._index.stems)
        self._slots = 1 + len(self._stemmers)
        self._leaves = _Growing()

    # -- matching ----------------------------------------------------------------------------

    def _batch(self, docs: Sequence[Document]) -> tuple[Ints, Ints, Ints]:
        """(positions, bounds, post_of): leaf l occurs at the token positions
        `positions[bounds[l]:bounds[l + 1]]`, and position p is in post `post_of[p]`."""
        ids, counts = self._tokens(docs)
        post_of_token = np.repeat(np.arange(len(docs), dtype=np.int64), counts)
        # Posts lie one after another with an empty position between them, so no phrase or
        # NEAR reaches from one into the next.
        where = np.arange(len(ids), dtype=np.int64) + post_of_token
        post_of = np.repeat(np.arange(len(docs), dtype=np.int64), counts + 1)
        table, slots = self._leaves, self._slots
        words = ids * slots
        stems = np.full(len(ids), -1, dtype=np.int64)
        if self._stemmers:
            # Stems depend on the post's language: a token's stem entry is its post's stemmer's.
            languages = [d.language for d in docs]
            code = {name: n for n, name in enumerate(self._stemmers)}
            code_of = {lang: code.get(stemmer_name(lang), -1) for lang in set(languages)}
            post_code = np.fromiter(
                map(code_of.__getitem__, languages), dtype=np.int64, count=len(docs)
            )
            token_code = np.repeat(post_code, counts)
            stems = np.where(token_code >= 0, words + 1 + token_code, -1)
            table.ensure(len(self._words) * slots)
            named = stems[stems >= 0]
            unknown = np.unique(named[table.count[named] < 0])
            for n, name in enumerate(self._stemmers):
                entries = unknown[unknown % slots == 1 + n]
                if len(entries):
                    words_here = [self._words[i] for i in (entries // slots).tolist()]
                    table.put(entries, *self._stem_leaves(words_here, name))
        positions, bounds = leaf_positions(
            words, stems, where, table.start, table.count, table.leaves, len(self._leaf_ids)
        )
        return positions, bounds, post_of

    def match_many(self, docs: Sequence[Document]) -> list[list[int]]:
        """For each document, the ids of the queries it matches, in ascending order."""
        found: list[list[int]] = [[] for _ in docs]
        with gc_paused():  # a batch makes many containers and no cycles
            for offset in range(0, len(docs), BATCH):
                chunk = docs[offset : offset + BATCH]
                positions, bounds, post_of = self._batch(chunk)
                self._program.run(chunk, positions, bounds, post_of, len(chunk), found, offset)
        if self.by_post is not None:
            for post, doc in enumerate(docs):
                more = self.by_post.match(doc)
                if more:
                    found[post] = sorted(found[post] + more)
        return found

    def match(self, doc: Document) -> list[int]:
        return self.match_many([doc])[0]
