"""What differs per engine: SQLite's pragmas and FTS5, PostgreSQL's language-aware search."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from lytter.domain.posts import PostFilter
from lytter.store import StoreError, open_store
from lytter.store.sql import split_exclusions
from lytter.store.sqlite import SqliteStore, fts5_query
from tests.helpers import draft


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert isinstance(store, SqliteStore)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    store.close()


def test_sqlite_keeps_the_fts_index_in_step_with_edits_and_deletes(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert isinstance(store, SqliteStore)
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft("1", "gammel tekst")])
    store.save_posts(ws.id, [draft("1", "ny tekst")])
    assert store.count_posts(PostFilter(ws.id, text="gammel")) == 0
    assert store.count_posts(PostFilter(ws.id, text="ny")) == 1
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM post_edits")
        conn.exec_driver_sql("DELETE FROM posts")
        check = conn.exec_driver_sql("INSERT INTO posts_fts(posts_fts) VALUES ('integrity-check')")
        assert check is not None  # raises when the index and the table disagree
    assert store.count_posts(PostFilter(ws.id, text="ny")) == 0
    store.close()


@pytest.mark.parametrize(
    ("typed", "keep", "leave_out"),
    [
        ("bank -rente", "bank", ["rente"]),
        ('"-ikke en eksklusion" -spam', '"-ikke en eksklusion"', ["spam"]),
        ("-spam -reklame", "", ["spam", "reklame"]),
        ("a - b", "a - b", []),
    ],
)
def test_exclusions_are_split_off_what_must_match(
    typed: str, keep: str, leave_out: list[str]
) -> None:
    assert split_exclusions(typed) == (keep, leave_out)


@pytest.mark.parametrize(
    ("typed", "fts5"),
    [
        ("banken", '"banken"'),
        ("dårlig service", '"dårlig" "service"'),
        ('"dårlig service"', '"dårlig service"'),
        ("kø OR ventetid", '"kø" OR "ventetid"'),
        ("bank*", '"bank"*'),
        ('say "hi', '"say" "hi"'),
        ("OR", '"OR"'),
        ("", ""),
    ],
)
def test_what_users_type_becomes_a_safe_fts5_query(typed: str, fts5: str) -> None:
    assert fts5_query(typed) == fts5


def test_postgresql_stems_each_post_in_its_own_language(pg_url: str) -> None:
    from tests.conftest import empty_postgres

    empty_postgres(pg_url)
    store = open_store(pg_url)
    ws = store.ensure_workspace("default")
    store.save_posts(
        ws.id,
        [
            draft("1", "Bankerne hæver renterne igen", language="da"),
            draft("2", "My packages were delivered late", language="en"),
            draft("3", "Utan språk", language=None),
        ],
    )

    def ids(text: str) -> list[str]:
        return sorted(p.external_id for p in store.find_posts(PostFilter(ws.id, text=text)))

    assert ids("banken") == ["1"]  # danish stemming: bankerne ~ banken
    assert ids("renten") == ["1"]
    assert ids("deliver package") == ["2"]  # english stemming
    assert ids("språk") == ["3"]  # no language: the simple configuration
    store.close()


def test_an_unsupported_url_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="unsupported database URL 'mysql://x'"):
        open_store("mysql://x")


def test_an_unreachable_postgresql_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match=r"cannot open database postgresql://nobody@127.0.0.1:1/x"):
        open_store("postgresql://nobody@127.0.0.1:1/x")


def test_a_missing_sqlite_file_is_an_error_when_not_creating(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(f"sqlite:///{tmp_path / 'nope.sqlite'}", create=False)
    assert not (tmp_path / "nope.sqlite").exists()


def test_a_sqlite_file_in_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder .* does not exist"):
        open_store(f"sqlite:///{tmp_path / 'no' / 'x.sqlite'}")


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("just some notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        open_store(f"sqlite:///{bogus}")


def test_postgres_password_is_never_shown_in_errors() -> None:
    with pytest.raises(StoreError) as info:
        open_store("postgresql://bob:hunter2@127.0.0.1:1/x")
    assert "hunter2" not in str(info.value)
    assert sa.make_url("postgresql://bob:***@127.0.0.1:1/x")  # masked form is a URL


def test_postgresql_copy_falls_back_when_a_concurrent_writer_stored_a_post(pg_url: str) -> None:
    from datetime import UTC, datetime

    from lytter.store.postgres import PostgresStore
    from tests.conftest import empty_postgres

    empty_postgres(pg_url)
    store = open_store(pg_url)
    assert isinstance(store, PostgresStore)
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft("1", "først")])
    # As if another writer stored post 1 after this batch looked: insert it "as new" again.
    with store._write() as conn:
        store._insert_new_posts(
            conn,
            ws.id,
            [
                draft("1", "igen", author=None, source=None),
                draft("2", "ny", author=None, source=None),
            ],
            {},
            {},
            datetime.now(UTC),
        )
    texts = sorted(p.text for p in store.find_posts(PostFilter(ws.id)))
    assert texts == ["først", "ny"]
    store.close()
