"""Synonym sets: `$kundeservice` stands for every entry of the workspace's set of that name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lytter.querylang import ast
from lytter.querylang.parser import parse
from lytter.services.errors import UserError

Synonyms = Mapping[str, Sequence[str]]


def expand(node: ast.Node, synonyms: Synonyms, _seen: frozenset[str] = frozenset()) -> ast.Node:
    """`node` with every `$name` replaced by an OR of its set's entries (which may nest)."""
    match node:
        case ast.Synonym(name):
            if name in _seen:
                raise UserError("the synonym set ${name} refers to itself", name=name)
            entries = synonyms.get(name)
            if not entries:
                known = ", ".join(f"${n}" for n in sorted(synonyms)) or "none yet"
                raise UserError(
                    "there is no synonym set ${name} (known: {known})", name=name, known=known
                )
            items = tuple(expand(parse(e), synonyms, _seen | {name}) for e in entries)
            return items[0] if len(items) == 1 else ast.Or(items)
        case ast.And(items):
            return ast.And(tuple(expand(i, synonyms, _seen) for i in items))
        case ast.Or(items):
            return ast.Or(tuple(expand(i, synonyms, _seen) for i in items))
        case ast.Not(item):
            return ast.Not(expand(item, synonyms, _seen))
        case ast.Near(left, right, distance, ordered):
            return ast.Near(
                expand(left, synonyms, _seen), expand(right, synonyms, _seen), distance, ordered
            )
        case _:
            return node
