"""Listing, searching and describing stored posts."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, replace

from lytter.domain.access import Actor, Permission
from lytter.domain.analysis import SENTIMENTS, PostAnalysis
from lytter.domain.posts import Post, PostEdit, PostFilter
from lytter.services.access import require, require_source
from lytter.services.errors import Forbidden, NotFound, UserError
from lytter.services.search import search
from lytter.store.base import Stats, Store

MAX_PAGE = 500


COUNT_CAP = 10_000
"""Listings count matches up to here and then say "10,000+": exact counts of millions are slow."""


@dataclass(frozen=True, slots=True)
class PostPage:
    """One page of a post listing, with how many posts match (at most COUNT_CAP)."""

    posts: list[Post]
    total: int
    query: PostFilter
    approximate: bool = False  # a query-language search estimated the total
    at_least: bool = False  # the total is a lower bound
    partial: bool = False  # a search that the index could not narrow stopped early

    @property
    def total_is_capped(self) -> bool:
        """The total is a lower bound: there are more."""
        return self.at_least or (not self.approximate and self.total >= COUNT_CAP)

    @property
    def total_is_exact(self) -> bool:
        return not (self.approximate or self.total_is_capped)


@dataclass(frozen=True, slots=True)
class PostDetail:
    """A post with its whole conversation and its earlier texts."""

    post: Post
    thread: list[Post]
    edits: list[PostEdit]
    analysis: PostAnalysis | None = None  # None until the models have read it


def visible_to(actor: Actor, query: PostFilter) -> PostFilter:
    """`query` narrowed to the actor's workspace and pages; Forbidden for a page not theirs."""
    require(actor, Permission.READ)
    for source_id in query.source_ids:
        require_source(actor, source_id)
    visible = None if actor.source_ids is None else tuple(sorted(actor.source_ids))
    return replace(query, workspace_id=actor.workspace_id, visible_sources=visible)


def sentiments(values: Iterable[str], field: str = "sentiment") -> tuple[str, ...]:
    """The tones to filter by, checked: negative, neutral or positive (any case)."""
    chosen = tuple(dict.fromkeys(v.strip().lower() for v in values if v.strip()))
    for value in chosen:
        if value not in SENTIMENTS:
            raise UserError(
                "{name} is negative, neutral or positive, not '{value}'",
                field=field,
                name=field,
                value=value,
            )
    return chosen


def selected_posts(store: Store, actor: Actor, query: PostFilter, limit: int) -> list[Post]:
    """Up to `limit` posts matching `query` (its text read in the query language) that the
    actor may see, newest first: the posts an analysis of "this selection" reads."""
    query = visible_to(actor, replace(query, limit=limit, offset=0))
    if query.text is not None and query.text.strip():
        return search(store, actor, query).posts
    return store.find_posts(query)


def find_posts(
    store: Store, actor: Actor, query: PostFilter, *, with_total: bool = True
) -> PostPage:
    """The posts matching `query` that the actor may see, newest first."""
    if not 1 <= query.limit <= MAX_PAGE:
        raise UserError(
            "limit must be between 1 and {max}, not {limit}",
            field="limit",
            max=MAX_PAGE,
            limit=query.limit,
        )
    if query.offset < 0:
        raise UserError(
            "offset must not be negative, not {offset}", field="offset", offset=query.offset
        )
    if query.since and query.until and query.since >= query.until:
        raise UserError("the date range is empty: 'since' must be before 'until'", field="since")
    query = visible_to(actor, query)
    if query.text is not None and query.text.strip():
        found = search(store, actor, query)
        return PostPage(
            found.posts, found.total, query, found.approximate, found.at_least, found.partial
        )
    posts = store.find_posts(query)
    total = store.count_posts(query, cap=COUNT_CAP) if with_total else len(posts)
    return PostPage(posts, total, query)


_facets: dict[tuple[int, int], tuple[float, tuple[list[str], list[str]]]] = {}


def facets(store: Store, workspace_id: int, max_age: float = 300.0) -> tuple[list[str], list[str]]:
    """The platforms and languages to filter by, remembered for `max_age` seconds."""
    key = (id(store), workspace_id)
    hit = _facets.get(key)
    now = time.monotonic()
    if hit is None or now - hit[0] > max_age:
        hit = (now, store.facets(workspace_id))
        _facets[key] = hit
    return hit[1]


def post_detail(store: Store, actor: Actor, post_id: int) -> PostDetail:
    """A post, the part of its thread the actor may see, and its edits.

    A post on a page the actor has no grant for is NotFound, exactly like a missing one: the
    answer must not tell that it exists.
    """
    require(actor, Permission.READ)
    post = store.get_post(actor.workspace_id, post_id)
    if post is None or not actor.sees_source(post.source_id):
        raise NotFound("post {post_id} does not exist", post_id=post_id)
    thread = [p for p in store.thread(actor.workspace_id, post) if actor.sees_source(p.source_id)]
    analysis = store.analyses_of([post.id]).get(post.id)
    return PostDetail(post, thread, store.post_edits(post.id), analysis)


def workspace_stats(store: Store, actor: Actor) -> Stats:
    """Counts that describe the whole workspace's data (for users who see every page)."""
    require(actor, Permission.READ)
    if actor.source_ids is not None:
        raise Forbidden("workspace statistics cover every page; ask an admin")
    return store.stats(actor.workspace_id)
