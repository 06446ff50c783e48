"""Analysing stored posts: each post's language, tone and offensiveness read once by the
shipped models (lytter.analysis), and its terms for emerging-term detection
(lytter.analysis.terms), kept so lists, filters, charts and trends never wait for them.

The collecting pipeline calls `analyse_new_posts` after every page (a few posts); `lytter
analyse --pending` does it after a big import; `--all` reads every post again after the models
change. A person's correction of a post's tone is kept beside the model's reading, wins over it
in every view, and is the example a retraining adds (scripts/train_models.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import cache

from lytter.analysis.analyse import analyse
from lytter.analysis.model import load
from lytter.analysis.terms import batch_terms
from lytter.domain.access import Actor, Permission
from lytter.domain.analysis import SENTIMENTS, AnalysisRow, PostAnalysis, PostText
from lytter.domain.queries import PostForMatching
from lytter.services.access import require
from lytter.services.authors import retype_authors, type_new_authors
from lytter.services.errors import NotFound, UserError
from lytter.store.base import Store

Progress = Callable[[int, int], None]
BATCH = 1_000


@cache
def models_id(precise: bool = False) -> str:
    """Which models read the posts: stored with each analysis, so a new set can be told."""
    cards = "|".join(
        repr(sorted(load(name).card.items()))
        for name in ("sentiment-da", "sentiment-en", "offensive-da", "offensive-en")
    )
    if precise:
        from lytter.analysis.precise import heads

        cards += "|" + "|".join(repr(sorted(heads(lang).card.items())) for lang in ("da", "en"))
        return "lytter-precise-" + hashlib.sha256(cards.encode()).hexdigest()[:12]
    return "lytter-" + hashlib.sha256(cards.encode()).hexdigest()[:12]


def _rows(batch: Sequence[PostText | PostForMatching], precise: bool = False) -> list[AnalysisRow]:
    texts = [p.text for p in batch]
    results = analyse(texts, known=[p.language for p in batch], precise=precise)
    terms = batch_terms(texts, [r.language for r in results])
    return [
        AnalysisRow(p.id, r.language, r.sentiment, r.sentiment_score, r.offensive, t)
        for p, r, t in zip(batch, results, terms, strict=True)
    ]


def analyse_new_posts(
    store: Store, workspace_id: int, progress: Progress | None = None, precise: bool = False
) -> int:
    """Analyse the workspace's posts stored (or edited) since the last run; returns how many.

    Each batch is saved with the new progress mark in one transaction, so an interrupted run
    goes on where it stopped. `precise` mixes in the embedding model (lytter.analysis.precise:
    more accurate, ~200x the cost), which the collecting pipeline leaves out.
    """
    after, last_edit = store.analysis_progress(workspace_id)
    total = store.count_posts_after(workspace_id, after)
    done = 0
    model = models_id(precise)
    while batch := store.texts_after(workspace_id, after, BATCH):
        after, done = batch[-1].id, done + len(batch)
        rows = _rows(batch, precise)
        store.save_analyses(rows, model, progress_to=(workspace_id, after, last_edit))
        if progress:
            progress(done, max(total, done))
    # Posts whose text a later import or collection changed are read again.
    edited, newest_edit = store.posts_edited_after(workspace_id, last_edit, after)
    if newest_edit != last_edit:
        rows = _rows(edited, precise)
        store.save_analyses(rows, model, progress_to=(workspace_id, after, newest_edit))
        done += len(edited)
        retype_authors(store, workspace_id, store.authors_of_post_ids(p.id for p in edited))
    # The authors of the new posts: critic, troll, ambassador or none.
    type_new_authors(store, workspace_id)
    return done


def analyse_all(
    store: Store, actor: Actor, progress: Progress | None = None, precise: bool = False
) -> int:
    """Read every post of the workspace again (after new models, or precisely); corrections
    are kept, and every author is typed again from the new readings."""
    require(actor, Permission.MANAGE_QUERIES)
    store.reset_analysis_progress(actor.workspace_id)
    store.reset_author_type_progress(actor.workspace_id)
    return analyse_new_posts(store, actor.workspace_id, progress, precise)


def analysis_of(store: Store, actor: Actor, post_id: int) -> PostAnalysis | None:
    """A post's analysis (None while it waits to be analysed)."""
    from lytter.services.posts import post_detail

    post_detail(store, actor, post_id)  # NotFound unless the actor may see the post
    return store.analyses_of([post_id]).get(post_id)


def correct_sentiment(store: Store, actor: Actor, post_id: int, sentiment: str) -> PostAnalysis:
    """Record how a person reads a post's tone; it wins over the model's from now on."""
    require(actor, Permission.ACT)
    if sentiment not in SENTIMENTS:
        raise UserError(
            "the tone must be one of {allowed}, not '{given}'",
            field="sentiment",
            allowed=", ".join(SENTIMENTS),
            given=sentiment,
        )
    analysis_of(store, actor, post_id)
    user_id = actor.user.id if actor.user else None
    corrected = store.correct_sentiment(post_id, sentiment, user_id)
    if corrected is None:
        raise NotFound("post {post_id} is not analysed yet", post_id=post_id)
    retype_authors(store, actor.workspace_id, store.authors_of_post_ids([post_id]))
    return corrected
