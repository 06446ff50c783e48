"""Alembic migrations build exactly the schema in tables.py, on both engines, and reverse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lytter.store import open_store
from lytter.store.sql import alembic_config
from lytter.store.tables import metadata
from tests.conftest import PG_ADMIN_URL, _admin

# Full-text parts live only in the migrations (they differ per engine).
_ENGINE_ONLY = {
    "posts_fts",
    "posts_fts_data",
    "posts_fts_idx",
    "posts_fts_docsize",
    "posts_fts_config",
    "posts_fts_content",
    "ix_posts_search",
    "search",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it at all, not even the schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite'}"
        return
    name = f"lytter_test_mig_{tmp_path.name[-8:].replace('-', '_')}_{id(tmp_path) % 10**6}"
    admin = _admin()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield sa.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


# On PostgreSQL, triggers keep these references, a statement at a time (migration 0012).
_CHECKED_BY_TRIGGERS = {
    "fk_posts_workspace_id_workspaces",
    "fk_posts_source_id_sources",
    "fk_posts_author_id_authors",
}


def _include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    return name not in _ENGINE_ONLY and not (name or "").startswith("posts_fts")


def _include_postgresql(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    return name not in _CHECKED_BY_TRIGGERS and _include(obj, name, type_, reflected, compare_to)


def _diff(url: str) -> list[Any]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        include = _include_postgresql if engine.dialect.name == "postgresql" else _include
        ctx = MigrationContext.configure(
            conn, opts={"include_object": include, "compare_type": True}
        )
        diff = compare_metadata(ctx, metadata)
    engine.dispose()
    return diff


def test_migrations_create_exactly_the_tables_in_the_metadata(fresh_url: str) -> None:
    open_store(fresh_url).close()
    assert _diff(fresh_url) == []


def test_migrations_can_be_reversed_and_applied_again(fresh_url: str) -> None:
    open_store(fresh_url).close()
    engine = sa.create_engine(fresh_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        command.downgrade(alembic_config(conn), "base")
        conn.commit()
        assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    store = open_store(fresh_url)
    assert store.get_workspace("default") is None
    store.close()
    assert _diff(fresh_url) == []


def test_opening_a_migrated_database_again_changes_nothing(fresh_url: str) -> None:
    open_store(fresh_url).close()
    open_store(fresh_url).close()
    assert _diff(fresh_url) == []


def test_the_sqlite_search_index_keeps_no_sizes_and_still_finds_posts(tmp_path: Path) -> None:
    # Sizes serve only relevance ranking, which Lytter never uses (migration 0011).
    from lytter.domain.posts import PostFilter
    from lytter.querylang.narrow import Word
    from tests.helpers import draft

    store = open_store(f"sqlite:///{tmp_path / 'x.sqlite'}")
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft("1", "Netbanken er nede"), draft("2", "Tak for hjælpen")])
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    engine.dispose()
    found = store.find_posts(PostFilter(ws.id, narrowing=Word("netbanken", ("netbanken",))))
    store.close()
    assert "posts_fts" in names and "posts_fts_docsize" not in names
    assert [p.external_id for p in found] == ["1"]


def test_an_upgrade_that_rebuilds_a_referenced_table_keeps_its_rows(tmp_path: Path) -> None:
    # 0016 rebuilds inbox_items (copy and move) on SQLite while inbox_events refer to its rows:
    # the migration runs with foreign keys off, and checks them after.
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        command.upgrade(alembic_config(conn), "0015")
        conn.commit()
        conn.exec_driver_sql(
            "INSERT INTO workspaces (id, slug, name, timezone, created_at) "
            "VALUES (1, 'w', 'W', 'Europe/Copenhagen', '2024-01-01 00:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO inbox_items (id, workspace_id, platform, thread, state, priority, tags,"
            " flagged, posts, version, created_at, updated_at) VALUES (1, 1, 'facebook', '1',"
            " 'new', 'normal', '[]', 0, 1, 1, '2024-01-01 00:00:00', '2024-01-01 00:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO inbox_events (item_id, at, actor, kind, details)"
            " VALUES (1, '2024-01-01 00:00:00', 'system', 'created', '{}')"
        )
        conn.commit()
    engine.dispose()
    store = open_store(url)
    try:
        assert [e.kind for e in store.item_events(1)] == ["created"]
        item = store.inbox_item(1, 1)
        assert item is not None and item.desk_id is None
    finally:
        store.close()
