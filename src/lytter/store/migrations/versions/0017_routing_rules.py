"""Routing rules for new inbox items, each desk's last round-robin pick, and the customers'
posts of each item (what the rules read).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from lytter.store.tables import UtcDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "routing_rules",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("conditions", Json, nullable=False),
        sa.Column("actions", Json, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_routing_rules_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rules")),
    )
    op.create_index(
        op.f("ix_routing_rules_workspace_id_position"),
        "routing_rules",
        ["workspace_id", "position"],
    )
    op.create_table(
        "inbox_item_posts",
        sa.Column("item_id", Id, nullable=False),
        sa.Column("post_id", Id, nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["inbox_items.id"], name=op.f("fk_inbox_item_posts_item_id_inbox_items")
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_inbox_item_posts_post_id_posts")
        ),
        sa.PrimaryKeyConstraint("item_id", "post_id", name=op.f("pk_inbox_item_posts")),
    )
    with op.batch_alter_table("desks") as batch:
        batch.add_column(sa.Column("last_assigned_id", Id, nullable=True))
        batch.create_foreign_key(
            op.f("fk_desks_last_assigned_id_users"), "users", ["last_assigned_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("desks") as batch:
        batch.drop_constraint(op.f("fk_desks_last_assigned_id_users"), type_="foreignkey")
        batch.drop_column("last_assigned_id")
    op.drop_table("inbox_item_posts")
    op.drop_index(op.f("ix_routing_rules_workspace_id_position"), table_name="routing_rules")
    op.drop_table("routing_rules")
