"""Desks (teams with working hours and members), their SLA targets per priority, and the desk
each inbox item is on.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from lytter.store.tables import UtcDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "desks",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("hours", sa.String(200), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_desks_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desks")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_desks_workspace_id_name")),
    )
    op.create_table(
        "desk_members",
        sa.Column("desk_id", Id, nullable=False),
        sa.Column("user_id", Id, nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id"],
            ["desks.id"],
            name=op.f("fk_desk_members_desk_id_desks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_desk_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("desk_id", "user_id", name=op.f("pk_desk_members")),
    )
    op.create_table(
        "sla_policies",
        sa.Column("desk_id", Id, nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("first_response_minutes", sa.Integer(), nullable=True),
        sa.Column("resolution_minutes", sa.Integer(), nullable=True),
        sa.Column("warn_minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id"],
            ["desks.id"],
            name=op.f("fk_sla_policies_desk_id_desks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("desk_id", "priority", name=op.f("pk_sla_policies")),
    )
    with op.batch_alter_table("inbox_items") as batch:
        batch.add_column(sa.Column("desk_id", Id, nullable=True))
        batch.create_foreign_key(op.f("fk_inbox_items_desk_id_desks"), "desks", ["desk_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("inbox_items") as batch:
        batch.drop_constraint(op.f("fk_inbox_items_desk_id_desks"), type_="foreignkey")
        batch.drop_column("desk_id")
    op.drop_table("sla_policies")
    op.drop_table("desk_members")
    op.drop_table("desks")
