"""Each author's type (critic, troll, ambassador or none) with its reasons, a person's override
of it, and each workspace's own thresholds for the types (empty: the defaults).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from lytter.store.tables import UtcDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("author_settings", Json, nullable=True))
    op.create_table(
        "author_types",
        sa.Column("author_id", Id, nullable=False),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("computed", sa.String(16), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("reasons", Json, nullable=False),
        sa.Column("stats", Json, nullable=False),
        sa.Column("computed_at", UtcDateTime(), nullable=False),
        sa.Column("override", sa.String(16), nullable=True),
        sa.Column("override_note", sa.Text(), nullable=True),
        sa.Column("override_by", Id, nullable=True),
        sa.Column("override_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["authors.id"],
            name=op.f("fk_author_types_author_id_authors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_author_types_workspace_id_workspaces"),
        ),
        sa.ForeignKeyConstraint(
            ["override_by"], ["users.id"], name=op.f("fk_author_types_override_by_users")
        ),
        sa.PrimaryKeyConstraint("author_id", name=op.f("pk_author_types")),
    )
    op.create_index(
        op.f("ix_author_types_workspace_id_computed"), "author_types", ["workspace_id", "computed"]
    )
    op.create_table(
        "author_type_progress",
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("last_post_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_author_type_progress_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_author_type_progress")),
    )


def downgrade() -> None:
    op.drop_table("author_type_progress")
    op.drop_index(op.f("ix_author_types_workspace_id_computed"), table_name="author_types")
    op.drop_table("author_types")
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("author_settings")
