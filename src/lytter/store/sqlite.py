"""The Store on a SQLite file: WAL, a busy timeout, foreign keys, FTS5 over post text."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lytter.domain.posts import DraftRow, PostFilter
from lytter.querylang.narrow import Narrowing, fts5_query
from lytter.store.base import Clock, StoreError
from lytter.store.sql import POST_COLUMNS, SqlStore, chunks, new_post_values

_INSERT_POSTS = (
    f"INSERT INTO posts ({', '.join(POST_COLUMNS)}) VALUES ({', '.join('?' * len(POST_COLUMNS))})"
    " ON CONFLICT (workspace_id, platform, external_id) DO NOTHING"
)
_EXISTING = (
    "SELECT external_id, id, text, likes, comments, shares, views FROM posts"
    " WHERE workspace_id = ? AND platform = ? AND external_id IN ({marks})"
)


def _sqlite_time(value: datetime) -> str:
    """A time as UtcDateTime stores it on SQLite: UTC wall time, 'YYYY-MM-DD HH:MM:SS.ffffff'."""
    if value.tzinfo is not UTC:
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: Lytter stores aware times only")
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]  # without its "+00:00"


# Up to this many full-text candidates, a search reads them and sorts them by time (~5 ms);
# beyond, walking the newest posts finds a page of them sooner.
INDEX_FIRST_MAX = 5_000
_IN_FTS = "posts.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH :fts)"


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
        store.migrate_or_explain()
        return store

    def _insert(self, table: sa.Table) -> Any:
        return sqlite_insert(table)

    def _insert_new_posts(
        self,
        conn: sa.Connection,
        workspace_id: int,
        rows: list[DraftRow],
        source_ids: dict[tuple[str, str], int],
        author_ids: dict[tuple[str, str], int],
        now: datetime,
    ) -> None:
        # The hot path of every import: plain tuples straight to sqlite3, converted the way
        # UtcDateTime and JSON would (UTC wall time as text, JSON as text). The write lock is
        # held (BEGIN IMMEDIATE), so every id above the current maximum is one of ours.
        before = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM posts").scalar_one()
        values = new_post_values(workspace_id, rows, source_ids, author_ids, now, _sqlite_time)
        conn.exec_driver_sql(_INSERT_POSTS, values)
        conn.exec_driver_sql(
            "INSERT INTO posts_fts(rowid, text) SELECT id, text FROM posts WHERE id > ?", (before,)
        )

    def _upsert_authors(
        self, conn: sa.Connection, rows: list[dict[str, Any]]
    ) -> Iterable[tuple[int, str, str]]:
        conn.exec_driver_sql(
            "INSERT INTO authors (workspace_id, platform, handle, name, followers)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (workspace_id, platform, handle) DO UPDATE SET"
            " name = coalesce(excluded.name, name), followers = coalesce(excluded.followers,"
            " followers)",
            [
                (r["workspace_id"], r["platform"], r["handle"], r["name"], r["followers"])
                for r in rows
            ],
        )
        workspace_id = rows[0]["workspace_id"]
        found: list[tuple[int, str, str]] = []
        for platform in {r["platform"] for r in rows}:
            handles = [r["handle"] for r in rows if r["platform"] == platform]
            for chunk in chunks(handles):
                result = conn.exec_driver_sql(
                    "SELECT id, platform, handle FROM authors WHERE workspace_id = ?"
                    f" AND platform = ? AND handle IN ({','.join('?' * len(chunk))})",
                    (workspace_id, platform, *chunk),
                )
                found.extend((r[0], r[1], r[2]) for r in result)
        return found

    def _existing_posts(
        self, conn: sa.Connection, workspace_id: int, keys: list[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[Any, ...]]:
        found: dict[tuple[str, str], tuple[Any, ...]] = {}
        for platform in {p for p, _ in keys}:
            ids = [e for p, e in keys if p == platform]
            for chunk in chunks(ids):
                sql = _EXISTING.format(marks=",".join("?" * len(chunk)))
                for ext, *rest in conn.exec_driver_sql(sql, (workspace_id, platform, *chunk)):
                    found[(platform, ext)] = tuple(rest)
        return found

    def _index_first(self, conn: sa.Connection, q: PostFilter, counting: bool) -> bool:
        # Counting reads every candidate anyway; a page of the newest is quicker found by
        # walking posts newest first unless the index has few candidates (~1 ms to ask).
        if q.narrowing is None:
            return False
        if counting:
            return True
        found = conn.exec_driver_sql(
            "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?", (fts5_query(q.narrowing),)
        ).scalar_one()
        return int(found) <= INDEX_FIRST_MAX

    def _narrowing_condition(self, narrowing: Narrowing) -> sa.ColumnElement[bool]:
        return sa.text(_IN_FTS).bindparams(fts=fts5_query(narrowing))  # type: ignore[return-value]


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
