"""Shared fixtures: a real SQLite file and a real PostgreSQL database for every store test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from lytter.store import Store, open_store
from lytter.store.tables import metadata
from tests.bank import Bank, make_bank

PG_ADMIN_URL = os.environ.get(
    "LYTTER_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
FROZEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _admin() -> sa.Engine:
    return sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run (per worker), dropped at the end."""
    name = f"lytter_test_{uuid.uuid4().hex[:12]}"
    admin = _admin()
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc.orig}")
    url = sa.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def empty_postgres(url: str) -> None:
    """Remove every row (and reset the ids) so each test starts from an empty schema."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        names = ", ".join(t.name for t in metadata.sorted_tables)
        has_tables = conn.exec_driver_sql("SELECT to_regclass('posts') IS NOT NULL").scalar()
        if has_tables:
            # The audit log refuses TRUNCATE by a trigger; a test's cleanup goes around it.
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database, once on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lytter.sqlite'}"
    url: str = request.getfixturevalue("pg_url")
    empty_postgres(url)
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An open, migrated, empty store on each backend, with a frozen clock."""
    s = open_store(db_url, clock=lambda: FROZEN)
    yield s
    s.close()


@pytest.fixture
def bank(store: Store) -> Bank:
    """A bank workspace with two pages, an admin, an agent of one page and a viewer."""
    return make_bank(store)
