"""A post's workspace, source and author exist as long as the post refers to them, on both
engines (PostgreSQL checks them a statement at a time: migration 0012)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from lytter.domain.posts import PostFilter
from lytter.store.sql import SqlStore
from lytter.store.tables import authors, posts, sources, workspaces
from tests.helpers import T0, draft


def _refused() -> Any:
    return pytest.raises(sa.exc.IntegrityError, match="FOREIGN KEY|foreign key")


def _post_values(workspace_id: int, external_id: str, **kw: Any) -> dict[str, Any]:
    return {
        "workspace_id": workspace_id,
        "platform": "facebook",
        "external_id": external_id,
        "text": "hej",
        "created_at": T0,
        "collected_at": T0,
        "mapper": "test",
        **kw,
    }


@pytest.fixture
def saved(store: SqlStore) -> tuple[int, int, int, int]:
    """A workspace with one post: (workspace, source, author, post) ids."""
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, [draft("1")])
    [post] = store.find_posts(PostFilter(ws.id))
    with store.engine.connect() as conn:
        source_id, author_id = conn.execute(
            sa.select(posts.c.source_id, posts.c.author_id).where(posts.c.id == post.id)
        ).one()
    return ws.id, source_id, author_id, post.id


@pytest.mark.parametrize(
    ("column", "table"),
    [("workspace_id", "workspaces"), ("source_id", "sources"), ("author_id", "authors")],
)
def test_a_post_that_refers_to_a_missing_row_is_refused(
    store: SqlStore, saved: tuple[int, int, int, int], column: str, table: str
) -> None:
    ws_id, source_id, author_id, _ = saved
    good = _post_values(ws_id, "2", source_id=source_id, author_id=author_id)
    bad = _post_values(ws_id, "3", source_id=source_id, author_id=author_id) | {column: 10**6}
    with _refused(), store._write() as conn:
        conn.execute(posts.insert(), [good, bad])
    assert store.count_posts(PostFilter(ws_id)) == 1  # the whole statement was refused
    with store._write() as conn:
        conn.execute(posts.insert(), [good])
    assert store.count_posts(PostFilter(ws_id)) == 2


def test_a_post_may_refer_to_no_source_and_no_author(
    store: SqlStore, saved: tuple[int, int, int, int]
) -> None:
    ws_id, *_ = saved
    with store._write() as conn:
        conn.execute(posts.insert(), [_post_values(ws_id, "2", source_id=None, author_id=None)])
    assert store.count_posts(PostFilter(ws_id)) == 2


def test_changing_a_posts_author_to_a_missing_one_is_refused(
    store: SqlStore, saved: tuple[int, int, int, int]
) -> None:
    *_, author_id, post_id = saved
    with _refused(), store._write() as conn:
        conn.execute(posts.update().where(posts.c.id == post_id).values(author_id=10**6))
    with store._write() as conn:  # other changes, and no author at all, are fine
        conn.execute(posts.update().where(posts.c.id == post_id).values(likes=3, author_id=None))
        conn.execute(posts.update().where(posts.c.id == post_id).values(author_id=author_id))


@pytest.mark.parametrize("table", [workspaces, sources, authors], ids=lambda t: t.name)
def test_a_row_that_posts_refer_to_cannot_be_deleted_or_renumbered(
    store: SqlStore, saved: tuple[int, int, int, int], table: sa.Table
) -> None:
    ws_id, source_id, author_id, post_id = saved
    row_id = {"workspaces": ws_id, "sources": source_id, "authors": author_id}[table.name]
    with _refused(), store._write() as conn:
        conn.execute(table.delete().where(table.c.id == row_id))
    with _refused(), store._write() as conn:
        conn.execute(table.update().where(table.c.id == row_id).values(id=10**6))
    assert store.count_posts(PostFilter(ws_id)) == 1


def test_an_author_without_posts_can_be_deleted(
    store: SqlStore, saved: tuple[int, int, int, int]
) -> None:
    ws_id, _, author_id, post_id = saved
    with store._write() as conn:
        conn.execute(posts.delete().where(posts.c.id == post_id))
        conn.execute(authors.delete().where(authors.c.id == author_id))
    assert store.count_posts(PostFilter(ws_id)) == 0


def test_postgresql_keeps_a_new_posts_author_from_being_deleted_until_it_commits(
    store: SqlStore, saved: tuple[int, int, int, int]
) -> None:
    if store.backend != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    ws_id, source_id, author_id, _ = saved
    with store.engine.connect() as writer, store.engine.connect() as other:
        writer.execute(posts.insert(), [_post_values(ws_id, "2", author_id=author_id)])
        # The insert holds a key-share lock on its author, as a foreign key check does.
        other.exec_driver_sql("SET lock_timeout = '200ms'")
        with pytest.raises(sa.exc.OperationalError, match="lock timeout"):
            other.execute(authors.delete().where(authors.c.id == author_id))
        other.rollback()
        # Changes that leave the key alone do not wait.
        other.execute(authors.update().where(authors.c.id == author_id).values(followers=7))
        other.commit()
        writer.commit()
