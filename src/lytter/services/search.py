"""Searching stored posts with the query language: the index narrows, the matcher decides.

A query becomes (1) words for the full-text index (`querylang.narrow`), which give every post
that could match, newest first, and (2) the matcher's test, which decides each candidate.
Candidates are read in batches until the page is full. The total is exact when every
candidate was decided; otherwise it is estimated from the candidates' count and the share of
those decided that matched, and marked as an estimate.

A query the index cannot narrow (`NOT x` alone, `platform:x`, `*suffix`) reads posts newest
first; at most MAX_SCAN are decided per request, and the page says so when it stopped there.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lytter.domain.access import Actor
from lytter.domain.posts import Post, PostFilter
from lytter.domain.queries import PostForMatching
from lytter.querylang import parse
from lytter.querylang.document import Document
from lytter.querylang.match import Test, compile_node
from lytter.querylang.narrow import Narrowing, narrowing
from lytter.querylang.synonyms import expand
from lytter.store.base import Store

BATCH = 500
"""Candidates read per round trip."""
EXACT_BUDGET = 500
"""Candidates decided before the total is estimated rather than counted (the sample)."""
MAX_SCAN = 50_000
"""Candidates decided at most per search."""
COUNT_CAP = 10_000
"""Candidates counted at most for an estimate (counting is most of a search's time on a
million posts); beyond it the estimate is a lower bound."""


@dataclass(frozen=True, slots=True)
class CompiledSearch:
    """A query ready to run: the index's part and the matcher's."""

    narrowing: Narrowing | None
    test: Test
    aa: bool


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The matching posts of one page, how many match, and how sure that number is."""

    posts: list[Post]
    total: int
    approximate: bool = False  # estimated from a sample of the candidates
    at_least: bool = False  # there are more candidates than were counted
    partial: bool = False  # the search stopped after MAX_SCAN candidates


def synonyms_of(store: Store, workspace_id: int) -> dict[str, list[str]]:
    """The workspace's synonym sets, for `$name` in queries."""
    return {s.name: list(s.entries) for s in store.list_synonyms(workspace_id)}


def old_spelling_aa(store: Store, workspace_id: int) -> bool:
    """Does the workspace read the old spelling aa as å?"""
    workspace = store.workspace(workspace_id)
    return workspace is not None and workspace.old_spelling_aa


def compile_search(store: Store, workspace_id: int, text: str) -> CompiledSearch:
    """The query with the workspace's synonym sets and spelling; QueryError when bad."""
    aa = old_spelling_aa(store, workspace_id)
    node = expand(parse(text), synonyms_of(store, workspace_id))
    return CompiledSearch(narrowing(node, aa), compile_node(node, aa).test, aa)


def document(post: PostForMatching, aa: bool) -> Document:
    """A stored post as the matcher reads it."""
    return Document(
        post.text,
        aa=aa,
        language=post.language,
        author=post.author,
        page=post.page,
        platform=post.platform,
        url=post.url,
    )


def search(store: Store, actor: Actor, query: PostFilter) -> SearchResult:
    """The page of posts matching `query.text` (and its other filters), newest first.

    `query` must already be narrowed to what the actor may see (posts.visible_to).
    """
    assert query.text is not None
    compiled = compile_search(store, actor.workspace_id, query.text)
    # One row more than a batch tells whether another batch follows.
    base = replace(query, narrowing=compiled.narrowing, limit=BATCH + 1, offset=0, before=None)
    wanted = query.offset + query.limit
    matched: list[int] = []
    decided = hits = 0
    before = None
    exhausted = False
    while True:
        batch = store.search_candidates(replace(base, before=before))
        more, batch = len(batch) > BATCH, batch[:BATCH]
        for candidate in batch:
            decided += 1
            if compiled.test(document(candidate, compiled.aa)):
                hits += 1
                if len(matched) < wanted:
                    matched.append(candidate.id)
        if not more:
            exhausted = True
            break
        last = batch[-1]
        assert last.created_at is not None
        before = (last.created_at, last.id)
        if (len(matched) >= wanted and decided >= EXACT_BUDGET) or decided >= MAX_SCAN:
            break
    page_ids = tuple(matched[query.offset : wanted])
    posts = (
        store.find_posts(PostFilter(query.workspace_id, post_ids=page_ids, limit=len(page_ids)))
        if page_ids
        else []
    )
    if exhausted:
        return SearchResult(posts, hits)
    candidates = store.count_posts(base, cap=COUNT_CAP)
    estimate = max(hits, round(candidates * hits / decided))
    return SearchResult(
        posts,
        estimate,
        approximate=True,
        at_least=candidates >= COUNT_CAP,
        partial=decided >= MAX_SCAN and len(matched) < wanted,
    )
