"""What the models read in each post: language, tone, offensiveness; corrections of the tone.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from lytter.store.tables import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "post_analyses",
        sa.Column("post_id", Id, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("sentiment", sa.String(16), nullable=False),
        sa.Column("sentiment_score", sa.Float(), nullable=False),
        sa.Column("offensive", sa.Float(), nullable=False),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("corrected", sa.String(16), nullable=True),
        sa.Column("analysed_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_post_analyses_sentiment", "post_analyses", ["sentiment"])
    op.create_table(
        "sentiment_corrections",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("post_id", Id, sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", Id, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("model_said", sa.String(16), nullable=False),
        sa.Column("sentiment", sa.String(16), nullable=False),
        sa.Column("corrected_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_sentiment_corrections_post_id", "sentiment_corrections", ["post_id"])
    op.create_table(
        "analysis_progress",
        sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), primary_key=True),
        sa.Column("last_post_id", sa.BigInteger(), nullable=False),
        sa.Column("last_edit_id", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("analysis_progress")
    op.drop_table("sentiment_corrections")
    op.drop_table("post_analyses")
