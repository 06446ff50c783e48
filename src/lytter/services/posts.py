"""Listing, searching and describing stored posts."""

from __future__ import annotations

from dataclasses import dataclass

from lytter.domain.posts import Post, PostEdit, PostFilter
from lytter.services.errors import UserError
from lytter.store.base import Stats, Store

MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class PostPage:
    """One page of a post listing, with the total number of posts that match."""

    posts: list[Post]
    total: int
    query: PostFilter


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
    total = store.count_posts(query) if with_total else len(posts)
    return PostPage(posts, total, query)


def post_detail(store: Store, workspace_id: int, post_id: int) -> PostDetail:
    """A post, its thread and its edits; UserError when it is not in the workspace."""
    post = store.get_post(workspace_id, post_id)
    if post is None:
        raise UserError(f"post {post_id} does not exist in this workspace")
    return PostDetail(post, store.thread(workspace_id, post), store.post_edits(post.id))


def workspace_stats(store: Store, workspace_id: int) -> Stats:
    """Counts that describe the workspace's data."""
    return store.stats(workspace_id)
