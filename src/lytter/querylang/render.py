"""A query written back as text, fully parenthesised: how Lytter read what you wrote."""

from __future__ import annotations

from lytter.querylang import ast


def _quote(value: str) -> str:
    return f'"{value}"' if any(c in value for c in ' ()"') else value


def render(node: ast.Node) -> str:
    """The canonical text of `node`; parsing it gives `node` back."""
    match node:
        case ast.Term(text, case_sensitive, stem):
            return f"{{{text}}}" if case_sensitive else text + ("~" if stem else "")
        case ast.Phrase(text, slop):
            return f'"{text}"' + (f"~{slop}" if slop is not None else "")
        case ast.Hashtag(tag):
            return f"#{tag}"
        case ast.Mention(handle):
            return f"@{handle}"
        case ast.Field(name, value):
            return f"{name}:{_quote(value)}"
        case ast.Synonym(name):
            return f"${name}"
        case ast.Near(left, right, distance, ordered):
            return f"({render(left)} NEAR/{distance}{'f' if ordered else ''} {render(right)})"
        case ast.Not(item):
            return f"(NOT {render(item)})"
        case ast.And(items):
            return "(" + " AND ".join(render(i) for i in items) + ")"
        case ast.Or(items):
            return "(" + " OR ".join(render(i) for i in items) + ")"
    raise TypeError(node)
