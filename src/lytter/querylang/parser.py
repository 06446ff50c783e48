"""Parsing a query into its AST with a real grammar (lark), and errors that teach."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, VisitError

from lytter.querylang import ast
from lytter.querylang.errors import QueryError
from lytter.services.errors import N_
from lytter.text.tokenise import words

_OPERATOR_WORDS = {"and": "AND", "or": "OR", "not": "NOT"}
_COMMENT = re.compile(r"<<<.*?>>>", re.S)


@lru_cache(maxsize=1)
def _lark() -> Lark:
    grammar = (resources.files("lytter.querylang") / "grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="contextual", propagate_positions=False)


class _Build(Transformer[Token, ast.Node | None]):
    """Tokens and rules to AST nodes, with the checks a grammar cannot make."""

    def __init__(self, query: str) -> None:
        super().__init__()
        self.query = query

    def _fail(self, token: Token, message: str, hint: str = "", **params: object) -> QueryError:
        return QueryError(self.query, int(token.column or 1), message, hint, **params)

    def start(self, children: list[ast.Node]) -> ast.Node | None:
        return children[0] if children else None

    def or_expr(self, children: list[ast.Node]) -> ast.Node:
        items: list[ast.Node] = []
        for child in children:
            items.extend(child.items if isinstance(child, ast.Or) else (child,))
        return ast.Or(tuple(items))

    def and_expr(self, children: list[ast.Node]) -> ast.Node:
        items: list[ast.Node] = []
        for child in children:
            items.extend(child.items if isinstance(child, ast.And) else (child,))
        return ast.And(tuple(items))

    def not_(self, children: list[ast.Node]) -> ast.Node:
        return ast.Not(children[0])

    def near_expr(self, children: list[ast.Node | Token]) -> ast.Node:
        node = children[0]
        assert not isinstance(node, Token)
        for i in range(1, len(children), 2):
            operator, right = children[i], children[i + 1]
            assert isinstance(operator, Token) and not isinstance(right, Token)
            spec = operator.value.split("/", 1)[1]
            node = ast.Near(node, right, int(spec.rstrip("f")), spec.endswith("f"))
        return node

    @v_args(inline=True)
    def phrase(self, text: Token, prox: Token | None = None) -> ast.Node:
        words = text.value[1:-1]
        if not words.strip():
            raise self._fail(text, "the quotes hold no words", N_('write "a phrase" between them'))
        return ast.Phrase(words, int(prox.value[1:]) if prox is not None else None)

    @v_args(inline=True)
    def cased(self, token: Token) -> ast.Node:
        return ast.Term(token.value[1:-1], case_sensitive=True)

    @v_args(inline=True)
    def field(self, token: Token) -> ast.Node:
        name, value = token.value.split(":", 1)
        if name.lower() in ("http", "https"):
            return self._word(token)
        if name.lower() not in ast.FIELDS:
            fields = ", ".join(f"{f}:" for f in ast.FIELDS)
            raise self._fail(
                token,
                "there is no field '{name}:'",
                N_("the fields are {fields}"),
                name=name,
                fields=fields,
            )
        return ast.Field(name.lower(), value.strip('"'))

    @v_args(inline=True)
    def hashtag(self, token: Token) -> ast.Node:
        return ast.Hashtag(token.value[1:])

    @v_args(inline=True)
    def mention(self, token: Token) -> ast.Node:
        return ast.Mention(token.value[1:])

    @v_args(inline=True)
    def synonym(self, token: Token) -> ast.Node:
        return ast.Synonym(token.value[1:].lower())

    @v_args(inline=True)
    def term(self, token: Token) -> ast.Node:
        return self._word(token)

    def _word(self, token: Token) -> ast.Node:
        word = token.value
        if word in ("AND", "OR"):
            raise self._fail(
                token, "{word} needs words on both sides", N_("for example: a {word} b"), word=word
            )
        if word == "NOT":
            raise self._fail(token, "NOT needs a word after it", N_("for example: bank NOT lån"))
        if word.lower() in _OPERATOR_WORDS:
            upper = _OPERATOR_WORDS[word.lower()]
            raise self._fail(
                token,
                "'{word}' looks like an operator",
                N_('operators are written in capitals: {upper}; to find the word, write "{word}"'),
                word=word,
                upper=upper,
            )
        if word == "NEAR" or word.startswith("NEAR/"):
            raise self._fail(
                token, "NEAR needs a distance", N_("write NEAR/3, or NEAR/3f for order")
            )
        stem = word.endswith("~") and len(word) > 1
        text = word[:-1] if stem else word
        if "~" in text:
            raise self._fail(
                token, "'~' can only end a word: {word}", N_('write bank~ or "a b"~3'), word=word
            )
        plain = not stem and "*" not in text and "?" not in text and "://" not in text
        if plain and len(words(text)) > 1:  # e-mail, danskebank.dk: the words as a phrase
            return ast.Phrase(text)
        return ast.Term(text, stem=stem)


def _balance(query: str) -> None:
    """Unclosed quotes and parentheses, found before the grammar gives a vaguer message."""
    blanked = _COMMENT.sub(lambda m: " " * len(m.group()), query)
    quotes = [i for i, c in enumerate(blanked) if c == '"']
    if len(quotes) % 2:
        raise QueryError(
            query, quotes[-1] + 1, "this quote is never closed", N_('close it: "a phrase"')
        )
    opened: list[int] = []
    inside = False
    for i, char in enumerate(blanked):
        if char == '"':
            inside = not inside
        elif inside:
            continue
        elif char == "(":
            opened.append(i)
        elif char == ")":
            if not opened:
                raise QueryError(query, i + 1, "this parenthesis closes nothing", N_("remove it"))
            opened.pop()
    if opened:
        raise QueryError(query, opened[-1] + 1, "this parenthesis is never closed", N_("add a )"))


def _grammar_error(query: str, exc: UnexpectedInput) -> QueryError:
    column = int(getattr(exc, "column", 0) or 0) or len(query) + 1
    if isinstance(exc, UnexpectedEOF) or getattr(getattr(exc, "token", None), "type", "") == "$END":
        return QueryError(
            query,
            len(query.rstrip()) + 1,
            "the query ends too early",
            N_("an operator needs words on both sides: a OR b"),
        )
    if isinstance(exc, UnexpectedCharacters):
        return QueryError(query, column, "'{char}' cannot stand here", char=query[column - 1])
    token = getattr(exc, "token", None)
    value = getattr(token, "value", "")
    if value in ("AND", "OR") or str(value).startswith("NEAR"):
        return QueryError(
            query,
            column,
            "{word} needs words on both sides",
            N_("for example: a {word} b"),
            word=value,
        )
    if value == "NOT":
        return QueryError(
            query, column, "NOT needs a word after it", N_("for example: bank NOT lån")
        )
    if value == ")":
        return QueryError(query, column, "the parentheses hold nothing", N_("write (a OR b)"))
    return QueryError(query, column, "'{char}' cannot stand here", char=value)


def parse(query: str) -> ast.Node:
    """The AST of `query`; QueryError (with column and hint) when it is not a valid query."""
    _balance(query)
    try:
        tree = _lark().parse(query)
        node = _Build(query).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, QueryError):
            raise exc.orig_exc from None
        raise
    except UnexpectedInput as exc:
        raise _grammar_error(query, exc) from None
    if node is None:
        raise QueryError(query, 1, "the query is empty", N_('write a word, "a phrase" or (a OR b)'))
    return node
