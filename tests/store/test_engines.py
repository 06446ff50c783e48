"""What differs per engine: SQLite's pragmas and FTS5, PostgreSQL's COPY; the full-text index."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from lytter.domain.posts import PostFilter
from lytter.querylang.ast import Node, Term
from lytter.querylang.document import Document
from lytter.querylang.narrow import Word, narrowing
from lytter.store import Store, StoreError, open_store
from lytter.store.sqlite import SqliteStore
from lytter.text.index import WORD, index_text, indexed
from tests.helpers import draft


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert isinstance(store, SqliteStore)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    store.close()


def test_a_new_sqlite_file_has_16_kib_pages_and_an_existing_one_keeps_its_own(
    tmp_path: Path,
) -> None:
    import sqlite3

    open_store(f"sqlite:///{tmp_path / 'new.sqlite'}").close()
    old = tmp_path / "old.sqlite"
    sqlite3.connect(old).execute("CREATE TABLE t (x)").connection.close()  # 4 KiB pages
    store = open_store(f"sqlite:///{old}")
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft("1", "Netbanken er nede")])
    assert store.count_posts(PostFilter(ws.id)) == 1
    store.close()
    sizes = [
        sqlite3.connect(p).execute("PRAGMA page_size").fetchone()[0]
        for p in (tmp_path / "new.sqlite", old)
    ]
    assert sizes == [16384, 4096]


def test_sqlite_keeps_the_fts_index_in_step_with_edits_and_deletes(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert isinstance(store, SqliteStore)
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft("1", "gammel tekst")])
    store.save_posts(ws.id, [draft("1", "ny tekst")])
    assert store.count_posts(PostFilter(ws.id, narrowing=Word("gammel", ("gammel",)))) == 0
    assert store.count_posts(PostFilter(ws.id, narrowing=Word("ny", ("ny",)))) == 1
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM post_edits")
        conn.exec_driver_sql("DELETE FROM posts")
        check = conn.exec_driver_sql("INSERT INTO posts_fts(posts_fts) VALUES ('integrity-check')")
        assert check is not None  # raises when the index and the table disagree
    assert store.count_posts(PostFilter(ws.id, narrowing=Word("ny", ("ny",)))) == 0
    store.close()


def test_the_index_finds_every_word_the_matcher_sees_on_both_engines(store: Store) -> None:
    """The index only narrows a search: every post the matcher could match must be among its
    candidates, whatever the accents, case, punctuation or Unicode form of the text."""
    ws = store.ensure_workspace("default")
    texts = [
        "Bankerne hæver RENTERNE igen!",
        "Café i Köbenhavn, smørrebrød på Ærø",
        "Tak❤️banken for hjælpen 👍",
        "Se bank.dk/kontakt eller skriv til mette@bank.dk",
        "bankrådgiver-mødet var 1.5 time foo_bar",
        "Cafe\u0301 ide\u0301 (written decomposed)",
        "don’t we all love the bank's app?",
        "#Kundeservice @DanskeBank Straße",
    ]
    store.save_posts(ws.id, [draft(str(i), t) for i, t in enumerate(texts)])
    for i, text in enumerate(texts):
        for word in Document(text).positions:
            if "://" in word:
                continue
            found = narrowing(parse_word(word))
            if found is None:  # an emoji or a stop word: the matcher alone decides
                words = WORD.findall(index_text(word))
                assert not words or not all(map(indexed, words)), word
                continue
            ids = {p.external_id for p in store.find_posts(PostFilter(ws.id, narrowing=found))}
            assert str(i) in ids, f"{word!r} of {text!r}"
    store.close()


def parse_word(word: str) -> Node:
    return Term(word.lstrip("#@"))


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
                draft("1", "igen", author=None, source=None).row(),
                draft("2", "ny", author=None, source=None).row(),
            ],
            {},
            {},
            datetime.now(UTC),
        )
    texts = sorted(p.text for p in store.find_posts(PostFilter(ws.id)))
    assert texts == ["først", "ny"]
    store.close()


def test_postgresql_index_words_come_from_the_writer_or_else_from_the_server(pg_url: str) -> None:
    """The store sends each new post's index words; a row written any other way (plain SQL,
    an edit through UPDATE) still gets them, from the server's own version of the rules."""
    from tests.conftest import empty_postgres

    empty_postgres(pg_url)
    store = open_store(pg_url)
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft("1", "Bankrådgiveren på Ærø"), draft("2", "noget andet")])
    with store._write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO posts (workspace_id, platform, external_id, text, created_at,"
            " collected_at, mapper) VALUES (%s, 'facebook', 'by-hand', 'Café i Köbenhavn',"
            " now(), now(), 'test')",
            (ws.id,),
        )
        conn.exec_driver_sql("UPDATE posts SET text = 'nu om renter' WHERE external_id = '2'")
        vectors = dict(conn.exec_driver_sql("SELECT external_id, search::text FROM posts").all())
    assert vectors["1"] == "'bankradgiveren' 'ærø'"  # "på" is a stop word: never asked for
    assert vectors["by-hand"] == "'cafe' 'i' 'kobenhavn'"  # the server keeps stop words
    assert vectors["2"] == "'nu' 'om' 'renter'"

    def found(word: str) -> set[str]:
        w = Word(word, (word,))
        return {p.external_id for p in store.find_posts(PostFilter(ws.id, narrowing=w))}

    assert found("kobenhavn") == {"by-hand"}
    assert found("renter") == {"2"}
    assert found("andet") == set()
    store.close()
