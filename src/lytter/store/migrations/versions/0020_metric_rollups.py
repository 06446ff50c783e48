"""Metrics from roll-ups: per local day, what the posts add up to and who wrote them
(`metric_rollups`, `metric_authors`), each inbox item as metrics count it (`item_facts`), and
the days and items that changed since (`metric_dirty_days`, `metric_dirty_items`).

Triggers mark what changed, so every writer (import, collecting, analysis, matching, the inbox,
a desk's targets) keeps the roll-ups right without knowing about them; lytter.store.metrics
recomputes what is marked before metrics are read.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from lytter.store.tables import UtcDateTime

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# SQLite keeps times as UTC text: the first ten characters are the UTC day.
_SQLITE_DAY = "substr({t}.created_at, 1, 10)"
_SQLITE = [
    # posts: their own day (and the old one when it moves)
    "CREATE TRIGGER metric_posts_insert AFTER INSERT ON posts BEGIN"
    " INSERT INTO metric_dirty_days VALUES (NEW.workspace_id,"
    " substr(NEW.created_at, 1, 10)) ON CONFLICT DO NOTHING; END",
    "CREATE TRIGGER metric_posts_update AFTER UPDATE OF source_id, author_id, platform,"
    " created_at, likes, comments, shares, views ON posts BEGIN"
    " INSERT INTO metric_dirty_days VALUES (OLD.workspace_id,"
    " substr(OLD.created_at, 1, 10)) ON CONFLICT DO NOTHING;"
    " INSERT INTO metric_dirty_days VALUES (NEW.workspace_id,"
    " substr(NEW.created_at, 1, 10)) ON CONFLICT DO NOTHING; END",
    "CREATE TRIGGER metric_posts_delete AFTER DELETE ON posts BEGIN"
    " INSERT INTO metric_dirty_days VALUES (OLD.workspace_id,"
    " substr(OLD.created_at, 1, 10)) ON CONFLICT DO NOTHING; END",
]
for _table, _events in (
    ("post_analyses", (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD"))),
    ("query_matches", (("insert", "NEW"), ("delete", "OLD"))),
):
    for _event, _row in _events:
        _SQLITE.append(
            f"CREATE TRIGGER metric_{_table}_{_event} AFTER {_event.upper()} ON {_table} BEGIN"
            " INSERT INTO metric_dirty_days SELECT workspace_id,"
            f" substr(created_at, 1, 10) FROM posts WHERE id = {_row}.post_id"
            " ON CONFLICT DO NOTHING; END"
        )
_SQLITE += [
    "CREATE TRIGGER metric_items_insert AFTER INSERT ON inbox_items BEGIN"
    " INSERT INTO metric_dirty_items VALUES (NEW.id) ON CONFLICT DO NOTHING; END",
    "CREATE TRIGGER metric_items_update AFTER UPDATE ON inbox_items BEGIN"
    " INSERT INTO metric_dirty_items VALUES (NEW.id) ON CONFLICT DO NOTHING; END",
    "CREATE TRIGGER metric_events_insert AFTER INSERT ON inbox_events BEGIN"
    " INSERT INTO metric_dirty_items VALUES (NEW.item_id) ON CONFLICT DO NOTHING; END",
    "CREATE TRIGGER metric_desks_update AFTER UPDATE OF hours, timezone ON desks BEGIN"
    " INSERT INTO metric_dirty_items SELECT id FROM inbox_items"
    " WHERE desk_id = NEW.id ON CONFLICT DO NOTHING; END",
]
for _event, _row in (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")):
    _SQLITE.append(
        f"CREATE TRIGGER metric_sla_{_event} AFTER {_event.upper()} ON sla_policies BEGIN"
        " INSERT INTO metric_dirty_items SELECT id FROM inbox_items"
        f" WHERE desk_id = {_row}.desk_id ON CONFLICT DO NOTHING; END"
    )

_PG_DAY = "to_char({t}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
_PG_FUNCTIONS = [
    # A statement's posts, from its transition tables (one insert per distinct day).
    f"""CREATE FUNCTION metric_posts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO metric_dirty_days SELECT DISTINCT a.workspace_id, {_PG_DAY.format(t="a")}
          FROM added a ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO metric_dirty_days SELECT DISTINCT r.workspace_id, {_PG_DAY.format(t="r")}
          FROM removed r ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$""",
    # Analyses and matches: the days of their posts.
    f"""CREATE FUNCTION metric_post_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO metric_dirty_days SELECT DISTINCT p.workspace_id, {_PG_DAY.format(t="p")}
          FROM posts p WHERE p.id IN (SELECT post_id FROM added) ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO metric_dirty_days SELECT DISTINCT p.workspace_id, {_PG_DAY.format(t="p")}
          FROM posts p WHERE p.id IN (SELECT post_id FROM removed) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$""",
    """CREATE FUNCTION metric_items_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO metric_dirty_items SELECT DISTINCT id FROM added ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$""",
    """CREATE FUNCTION metric_events_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO metric_dirty_items SELECT DISTINCT item_id FROM added ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$""",
    # A desk's hours or targets: all its items.
    """CREATE FUNCTION metric_desk_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE desk bigint;
BEGIN
    IF TG_TABLE_NAME = 'desks' THEN desk := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN desk := OLD.desk_id;
    ELSE desk := NEW.desk_id;
    END IF;
    INSERT INTO metric_dirty_items SELECT id FROM inbox_items WHERE desk_id = desk
      ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$""",
]


def _pg_statement(name: str, event: str, table: str, function: str) -> str:
    tables = {
        "INSERT": "NEW TABLE AS added",
        "UPDATE": "OLD TABLE AS removed NEW TABLE AS added",
        "DELETE": "OLD TABLE AS removed",
    }[event]
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {tables}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    )


_PG_TRIGGERS = [
    _pg_statement(f"metric_{table}_{event.lower()}", event, table, function)
    for table, function, events in (
        ("posts", "metric_posts_changed", ("INSERT", "UPDATE", "DELETE")),
        ("post_analyses", "metric_post_rows_changed", ("INSERT", "UPDATE", "DELETE")),
        ("query_matches", "metric_post_rows_changed", ("INSERT", "DELETE")),
    )
    for event in events
] + [
    _pg_statement("metric_items_insert", "INSERT", "inbox_items", "metric_items_changed"),
    _pg_statement("metric_items_update", "UPDATE", "inbox_items", "metric_items_changed"),
    _pg_statement("metric_events_insert", "INSERT", "inbox_events", "metric_events_added"),
    "CREATE TRIGGER metric_desks_update AFTER UPDATE OF hours, timezone ON desks"
    " FOR EACH ROW EXECUTE FUNCTION metric_desk_changed()",
    "CREATE TRIGGER metric_sla_changed AFTER INSERT OR UPDATE OR DELETE ON sla_policies"
    " FOR EACH ROW EXECUTE FUNCTION metric_desk_changed()",
]

_TRIGGERS = {
    "posts": ("metric_posts_insert", "metric_posts_update", "metric_posts_delete"),
    "post_analyses": (
        "metric_post_analyses_insert",
        "metric_post_analyses_update",
        "metric_post_analyses_delete",
    ),
    "query_matches": ("metric_query_matches_insert", "metric_query_matches_delete"),
    "inbox_items": ("metric_items_insert", "metric_items_update"),
    "inbox_events": ("metric_events_insert",),
    "desks": ("metric_desks_update",),
}


def _scoped() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("scope", sa.String(8), nullable=False),
        sa.Column("scope_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source_id", sa.BigInteger(), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "metric_rollups",
        *_scoped(),
        sa.Column("own", sa.Boolean(), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("replies", sa.Integer(), nullable=False),
        sa.Column("likes", sa.BigInteger(), nullable=False),
        sa.Column("comments", sa.BigInteger(), nullable=False),
        sa.Column("shares", sa.BigInteger(), nullable=False),
        sa.Column("views", sa.BigInteger(), nullable=False),
        sa.Column("analysed", sa.Integer(), nullable=False),
        sa.Column("positive", sa.Integer(), nullable=False),
        sa.Column("negative", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_metric_rollups_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id",
            "scope",
            "scope_id",
            "day",
            "source_id",
            "platform",
            "own",
            name=op.f("pk_metric_rollups"),
        ),
    )
    op.create_table(
        "metric_authors",
        *_scoped(),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_metric_authors_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id",
            "scope",
            "scope_id",
            "day",
            "source_id",
            "platform",
            "author_id",
            name=op.f("pk_metric_authors"),
        ),
    )
    op.create_table(
        "item_facts",
        sa.Column("item_id", Id, nullable=False),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source_id", sa.BigInteger(), nullable=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("desk_id", sa.BigInteger(), nullable=True),
        sa.Column("assignee_id", sa.BigInteger(), nullable=True),
        sa.Column("first_response_s", sa.Integer(), nullable=True),
        sa.Column("resolution_s", sa.Integer(), nullable=True),
        sa.Column("first_state", sa.String(16), nullable=True),
        sa.Column("first_due", UtcDateTime(), nullable=True),
        sa.Column("resolution_state", sa.String(16), nullable=True),
        sa.Column("resolution_due", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["inbox_items.id"],
            name=op.f("fk_item_facts_item_id_inbox_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_item_facts_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_item_facts")),
    )
    op.create_index(op.f("ix_item_facts_workspace_id_day"), "item_facts", ["workspace_id", "day"])
    op.create_table(
        "metric_dirty_days",
        sa.Column("workspace_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "day", name=op.f("pk_metric_dirty_days")),
    )
    op.create_table(
        "metric_dirty_items",
        sa.Column("item_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_metric_dirty_items")),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _SQLITE if sqlite else _PG_FUNCTIONS + _PG_TRIGGERS:
        op.execute(statement)
    # What is already there is computed when metrics are first read.
    day = _SQLITE_DAY if sqlite else _PG_DAY
    op.execute(
        "INSERT INTO metric_dirty_days SELECT DISTINCT workspace_id,"
        f" {day.format(t='posts')} FROM posts"
    )
    op.execute("INSERT INTO metric_dirty_items SELECT id FROM inbox_items")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for names in _TRIGGERS.values():
            for name in names:
                op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS metric_sla_{event}")
    else:
        for table, names in _TRIGGERS.items():
            for name in names:
                op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute("DROP TRIGGER IF EXISTS metric_sla_changed ON sla_policies")
        for function in (
            "metric_posts_changed",
            "metric_post_rows_changed",
            "metric_items_changed",
            "metric_events_added",
            "metric_desk_changed",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.drop_table("metric_dirty_items")
    op.drop_table("metric_dirty_days")
    op.drop_index(op.f("ix_item_facts_workspace_id_day"), table_name="item_facts")
    op.drop_table("item_facts")
    op.drop_table("metric_authors")
    op.drop_table("metric_rollups")
