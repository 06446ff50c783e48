"""Danish compounds: a saved query may let its words count as a compound's head or tail.

With `tail`, `rådgiver` also finds bankrådgiver and kunderådgiver; with `head`, `bank` also
finds bankrådgiver and bankfilial; `both` does both. Phrases, exact-case words, inflections
and words with their own wildcards keep their meaning.
"""

from __future__ import annotations

from lytter.querylang import ast
from lytter.services.errors import UserError

COMPOUND_MODES = ("none", "head", "tail", "both")


def parse_mode(value: str) -> str:
    """A compound mode by name; UserError listing the modes otherwise."""
    mode = value.strip().lower() or "none"
    if mode not in COMPOUND_MODES:
        raise UserError(
            "unknown compound mode '{value}': use none, head, tail or both",
            field="compounds",
            value=value,
        )
    return mode


def as_compounds(node: ast.Node, mode: str) -> ast.Node:
    """`node` with its plain words widened to compounds per `mode`."""
    if mode == "none":
        return node
    match node:
        case ast.Term(text, case_sensitive=False, stem=False) if not node.has_wildcard:
            head = "" if mode == "head" else "*"
            tail = "" if mode == "tail" else "*"
            return ast.Term(f"{head}{text}{tail}")
        case ast.And(items):
            return ast.And(tuple(as_compounds(i, mode) for i in items))
        case ast.Or(items):
            return ast.Or(tuple(as_compounds(i, mode) for i in items))
        case ast.Not(item):
            return ast.Not(as_compounds(item, mode))
        case ast.Near(left, right, distance, ordered):
            return ast.Near(as_compounds(left, mode), as_compounds(right, mode), distance, ordered)
    return node
