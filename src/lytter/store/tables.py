"""The schema, as one SQLAlchemy Core MetaData shared by SQLite and PostgreSQL.

Alembic migrations under `migrations/` create exactly this; a test compares the two. The
full-text parts differ per engine and live only in the migrations: an FTS5 table `posts_fts`
on SQLite, a generated `search` tsvector column with a GIN index on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """A point in time stored in UTC and always read back as an aware UTC datetime."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: Lytter stores aware times only")
        value = value.astimezone(UTC)
        # SQLite has no time zones: store the UTC wall time, sortable as text.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# A 64-bit key on PostgreSQL; on SQLite the key must be INTEGER to be the rowid (FTS5 uses it).
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json: Any = sa.JSON().with_variant(JSONB(), "postgresql")

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

workspaces = sa.Table(
    "workspaces",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("slug", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False, server_default="Europe/Copenhagen"),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("old_spelling_aa", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("trend_settings", Json, nullable=True),
    sa.Column("author_settings", Json, nullable=True),
    sa.Column("health_settings", Json, nullable=True),
)

brands = sa.Table(
    "brands",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.UniqueConstraint("workspace_id", "name"),
    sa.CheckConstraint("kind IN ('own', 'competitor')", name="kind"),
)

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("platform", sa.String(32), nullable=False),
    sa.Column("external_id", sa.String(255), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("brand_id", Id, sa.ForeignKey("brands.id"), nullable=True),
    sa.Column("url", sa.Text(), nullable=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    # Set for sources Lytter collects from itself (lytter.connectors); NULL for imported ones.
    sa.Column("connector", sa.String(32), nullable=True),
    sa.Column("settings", Json, nullable=True),
    sa.Column("secret", sa.Text(), nullable=True),  # Fernet-encrypted credentials
    sa.Column("cursor", Json, nullable=True),  # where the next collection starts
    sa.Column("poll_seconds", sa.Integer(), nullable=True),
    sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column("collected_at", UtcDateTime(), nullable=True),
    sa.Column("last_error", sa.Text(), nullable=True),
    sa.UniqueConstraint("workspace_id", "platform", "external_id"),
)

authors = sa.Table(
    "authors",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("platform", sa.String(32), nullable=False),
    sa.Column("handle", sa.String(255), nullable=False),
    sa.Column("name", sa.String(255), nullable=True),
    sa.Column("followers", sa.BigInteger(), nullable=True),
    sa.UniqueConstraint("workspace_id", "platform", "handle"),
)

posts = sa.Table(
    "posts",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("platform", sa.String(32), nullable=False),
    sa.Column("external_id", sa.String(255), nullable=False),
    sa.Column("source_id", Id, sa.ForeignKey("sources.id"), nullable=True),
    sa.Column("author_id", Id, sa.ForeignKey("authors.id"), nullable=True),
    sa.Column("root_id", sa.String(255), nullable=True),
    sa.Column("parent_id", sa.String(255), nullable=True),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("collected_at", UtcDateTime(), nullable=False),
    sa.Column("url", sa.Text(), nullable=True),
    sa.Column("likes", sa.BigInteger(), nullable=True),
    sa.Column("comments", sa.BigInteger(), nullable=True),
    sa.Column("shares", sa.BigInteger(), nullable=True),
    sa.Column("views", sa.BigInteger(), nullable=True),
    sa.Column("raw", Json, nullable=True),
    sa.Column("mapper", sa.String(64), nullable=False),
    sa.UniqueConstraint("workspace_id", "platform", "external_id"),
    sa.Index(None, "workspace_id", "created_at"),
    sa.Index(None, "source_id", "created_at"),
    sa.Index(None, "author_id"),
    # Replies only: a thread's first post is found by its external id.
    sa.Index(
        None,
        "workspace_id",
        "platform",
        "root_id",
        sqlite_where=sa.text("root_id IS NOT NULL"),
        postgresql_where=sa.text("root_id IS NOT NULL"),
    ),
)

post_edits = sa.Table(
    "post_edits",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("post_id", Id, sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("old_text", sa.Text(), nullable=False),
    sa.Column("replaced_at", UtcDateTime(), nullable=False),
    sa.Index(None, "post_id"),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("locale", sa.String(8), nullable=False, server_default="da"),
    sa.Column("password_hash", sa.Text(), nullable=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'manager', 'agent', 'viewer')", name="role"),
)

import_checkpoints = sa.Table(
    "import_checkpoints",
    metadata,
    # Where an interrupted import of one file got to; written in the batch's own transaction.
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("path", sa.Text(), nullable=False),
    sa.Column("byte_offset", sa.BigInteger(), nullable=False),
    sa.Column("line", sa.BigInteger(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

source_grants = sa.Table(
    "source_grants",
    metadata,
    # A manager or agent sees and acts on exactly the sources granted here.
    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("source_id", Id, sa.ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("granted_at", UtcDateTime(), nullable=False),
    sa.Index(None, "source_id"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    # The first characters of the secret, to tell tokens apart; the secret itself is not kept.
    sa.Column("prefix", sa.String(16), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("last_used_at", UtcDateTime(), nullable=True),
    sa.Index(None, "user_id"),
)

login_sessions = sa.Table(
    "login_sessions",
    metadata,
    # Keyed by the SHA-256 of the cookie's secret: a copy of the table logs nobody in.
    sa.Column("session_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("expires_at", UtcDateTime(), nullable=False),
    sa.Index(None, "user_id"),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    # Failed logins per e-mail and per client address, for rate limiting across processes.
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(400), nullable=False),
    sa.Column("failed_at", UtcDateTime(), nullable=False),
    sa.Index(None, "key", "failed_at"),
)

synonym_sets = sa.Table(
    "synonym_sets",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("entries", Json, nullable=False),
    sa.UniqueConstraint("workspace_id", "name"),
)

queries = sa.Table(
    "queries",
    metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("query", sa.Text(), nullable=False),
    sa.Column("brand_id", Id, sa.ForeignKey("brands.id"), nullable=True),
    sa.Column("tags", Json, nullable=False),
    sa.Column("languages", Json, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Column("compounds", sa.String(8), nullable=False, server_default="none"),
    sa.UniqueConstraint("workspace_id", "name"),
)

query_matches = sa.Table(
    "query_matches",
    metadata,
    # Which saved queries a post matches; kept up to date as posts arrive and queries change.
    sa.Column("query_id", Id, sa.ForeignKey("queries.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("post_id", Id, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Index(None, "post_id"),
)

match_progress = sa.Table(
    "match_progress",
    metadata,
    # Posts up to this id have been matched against every saved query of the workspace.
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), primary_key=True),
    sa.Column("last_post_id", sa.BigInteger(), nullable=False),
    # ... and posts whose text changed up to this post_edits id have been matched again.
    sa.Column("last_edit_id", sa.BigInteger(), nullable=False, server_default="0"),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

post_analyses = sa.Table(
    "post_analyses",
    metadata,
    # What the shipped models read in a post (lytter.analysis): one row per post.
    sa.Column("post_id", Id, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("sentiment", sa.String(16), nullable=False),  # negative, neutral, positive
    sa.Column("sentiment_score", sa.Float(), nullable=False),  # from -1 to 1
    sa.Column("offensive", sa.Float(), nullable=False),  # a probability
    sa.Column("model", sa.String(64), nullable=False),  # which models wrote the row
    # A person's correction of the tone wins over the model's, also when it reads it again.
    sa.Column("corrected", sa.String(16), nullable=True),
    sa.Column("analysed_at", UtcDateTime(), nullable=False),
    # The post's terms for emerging-term detection, read with the rest (lytter.analysis.terms:
    # 8 bytes a term); NULL for rows written before they were.
    sa.Column("terms", sa.LargeBinary(), nullable=True),
    sa.Index(None, "sentiment"),
)

sentiment_corrections = sa.Table(
    "sentiment_corrections",
    metadata,
    # Every correction, kept for retraining the models (scripts/train_models.py).
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("post_id", Id, sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("user_id", Id, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("model_said", sa.String(16), nullable=False),
    sa.Column("sentiment", sa.String(16), nullable=False),
    sa.Column("corrected_at", UtcDateTime(), nullable=False),
    sa.Index(None, "post_id"),
)

analysis_progress = sa.Table(
    "analysis_progress",
    metadata,
    # Posts up to this id (and edits up to this post_edits id) are analysed.
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), primary_key=True),
    sa.Column("last_post_id", sa.BigInteger(), nullable=False),
    sa.Column("last_edit_id", sa.BigInteger(), nullable=False, server_default="0"),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

author_types = sa.Table(
    "author_types",
    metadata,
    # What kind of voice an author is (lytter.analysis.authors), with the evidence; a person's
    # override wins over the computed type in every view and filter.
    sa.Column("author_id", Id, sa.ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("computed", sa.String(16), nullable=False),  # critic, troll, ambassador, none
    sa.Column("posts", sa.Integer(), nullable=False),  # how many posts it was read from
    sa.Column("reasons", Json, nullable=False),
    sa.Column("stats", Json, nullable=False),
    sa.Column("computed_at", UtcDateTime(), nullable=False),
    sa.Column("override", sa.String(16), nullable=True),
    sa.Column("override_note", sa.Text(), nullable=True),
    sa.Column("override_by", Id, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("override_at", UtcDateTime(), nullable=True),
    sa.Index(None, "workspace_id", "computed"),
)

author_type_progress = sa.Table(
    "author_type_progress",
    metadata,
    # The authors of posts up to this id have their type read from the posts' analyses.
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), primary_key=True),
    sa.Column("last_post_id", sa.BigInteger(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    # Append-only (triggers refuse UPDATE and DELETE), hash-chained per workspace
    # (lytter.domain.audit): entry `seq` holds the hash of entry `seq - 1`.
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), primary_key=True),
    sa.Column("seq", sa.BigInteger(), primary_key=True),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Column("actor", sa.String(320), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("evidence", Json, nullable=False),
    sa.Column("details", Json, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

audit_heads = sa.Table(
    "audit_heads",
    metadata,
    # The newest entry of each workspace's audit log, written with it: removing the newest
    # entries from the log leaves the head pointing past them.
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), primary_key=True),
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

inbox_items = sa.Table(
    "inbox_items",
    metadata,
    # One conversation (a thread on a page) that needs or needed an answer (lytter.domain.inbox).
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("source_id", Id, sa.ForeignKey("sources.id"), nullable=True),
    sa.Column("platform", sa.String(32), nullable=False),
    sa.Column("thread", sa.String(200), nullable=False),  # the root post's id on the platform
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("priority", sa.String(16), nullable=False, server_default="normal"),
    sa.Column("assignee_id", Id, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("desk_id", Id, sa.ForeignKey("desks.id"), nullable=True),
    sa.Column("tags", Json, nullable=False),
    sa.Column("flagged", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("posts", sa.Integer(), nullable=False, server_default="0"),
    # One more at every change: an action names the version it saw, and a later one refuses it.
    sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Column("waiting_since", UtcDateTime(), nullable=True),
    sa.Column("first_response_at", UtcDateTime(), nullable=True),
    sa.Column("resolved_at", UtcDateTime(), nullable=True),
    sa.Column("snoozed_until", UtcDateTime(), nullable=True),
    sa.UniqueConstraint("workspace_id", "platform", "thread"),
    sa.Index(None, "workspace_id", "state", "waiting_since"),
    # a desk's queue, sorted from the index alone
    sa.Index(None, "workspace_id", "desk_id", "state", "waiting_since", "created_at"),
)

inbox_events = sa.Table(
    "inbox_events",
    metadata,
    # An item's full history: who did what when (created, post, answered, state, assigned...).
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("item_id", Id, sa.ForeignKey("inbox_items.id"), nullable=False),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Column("actor", sa.String(320), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("details", Json, nullable=False),
    sa.Index(None, "item_id", "id"),
)

inbox_progress = sa.Table(
    "inbox_progress",
    metadata,
    # Posts up to this id have been read into the inbox.
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), primary_key=True),
    sa.Column("last_post_id", sa.BigInteger(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

desks = sa.Table(
    "desks",
    metadata,
    # A team that owns a kind of inbox item, with its working hours (lytter.domain.sla).
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("hours", sa.String(200), nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    # Round-robin: the member who got the desk's last item.
    sa.Column("last_assigned_id", Id, sa.ForeignKey("users.id"), nullable=True),
    # What the desk's replies end with: "/Kundeservice" (one voice) or "/{agent}" (the
    # person's first name); NULL: nothing.
    sa.Column("signature", sa.String(200), nullable=True),
    sa.UniqueConstraint("workspace_id", "name"),
)

desk_members = sa.Table(
    "desk_members",
    metadata,
    sa.Column("desk_id", Id, sa.ForeignKey("desks.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    # The member's own weekly shift on the desk (lytter.domain.sla.parse_hours); NULL: the
    # desk's hours.
    sa.Column("shift", sa.String(200), nullable=True),
)

absences = sa.Table(
    "absences",
    metadata,
    # A person is away (holiday, illness, a course): on no desk's shift from start to end.
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("starts_at", UtcDateTime(), nullable=False),
    sa.Column("ends_at", UtcDateTime(), nullable=False),
    sa.Column("note", sa.String(200), nullable=True),
    sa.Column("created_by", sa.String(320), nullable=False),
    sa.Index(None, "workspace_id", "ends_at"),
)

sla_policies = sa.Table(
    "sla_policies",
    metadata,
    # A desk's targets per priority, in minutes of open time (NULL: no target).
    sa.Column("desk_id", Id, sa.ForeignKey("desks.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("priority", sa.String(16), primary_key=True),
    sa.Column("first_response_minutes", sa.Integer(), nullable=True),
    sa.Column("resolution_minutes", sa.Integer(), nullable=True),
    sa.Column("warn_minutes", sa.Integer(), nullable=False),
)

routing_rules = sa.Table(
    "routing_rules",
    metadata,
    # Which desk or person new inbox items go to (lytter.domain.routing), tried by position.
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False),
    sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column("conditions", Json, nullable=False),
    sa.Column("actions", Json, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Index(None, "workspace_id", "position"),
)

inbox_item_posts = sa.Table(
    "inbox_item_posts",
    metadata,
    # The customers' posts of each item (what routing rules read: their words, tone, matches).
    sa.Column("item_id", Id, sa.ForeignKey("inbox_items.id"), primary_key=True),
    sa.Column("post_id", Id, sa.ForeignKey("posts.id"), primary_key=True),
)

saved_replies = sa.Table(
    "saved_replies",
    metadata,
    # Texts people answer with (kind "reply") and tell an author why they were moderated
    # (kind "notice"), per language, with {variables} (lytter.domain.replies).
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("body", sa.Text(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.UniqueConstraint("workspace_id", "name", "language"),
)

item_viewers = sa.Table(
    "item_viewers",
    metadata,
    # Who has an item open (and is writing a reply) lately: the inbox warns the others.
    sa.Column("item_id", Id, sa.ForeignKey("inbox_items.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("seen_at", UtcDateTime(), nullable=False),
    sa.Column("composing", sa.Boolean(), nullable=False, server_default=sa.false()),
)

moderation_guidelines = sa.Table(
    "moderation_guidelines",
    metadata,
    # The workspace's published rules; every moderation act names one as its reason.
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("code", sa.String(40), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("body", sa.Text(), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False),
    sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.UniqueConstraint("workspace_id", "code"),
)

evidence = sa.Table(
    "evidence",
    metadata,
    # What a post was when someone moderated it: the platform's payload, a rendered snapshot
    # (HTML and PNG) and their SHA-256. Kept for good (triggers refuse UPDATE and DELETE).
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("post_id", Id, sa.ForeignKey("posts.id"), nullable=False, index=True),
    sa.Column("captured_at", UtcDateTime(), nullable=False),
    sa.Column("payload", sa.Text(), nullable=False),
    sa.Column("payload_sha256", sa.String(64), nullable=False),
    sa.Column("html", sa.Text(), nullable=False),
    sa.Column("html_sha256", sa.String(64), nullable=False),
    sa.Column("png", sa.LargeBinary(), nullable=True),
    sa.Column("png_sha256", sa.String(64), nullable=True),
    sa.Column("png_missing", sa.Text(), nullable=True),  # why there is no PNG
)

moderation_acts = sa.Table(
    "moderation_acts",
    metadata,
    # Hide, unhide, delete, block, unblock (lytter.domain.moderation): started before the
    # platform is asked, then done (with its audit entry) or failed (with the platform's error).
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("post_id", Id, sa.ForeignKey("posts.id"), nullable=False, index=True),
    sa.Column("item_id", Id, sa.ForeignKey("inbox_items.id"), nullable=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("guideline", sa.String(40), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("note", sa.Text(), nullable=True),
    sa.Column("actor", sa.String(320), nullable=False),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Column("evidence_id", Id, sa.ForeignKey("evidence.id"), nullable=True),
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
    sa.Index(None, "workspace_id", "at"),
)

metric_rollups = sa.Table(
    "metric_rollups",
    metadata,
    # What the posts of one local day add up to, per scope (every post, a saved query's, a
    # brand's), page, platform and whether the page wrote them (lytter.store.metrics).
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), primary_key=True),
    sa.Column("scope", sa.String(8), primary_key=True),  # all, query, brand
    sa.Column("scope_id", sa.BigInteger(), primary_key=True),  # the query or brand; 0 for all
    sa.Column("day", sa.Date(), primary_key=True),  # in the workspace's time zone
    sa.Column("source_id", sa.BigInteger(), primary_key=True),  # 0: no source
    sa.Column("platform", sa.String(32), primary_key=True),
    sa.Column("own", sa.Boolean(), primary_key=True),
    sa.Column("posts", sa.Integer(), nullable=False),
    sa.Column("replies", sa.Integer(), nullable=False),  # of the posts, those in a thread
    sa.Column("likes", sa.BigInteger(), nullable=False),
    sa.Column("comments", sa.BigInteger(), nullable=False),
    sa.Column("shares", sa.BigInteger(), nullable=False),
    sa.Column("views", sa.BigInteger(), nullable=False),
    sa.Column("analysed", sa.Integer(), nullable=False),
    sa.Column("positive", sa.Integer(), nullable=False),
    sa.Column("negative", sa.Integer(), nullable=False),
)

metric_authors = sa.Table(
    "metric_authors",
    metadata,
    # Who wrote on one local day, per scope, page and platform: unique authors over any period.
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), primary_key=True),
    sa.Column("scope", sa.String(8), primary_key=True),
    sa.Column("scope_id", sa.BigInteger(), primary_key=True),
    sa.Column("day", sa.Date(), primary_key=True),
    sa.Column("source_id", sa.BigInteger(), primary_key=True),
    sa.Column("platform", sa.String(32), primary_key=True),
    sa.Column("author_id", sa.BigInteger(), primary_key=True),
)

item_facts = sa.Table(
    "item_facts",
    metadata,
    # Each inbox item as metrics count it (lytter.domain.metrics.ItemFact), rewritten when
    # the item, its history or its desk's targets change.
    sa.Column("item_id", Id, sa.ForeignKey("inbox_items.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("day", sa.Date(), nullable=False),
    sa.Column("source_id", sa.BigInteger(), nullable=True),
    sa.Column("platform", sa.String(32), nullable=False),
    sa.Column("desk_id", sa.BigInteger(), nullable=True),
    sa.Column("assignee_id", sa.BigInteger(), nullable=True),
    sa.Column("first_response_s", sa.Integer(), nullable=True),
    sa.Column("resolution_s", sa.Integer(), nullable=True),
    sa.Column("first_state", sa.String(16), nullable=True),
    sa.Column("first_due", UtcDateTime(), nullable=True),
    sa.Column("resolution_state", sa.String(16), nullable=True),
    sa.Column("resolution_due", UtcDateTime(), nullable=True),
    sa.Index(None, "workspace_id", "day"),
)

metric_dirty_days = sa.Table(
    "metric_dirty_days",
    metadata,
    # UTC days whose posts changed since the roll-ups were computed; written by triggers on
    # posts, post_analyses and query_matches, so no writer can forget it.
    sa.Column("workspace_id", sa.BigInteger(), primary_key=True),
    sa.Column("day", sa.String(10), primary_key=True),  # YYYY-MM-DD, UTC
)

metric_dirty_items = sa.Table(
    "metric_dirty_items",
    metadata,
    # Inbox items that changed since their facts were written (triggers on inbox_items,
    # inbox_events, desks and sla_policies).
    sa.Column("item_id", sa.BigInteger(), primary_key=True),
)

goals = sa.Table(
    "goals",
    metadata,
    # A target for one metric per day, week, month or year (lytter.domain.goals), for the
    # workspace, a page (source_id) or a desk (desk_id).
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("metric", sa.String(32), nullable=False),
    sa.Column("comparison", sa.String(16), nullable=False),
    sa.Column("target", sa.Float(), nullable=False),
    sa.Column("cadence", sa.String(8), nullable=False),
    sa.Column("source_id", Id, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=True),
    sa.Column("desk_id", Id, sa.ForeignKey("desks.id", ondelete="CASCADE"), nullable=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("created_by", sa.String(320), nullable=False),
    sa.UniqueConstraint("workspace_id", "name"),
    sa.CheckConstraint("comparison IN ('at-least', 'at-most')", name="comparison"),
    sa.CheckConstraint("cadence IN ('day', 'week', 'month', 'year')", name="cadence"),
)

alerts = sa.Table(
    "alerts",
    metadata,
    # One incident (lytter.domain.alerts): opened when a check first sees it, closed when a
    # check no longer does; at most one open alert per key, so one incident is one alert.
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("key", sa.String(300), nullable=False),
    sa.Column("source_id", sa.BigInteger(), nullable=True),  # a page's alert: its viewers only
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("details", Json, nullable=False),
    sa.Column("opened_at", UtcDateTime(), nullable=False),
    sa.Column("seen_at", UtcDateTime(), nullable=False),
    sa.Column("closed_at", UtcDateTime(), nullable=True),
    sa.Index(
        "ix_alerts_open_key",
        "workspace_id",
        "key",
        unique=True,
        sqlite_where=sa.text("closed_at IS NULL"),
        postgresql_where=sa.text("closed_at IS NULL"),
    ),
    sa.Index(None, "workspace_id", "opened_at"),
)

alert_subscriptions = sa.Table(
    "alert_subscriptions",
    metadata,
    # Where a user wants alerts delivered besides the app: an e-mail address or a webhook
    # (Slack/Teams-compatible JSON, signed with HMAC-SHA256 by `secret`, kept encrypted).
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("workspace_id", Id, sa.ForeignKey("workspaces.id"), nullable=False),
    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("address", sa.String(2000), nullable=False),
    sa.Column("kinds", Json, nullable=True),  # NULL: every kind
    sa.Column("secret", sa.String(500), nullable=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.CheckConstraint("channel IN ('email', 'webhook')", name="channel"),
)

alert_deliveries = sa.Table(
    "alert_deliveries",
    metadata,
    # Each alert sent (or tried) to each subscription: sent once, retried while it fails.
    sa.Column("alert_id", Id, sa.ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "subscription_id",
        Id,
        sa.ForeignKey("alert_subscriptions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("status", sa.String(16), nullable=False),  # sent, failed
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("error", sa.String(500), nullable=True),
    sa.Column("at", UtcDateTime(), nullable=False),
)

alert_reads = sa.Table(
    "alert_reads",
    metadata,
    # Who has read which alert in the app.
    sa.Column("alert_id", Id, sa.ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("read_at", UtcDateTime(), nullable=False),
)
