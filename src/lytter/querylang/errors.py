"""Query errors that teach: what is wrong, where (column and caret), and how to fix it."""

from __future__ import annotations

from lytter.services.errors import UserError


class QueryError(UserError):
    """A query that cannot be parsed; `column` is 1-based. The API answers 422 with it."""

    code = "invalid_query"
    status = 422

    def __init__(self, query: str, column: int, message: str, hint: str = "") -> None:
        super().__init__(f"{message} at column {column}" + (f" ({hint})" if hint else ""))
        self.field = "query"
        self.query = query
        self.column = column
        self.problem = message
        self.hint = hint

    def caret(self) -> str:
        """The query with a caret under the column, for a terminal or a <pre>."""
        line = self.query.replace("\n", " ")
        return f"{line}\n{' ' * (self.column - 1)}^"

    def explain(self) -> str:
        """Everything a person needs: the message, the query with a caret, and the hint."""
        text = f"{self.problem} at column {self.column}:\n{self.caret()}"
        return text + (f"\nhint: {self.hint}" if self.hint else "")
