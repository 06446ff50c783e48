"""Query errors that teach: what is wrong, where (column and caret), and how to fix it.

The problem and the hint are templates with named fields, so the web shows them in the
user's language (`make i18n` extracts them).
"""

from __future__ import annotations

from lytter.services.errors import UserError


class QueryError(UserError):
    """A query that cannot be parsed; `column` is 1-based. The API answers 422 with it."""

    code = "invalid_query"
    status = 422

    def __init__(
        self, query: str, column: int, problem: str, hint: str = "", **params: object
    ) -> None:
        self.query = query
        self.column = column
        self.problem_template = problem
        self.hint_template = hint
        self.problem = problem.format(**params)
        self.hint = hint.format(**params)
        message = f"{self.problem} at column {column}" + (f" ({self.hint})" if self.hint else "")
        Exception.__init__(self, message)
        # As a plain UserError it reads as the English sentence (already filled in).
        self.template, self.params, self.field = message, {}, "query"
        self.query_params = params

    def caret(self) -> str:
        """The query with a caret under the column, for a terminal or a <pre>."""
        line = self.query.replace("\n", " ")
        return f"{line}\n{' ' * (self.column - 1)}^"

    def explain(self) -> str:
        """Everything a person needs: the message, the query with a caret, and the hint."""
        text = f"{self.problem} at column {self.column}:\n{self.caret()}"
        return text + (f"\nhint: {self.hint}" if self.hint else "")
