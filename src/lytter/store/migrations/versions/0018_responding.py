"""Answering and moderating: saved replies and notices, each desk's signature, who is looking at
an item, the published moderation guidelines, the evidence kept before an act, and the acts.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-25

Evidence is kept for good: triggers refuse to change or delete it on both engines, so removing
a post on the platform (or here) never removes what was kept of it.
"""

import sqlalchemy as sa
from alembic import op

from lytter.store.tables import UtcDateTime

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

REFUSAL = "evidence is kept for good: it is never changed or deleted"


def upgrade() -> None:
    with op.batch_alter_table("desks") as batch:
        batch.add_column(sa.Column("signature", sa.String(200), nullable=True))
    op.create_index(  # a desk's queue: its new and open items, the longest waiting first
        op.f("ix_inbox_items_workspace_id_desk_id_state_waiting_since_created_at"),
        "inbox_items",
        ["workspace_id", "desk_id", "state", "waiting_since", "created_at"],
    )
    op.create_table(
        "saved_replies",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_saved_replies_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_replies")),
        sa.UniqueConstraint(
            "workspace_id",
            "name",
            "language",
            name=op.f("uq_saved_replies_workspace_id_name_language"),
        ),
    )
    op.create_table(
        "item_viewers",
        sa.Column("item_id", Id, nullable=False),
        sa.Column("user_id", Id, nullable=False),
        sa.Column("seen_at", UtcDateTime(), nullable=False),
        sa.Column("composing", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["inbox_items.id"],
            name=op.f("fk_item_viewers_item_id_inbox_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_item_viewers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "user_id", name=op.f("pk_item_viewers")),
    )
    op.create_table(
        "moderation_guidelines",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_moderation_guidelines_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_guidelines")),
        sa.UniqueConstraint(
            "workspace_id", "code", name=op.f("uq_moderation_guidelines_workspace_id_code")
        ),
    )
    op.create_table(
        "evidence",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("post_id", Id, nullable=False),
        sa.Column("captured_at", UtcDateTime(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("payload_sha256", sa.String(64), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("html_sha256", sa.String(64), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=True),
        sa.Column("png_sha256", sa.String(64), nullable=True),
        sa.Column("png_missing", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_evidence_workspace_id_workspaces")
        ),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], name=op.f("fk_evidence_post_id_posts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    op.create_index(op.f("ix_evidence_post_id"), "evidence", ["post_id"])
    op.create_table(
        "moderation_acts",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("workspace_id", Id, nullable=False),
        sa.Column("post_id", Id, nullable=False),
        sa.Column("item_id", Id, nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("guideline", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("evidence_id", Id, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("notice_channel", sa.String(16), nullable=True),
        sa.Column("notice_to", sa.String(320), nullable=True),
        sa.Column("notice_text", sa.Text(), nullable=True),
        sa.Column("notice_status", sa.Text(), nullable=True),
        sa.Column("author_handle", sa.String(200), nullable=True),
        sa.Column("expires_at", UtcDateTime(), nullable=True),
        sa.Column("review_at", UtcDateTime(), nullable=True),
        sa.Column("lifted_at", UtcDateTime(), nullable=True),
        sa.Column("audit_seq", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_moderation_acts_workspace_id_workspaces"),
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_moderation_acts_post_id_posts")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["inbox_items.id"], name=op.f("fk_moderation_acts_item_id_inbox_items")
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name=op.f("fk_moderation_acts_evidence_id_evidence")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_acts")),
    )
    op.create_index(
        op.f("ix_moderation_acts_workspace_id_at"), "moderation_acts", ["workspace_id", "at"]
    )
    op.create_index(op.f("ix_moderation_acts_post_id"), "moderation_acts", ["post_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION evidence_kept() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege';
            END $$
            """
        )
        op.execute(
            "CREATE TRIGGER evidence_kept BEFORE UPDATE OR DELETE ON evidence "
            "FOR EACH ROW EXECUTE FUNCTION evidence_kept()"
        )
        op.execute(
            "CREATE TRIGGER evidence_no_truncate BEFORE TRUNCATE ON evidence "
            "FOR EACH STATEMENT EXECUTE FUNCTION evidence_kept()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER evidence_no_{event.lower()} BEFORE {event} ON evidence "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER evidence_no_truncate ON evidence")
        op.execute("DROP TRIGGER evidence_kept ON evidence")
        op.execute("DROP FUNCTION evidence_kept()")
    op.drop_index(op.f("ix_moderation_acts_post_id"), table_name="moderation_acts")
    op.drop_index(op.f("ix_moderation_acts_workspace_id_at"), table_name="moderation_acts")
    op.drop_table("moderation_acts")
    op.drop_index(op.f("ix_evidence_post_id"), table_name="evidence")
    op.drop_table("evidence")
    op.drop_table("moderation_guidelines")
    op.drop_table("item_viewers")
    op.drop_table("saved_replies")
    op.drop_index(
        op.f("ix_inbox_items_workspace_id_desk_id_state_waiting_since_created_at"),
        table_name="inbox_items",
    )
    with op.batch_alter_table("desks") as batch:
        batch.drop_column("signature")
