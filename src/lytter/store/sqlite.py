"""The Store on a SQLite file: WAL, a busy timeout, foreign keys, FTS5 over post text."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lytter.store.base import Clock, StoreError
from lytter.store.sql import SqlStore, connection_error
from lytter.store.tables import posts

_TERM_RE = re.compile(r'"([^"]*)"|(\S+)')


def fts5_query(text: str) -> str:
    """Turn what a user typed into a safe FTS5 query.

    Words must all occur (AND); "quoted words" are phrases; OR between terms is kept;
    a trailing * matches a prefix; -word excludes. Everything else is quoted, so no input
    can be an FTS5 syntax error.
    """
    positive: list[str] = []
    negative: list[str] = []
    for match in _TERM_RE.finditer(text):
        phrase, word = match.groups()
        if phrase is not None:
            if phrase.strip():
                positive.append('"' + phrase.replace('"', '""') + '"')
            continue
        if word == "OR" and positive and positive[-1] != "OR":
            positive.append("OR")
            continue
        word = word.replace('"', "")  # a stray, unbalanced quote
        target = positive
        if word.startswith("-") and len(word) > 1:
            word, target = word[1:], negative
        prefix = word.endswith("*") and len(word) > 1
        word = word.rstrip("*")
        if not word:
            continue
        target.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    while positive and positive[-1] == "OR":
        positive.pop()
    if not positive:
        return ""
    query = " ".join(positive)
    for term in negative:
        query = f"({query}) NOT {term}"
    return query


class SqliteStore(SqlStore):
    """Lytter's default store: one SQLite file, safe for one writer and many readers."""

    backend = "sqlite"

    @classmethod
    def open(cls, url: str, *, create: bool = True, clock: Clock | None = None) -> SqliteStore:
        try:
            parsed = sa.make_url(url)
        except sa.exc.ArgumentError as exc:
            raise StoreError(f"invalid database URL '{url}': {exc}") from exc
        database = parsed.database or ""
        if database in ("", ":memory:"):
            raise StoreError(f"'{url}' names no file: use sqlite:///path/to/file.sqlite")
        path = Path(database)
        if not path.parent.is_dir():
            raise StoreError(f"cannot create database {path}: folder {path.parent} does not exist")
        if not create and not path.exists():
            raise StoreError(
                f"database {path} does not exist: run 'lytter init' or 'lytter import' first"
            )
        engine = sa.create_engine(parsed.set(drivername="sqlite"))
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
        store = cls(engine, url, clock)
        try:
            store.migrate()
        except (sa.exc.OperationalError, sa.exc.DatabaseError) as exc:
            engine.dispose()
            raise connection_error(url, exc) from exc
        return store

    def _insert(self, table: sa.Table) -> Any:
        return sqlite_insert(table)

    def _fts_condition(self, text: str) -> sa.ColumnElement[bool]:
        query = fts5_query(text)
        if not query:
            return sa.true()
        matching = sa.text("SELECT rowid FROM posts_fts WHERE posts_fts MATCH :fts").bindparams(
            fts=query
        )
        return posts.c.id.in_(matching)


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Take transactions into our own hands so writers can BEGIN IMMEDIATE (see _on_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed batch survives even a power cut, not only a killed process.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def _on_begin(conn: sa.Connection) -> None:
    # Writers take the write lock up front; readers start a plain (deferred) transaction.
    write = conn.get_execution_options().get("lytter_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
