"""The listening aggregate of the SQL store: saved queries, synonym sets and their matches."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from lytter.domain.queries import PostForMatching, SavedQuery, SynonymSet
from lytter.store.base import Clock
from lytter.store.tables import (
    authors,
    match_progress,
    post_edits,
    posts,
    queries,
    query_matches,
    sources,
    synonym_sets,
)

_QUERY_FIELDS = frozenset({"name", "query", "brand_id", "tags", "languages", "compounds"})


def _query(r: Any) -> SavedQuery:
    return SavedQuery(
        r.id,
        r.workspace_id,
        r.name,
        r.query,
        r.brand_id,
        tuple(r.tags),
        tuple(r.languages),
        r.created_at,
        r.updated_at,
        r.compounds,
    )


class SqlListening:
    """Saved queries and matches; mixed into SqlStore, which supplies the engine."""

    engine: sa.Engine
    clock: Clock

    if TYPE_CHECKING:  # supplied by SqlStore and its engine subclasses

        def _write(self) -> AbstractContextManager[sa.Connection]: ...
        def _insert(self, table: sa.Table) -> Any: ...

    # -- saved queries -----------------------------------------------------------------------

    def add_query(
        self,
        workspace_id: int,
        name: str,
        text: str,
        brand_id: int | None,
        tags: Sequence[str],
        languages: Sequence[str],
        compounds: str = "none",
    ) -> SavedQuery:
        now = self.clock()
        with self._write() as conn:
            query_id = conn.execute(
                queries.insert()
                .values(
                    workspace_id=workspace_id,
                    name=name,
                    query=text,
                    brand_id=brand_id,
                    tags=list(tags),
                    languages=list(languages),
                    compounds=compounds,
                    created_at=now,
                    updated_at=now,
                )
                .returning(queries.c.id)
            ).scalar_one()
            return _query(conn.execute(queries.select().where(queries.c.id == query_id)).one())

    def update_query(self, query_id: int, **fields: Any) -> None:
        unknown = set(fields) - _QUERY_FIELDS
        if unknown:
            raise ValueError(f"cannot update query fields {sorted(unknown)}")
        for key in ("tags", "languages"):
            if key in fields:
                fields[key] = list(fields[key])
        with self._write() as conn:
            conn.execute(
                queries.update()
                .where(queries.c.id == query_id)
                .values(**fields, updated_at=self.clock())
            )

    def delete_query(self, query_id: int) -> None:
        with self._write() as conn:
            conn.execute(query_matches.delete().where(query_matches.c.query_id == query_id))
            conn.execute(queries.delete().where(queries.c.id == query_id))

    def list_queries(self, workspace_id: int) -> list[SavedQuery]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                queries.select()
                .where(queries.c.workspace_id == workspace_id)
                .order_by(queries.c.name)
            )
            return [_query(r) for r in rows]

    # -- synonym sets ------------------------------------------------------------------------

    def set_synonyms(self, workspace_id: int, name: str, entries: Sequence[str]) -> SynonymSet:
        with self._write() as conn:
            conn.execute(
                self._insert(synonym_sets)
                .values(workspace_id=workspace_id, name=name, entries=list(entries))
                .on_conflict_do_update(
                    index_elements=["workspace_id", "name"], set_={"entries": list(entries)}
                )
            )
            row = conn.execute(
                synonym_sets.select().where(
                    synonym_sets.c.workspace_id == workspace_id, synonym_sets.c.name == name
                )
            ).one()
        return SynonymSet(row.id, row.workspace_id, row.name, tuple(row.entries))

    def list_synonyms(self, workspace_id: int) -> list[SynonymSet]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                synonym_sets.select()
                .where(synonym_sets.c.workspace_id == workspace_id)
                .order_by(synonym_sets.c.name)
            )
            return [SynonymSet(r.id, r.workspace_id, r.name, tuple(r.entries)) for r in rows]

    # -- matching ----------------------------------------------------------------------------

    def _matching_select(self) -> sa.Select[Any]:
        return sa.select(
            posts.c.id,
            posts.c.text,
            posts.c.language,
            posts.c.platform,
            posts.c.url,
            posts.c.created_at,
            authors.c.handle,
            authors.c.name.label("author_name"),
            sources.c.name.label("source_name"),
            sources.c.external_id.label("source_external_id"),
        ).select_from(
            posts.outerjoin(authors, posts.c.author_id == authors.c.id).outerjoin(
                sources, posts.c.source_id == sources.c.id
            )
        )

    @staticmethod
    def _for_matching(rows: Iterable[Any]) -> list[PostForMatching]:
        return [
            PostForMatching(
                r.id,
                r.text,
                r.language,
                r.platform,
                r.url,
                tuple(a for a in (r.handle, r.author_name) if a),
                tuple(s for s in (r.source_name, r.source_external_id) if s),
                r.created_at,
            )
            for r in rows
        ]

    def posts_for_matching(
        self, workspace_id: int, after_id: int, limit: int
    ) -> list[PostForMatching]:
        """The workspace's posts with ids above `after_id`, lowest first, at most `limit`."""
        stmt = (
            self._matching_select()
            .where(posts.c.workspace_id == workspace_id, posts.c.id > after_id)
            .order_by(posts.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return self._for_matching(conn.execute(stmt))

    def posts_edited_after(
        self, workspace_id: int, after_edit_id: int, up_to_post_id: int
    ) -> tuple[list[PostForMatching], int]:
        """Posts (up to `up_to_post_id`) whose text changed after edit `after_edit_id`, and
        the newest edit id seen."""
        with self.engine.connect() as conn:
            newest = conn.execute(
                sa.select(sa.func.max(post_edits.c.id))
                .select_from(post_edits.join(posts, post_edits.c.post_id == posts.c.id))
                .where(posts.c.workspace_id == workspace_id, post_edits.c.id > after_edit_id)
            ).scalar()
            if newest is None:
                return [], after_edit_id
            edited = (
                sa.select(post_edits.c.post_id)
                .where(post_edits.c.id > after_edit_id, post_edits.c.id <= newest)
                .distinct()
            )
            stmt = (
                self._matching_select()
                .where(
                    posts.c.workspace_id == workspace_id,
                    posts.c.id <= up_to_post_id,
                    posts.c.id.in_(edited),
                )
                .order_by(posts.c.id)
            )
            return self._for_matching(conn.execute(stmt)), int(newest)

    def rematch_posts(
        self,
        workspace_id: int,
        post_ids: Sequence[int],
        pairs: Iterable[tuple[int, int]],
        last_edit_id: int,
    ) -> None:
        """Replace the matches of posts whose text changed, and move the edit mark, at once."""
        rows = [{"query_id": q, "post_id": p} for q, p in pairs]
        with self._write() as conn:
            for chunk in (post_ids[i : i + 900] for i in range(0, len(post_ids), 900)):
                conn.execute(query_matches.delete().where(query_matches.c.post_id.in_(chunk)))
            if rows:
                conn.execute(query_matches.insert(), rows)
            conn.execute(
                match_progress.update()
                .where(match_progress.c.workspace_id == workspace_id)
                .values(last_edit_id=last_edit_id, updated_at=self.clock())
            )

    def add_matches(
        self, pairs: Iterable[tuple[int, int]], progress_to: tuple[int, int] | None = None
    ) -> int:
        """Record (query id, post id) matches and return how many were new; with
        `progress_to` = (workspace id, last post id), move the workspace's matching progress
        in the same transaction."""
        rows = [{"query_id": q, "post_id": p} for q, p in pairs]
        added_rows: Sequence[Any] = ()
        with self._write() as conn:
            if rows:
                added_rows = conn.execute(
                    self._insert(query_matches)
                    .values(rows)
                    .on_conflict_do_nothing(index_elements=["query_id", "post_id"])
                    .returning(query_matches.c.post_id)
                ).all()
            if progress_to is not None:
                workspace_id, last = progress_to
                values = {"last_post_id": last, "updated_at": self.clock()}
                conn.execute(
                    self._insert(match_progress)
                    .values(workspace_id=workspace_id, **values)
                    .on_conflict_do_update(index_elements=["workspace_id"], set_=values)
                )
        return len(added_rows)

    def clear_matches(self, query_id: int) -> None:
        with self._write() as conn:
            conn.execute(query_matches.delete().where(query_matches.c.query_id == query_id))

    def match_counts(self, workspace_id: int) -> dict[int, int]:
        """How many posts each saved query of the workspace matches."""
        n = sa.func.count().label("n")
        stmt = (
            sa.select(query_matches.c.query_id, n)
            .select_from(query_matches.join(queries, query_matches.c.query_id == queries.c.id))
            .where(queries.c.workspace_id == workspace_id)
            .group_by(query_matches.c.query_id)
        )
        with self.engine.connect() as conn:
            return {q: int(c) for q, c in conn.execute(stmt)}

    def matching_progress(self, workspace_id: int) -> tuple[int, int]:
        """(post id, post_edits id) up to which the workspace's posts are matched."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(match_progress.c.last_post_id, match_progress.c.last_edit_id).where(
                    match_progress.c.workspace_id == workspace_id
                )
            ).first()
        return (0, 0) if row is None else (int(row[0]), int(row[1]))
