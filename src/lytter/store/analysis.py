"""The analysis aggregate of the SQL store: each post's language, tone and offensiveness, the
corrections people make, and how far each workspace's posts are analysed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from lytter.domain.analysis import AnalysisRow, PostAnalysis, PostTerms, PostText
from lytter.domain.posts import PostFilter
from lytter.store.base import Clock
from lytter.store.tables import analysis_progress, post_analyses, posts, sentiment_corrections


def _analysis(r: Any) -> PostAnalysis:
    return PostAnalysis(
        r.post_id,
        r.language,
        r.corrected or r.sentiment,
        r.sentiment,
        float(r.sentiment_score),
        float(r.offensive),
        r.model,
        r.corrected is not None,
    )


class SqlAnalysis:
    """Mixed into SqlStore, which supplies the engine."""

    engine: sa.Engine
    clock: Clock

    if TYPE_CHECKING:  # supplied by SqlStore and its engine subclasses

        def _write(self) -> AbstractContextManager[sa.Connection]: ...
        def _insert(self, table: sa.Table) -> Any: ...
        def _where(
            self, q: PostFilter, index_first: bool = False
        ) -> list[sa.ColumnElement[bool]]: ...

    def save_analyses(
        self,
        rows: Sequence[AnalysisRow],
        model: str,
        progress_to: tuple[int, int, int] | None = None,
    ) -> int:
        """Store (or replace) the analyses of posts, keeping people's corrections; with
        `progress_to` = (workspace id, last post id, last edit id), move the workspace's
        analysis progress in the same transaction. Returns how many rows were written."""
        now = self.clock()
        values = [
            {
                "post_id": r.post_id,
                "language": r.language,
                "sentiment": r.sentiment,
                "sentiment_score": r.sentiment_score,
                "offensive": r.offensive,
                "terms": r.terms,
                "model": model,
                "analysed_at": now,
            }
            for r in rows
        ]
        with self._write() as conn:
            if values:
                insert = self._insert(post_analyses)
                conn.execute(
                    insert.on_conflict_do_update(
                        index_elements=["post_id"],
                        set_={
                            c: insert.excluded[c]
                            for c in (
                                "language",
                                "sentiment",
                                "sentiment_score",
                                "offensive",
                                "terms",
                                "model",
                                "analysed_at",
                            )
                        },
                    ),
                    values,
                )
            if progress_to is not None:
                workspace_id, last_post, last_edit = progress_to
                done = {"last_post_id": last_post, "last_edit_id": last_edit, "updated_at": now}
                conn.execute(
                    self._insert(analysis_progress)
                    .values(workspace_id=workspace_id, **done)
                    .on_conflict_do_update(index_elements=["workspace_id"], set_=done)
                )
        return len(values)

    def analysis_progress(self, workspace_id: int) -> tuple[int, int]:
        """(post id, post_edits id) up to which the workspace's posts are analysed."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(analysis_progress.c.last_post_id, analysis_progress.c.last_edit_id).where(
                    analysis_progress.c.workspace_id == workspace_id
                )
            ).first()
        return (0, 0) if row is None else (int(row[0]), int(row[1]))

    def texts_after(self, workspace_id: int, after_id: int, limit: int) -> list[PostText]:
        """The texts of the workspace's posts with ids above `after_id`, lowest first, at
        most `limit` (what the analysing pipeline reads)."""
        stmt = (
            sa.select(posts.c.id, posts.c.text, posts.c.language)
            .where(posts.c.workspace_id == workspace_id, posts.c.id > after_id)
            .order_by(posts.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [PostText(*r) for r in conn.execute(stmt)]

    def count_posts_after(self, workspace_id: int, after_id: int) -> int:
        """How many of the workspace's posts have ids above `after_id`."""
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(sa.func.count())
                .select_from(posts)
                .where(posts.c.workspace_id == workspace_id, posts.c.id > after_id)
            ).scalar_one()
        return int(found)

    def reset_analysis_progress(self, workspace_id: int) -> None:
        """Have every post of the workspace analysed again (after new models)."""
        with self._write() as conn:
            conn.execute(
                analysis_progress.delete().where(analysis_progress.c.workspace_id == workspace_id)
            )

    def analyses_of(self, post_ids: Iterable[int]) -> dict[int, PostAnalysis]:
        ids = list(post_ids)
        found: dict[int, PostAnalysis] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                rows = conn.execute(
                    post_analyses.select().where(
                        post_analyses.c.post_id.in_(ids[start : start + 500])
                    )
                )
                found.update((r.post_id, _analysis(r)) for r in rows)
        return found

    def correct_sentiment(
        self, post_id: int, sentiment: str, user_id: int | None
    ) -> PostAnalysis | None:
        """Record a person's reading of a post's tone; None when the post is not analysed."""
        with self._write() as conn:
            row = conn.execute(
                post_analyses.select().where(post_analyses.c.post_id == post_id)
            ).first()
            if row is None:
                return None
            conn.execute(
                sentiment_corrections.insert().values(
                    post_id=post_id,
                    user_id=user_id,
                    model_said=row.sentiment,
                    sentiment=sentiment,
                    corrected_at=self.clock(),
                )
            )
            conn.execute(
                post_analyses.update()
                .where(post_analyses.c.post_id == post_id)
                .values(corrected=sentiment)
            )
            row = conn.execute(
                post_analyses.select().where(post_analyses.c.post_id == post_id)
            ).one()
        return _analysis(row)

    def sentiment_corrections(
        self, workspace_id: int | None = None
    ) -> list[tuple[str, str | None, str, str]]:
        """(text, its language, what the model said, what a person said) of every correction
        (in one workspace, or all), oldest first: the examples a retraining adds."""
        stmt = (
            sa.select(
                posts.c.text,
                sa.func.coalesce(post_analyses.c.language, posts.c.language),
                sentiment_corrections.c.model_said,
                sentiment_corrections.c.sentiment,
            )
            .select_from(
                sentiment_corrections.join(
                    posts, posts.c.id == sentiment_corrections.c.post_id
                ).outerjoin(post_analyses, post_analyses.c.post_id == posts.c.id)
            )
            .order_by(sentiment_corrections.c.id)
        )
        if workspace_id is not None:
            stmt = stmt.where(posts.c.workspace_id == workspace_id)
        with self.engine.connect() as conn:
            return [(r[0], r[1], r[2], r[3]) for r in conn.execute(stmt)]

    def tone_points(self, query: PostFilter, limit: int) -> list[tuple[datetime, str, float]]:
        """(created at, tone, score) of the newest `limit` analysed posts `query` selects (its
        words are ignored: pass `post_ids` for a query-language selection); tone is a
        person's correction first."""
        tone = sa.func.coalesce(post_analyses.c.corrected, post_analyses.c.sentiment)
        stmt = (
            sa.select(posts.c.created_at, tone, post_analyses.c.sentiment_score)
            .select_from(posts.join(post_analyses, post_analyses.c.post_id == posts.c.id))
            .where(*self._where(query))
            .order_by(posts.c.created_at.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [(r[0], r[1], float(r[2])) for r in conn.execute(stmt)]

    def post_terms(self, query: PostFilter) -> list[PostTerms]:
        """The stored terms of the newest `query.limit` posts `query` selects (its words are
        ignored: pass `post_ids` for a query-language selection), with the text only of
        posts whose terms are not read yet."""
        # Aliased: a filter by tone or offensiveness has subqueries of its own on the table.
        analysis = post_analyses.alias("analysis")
        unread = analysis.c.terms.is_(None)
        stmt = (
            sa.select(
                posts.c.id,
                posts.c.created_at,
                posts.c.author_id,
                sa.func.coalesce(analysis.c.language, posts.c.language),
                analysis.c.terms,
                sa.case((unread, posts.c.text), else_=sa.null()),
            )
            .select_from(posts.outerjoin(analysis, analysis.c.post_id == posts.c.id))
            .where(*self._where(query))
            .order_by(posts.c.created_at.desc(), posts.c.id.desc())
            .limit(query.limit)
        )
        with self.engine.connect() as conn:
            return [PostTerms(*r) for r in conn.execute(stmt)]

    def sentiment_counts(self, workspace_id: int) -> dict[str, int]:
        """How many of the workspace's analysed posts read as each tone (corrections win)."""
        tone = sa.func.coalesce(post_analyses.c.corrected, post_analyses.c.sentiment)
        stmt = (
            sa.select(tone, sa.func.count())
            .select_from(post_analyses.join(posts, posts.c.id == post_analyses.c.post_id))
            .where(posts.c.workspace_id == workspace_id)
            .group_by(tone)
        )
        with self.engine.connect() as conn:
            return {r[0]: int(r[1]) for r in conn.execute(stmt)}
