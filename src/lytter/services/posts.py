"""Listing, searching and describing stored posts."""

from __future__ import annotations

import time
from dataclasses import dataclass

from lytter.domain.posts import Post, PostEdit, PostFilter
from lytter.services.errors import UserError
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

    @property
    def total_is_capped(self) -> bool:
        return self.total >= COUNT_CAP


@dataclass(frozen=True, slots=True)
class PostDetail:
    """A post with its whole conversation and its earlier texts."""

    post: Post
    thread: list[Post]
    edits: list[PostEdit]


def find_posts(store: Store, query: PostFilter, *, with_total: bool = True) -> PostPage:
    """The posts matching `query`, newest first."""
    if not 1 <= query.limit <= MAX_PAGE:
        raise UserError(f"limit must be between 1 and {MAX_PAGE}, not {query.limit}")
    if query.offset < 0:
        raise UserError(f"offset must not be negative, not {query.offset}")
    if query.since and query.until and query.since >= query.until:
        raise UserError("the date range is empty: 'since' must be before 'until'")
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


def post_detail(store: Store, workspace_id: int, post_id: int) -> PostDetail:
    """A post, its thread and its edits; UserError when it is not in the workspace."""
    post = store.get_post(workspace_id, post_id)
    if post is None:
        raise UserError(f"post {post_id} does not exist in this workspace")
    return PostDetail(post, store.thread(workspace_id, post), store.post_edits(post.id))


def workspace_stats(store: Store, workspace_id: int) -> Stats:
    """Counts that describe the workspace's data."""
    return store.stats(workspace_id)
