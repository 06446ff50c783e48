"""The Store on PostgreSQL: bulk loads with COPY, an unstemmed full-text index."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from lytter.domain.posts import DraftRow
from lytter.querylang.narrow import Narrowing, tsquery
from lytter.store.base import Clock, StoreError
from lytter.store.prepare import postgres_prepared
from lytter.store.sql import (
    POST_COLUMNS,
    SqlStore,
    new_post_values,
    safe_url,
)

# The index holds each post's words unstemmed and without accents (lytter.text.index).
_MATCH = "posts.search @@ to_tsquery('simple', :fts)"

# New posts arrive with their index words (migration 0008): the server need not work them out.
_COLS = ", ".join((*POST_COLUMNS, "search"))

# A lookup by the unique key that the planner cannot turn into a scan, even while a bulk
# load has left its statistics saying the table is empty.
_EXISTING = sa.text(
    "SELECT external_id, id, text, likes, comments, shares, views FROM posts"
    " WHERE workspace_id = :ws AND platform = :platform"
    " AND external_id = ANY(CAST(:ids AS text[]))"
)
# A bulk load leaves the planner's statistics saying the table is (nearly) empty, and plans
# made from them scan instead of seeking. The store refreshes them whenever its own inserts
# have doubled the table since it last did: a few times per import.
_ANALYZE_AFTER = 10_000

# Every author of a batch in one statement: arrays in, ids out.
_UPSERT_AUTHORS = sa.text(
    "INSERT INTO authors (workspace_id, platform, handle, name, followers)"
    " SELECT :ws, * FROM unnest(CAST(:platforms AS text[]), CAST(:handles AS text[]),"
    " CAST(:names AS text[]), CAST(:followers AS bigint[]))"
    " ON CONFLICT (workspace_id, platform, handle) DO UPDATE SET"
    " name = coalesce(excluded.name, authors.name),"
    " followers = coalesce(excluded.followers, authors.followers)"
    " RETURNING id, platform, handle"
)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: Lytter stores aware times only")
    return value


class PostgresStore(SqlStore):
    """The store for larger workspaces and several workers, on PostgreSQL >= 13."""

    backend = "postgresql"
    _inserted_since_analyze = 0
    _rows_at_analyze = 0

    @classmethod
    def open(cls, url: str, *, clock: Clock | None = None) -> PostgresStore:
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise StoreError(
                "PostgreSQL support is not installed: pip install 'lytter[postgres]'"
            ) from exc
        try:
            parsed = sa.make_url(url)
        except sa.exc.ArgumentError as exc:
            raise StoreError(f"invalid database URL '{url}': {exc}") from exc
        if not parsed.database:
            raise StoreError(f"'{safe_url(url)}' names no database: add /dbname to the URL")
        engine = sa.create_engine(
            parsed.set(drivername="postgresql+psycopg"),
            pool_pre_ping=True,
            connect_args={"connect_timeout": 5},
        )
        store = cls(engine, url, clock)
        store.migrate_or_explain()
        return store

    def _insert(self, table: sa.Table) -> Any:
        return pg_insert(table)

    def row_preparer(self) -> Callable[[DraftRow], Any]:
        return postgres_prepared

    def _narrowing_condition(self, narrowing: Narrowing) -> sa.ColumnElement[bool]:
        return sa.text(_MATCH).bindparams(fts=tsquery(narrowing))  # type: ignore[return-value]

    def _existing_posts(
        self, conn: sa.Connection, workspace_id: int, keys: list[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[Any, ...]]:
        found: dict[tuple[str, str], tuple[Any, ...]] = {}
        for platform in {p for p, _ in keys}:
            ids = [e for p, e in keys if p == platform]
            rows = conn.execute(_EXISTING, {"ids": ids, "ws": workspace_id, "platform": platform})
            for ext, *rest in rows:
                found[(platform, ext)] = tuple(rest)
        return found

    def _upsert_authors(
        self, conn: sa.Connection, rows: list[dict[str, Any]]
    ) -> Iterable[tuple[int, str, str]]:
        result = conn.execute(
            _UPSERT_AUTHORS,
            {
                "ws": rows[0]["workspace_id"],
                "platforms": [r["platform"] for r in rows],
                "handles": [r["handle"] for r in rows],
                "names": [r["name"] for r in rows],
                "followers": [r["followers"] for r in rows],
            },
        )
        return [(r[0], r[1], r[2]) for r in result]

    def _insert_new_posts(
        self,
        conn: sa.Connection,
        workspace_id: int,
        rows: list[DraftRow],
        source_ids: dict[tuple[str, str], int],
        author_ids: dict[tuple[str, str], int],
        now: datetime,
    ) -> None:
        from psycopg.errors import UniqueViolation

        values = [
            (*row, r.prepared if r.prepared is not None else postgres_prepared(r))
            for row, r in zip(
                new_post_values(workspace_id, rows, source_ids, author_ids, now, _aware),
                rows,
                strict=True,
            )
        ]
        # These posts were not there when this transaction looked, so COPY them straight in.
        # If a concurrent writer stored one meanwhile, the unique key stops the COPY: then go
        # through a staging table and an INSERT ... ON CONFLICT DO NOTHING instead.
        raw_conn: Any = conn.connection.driver_connection
        try:
            with (
                raw_conn.transaction(),
                raw_conn.cursor() as cur,
                cur.copy(f"COPY posts ({_COLS}) FROM STDIN") as copy,
            ):
                for row in values:
                    copy.write_row(row)
        except UniqueViolation:
            conn.exec_driver_sql(
                f"CREATE TEMP TABLE IF NOT EXISTS posts_load ON COMMIT DELETE ROWS AS"
                f" SELECT {_COLS} FROM posts WITH NO DATA"
            )
            with (
                raw_conn.cursor() as cur,
                cur.copy(f"COPY posts_load ({_COLS}) FROM STDIN") as copy,
            ):
                for row in values:
                    copy.write_row(row)
            conn.exec_driver_sql(
                f"INSERT INTO posts ({_COLS}) SELECT {_COLS} FROM posts_load"
                " ON CONFLICT (workspace_id, platform, external_id) DO NOTHING"
            )
            conn.exec_driver_sql("TRUNCATE posts_load")
        self._inserted_since_analyze += len(rows)
        if self._inserted_since_analyze >= max(_ANALYZE_AFTER, self._rows_at_analyze):
            # Only the key's columns: the tsvector's statistics alone would cost 3x as much.
            conn.exec_driver_sql("ANALYZE posts (workspace_id, platform, external_id)")
            conn.exec_driver_sql("ANALYZE authors")
            self._rows_at_analyze += self._inserted_since_analyze
            self._inserted_since_analyze = 0
