"""SQLite's full-text index stops keeping each post's size in words (FTS5 `columnsize=0`).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24

The sizes serve only relevance ranking (bm25), and Lytter never ranks by relevance: the
index narrows a search to candidates, the matcher decides, and results come newest first
(lytter.querylang.narrow). Keeping them cost every imported post a row in `posts_fts_docsize`
(~4,700 instructions a post, 4% of the import's writer). The index is rebuilt from the posts,
with the same tokenizer as migration 0004; PostgreSQL is unchanged.
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _sqlite_index(sizes: bool) -> None:
    op.execute("DROP TRIGGER IF EXISTS posts_fts_delete")
    op.execute("DROP TRIGGER IF EXISTS posts_fts_update")
    op.execute("DROP TABLE IF EXISTS posts_fts")
    op.execute(
        "CREATE VIRTUAL TABLE posts_fts USING fts5(text, content='posts', content_rowid='id',"
        f" columnsize={int(sizes)}, tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute("INSERT INTO posts_fts(posts_fts, rank) VALUES ('automerge', 16)")
    op.execute("INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')")
    op.execute(
        "CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN INSERT INTO"
        " posts_fts(posts_fts, rowid, text) VALUES ('delete', old.id, old.text); END"
    )
    op.execute(
        "CREATE TRIGGER posts_fts_update AFTER UPDATE OF text ON posts BEGIN"
        " INSERT INTO posts_fts(posts_fts, rowid, text) VALUES ('delete', old.id, old.text);"
        " INSERT INTO posts_fts(rowid, text) VALUES (new.id, new.text); END"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_index(sizes=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_index(sizes=True)
