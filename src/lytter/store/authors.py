"""The authors aggregate of the SQL store: who wrote what, each author's type (critic, troll,
ambassador or none) with its reasons, and people's overrides of it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from lytter.domain.authors import (
    Author,
    AuthorPost,
    AuthorPosts,
    AuthorStats,
    AuthorSummary,
    AuthorType,
    Reason,
)
from lytter.store.base import Clock
from lytter.store.tables import (
    author_type_progress,
    author_types,
    authors,
    post_analyses,
    posts,
    sources,
    users,
)

_CHUNK = 500
MAX_POSTS_PER_AUTHOR = 500  # an author's type is read from their newest posts, at most these


def _author(r: Any) -> Author:
    return Author(r.id, r.workspace_id, r.platform, r.handle, r.name, r.followers)


def _author_type(r: Any) -> AuthorType:
    return AuthorType(
        author_id=r.author_id,
        computed=r.computed,
        reasons=tuple(Reason.from_dict(x) for x in r.reasons or ()),
        stats=AuthorStats.from_dict(r.stats or {}),
        computed_at=r.computed_at,
        override=r.override,
        override_note=r.override_note,
        override_by=r.override_email,
        override_at=r.override_at,
    )


def effective_type() -> sa.ColumnElement[str]:
    """The type people see: a person's override first, else the computed one."""
    return sa.func.coalesce(author_types.c.override, author_types.c.computed)


class SqlAuthors:
    """Mixed into SqlStore, which supplies the engine."""

    engine: sa.Engine
    clock: Clock

    if TYPE_CHECKING:  # supplied by SqlStore and its engine subclasses

        def _write(self) -> AbstractContextManager[sa.Connection]: ...
        def _insert(self, table: sa.Table) -> Any: ...

    def _type_select(self) -> sa.Select[Any]:
        return sa.select(author_types, users.c.email.label("override_email")).select_from(
            author_types.outerjoin(users, users.c.id == author_types.c.override_by)
        )

    # -- reading authors --------------------------------------------------------------------

    def get_author(self, workspace_id: int, author_id: int) -> Author | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                authors.select().where(
                    authors.c.workspace_id == workspace_id, authors.c.id == author_id
                )
            ).first()
        return None if row is None else _author(row)

    def find_authors(self, workspace_id: int, handle: str) -> list[Author]:
        """Authors whose handle is `handle` (on any platform), case-insensitively."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                authors.select()
                .where(
                    authors.c.workspace_id == workspace_id,
                    sa.func.lower(authors.c.handle) == handle.lower(),
                )
                .order_by(authors.c.id)
            )
            return [_author(r) for r in rows]

    def author_posts(self, workspace_id: int, author_ids: Sequence[int]) -> list[AuthorPosts]:
        """Each author's analysed posts (their newest MAX_POSTS_PER_AUTHOR, oldest first) and
        whether the author is one of the workspace's own sources, with whether each post answers
        another person: a reply to a post by someone else who is not one
        of the workspace's own sources (a page answering on its own page is not a person)."""
        parent = posts.alias("parent")
        parent_author = authors.alias("parent_author")
        own_voice = (
            sa.select(sources.c.id)
            .where(
                sources.c.workspace_id == workspace_id,
                sources.c.platform == parent_author.c.platform,
                sources.c.external_id == parent_author.c.handle,
            )
            .exists()
        )
        answers_other = sa.and_(
            parent.c.id.is_not(None),
            parent.c.author_id != posts.c.author_id,
            ~own_voice,
        )
        tone = sa.func.coalesce(post_analyses.c.corrected, post_analyses.c.sentiment)
        found: list[AuthorPosts] = []
        with self.engine.connect() as conn:
            for start in range(0, len(author_ids), _CHUNK):
                chunk = list(author_ids[start : start + _CHUNK])
                own = (
                    sa.select(sources.c.id)
                    .where(
                        sources.c.workspace_id == workspace_id,
                        sources.c.platform == authors.c.platform,
                        sources.c.external_id == authors.c.handle,
                    )
                    .exists()
                )
                known = {
                    r.id: (r.followers, bool(r.own))
                    for r in conn.execute(
                        sa.select(authors.c.id, authors.c.followers, own.label("own")).where(
                            authors.c.id.in_(chunk)
                        )
                    )
                }
                stmt = (
                    sa.select(
                        posts.c.author_id,
                        posts.c.text,
                        tone.label("tone"),
                        post_analyses.c.offensive,
                        posts.c.created_at,
                        posts.c.source_id,
                        sa.case((answers_other, True), else_=False).label("answers_other"),
                        posts.c.likes,
                        posts.c.comments,
                        posts.c.shares,
                    )
                    .select_from(
                        posts.join(post_analyses, post_analyses.c.post_id == posts.c.id)
                        .outerjoin(
                            parent,
                            sa.and_(
                                parent.c.workspace_id == posts.c.workspace_id,
                                parent.c.platform == posts.c.platform,
                                parent.c.external_id == posts.c.parent_id,
                            ),
                        )
                        .outerjoin(parent_author, parent_author.c.id == parent.c.author_id)
                    )
                    .where(posts.c.workspace_id == workspace_id, posts.c.author_id.in_(chunk))
                    .order_by(posts.c.author_id, posts.c.created_at, posts.c.id)
                )
                by_author: dict[int, list[AuthorPost]] = defaultdict(list)
                for r in conn.execute(stmt):
                    counts = [c for c in (r.likes, r.comments, r.shares) if c is not None]
                    by_author[r.author_id].append(
                        AuthorPost(
                            r.text,
                            r.tone,
                            float(r.offensive),
                            r.created_at,
                            r.source_id,
                            bool(r.answers_other),
                            sum(counts) if counts else None,
                        )
                    )
                found.extend(
                    AuthorPosts(
                        a, known[a][0], by_author[a][-MAX_POSTS_PER_AUTHOR:], own_voice=known[a][1]
                    )
                    for a in chunk
                    if a in by_author
                )
        return found

    def authors_of_posts(
        self, workspace_id: int, after_id: int, upto_id: int | None = None
    ) -> list[int]:
        """The authors of the workspace's posts with ids in (after_id, upto_id]."""
        stmt = (
            sa.select(posts.c.author_id)
            .where(
                posts.c.workspace_id == workspace_id,
                posts.c.id > after_id,
                posts.c.author_id.is_not(None),
            )
            .distinct()
        )
        if upto_id is not None:
            stmt = stmt.where(posts.c.id <= upto_id)
        with self.engine.connect() as conn:
            return sorted(int(a) for a in conn.execute(stmt).scalars())

    def authors_of_post_ids(self, post_ids: Iterable[int]) -> list[int]:
        ids = list(post_ids)
        found: set[int] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(ids), _CHUNK):
                found.update(
                    conn.execute(
                        sa.select(posts.c.author_id).where(
                            posts.c.id.in_(ids[start : start + _CHUNK]),
                            posts.c.author_id.is_not(None),
                        )
                    ).scalars()
                )
        return sorted(found)

    # -- types --------------------------------------------------------------------------------

    def save_author_types(
        self,
        workspace_id: int,
        rows: Sequence[tuple[int, str, Sequence[Reason], AuthorStats]],
        progress_to: int | None = None,
    ) -> int:
        """Store (or replace) the computed types of authors, keeping people's overrides; with
        `progress_to` (a post id), mark the authors of posts up to it as read, in the same
        transaction. Returns how many rows were written."""
        now = self.clock()
        values = [
            {
                "author_id": author_id,
                "workspace_id": workspace_id,
                "computed": computed,
                "posts": stats.posts,
                "reasons": [r.as_dict() for r in reasons],
                "stats": stats.as_dict(),
                "computed_at": now,
            }
            for author_id, computed, reasons, stats in rows
        ]
        with self._write() as conn:
            if values:
                insert = self._insert(author_types)
                stmt = insert.on_conflict_do_update(
                    index_elements=["author_id"],
                    set_={
                        c: insert.excluded[c]
                        for c in ("computed", "posts", "reasons", "stats", "computed_at")
                    },
                )
                for start in range(0, len(values), _CHUNK):
                    conn.execute(stmt, values[start : start + _CHUNK])
            if progress_to is not None:
                done = {"last_post_id": progress_to, "updated_at": now}
                conn.execute(
                    self._insert(author_type_progress)
                    .values(workspace_id=workspace_id, **done)
                    .on_conflict_do_update(index_elements=["workspace_id"], set_=done)
                )
        return len(values)

    def author_type_progress(self, workspace_id: int) -> int:
        """The post id up to which the authors of the workspace's posts have their types."""
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(author_type_progress.c.last_post_id).where(
                    author_type_progress.c.workspace_id == workspace_id
                )
            ).scalar()
        return int(found or 0)

    def reset_author_type_progress(self, workspace_id: int) -> None:
        """Have every author of the workspace typed again (after new thresholds or models)."""
        with self._write() as conn:
            conn.execute(
                author_type_progress.delete().where(
                    author_type_progress.c.workspace_id == workspace_id
                )
            )

    def author_types_of(self, author_ids: Iterable[int]) -> dict[int, AuthorType]:
        ids = list(author_ids)
        found: dict[int, AuthorType] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), _CHUNK):
                rows = conn.execute(
                    self._type_select().where(
                        author_types.c.author_id.in_(ids[start : start + _CHUNK])
                    )
                )
                found.update((r.author_id, _author_type(r)) for r in rows)
        return found

    def set_author_override(
        self, author_id: int, author_type: str | None, note: str | None, user_id: int | None
    ) -> AuthorType | None:
        """Record (or, with None, remove) a person's reading of an author's type; None when the
        author has no type row yet."""
        values: dict[str, Any] = {
            "override": author_type,
            "override_note": note if author_type else None,
            "override_by": user_id if author_type else None,
            "override_at": self.clock() if author_type else None,
        }
        with self._write() as conn:
            updated = conn.execute(
                author_types.update().where(author_types.c.author_id == author_id).values(**values)
            ).rowcount
        if not updated:
            return None
        return self.author_types_of([author_id]).get(author_id)

    def _typed_authors(
        self,
        workspace_id: int,
        types: Sequence[str],
        visible_sources: Sequence[int] | None,
    ) -> list[sa.ColumnElement[bool]]:
        conds: list[sa.ColumnElement[bool]] = [author_types.c.workspace_id == workspace_id]
        if types:
            conds.append(effective_type().in_(list(types)))
        if visible_sources is not None:
            conds.append(
                sa.select(posts.c.id)
                .where(
                    posts.c.author_id == author_types.c.author_id,
                    posts.c.source_id.in_(list(visible_sources)),
                )
                .exists()
            )
        return conds

    def list_author_types(
        self,
        workspace_id: int,
        types: Sequence[str] = (),
        visible_sources: Sequence[int] | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[AuthorSummary]:
        """Typed authors, those with most posts first."""
        stmt = (
            sa.select(
                authors,
                *[c.label(f"t_{c.name}") for c in author_types.c],
                users.c.email.label("t_override_email"),
            )
            .select_from(
                author_types.join(authors, authors.c.id == author_types.c.author_id).outerjoin(
                    users, users.c.id == author_types.c.override_by
                )
            )
            .where(*self._typed_authors(workspace_id, types, visible_sources))
            .order_by(author_types.c.posts.desc(), authors.c.id)
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        found = []
        for r in rows:
            t = {k[2:]: v for k, v in r._mapping.items() if isinstance(k, str) and k[:2] == "t_"}
            found.append(AuthorSummary(_author(r), _author_type(_Row(t))))
        return found

    def count_author_types(
        self, workspace_id: int, visible_sources: Sequence[int] | None = None
    ) -> dict[str, int]:
        """How many authors are of each type (overrides win)."""
        kind = effective_type()
        stmt = (
            sa.select(kind, sa.func.count())
            .where(*self._typed_authors(workspace_id, (), visible_sources))
            .group_by(kind)
        )
        with self.engine.connect() as conn:
            return {r[0]: int(r[1]) for r in conn.execute(stmt)}


class _Row:
    """Attribute access to a dict, so a labelled row reads like a table row."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
