"""The SQL implementation of the Store, shared by SQLite and PostgreSQL.

Only what genuinely differs per engine (connecting, the full-text match, upsert syntax) is
left to the subclasses in `sqlite.py` and `postgres.py`.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from lytter.domain.analysis import OFFENSIVE_AT, TrendSettings
from lytter.domain.authors import AuthorSettings
from lytter.domain.health import HealthRules
from lytter.domain.posts import (
    POST_KEY,
    DraftRow,
    Engagement,
    Post,
    PostDraft,
    PostEdit,
    PostFilter,
    SaveResult,
)
from lytter.domain.queries import PostForMatching
from lytter.domain.sources import Source
from lytter.domain.workspaces import Brand, BrandKind, Workspace
from lytter.querylang.narrow import Narrowing
from lytter.store.accounts import SqlAccounts
from lytter.store.alerts import SqlAlerts
from lytter.store.analysis import SqlAnalysis
from lytter.store.audit import SqlAudit
from lytter.store.authors import SqlAuthors, effective_type
from lytter.store.base import Checkpoint, Clock, SourceCursor, Stats, StoreError
from lytter.store.goals import SqlGoals
from lytter.store.inbox import SqlInbox
from lytter.store.listening import SqlListening
from lytter.store.metrics import SqlMetrics
from lytter.store.moderation import SqlModeration
from lytter.store.replies import SqlReplies
from lytter.store.routing import SqlRouting
from lytter.store.tables import (
    author_types,
    authors,
    brands,
    import_checkpoints,
    post_analyses,
    post_edits,
    posts,
    query_matches,
    source_grants,
    sources,
    workspaces,
)

# Parameters per IN (...) list; well under SQLite's and PostgreSQL's limits.
_CHUNK = 900
# Columns an update always overwrites; the others keep their value when the update has none.
_ALWAYS_REPLACED = frozenset({"text", "collected_at", "created_at", "mapper"})
# Author ids remembered between batches; cleared when full so memory stays flat.
_AUTHOR_CACHE_MAX = 200_000


def _utcnow() -> datetime:
    return datetime.now(UTC)


def chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    """`items` in slices of at most `size`: IN (...) lists stay under every engine's limit."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def alembic_config(connection: sa.Connection) -> Config:
    """An Alembic config that migrates over `connection` with the packaged scripts."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("lytter.store") / "migrations"))
    config.attributes["connection"] = connection
    return config


class SqlStore(
    SqlAccounts,
    SqlMetrics,
    SqlGoals,
    SqlAlerts,
    SqlListening,
    SqlAnalysis,
    SqlAuthors,
    SqlAudit,
    SqlInbox,
    SqlRouting,
    SqlReplies,
    SqlModeration,
    ABC,
):
    """Store on a SQLAlchemy engine; subclasses add the engine-specific parts."""

    backend = "sql"

    def __init__(self, engine: sa.Engine, url: str, clock: Clock | None = None) -> None:
        self.engine = engine
        self.url = url
        self.clock: Clock = clock or _utcnow
        # workspace -> (platform, handle) -> (id, name, followers), for authors already stored
        self._authors: dict[int, dict[tuple[str, str], tuple[int, str | None, int | None]]] = {}
        self._sources: dict[tuple[int, str, str], int] = {}

    # -- lifecycle ---------------------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema to the newest migration (a no-op when it is there already)."""
        # On SQLite the migration runs with foreign keys off (`lytter_resolved`), as SQLite asks
        # for schema changes: a batch migration rebuilds a table by copy and move, and dropping
        # the old copy of a table that other rows refer to would fail with them on. The
        # references are checked once it is done.
        with self.engine.execution_options(lytter_resolved=True).connect() as conn:
            config = alembic_config(conn)
            head = ScriptDirectory.from_config(config).get_current_head()
            if MigrationContext.configure(conn).get_current_revision() == head:
                return
            command.upgrade(config, "head")
            conn.commit()
            if conn.dialect.name == "sqlite":
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                conn.commit()
                if broken:
                    raise StoreError(
                        f"the schema upgrade left {len(broken)} rows that refer to missing rows"
                        f" (the first in table {broken[0][0]}); restore the file from a backup"
                    )

    def migrate_or_explain(self) -> None:
        """Migrate; a database that cannot be reached or read becomes one clear StoreError."""
        try:
            self.migrate()
        except (sa.exc.OperationalError, sa.exc.DatabaseError) as exc:
            self.engine.dispose()
            raise connection_error(self.url, exc) from exc

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self, *, resolved: bool = False) -> Iterator[sa.Connection]:
        """One write transaction (taken up front on SQLite, so writers queue, never deadlock).

        `resolved`: every reference the transaction writes is one it looked up or created
        itself, under the write lock, so the engine may skip checking them (SQLite does).
        """
        options = {"lytter_write": True, "lytter_resolved": resolved}
        with self.engine.execution_options(**options).begin() as conn:
            yield conn

    @abstractmethod
    def _insert(self, table: sa.Table) -> Any:
        """The dialect's INSERT construct, which has on_conflict_do_nothing/do_update."""

    @abstractmethod
    def _narrowing_condition(self, narrowing: Narrowing) -> sa.ColumnElement[bool]:
        """A WHERE condition on `posts`, true for posts whose indexed words satisfy `narrowing`
        (a superset of what the query it came from matches)."""

    # -- workspaces and brands ---------------------------------------------------------------

    def ensure_workspace(self, slug: str, name: str | None = None) -> Workspace:
        with self._write() as conn:
            conn.execute(
                self._insert(workspaces)
                .values(slug=slug, name=name or slug, created_at=self.clock())
                .on_conflict_do_nothing(index_elements=["slug"])
            )
            if name:
                conn.execute(workspaces.update().where(workspaces.c.slug == slug).values(name=name))
            row = conn.execute(workspaces.select().where(workspaces.c.slug == slug)).one()
        return _workspace(row)

    def get_workspace(self, slug: str) -> Workspace | None:
        with self.engine.connect() as conn:
            row = conn.execute(workspaces.select().where(workspaces.c.slug == slug)).first()
        return None if row is None else _workspace(row)

    def workspace(self, workspace_id: int) -> Workspace | None:
        with self.engine.connect() as conn:
            row = conn.execute(workspaces.select().where(workspaces.c.id == workspace_id)).first()
        return None if row is None else _workspace(row)

    def set_old_spelling_aa(self, workspace_id: int, on: bool) -> None:
        with self._write() as conn:
            conn.execute(
                workspaces.update()
                .where(workspaces.c.id == workspace_id)
                .values(old_spelling_aa=on)
            )

    def set_trend_settings(self, workspace_id: int, settings: TrendSettings) -> None:
        with self._write() as conn:
            conn.execute(
                workspaces.update()
                .where(workspaces.c.id == workspace_id)
                .values(trend_settings=settings.as_dict())
            )

    def set_health_settings(self, workspace_id: int, settings: HealthRules) -> None:
        with self._write() as conn:
            conn.execute(
                workspaces.update()
                .where(workspaces.c.id == workspace_id)
                .values(health_settings=settings.as_dict())
            )

    def set_author_settings(self, workspace_id: int, settings: AuthorSettings) -> None:
        with self._write() as conn:
            conn.execute(
                workspaces.update()
                .where(workspaces.c.id == workspace_id)
                .values(author_settings=settings.as_dict())
            )

    def ensure_brand(self, workspace_id: int, name: str, kind: BrandKind) -> Brand:
        with self._write() as conn:
            conn.execute(
                self._insert(brands)
                .values(workspace_id=workspace_id, name=name, kind=kind.value)
                .on_conflict_do_update(
                    index_elements=["workspace_id", "name"], set_={"kind": kind.value}
                )
            )
            row = conn.execute(
                brands.select().where(brands.c.workspace_id == workspace_id, brands.c.name == name)
            ).one()
        return Brand(row.id, row.workspace_id, row.name, BrandKind(row.kind))

    def list_brands(self, workspace_id: int) -> list[Brand]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                brands.select().where(brands.c.workspace_id == workspace_id).order_by(brands.c.name)
            )
            return [Brand(r.id, r.workspace_id, r.name, BrandKind(r.kind)) for r in rows]

    # -- sources -----------------------------------------------------------------------------

    def list_sources(self, workspace_id: int) -> list[Source]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sources.select()
                .where(sources.c.workspace_id == workspace_id)
                .order_by(sources.c.platform, sources.c.name)
            )
            return [_to_source(r) for r in rows]

    def get_source(self, workspace_id: int, source_id: int) -> Source | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sources.select().where(
                    sources.c.workspace_id == workspace_id, sources.c.id == source_id
                )
            ).one_or_none()
            return None if row is None else _to_source(row)

    def sources_with_platform_id(self, platform: str, external_id: str) -> list[Source]:
        """The collected sources, in every workspace, for one platform account (a webhook
        names the page, not the workspace)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sources.select()
                .where(
                    sources.c.platform == platform,
                    sources.c.external_id == external_id,
                    sources.c.connector.is_not(None),
                )
                .order_by(sources.c.id)
            )
            return [_to_source(r) for r in rows]

    def add_collected_source(
        self,
        workspace_id: int,
        *,
        platform: str,
        external_id: str,
        name: str,
        url: str | None,
        connector: str,
        settings: dict[str, Any],
        secret: str | None,
        poll_seconds: int,
    ) -> Source | None:
        """Add a source to collect from, or make an imported one collectable; None when it is
        collected already."""
        values = {
            "name": name,
            "url": url,
            "connector": connector,
            "settings": settings,
            "secret": secret,
            "poll_seconds": poll_seconds,
            "enabled": True,
        }
        key = (
            (sources.c.workspace_id == workspace_id)
            & (sources.c.platform == platform)
            & (sources.c.external_id == external_id)
        )
        with self._write() as conn:
            existing = conn.execute(sources.select().where(key)).one_or_none()
            if existing is not None and existing.connector is not None:
                return None
            if existing is None:
                conn.execute(
                    sources.insert().values(
                        workspace_id=workspace_id,
                        platform=platform,
                        external_id=external_id,
                        created_at=self.clock(),
                        **values,
                    )
                )
            else:
                conn.execute(sources.update().where(key).values(**values))
            row = conn.execute(sources.select().where(key)).one()
        self._sources.clear()
        return _to_source(row)

    def source_secret(self, source_id: int) -> str | None:
        """The source's encrypted credentials, as stored."""
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(sources.c.secret).where(sources.c.id == source_id)
            ).scalar_one_or_none()

    def stop_collecting(self, source_id: int) -> bool:
        """Forget how to collect from a source (settings, secret, cursor); its posts stay. A
        source without posts is removed. True when it had posts."""
        with self._write() as conn:
            has_posts = (
                conn.execute(
                    sa.select(posts.c.id).where(posts.c.source_id == source_id).limit(1)
                ).first()
                is not None
            )
            if has_posts:
                conn.execute(
                    sources.update()
                    .where(sources.c.id == source_id)
                    .values(connector=None, settings=None, secret=None, cursor=None, enabled=False)
                )
            else:
                conn.execute(source_grants.delete().where(source_grants.c.source_id == source_id))
                conn.execute(sources.delete().where(sources.c.id == source_id))
        self._sources.clear()
        return has_posts

    def record_collection(self, source_id: int, at: datetime, error: str | None) -> None:
        """When the source was last collected from, and the error that stopped it, if any."""
        with self._write() as conn:
            conn.execute(
                sources.update()
                .where(sources.c.id == source_id)
                .values(collected_at=at, last_error=error)
            )

    def set_source_cursor(self, source_id: int, cursor: Any) -> None:
        with self._write() as conn:
            conn.execute(sources.update().where(sources.c.id == source_id).values(cursor=cursor))

    def set_source_brand(self, source_id: int, brand_id: int | None) -> None:
        with self._write() as conn:
            conn.execute(
                sources.update().where(sources.c.id == source_id).values(brand_id=brand_id)
            )

    # -- posts: ingest -----------------------------------------------------------------------

    def save_posts(
        self,
        workspace_id: int,
        drafts: Sequence[PostDraft],
        checkpoint: Checkpoint | None = None,
        cursor: SourceCursor | None = None,
    ) -> SaveResult:
        """Store a batch idempotently, in one transaction with the import checkpoint or the
        collecting source's cursor (a crash loses nothing and duplicates nothing).

        A post already stored (same workspace, platform and external id) is never duplicated:
        a changed text replaces it and the old text is kept in `post_edits`; changed counts
        are updated in place.
        """
        return self.save_rows(workspace_id, [d.row() for d in drafts], checkpoint, cursor)

    def save_rows(
        self,
        workspace_id: int,
        rows: Sequence[DraftRow],
        checkpoint: Checkpoint | None = None,
        cursor: SourceCursor | None = None,
    ) -> SaveResult:
        """`save_posts` for drafts already flattened (`PostDraft.row()`), as an import's
        reader hands them over."""
        now = self.clock()
        try:
            # The posts' sources and authors are resolved in this transaction and the workspace
            # is looked up: their foreign keys need no checking post by post (~5% of an import).
            with self._write(resolved=True) as conn:
                if (
                    conn.execute(
                        sa.select(workspaces.c.id).where(workspaces.c.id == workspace_id)
                    ).first()
                    is None
                ):
                    raise StoreError(f"there is no workspace with id {workspace_id}")
                source_ids = self._resolve_sources(conn, workspace_id, rows, now)
                author_ids = self._resolve_authors(conn, workspace_id, rows)
                result = self._save_post_rows(conn, workspace_id, rows, source_ids, author_ids, now)
                if checkpoint is not None:
                    self._write_checkpoint(conn, workspace_id, checkpoint, now)
                if cursor is not None:
                    conn.execute(
                        sources.update()
                        .where(sources.c.id == cursor.source_id)
                        .values(cursor=cursor.value)
                    )
        except BaseException:
            # The transaction rolled back: ids cached during it may not exist.
            self._authors.clear()
            self._sources.clear()
            raise
        return result

    def _resolve_sources(
        self,
        conn: sa.Connection,
        workspace_id: int,
        rows: Sequence[DraftRow],
        now: datetime,
    ) -> dict[tuple[str, str], int]:
        # The first mention of a source in the batch names it.
        wanted: dict[tuple[str, str], DraftRow] = {}
        for r in rows:
            if r.source_external_id is not None:
                wanted.setdefault((r.platform, r.source_external_id), r)
        missing = [
            {
                "workspace_id": workspace_id,
                "platform": r.platform,
                "external_id": r.source_external_id,
                "name": r.source_name,
                "url": r.source_url,
                "created_at": now,
            }
            for k, r in wanted.items()
            if (workspace_id, *k) not in self._sources
        ]
        if missing:
            # DO UPDATE (to itself) so RETURNING gives the id of rows that already existed;
            # SQLAlchemy sends the rows as batched multi-row INSERTs ("insertmanyvalues").
            stmt = (
                self._insert(sources)
                .on_conflict_do_update(
                    index_elements=["workspace_id", "platform", "external_id"],
                    set_={"name": sources.c.name},
                )
                .returning(sources.c.id, sources.c.platform, sources.c.external_id)
            )
            for sid, platform, ext in conn.execute(stmt, missing):
                self._sources[(workspace_id, platform, ext)] = sid
        return {k: self._sources[(workspace_id, *k)] for k in wanted}

    def _resolve_authors(
        self, conn: sa.Connection, workspace_id: int, rows: Sequence[DraftRow]
    ) -> dict[tuple[str, str], int]:
        # Details merge: a copy without a name or follower count keeps the last one known,
        # from earlier in the batch or from the store.
        cache = self._authors.setdefault(workspace_id, {})
        if len(cache) > _AUTHOR_CACHE_MAX:
            cache.clear()
        keys = dict.fromkeys(
            (r.platform, r.author_handle) for r in rows if r.author_handle is not None
        )
        names = {
            (r.platform, r.author_handle): r.author_name for r in rows if r.author_name is not None
        }
        followers = {
            (r.platform, r.author_handle): r.author_followers
            for r in rows
            if r.author_followers is not None
        }
        latest: dict[tuple[str, str], tuple[str | None, int | None]] = {}
        changed = []
        for k in keys:
            hit = cache.get(k)
            name = names.get(k, hit[1] if hit else None)
            count = followers.get(k, hit[2] if hit else None)
            latest[k] = (name, count)
            # Upsert only authors we have not seen with exactly these details.
            if hit is None or hit[1] != name or hit[2] != count:
                changed.append(
                    {
                        "workspace_id": workspace_id,
                        "platform": k[0],
                        "handle": k[1],
                        "name": name,
                        "followers": count,
                    }
                )
        if changed:
            for aid, platform, handle in self._upsert_authors(conn, changed):
                cache[(platform, handle)] = (aid, *latest[(platform, handle)])
        return {k: cache[k][0] for k in keys}

    @abstractmethod
    def _upsert_authors(
        self, conn: sa.Connection, rows: list[dict[str, Any]]
    ) -> Iterable[tuple[int, str, str]]:
        """Insert or update authors; yields (id, platform, handle) for every row."""

    def _save_post_rows(
        self,
        conn: sa.Connection,
        workspace_id: int,
        rows: Sequence[DraftRow],
        source_ids: dict[tuple[str, str], int],
        author_ids: dict[tuple[str, str], int],
        now: datetime,
    ) -> SaveResult:
        # The same post twice in one batch: the last one wins, earlier texts become edits.
        batch = dict(zip(map(POST_KEY, rows), rows, strict=True))
        earlier_texts: list[tuple[tuple[str, str], str]] = []
        if len(batch) < len(rows):
            seen: dict[tuple[str, str], str] = {}
            for r in rows:
                key = (r.platform, r.external_id)
                previous = seen.get(key)
                if previous is not None and previous != r.text:
                    earlier_texts.append((key, previous))
                seen[key] = r.text

        existing = self._existing_posts(conn, workspace_id, list(batch))
        if existing:
            new_posts = [r for k, r in batch.items() if k not in existing]
        else:
            new_posts = list(batch.values())
        edits: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        unchanged = 0
        for key, old in existing.items():
            r = batch[key]
            row = self._post_row(workspace_id, r, source_ids, author_ids, now)
            old_id, old_text, *old_counts = old
            if old_text != r.text:
                edits.append({"post_id": old_id, "old_text": old_text, "replaced_at": now})
            elif old_counts == [r.likes, r.comments, r.shares, r.views]:
                unchanged += 1
                continue
            row["b_id"] = old_id
            del row["workspace_id"], row["platform"], row["external_id"]
            updates.append(row)

        if new_posts:
            self._insert_new_posts(conn, workspace_id, new_posts, source_ids, author_ids, now)
        if updates:
            # A later copy that lacks a field (no source, no url...) keeps what was stored.
            values: dict[str, Any] = {
                c: sa.bindparam(c)
                if c in _ALWAYS_REPLACED
                else sa.func.coalesce(sa.bindparam(c, type_=posts.c[c].type), posts.c[c])
                for c in updates[0]
                if c != "b_id"
            }
            conn.execute(
                posts.update().where(posts.c.id == sa.bindparam("b_id")).values(values), updates
            )
        if earlier_texts:
            # A text a post's history already holds, or that this batch replaced, is not kept
            # again: a file of a post and its edited copy imports twice as it does once.
            ids = self._existing_posts(conn, workspace_id, [k for k, _ in earlier_texts])
            post_ids = sorted({ids[k][0] for k, _ in earlier_texts})
            kept = {(e["post_id"], e["old_text"]) for e in edits}
            for chunk in chunks(post_ids):
                history = sa.select(post_edits.c.post_id, post_edits.c.old_text).where(
                    post_edits.c.post_id.in_(chunk)
                )
                kept.update((r[0], r[1]) for r in conn.execute(history))
            for k, text in earlier_texts:
                if (ids[k][0], text) not in kept:
                    kept.add((ids[k][0], text))
                    edits.append({"post_id": ids[k][0], "old_text": text, "replaced_at": now})
        if edits:
            conn.execute(post_edits.insert(), edits)
        return SaveResult(
            inserted=len(new_posts),
            updated=len(updates),
            edited=len(edits),
            unchanged=unchanged + len(rows) - len(batch),
        )

    @staticmethod
    def _post_row(
        workspace_id: int,
        r: DraftRow,
        source_ids: dict[tuple[str, str], int],
        author_ids: dict[tuple[str, str], int],
        now: datetime,
    ) -> dict[str, Any]:
        return {
            "workspace_id": workspace_id,
            "platform": r.platform,
            "external_id": r.external_id,
            "source_id": None
            if r.source_external_id is None
            else source_ids[(r.platform, r.source_external_id)],
            "author_id": None
            if r.author_handle is None
            else author_ids[(r.platform, r.author_handle)],
            "root_id": r.root_id,
            "parent_id": r.parent_id,
            "text": r.text,
            "language": r.language,
            "created_at": r.created_at,
            "collected_at": r.collected_at or now,
            "url": r.url,
            "likes": r.likes,
            "comments": r.comments,
            "shares": r.shares,
            "views": r.views,
            "raw": None if r.raw_json is None else json.loads(r.raw_json),
            "mapper": r.mapper,
        }

    @abstractmethod
    def _insert_new_posts(
        self,
        conn: sa.Connection,
        workspace_id: int,
        rows: list[DraftRow],
        source_ids: dict[tuple[str, str], int],
        author_ids: dict[tuple[str, str], int],
        now: datetime,
    ) -> None:
        """Insert posts this transaction found missing, and index them for full-text search."""

    @abstractmethod
    def _existing_posts(
        self, conn: sa.Connection, workspace_id: int, keys: list[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[Any, ...]]:
        """(id, text, likes, comments, shares, views) of each key that is already stored."""

    # -- posts: reading ----------------------------------------------------------------------

    def _post_select(self) -> sa.Select[Any]:
        return sa.select(
            posts,
            sources.c.name.label("source_name"),
            sources.c.external_id.label("source_external_id"),
            authors.c.handle.label("author_handle"),
            authors.c.name.label("author_name"),
        ).select_from(
            posts.outerjoin(sources, posts.c.source_id == sources.c.id).outerjoin(
                authors, posts.c.author_id == authors.c.id
            )
        )

    def _index_first(self, conn: sa.Connection, q: PostFilter, counting: bool) -> bool:
        """Should the database start from the full-text index's few candidates rather than
        walk the workspace's posts newest first? (SQLite cannot tell by itself.)"""
        return False

    def _where(self, q: PostFilter, index_first: bool = False) -> list[sa.ColumnElement[bool]]:
        # `+column` keeps a planner from walking the workspace index (SQLite reads it so).
        workspace = (
            sa.literal_column("+posts.workspace_id") if index_first else posts.c.workspace_id
        )
        conds: list[sa.ColumnElement[bool]] = [workspace == q.workspace_id]
        if q.narrowing is not None:
            conds.append(self._narrowing_condition(q.narrowing))
        if q.before is not None:
            at, post_id = q.before
            conds.append(
                sa.or_(
                    posts.c.created_at < at,
                    sa.and_(posts.c.created_at == at, posts.c.id < post_id),
                )
            )
        if q.source_ids:
            conds.append(posts.c.source_id.in_(q.source_ids))
        if q.visible_sources is not None:
            conds.append(posts.c.source_id.in_(q.visible_sources))
        if q.query_id is not None:
            matched = sa.select(query_matches.c.post_id).where(
                query_matches.c.query_id == q.query_id
            )
            conds.append(posts.c.id.in_(matched))
        if q.post_ids:
            conds.append(posts.c.id.in_(q.post_ids))
        if q.platforms:
            conds.append(posts.c.platform.in_(q.platforms))
        if q.languages:
            conds.append(posts.c.language.in_(q.languages))
        if q.sentiments:
            tone = sa.func.coalesce(post_analyses.c.corrected, post_analyses.c.sentiment)
            conds.append(
                sa.exists().where(post_analyses.c.post_id == posts.c.id, tone.in_(q.sentiments))
            )
        if q.offensive is not None:
            offensive = sa.exists().where(
                post_analyses.c.post_id == posts.c.id, post_analyses.c.offensive >= OFFENSIVE_AT
            )
            conds.append(offensive if q.offensive else ~offensive)
        if q.author_ids:
            conds.append(posts.c.author_id.in_(q.author_ids))
        if q.author_types:
            typed = sa.select(author_types.c.author_id).where(
                author_types.c.workspace_id == q.workspace_id,
                effective_type().in_(q.author_types),
            )
            conds.append(posts.c.author_id.in_(typed))
        if q.since is not None:
            conds.append(posts.c.created_at >= q.since)
        if q.until is not None:
            conds.append(posts.c.created_at < q.until)
        return conds

    @staticmethod
    def _to_post(r: Any) -> Post:
        return Post(
            id=r.id,
            workspace_id=r.workspace_id,
            platform=r.platform,
            external_id=r.external_id,
            source_id=r.source_id,
            source_name=r.source_name,
            author_id=r.author_id,
            author_handle=r.author_handle,
            author_name=r.author_name,
            root_id=r.root_id,
            parent_id=r.parent_id,
            text=r.text,
            language=r.language,
            created_at=r.created_at,
            collected_at=r.collected_at,
            url=r.url,
            engagement=Engagement(r.likes, r.comments, r.shares, r.views),
            raw=r.raw,
            source_external_id=r.source_external_id,
        )

    def find_posts(self, query: PostFilter) -> list[Post]:
        stmt = (
            self._post_select()
            .where(*self._where(query))
            .order_by(posts.c.created_at.desc(), posts.c.id.desc())
            .limit(query.limit)
            .offset(query.offset)
        )
        with self.engine.connect() as conn:
            return [self._to_post(r) for r in conn.execute(stmt)]

    def search_candidates(self, query: PostFilter) -> list[PostForMatching]:
        """What the matcher needs of the posts `query` selects, newest first (its offset is
        ignored: continue with `before`)."""
        with self.engine.connect() as conn:
            stmt = (
                self._matching_select()
                .where(*self._where(query, self._index_first(conn, query, counting=False)))
                .order_by(posts.c.created_at.desc(), posts.c.id.desc())
                .limit(query.limit)
            )
            return self._for_matching(conn.execute(stmt))

    def count_posts(self, query: PostFilter, cap: int | None = None) -> int:
        """How many posts match; with `cap`, counting stops there (cheap on huge workspaces)."""
        with self.engine.connect() as conn:
            where = self._where(query, self._index_first(conn, query, counting=True))
            if cap is None:
                stmt = sa.select(sa.func.count()).select_from(posts).where(*where)
            else:
                matching = sa.select(posts.c.id).where(*where).limit(cap).subquery()
                stmt = sa.select(sa.func.count()).select_from(matching)
            return int(conn.execute(stmt).scalar_one())

    def facets(self, workspace_id: int) -> tuple[list[str], list[str]]:
        """The platforms and languages that occur among the workspace's posts."""
        ws = posts.c.workspace_id == workspace_id
        with self.engine.connect() as conn:
            platforms = conn.execute(
                sa.select(posts.c.platform).where(ws).distinct().order_by(posts.c.platform)
            ).scalars()
            platform_list = list(platforms)
            languages = conn.execute(
                sa.select(posts.c.language)
                .where(ws, posts.c.language.is_not(None))
                .distinct()
                .order_by(posts.c.language)
            ).scalars()
            return platform_list, list(languages)

    def get_post(self, workspace_id: int, post_id: int) -> Post | None:
        stmt = self._post_select().where(
            posts.c.workspace_id == workspace_id, posts.c.id == post_id
        )
        with self.engine.connect() as conn:
            row = conn.execute(stmt).first()
        return None if row is None else self._to_post(row)

    def thread(self, workspace_id: int, post: Post) -> list[Post]:
        """Every stored post of `post`'s conversation, oldest first."""
        root = post.root_id or post.external_id
        stmt = (
            self._post_select()
            .where(
                posts.c.workspace_id == workspace_id,
                posts.c.platform == post.platform,
                sa.or_(posts.c.root_id == root, posts.c.external_id == root),
            )
            .order_by(posts.c.created_at, posts.c.id)
        )
        with self.engine.connect() as conn:
            return [self._to_post(r) for r in conn.execute(stmt)]

    def post_edits(self, post_id: int) -> list[PostEdit]:
        stmt = post_edits.select().where(post_edits.c.post_id == post_id).order_by(post_edits.c.id)
        with self.engine.connect() as conn:
            return [
                PostEdit(r.id, r.post_id, r.old_text, r.replaced_at) for r in conn.execute(stmt)
            ]

    def stats(self, workspace_id: int) -> Stats:
        ws = posts.c.workspace_id == workspace_id
        with self.engine.connect() as conn:
            total, first, last = conn.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.min(posts.c.created_at),
                    sa.func.max(posts.c.created_at),
                ).where(ws)
            ).one()
            n_authors = conn.execute(
                sa.select(sa.func.count())
                .select_from(authors)
                .where(authors.c.workspace_id == workspace_id)
            ).scalar_one()
            n_sources = conn.execute(
                sa.select(sa.func.count())
                .select_from(sources)
                .where(sources.c.workspace_id == workspace_id)
            ).scalar_one()
            n_edits = conn.execute(
                sa.select(sa.func.count())
                .select_from(post_edits.join(posts, post_edits.c.post_id == posts.c.id))
                .where(ws)
            ).scalar_one()
            n = sa.func.count().label("n")
            by_platform = conn.execute(
                sa.select(posts.c.platform, n)
                .where(ws)
                .group_by(posts.c.platform)
                .order_by(n.desc())
            ).all()
            lang = sa.func.coalesce(posts.c.language, "?")
            by_language = conn.execute(
                sa.select(lang, n).where(ws).group_by(lang).order_by(n.desc())
            ).all()
            top_sources = conn.execute(
                sa.select(sources.c.platform, sources.c.name, n)
                .select_from(posts.join(sources, posts.c.source_id == sources.c.id))
                .where(ws)
                .group_by(sources.c.platform, sources.c.name)
                .order_by(n.desc())
                .limit(10)
            ).all()
        # Times come back through UtcDateTime only for plain columns, not aggregates.
        return Stats(
            posts=int(total),
            authors=int(n_authors),
            sources=int(n_sources),
            edits=int(n_edits),
            first_post=_as_utc(first),
            last_post=_as_utc(last),
            by_platform=[(p, int(c)) for p, c in by_platform],
            by_language=[(lg, int(c)) for lg, c in by_language],
            top_sources=[(p, s, int(c)) for p, s, c in top_sources],
        )

    # -- import checkpoints ------------------------------------------------------------------

    def _write_checkpoint(
        self, conn: sa.Connection, workspace_id: int, cp: Checkpoint, now: datetime
    ) -> None:
        values = {"byte_offset": cp.byte_offset, "line": cp.line, "updated_at": now}
        conn.execute(
            self._insert(import_checkpoints)
            .values(key=cp.key, workspace_id=workspace_id, path=cp.path, **values)
            .on_conflict_do_update(index_elements=["key"], set_=values)
        )

    def get_checkpoint(self, key: str) -> Checkpoint | None:
        with self.engine.connect() as conn:
            r = conn.execute(
                import_checkpoints.select().where(import_checkpoints.c.key == key)
            ).first()
        return None if r is None else Checkpoint(r.key, r.path, r.byte_offset, r.line)

    def clear_checkpoint(self, key: str) -> None:
        with self._write() as conn:
            conn.execute(import_checkpoints.delete().where(import_checkpoints.c.key == key))


POST_COLUMNS = (
    "workspace_id",
    "platform",
    "external_id",
    "source_id",
    "author_id",
    "root_id",
    "parent_id",
    "text",
    "language",
    "created_at",
    "collected_at",
    "url",
    "likes",
    "comments",
    "shares",
    "views",
    "raw",
    "mapper",
)
"""The columns of a new post, in the order `new_post_values` gives them."""


def new_post_values(
    workspace_id: int,
    rows: Sequence[DraftRow],
    source_ids: dict[tuple[str, str], int],
    author_ids: dict[tuple[str, str], int],
    now: datetime,
    time: Callable[[datetime], Any],
) -> list[tuple[Any, ...]]:
    """The POST_COLUMNS values of new posts for a bulk insert: the raw payload as JSON text,
    times passed through `time` (which must refuse naive ones)."""
    now_value = time(now)
    return [
        (
            workspace_id,
            r.platform,
            r.external_id,
            None if r.source_external_id is None else source_ids[r.platform, r.source_external_id],
            None if r.author_handle is None else author_ids[r.platform, r.author_handle],
            r.root_id,
            r.parent_id,
            r.text,
            r.language,
            time(r.created_at),
            now_value if r.collected_at is None else time(r.collected_at),
            r.url,
            r.likes,
            r.comments,
            r.shares,
            r.views,
            r.raw_json,
            r.mapper,
        )
        for r in rows
    ]


def _workspace(r: Any) -> Workspace:
    return Workspace(
        id=r.id,
        slug=r.slug,
        name=r.name,
        timezone=r.timezone,
        created_at=r.created_at,
        old_spelling_aa=r.old_spelling_aa,
        trends=TrendSettings.from_dict(r.trend_settings),
        authors=AuthorSettings.from_dict(r.author_settings),
        health=HealthRules.from_dict(r.health_settings),
    )


def _to_source(r: Any) -> Source:
    return Source(
        r.id,
        r.workspace_id,
        r.platform,
        r.external_id,
        r.name,
        r.brand_id,
        r.url,
        r.created_at,
        connector=r.connector,
        settings=dict(r.settings or {}),
        cursor=r.cursor,
        poll_seconds=r.poll_seconds,
        enabled=bool(r.enabled),
        collected_at=r.collected_at,
        last_error=r.last_error,
        has_secret=r.secret is not None,
    )


def _as_utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def connection_error(url: str, exc: Exception) -> StoreError:
    """One readable sentence for a database that cannot be opened."""
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else repr(exc)
    return StoreError(f"cannot open database {safe_url(url)}: {reason}")


def safe_url(url: str) -> str:
    """The URL with any password masked, for messages and logs."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url
