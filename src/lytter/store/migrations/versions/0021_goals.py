"""Goals (a target for one metric per day, week, month or year, for the workspace, a page or a
desk) and each workspace's own page-health thresholds.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from lytter.store.tables import UtcDateTime

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("health_settings", Json, nullable=True))
    op.create_table(
        "goals",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("metric", sa.String(32), nullable=False),
        sa.Column("comparison", sa.String(16), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("cadence", sa.String(8), nullable=False),
        sa.Column("source_id", Id, nullable=True),
        sa.Column("desk_id", Id, nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.CheckConstraint(
            "comparison IN ('at-least', 'at-most')", name=op.f("ck_goals_comparison")
        ),
        sa.CheckConstraint(
            "cadence IN ('day', 'week', 'month', 'year')", name=op.f("ck_goals_cadence")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_goals_workspace_id_workspaces")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_goals_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["desk_id"], ["desks.id"], name=op.f("fk_goals_desk_id_desks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_goals_workspace_id_name")),
    )


def downgrade() -> None:
    op.drop_table("goals")
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("health_settings")
