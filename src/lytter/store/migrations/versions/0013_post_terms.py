"""Each post's terms for emerging-term detection, read once by the analysing pipeline.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24

`post_analyses.terms` holds the post's words, phrases, hashtags and mentions as packed 64-bit
codes (lytter.analysis.terms), so trends count a week of posts without tokenising their texts
again. Rows analysed before have NULL there; trends read those posts' texts instead.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("post_analyses") as batch:
        batch.add_column(sa.Column("terms", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("post_analyses") as batch:
        batch.drop_column("terms")
