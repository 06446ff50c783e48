"""Sources that Lytter collects from itself: connector, settings, secret, cursor, schedule.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from lytter.store.tables import Json, UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_COLUMNS = (
    "connector",
    "settings",
    "secret",
    "cursor",
    "poll_seconds",
    "enabled",
    "collected_at",
    "last_error",
)


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("connector", sa.String(32), nullable=True))
        batch.add_column(sa.Column("settings", Json, nullable=True))
        batch.add_column(sa.Column("secret", sa.Text(), nullable=True))
        batch.add_column(sa.Column("cursor", Json, nullable=True))
        batch.add_column(sa.Column("poll_seconds", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("collected_at", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("last_error", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        for name in reversed(_COLUMNS):
            batch.drop_column(name)
