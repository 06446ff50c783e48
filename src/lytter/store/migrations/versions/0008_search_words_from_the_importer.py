"""PostgreSQL: the search index's words come from the writer, not from a generated column.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24

The generated column made the server lower-case, strip accents from and parse every post it
was sent (about 40 µs a post with the larger tsvector it made), the biggest single cost of a
bulk load, which the server does while the importing process waits. `search` is now a plain
tsvector without positions: the store computes the words in Python (lytter.text.index) and
sends them along with the post. A trigger keeps every other writer right: a row inserted
without words, or whose text changes without new words, gets them from the server's own
version of the same rules (migration 0006's expression). SQLite is unchanged.
"""

from importlib import import_module

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_FUNCTION = """
CREATE OR REPLACE FUNCTION posts_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.search IS NULL
       OR (TG_OP = 'UPDATE' AND NEW.text IS DISTINCT FROM OLD.text
           AND NEW.search IS NOT DISTINCT FROM OLD.search) THEN
        NEW.search := strip(to_tsvector('simple'::regconfig, {expression}));
    END IF;
    RETURN NEW;
END
$$
"""


def _expression(column: str) -> str:
    previous = import_module("lytter.store.migrations.versions.0006_faster_search_index")
    expression: str = previous.index_text_sql(column)
    return expression


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("DROP INDEX IF EXISTS ix_posts_search")
    op.execute("ALTER TABLE posts RENAME COLUMN search TO search_generated")
    op.execute("ALTER TABLE posts ADD COLUMN search tsvector")
    op.execute("UPDATE posts SET search = strip(search_generated)")
    op.execute("ALTER TABLE posts DROP COLUMN search_generated")
    op.execute(_FUNCTION.format(expression=_expression("NEW.text")))
    op.execute(
        "CREATE TRIGGER posts_search_words BEFORE INSERT OR UPDATE ON posts"
        " FOR EACH ROW EXECUTE FUNCTION posts_search_words()"
    )
    op.execute(
        "CREATE INDEX ix_posts_search ON posts USING gin (search)"
        " WITH (gin_pending_list_limit = 65536)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS posts_search_words ON posts")
    op.execute("DROP FUNCTION IF EXISTS posts_search_words()")
    op.execute("DROP INDEX IF EXISTS ix_posts_search")
    op.execute("ALTER TABLE posts DROP COLUMN search")
    op.execute(
        "ALTER TABLE posts ADD COLUMN search tsvector GENERATED ALWAYS AS"
        f" (to_tsvector('simple'::regconfig, {_expression('text')})) STORED"
    )
    op.execute(
        "CREATE INDEX ix_posts_search ON posts USING gin (search)"
        " WITH (gin_pending_list_limit = 65536)"
    )
