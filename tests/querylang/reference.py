"""The reference evaluator: one query, one post, written as plainly as possible.

It reads the query's meaning straight off the AST and scans the post's token list; no
indexes, no prefilter, no compilation. The engine in lytter.querylang.match must agree with
it on every query and post (tests/querylang/test_engine_agrees.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lytter.querylang import ast
from lytter.text.fold import fold
from lytter.text.stem import stem
from lytter.text.tokenise import phrase_words, tokenise


@dataclass
class Post:
    text: str
    language: str = "da"
    author: tuple[str, ...] = ()
    page: tuple[str, ...] = ()
    platform: str | None = None
    url: str | None = None
    country: str | None = None


def wildcard(pattern: str, word: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, word, re.S) is not None


def occurrences(node: ast.Node, post: Post) -> list[tuple[int, int]] | bool:
    """Where a positional node occurs (a list of spans), or True/False for the others."""
    tokens = tokenise(post.text)
    # Each position holds its token, and a hashtag's or mention's word without # or @.
    at = [
        {t.folded} | ({t.folded[1:]} if t.kind in ("hashtag", "mention") else set()) for t in tokens
    ]
    raw = [{t.text} | ({t.text[1:]} if t.kind in ("hashtag", "mention") else set()) for t in tokens]
    if isinstance(node, ast.Term):
        if node.case_sensitive:
            return [
                (i, i) for i in range(len(tokens)) if any(wildcard(node.text, r) for r in raw[i])
            ]
        word = fold(node.text)
        if node.stem:
            target = stem(word, post.language)
            return [
                (i, i)
                for i in range(len(tokens))
                if any(
                    stem(w, post.language) == target
                    for w in at[i]
                    if not w.startswith(("#", "@")) and "://" not in w
                )
            ]
        return [(i, i) for i in range(len(tokens)) if any(wildcard(word, w) for w in at[i])]
    if isinstance(node, ast.Hashtag):
        return [(i, i) for i in range(len(tokens)) if "#" + fold(node.tag) in at[i]]
    if isinstance(node, ast.Mention):
        return [(i, i) for i in range(len(tokens)) if "@" + fold(node.handle) in at[i]]
    if isinstance(node, ast.Phrase):
        parts = phrase_words(node.text)
        n = len(parts)
        fits = [[wildcard(p, tokens[i].folded) for p in parts] for i in range(len(tokens))]
        if node.slop is None:
            return [
                (i, i + n - 1)
                for i in range(len(tokens) - n + 1)
                if all(fits[i + k][k] for k in range(n))
            ]
        window = n + node.slop
        spans = []
        for start in range(max(1, len(tokens) - window + 1)):
            used: list[int] = []
            for k in range(n):
                free = [
                    i
                    for i in range(start, min(len(tokens), start + window))
                    if i not in used and fits[i][k]
                ]
                if not free:
                    break
                used.append(free[0])
            else:
                spans.append((min(used), max(used)))
        return spans
    if isinstance(node, ast.Near):
        left = occurrences(node.left, post)
        right = occurrences(node.right, post)
        if not isinstance(left, list) or not isinstance(right, list):
            return []
        spans = []
        for a in left:
            for b in right:
                if a[1] < b[0] and b[0] - a[1] - 1 <= node.distance:
                    spans.append((a[0], b[1]))
                elif not node.ordered and b[1] < a[0] and a[0] - b[1] - 1 <= node.distance:
                    spans.append((b[0], a[1]))
        return spans
    if isinstance(node, ast.Field):
        value = fold(node.value)
        values = {
            "author": [fold(a) for a in post.author],
            "page": [fold(p) for p in post.page],
            "site": [fold(urlsplit(post.url).hostname or "")] if post.url else [],
            "platform": [fold(post.platform)] if post.platform else [],
            "lang": [fold(post.language)],
            "url": [fold(post.url)] if post.url else [],
            "country": [fold(post.country)] if post.country else [],
        }[node.name]
        if node.name == "site":
            return any(v == value or v.endswith("." + value) for v in values if v)
        if node.name == "url" and "*" not in value and "?" not in value:
            return any(value in v for v in values)
        return any(wildcard(value, v) for v in values)
    if isinstance(node, ast.Not):
        return not matches(node.item, post)
    if isinstance(node, ast.And):
        if not all(matches(i, post) for i in node.items):
            return False
        spans = [s for i in node.items for s in _as_spans(occurrences(i, post))]
        return spans or True
    if isinstance(node, ast.Or):
        if not any(matches(i, post) for i in node.items):
            return False
        spans = [s for i in node.items for s in _as_spans(occurrences(i, post))]
        return spans or True
    raise TypeError(node)


def _as_spans(found: list[tuple[int, int]] | bool) -> list[tuple[int, int]]:
    return found if isinstance(found, list) else []


def matches(node: ast.Node, post: Post) -> bool:
    """Whether `post` matches the (synonym-expanded) query `node`."""
    return bool(occurrences(node, post))
