"""The Store on a SQLite file: WAL, a busy timeout, foreign keys, FTS5 over post text."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lytter.domain.posts import AUTHOR_KEY, SOURCE_KEY, DraftRow, PostFilter
from lytter.querylang.narrow import Narrowing, fts5_query
from lytter.store.base import Clock, StoreError
from lytter.store.prepare import sqlite_prepared, sqlite_time
from lytter.store.sql import SqlStore, chunks

_EXISTING = (
    "SELECT external_id, id, text, likes, comments, shares, views FROM posts"
    " WHERE workspace_id = ? AND platform = ? AND external_id IN ({marks})"
)
_PREPARED = attrgetter("prepared")
_COLLECTED = attrgetter("collected_at")
# The columns a new post's row gives as they are, and the row's fields that hold them.
_AS_GIVEN = (
    "platform",
    "external_id",
    "root_id",
    "parent_id",
    "text",
    "language",
    "url",
    "likes",
    "comments",
    "shares",
    "views",
    "raw_json",
    "mapper",
)
_AS_GIVEN_FIELDS = itemgetter(*(DraftRow._fields.index(f) for f in _AS_GIVEN))
_NEW_POST_COLUMNS = (
    *(f.removesuffix("_json") for f in _AS_GIVEN),  # raw_json is the column raw
    "created_at",
    "collected_at",
    "source_id",
    "author_id",
)


def _insert_posts(workspace_id: int, now: str, columns: Sequence[str]) -> str:
    """The statement inserting rows of `columns`' values: the batch's workspace id and clock
    are written into it as literals (an int, and a time this module formatted).

    A collected_at that is None (or left out) is the clock's "now"."""
    names = [*columns, "workspace_id"]
    marks = [f"coalesce(?, '{now}')" if c == "collected_at" else "?" for c in columns]
    marks.append(str(int(workspace_id)))
    if "collected_at" not in columns:
        names.append("collected_at")
        marks.append(f"'{now}'")
    return (
        f"INSERT INTO posts ({', '.join(names)}) VALUES ({', '.join(marks)})"
        " ON CONFLICT (workspace_id, platform, external_id) DO NOTHING"
    )


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

    def row_preparer(self) -> Callable[[DraftRow], Any]:
        return sqlite_prepared

    def _insert_new_posts(
        self,
        conn: sa.Connection,
        workspace_id: int,
        rows: list[DraftRow],
        source_ids: dict[tuple[str, str], int],
        author_ids: dict[tuple[str, str], int],
        now: datetime,
    ) -> None:
        # The hot path of every import: the rows' values straight to sqlite3, taken column by
        # column in C, without a Python step per post. The one value that needs converting
        # (created_at, as UtcDateTime writes it) an import's reader prepared on its own core;
        # the payload is JSON text already. The write lock is held (BEGIN IMMEDIATE), so every
        # id above the current maximum is one of ours.
        before = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM posts").scalar_one()
        created = list(map(_PREPARED, rows))
        if None in created:  # saved by a connector or a webhook, not prepared beforehand
            created = list(map(sqlite_prepared, rows))
        collected = list(map(_COLLECTED, rows))
        if collected.count(None) < len(collected):
            collected = [None if c is None else sqlite_time(c) for c in collected]
        # Column by column, and without the columns that are NULL throughout: sqlite3 binds a
        # None through its adapter lookup (~3,000 instructions, twice a post's text), and most
        # batches leave half a dozen columns empty (no counts, no url, no thread...).
        table = [
            *zip(*map(_AS_GIVEN_FIELDS, rows), strict=True),
            created,
            collected,
            list(map(source_ids.get, map(SOURCE_KEY, rows))),
            list(map(author_ids.get, map(AUTHOR_KEY, rows))),
        ]
        keep = [k for k, column in enumerate(table) if column.count(None) < len(column)]
        conn.exec_driver_sql(
            _insert_posts(workspace_id, sqlite_time(now), [_NEW_POST_COLUMNS[k] for k in keep]),
            list(zip(*[table[k] for k in keep], strict=True)),
        )
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


def _on_connect(dbapi_connection: sqlite3.Connection, record: Any) -> None:
    # Take transactions into our own hands so writers can BEGIN IMMEDIATE (see _on_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # 16 KiB pages (SQLite's default is 4): shallower B-trees for the posts table, its five
    # indexes and the full-text index, so an import of 1,000,000 posts costs the writer ~9%
    # less. It takes effect only when the file is created; an existing database keeps its own.
    cursor.execute("PRAGMA page_size=16384")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed batch survives even a power cut, not only a killed process.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    record.info["foreign_keys"] = True
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def _on_begin(conn: sa.Connection) -> None:
    # Writers take the write lock up front; readers start a plain (deferred) transaction.
    options = conn.get_execution_options()
    # Foreign keys are checked, except in a transaction that resolved its references itself
    # (SqlStore._write); the setting holds per connection and only between transactions.
    checked = not options.get("lytter_resolved", False)
    info = conn.connection.info
    if info.get("foreign_keys", True) != checked:
        conn.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if checked else 'OFF'}")
        info["foreign_keys"] = checked
    conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("lytter_write", False) else "BEGIN")
