"""The shift roster: each desk member's own weekly shift on the desk, and the periods people
are away (holiday, illness, a course), so only those on shift are given items.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from lytter.store.tables import UtcDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("desk_members") as batch:
        batch.add_column(sa.Column("shift", sa.String(200), nullable=True))
    op.create_table(
        "absences",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("user_id", Id, nullable=False),
        sa.Column("starts_at", UtcDateTime(), nullable=False),
        sa.Column("ends_at", UtcDateTime(), nullable=False),
        sa.Column("note", sa.String(200), nullable=True),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_absences_workspace_id_workspaces")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_absences_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absences")),
    )
    op.create_index(
        op.f("ix_absences_workspace_id_ends_at"), "absences", ["workspace_id", "ends_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_absences_workspace_id_ends_at"), table_name="absences")
    op.drop_table("absences")
    with op.batch_alter_table("desk_members") as batch:
        batch.drop_column("shift")
