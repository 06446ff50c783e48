"""The Store on PostgreSQL: full-text search with the built-in danish/english configurations."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from lytter.store.base import Clock, StoreError
from lytter.store.sql import SqlStore, connection_error, safe_url

# Posts are indexed with the configuration of their own language (see migration 0001);
# a search tries the Danish, English and unstemmed forms of what was typed.
_MATCH = sa.text(
    "posts.search @@ (websearch_to_tsquery('danish', :fts)"
    " || websearch_to_tsquery('english', :fts) || websearch_to_tsquery('simple', :fts))"
)


class PostgresStore(SqlStore):
    """The store for larger workspaces and several workers, on PostgreSQL >= 13."""

    backend = "postgresql"

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
        try:
            store.migrate()
        except (sa.exc.OperationalError, sa.exc.DatabaseError) as exc:
            engine.dispose()
            raise connection_error(url, exc) from exc
        return store

    def _insert(self, table: sa.Table) -> Any:
        return pg_insert(table)

    def _fts_condition(self, text: str) -> sa.ColumnElement[bool]:
        return _MATCH.bindparams(fts=text)  # type: ignore[return-value]
