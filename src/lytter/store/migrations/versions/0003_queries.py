"""Saved queries, synonym sets, which posts match which query, and matching progress.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from lytter.store.tables import Id, Json, UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "workspaces",
        sa.Column("old_spelling_aa", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "synonym_sets",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("entries", Json, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_synonym_sets"),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name="fk_synonym_sets_workspace_id_workspaces"
        ),
        sa.UniqueConstraint("workspace_id", "name", name="uq_synonym_sets_workspace_id_name"),
    )
    op.create_table(
        "queries",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("brand_id", Id, nullable=True),
        sa.Column("tags", Json, nullable=False),
        sa.Column("languages", Json, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("compounds", sa.String(8), nullable=False, server_default="none"),
        sa.PrimaryKeyConstraint("id", name="pk_queries"),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name="fk_queries_workspace_id_workspaces"
        ),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name="fk_queries_brand_id_brands"),
        sa.UniqueConstraint("workspace_id", "name", name="uq_queries_workspace_id_name"),
    )
    op.create_table(
        "query_matches",
        sa.Column("query_id", Id, nullable=False),
        sa.Column("post_id", Id, nullable=False),
        sa.PrimaryKeyConstraint("query_id", "post_id", name="pk_query_matches"),
        sa.ForeignKeyConstraint(
            ["query_id"],
            ["queries.id"],
            name="fk_query_matches_query_id_queries",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name="fk_query_matches_post_id_posts", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_query_matches_post_id", "query_matches", ["post_id"])
    op.create_table(
        "match_progress",
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("last_post_id", sa.BigInteger(), nullable=False),
        sa.Column("last_edit_id", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", name="pk_match_progress"),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name="fk_match_progress_workspace_id_workspaces"
        ),
    )


def downgrade() -> None:
    op.drop_table("match_progress")
    op.drop_table("query_matches")
    op.drop_table("queries")
    op.drop_table("synonym_sets")
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("old_spelling_aa")
