"""The full-text index narrows query-language searches: accents removed, no stemming.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

Searches now run the query language: the index only narrows the posts to candidates and the
matcher decides (lytter.querylang.narrow). For that the index must hold every word the
matcher could match, so both engines index the text lower-cased with every accent removed
(å as a, ö as o; æ, ø and ß kept), split at everything that is not a letter or digit, and
unstemmed: the matcher's `word~` reaches the index as word prefixes.
"""

import unicodedata

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_LATIN = ((0x00C0, 0x0250), (0x1E00, 0x1F00))
# Characters PostgreSQL's parser would keep inside a token (hosts, e-mails, decimals,
# hyphenated words, apostrophes): the index splits at them, as SQLite's unicode61 does.
_SPLIT = ".@/:-_'’+&=,;!?#%~|\\\"()[]{}<>*^$"


def _postgres_translate() -> tuple[str, str]:
    """translate() arguments: accented letters to their base, splitting marks to spaces,
    combining accents (text in NFD) removed."""
    source, target = [], []
    for low, high in _LATIN:
        for code in range(low, high):
            char = chr(code)
            lower = char.lower()
            if len(lower) != 1 or lower in "æøß":
                continue
            base = "".join(
                c for c in unicodedata.normalize("NFD", lower) if not unicodedata.combining(c)
            )
            if len(base) == 1 and base != char:
                source.append(char)
                target.append(base)
    source.extend(_SPLIT)
    target.extend(" " * len(_SPLIT))
    source.extend(chr(c) for c in range(0x0300, 0x0370))  # no counterpart: removed
    return "".join(source), "".join(target)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sqlite_index(remove_diacritics: int) -> None:
    op.execute("DROP TRIGGER IF EXISTS posts_fts_delete")
    op.execute("DROP TRIGGER IF EXISTS posts_fts_update")
    op.execute("DROP TABLE IF EXISTS posts_fts")
    op.execute(
        "CREATE VIRTUAL TABLE posts_fts USING fts5(text, content='posts',"
        f" content_rowid='id', tokenize='unicode61 remove_diacritics {remove_diacritics}')"
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


def _postgres_index(expression: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_posts_search")
    op.execute("ALTER TABLE posts DROP COLUMN IF EXISTS search")
    op.execute(
        f"ALTER TABLE posts ADD COLUMN search tsvector GENERATED ALWAYS AS ({expression}) STORED"
    )
    op.execute(
        "CREATE INDEX ix_posts_search ON posts USING gin (search)"
        " WITH (gin_pending_list_limit = 65536)"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_index(remove_diacritics=2)
        return
    source, target = _postgres_translate()
    _postgres_index(
        "to_tsvector('simple'::regconfig,"
        f" translate(lower(text), {_quote(source)}, {_quote(target)}))"
    )


def downgrade() -> None:
    # Back to 0001's index: diacritics kept on SQLite, stemmed per language on PostgreSQL.
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_index(remove_diacritics=0)
        return
    configs = {
        "da": "danish",
        "en": "english",
        "sv": "swedish",
        "nb": "norwegian",
        "nn": "norwegian",
        "no": "norwegian",
        "de": "german",
        "nl": "dutch",
        "fr": "french",
        "es": "spanish",
        "fi": "finnish",
    }
    cases = " ".join(f"WHEN '{lang}' THEN '{cfg}'::regconfig" for lang, cfg in configs.items())
    _postgres_index(f"to_tsvector(CASE language {cases} ELSE 'simple'::regconfig END, text)")
