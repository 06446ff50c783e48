"""A bad query gets the column, a caret under the spot, and a hint."""

from __future__ import annotations

import pytest

from lytter.querylang import QueryError, parse


def error(query: str) -> QueryError:
    with pytest.raises(QueryError) as caught:
        parse(query)
    return caught.value


@pytest.mark.parametrize(
    ("query", "column", "problem", "hint"),
    [
        ("bank and lån", 6, "'and' looks like an operator", "written in capitals: AND"),
        ("(netbank OR app", 1, "this parenthesis is never closed", "add a )"),
        ("netbank) nede", 8, "this parenthesis closes nothing", "remove it"),
        ('"dårlig service', 1, "this quote is never closed", 'close it: "a phrase"'),
        ("netbank NEAR nede", 9, "NEAR needs a distance", "NEAR/3"),
        ("tag:kunder", 1, "there is no field 'tag:'", "author:, site:"),
        ("netbank OR", 11, "the query ends too early", "a OR b"),
        ("OR netbank", 1, "OR needs words on both sides", "a OR b"),
        ("", 1, "the query is empty", '"a phrase"'),
        ("()", 2, "the parentheses hold nothing", "(a OR b)"),
    ],
)
def test_bad_queries_are_explained(query: str, column: int, problem: str, hint: str) -> None:
    found = error(query)
    assert (found.column, found.problem) == (column, problem)
    assert hint in found.hint


def test_the_explanation_puts_a_caret_under_the_column() -> None:
    assert error("bank and lån").explain().splitlines() == [
        "'and' looks like an operator at column 6:",
        "bank and lån",
        "     ^",
        'hint: operators are written in capitals: AND; to find the word, write "and"',
    ]


def test_a_query_error_is_a_user_error_on_the_query_field() -> None:
    found = error("a)")
    assert found.field == "query" and found.status == 422 and found.code == "invalid_query"
    assert str(found) == "this parenthesis closes nothing at column 2 (remove it)"
