"""The listening query language: Brandwatch's boolean dialect, Danish-aware.

`parse(text)` gives an AST (`ast.py`) or raises `QueryError` with the column, a caret and a
hint; `match.py` compiles queries and matches them against posts.
"""

from lytter.querylang.errors import QueryError
from lytter.querylang.parser import parse

__all__ = ["QueryError", "parse"]
