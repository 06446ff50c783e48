"""Saved queries and synonym sets: checking, saving, and keeping their matches up to date.

Every saved query records which posts it matches (`query_matches`). A new or changed query is
back-filled over all stored posts; new posts are matched after each import, from where the
workspace's matching progress stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lytter.domain.access import Actor, Permission
from lytter.domain.posts import Post, PostFilter
from lytter.domain.queries import PostForMatching, SavedQuery, SynonymSet
from lytter.gcpause import gc_paused
from lytter.querylang import ast, parse
from lytter.querylang.batch import BATCH as MATCH_BATCH
from lytter.querylang.batch import BatchMatcher
from lytter.querylang.compounds import as_compounds, parse_mode
from lytter.querylang.document import Document
from lytter.querylang.match import Matcher, compile_node
from lytter.querylang.render import render
from lytter.querylang.synonyms import expand
from lytter.services import posts as post_service
from lytter.services.access import require
from lytter.services.errors import Conflict, NotFound, UserError
from lytter.services.search import document, old_spelling_aa, synonyms_of
from lytter.store.base import Store

BATCH = MATCH_BATCH  # posts read and matched at a time
Progress = Callable[[int, int], None]
"""Called with (posts done, posts in all) while matching."""


@dataclass(frozen=True, slots=True)
class QueryView:
    """A saved query with how many posts it matches."""

    query: SavedQuery
    matches: int


def compile_query(store: Store, workspace_id: int, text: str, compounds: str = "none") -> ast.Node:
    """The query's AST with its synonym sets expanded; QueryError or UserError when bad."""
    return as_compounds(expand(parse(text), synonyms_of(store, workspace_id)), compounds)


def _in_scope(query: SavedQuery, post: PostForMatching) -> bool:
    return not query.languages or (post.language or "") in query.languages


def _find(store: Store, actor: Actor, ref: str) -> SavedQuery:
    for query in store.list_queries(actor.workspace_id):
        if query.name == ref or (ref.isdigit() and query.id == int(ref)):
            return query
    raise NotFound("no saved query '{ref}'", field="query", ref=ref)


def _count_posts(store: Store, workspace_id: int) -> int:
    return store.count_posts(PostFilter(workspace_id))


def _match(matcher: BatchMatcher, batch: list[PostForMatching], aa: bool) -> list[list[int]]:
    with gc_paused():  # documents and matching make many containers and no cycles
        return matcher.match_many([document(p, aa) for p in batch])


def backfill(store: Store, query: SavedQuery, progress: Progress | None = None) -> int:
    """Match one saved query against every stored post again; returns how many match."""
    node = compile_query(store, query.workspace_id, query.text, query.compounds)
    aa = old_spelling_aa(store, query.workspace_id)
    matcher = BatchMatcher({query.id: node}, aa=aa)
    total = _count_posts(store, query.workspace_id)
    store.clear_matches(query.id)
    after, done, found = 0, 0, 0
    while batch := store.posts_for_matching(query.workspace_id, after, BATCH):
        matched = _match(matcher, batch, aa)
        pairs = [
            (query.id, p.id)
            for p, m in zip(batch, matched, strict=True)
            if m and _in_scope(query, p)
        ]
        found += store.add_matches(pairs)
        after, done = batch[-1].id, done + len(batch)
        if progress:
            progress(done, total)
    return found


def match_new_posts(store: Store, workspace_id: int, progress: Progress | None = None) -> int:
    """Match the posts stored since the last run against every saved query; returns matches.

    Each batch's matches are saved with the new progress mark in one transaction, so an
    interrupted run goes on where it stopped.
    """
    saved = store.list_queries(workspace_id)
    if not saved:
        return 0
    synonyms = synonyms_of(store, workspace_id)
    by_id = {q.id: q for q in saved}
    aa = old_spelling_aa(store, workspace_id)
    matcher = BatchMatcher(
        {q.id: as_compounds(expand(parse(q.text), synonyms), q.compounds) for q in saved}, aa=aa
    )

    def pairs_of(batch: list[PostForMatching]) -> list[tuple[int, int]]:
        matched = _match(matcher, batch, aa)
        return [
            (qid, p.id)
            for p, ids in zip(batch, matched, strict=True)
            for qid in ids
            if _in_scope(by_id[qid], p)
        ]

    after, last_edit = store.matching_progress(workspace_id)
    done, found = 0, 0
    while batch := store.posts_for_matching(workspace_id, after, BATCH):
        after, done = batch[-1].id, done + len(batch)
        found += store.add_matches(pairs_of(batch), progress_to=(workspace_id, after))
        if progress:
            progress(done, done)
    # Posts whose text a later import changed: their old matches are replaced.
    edited, newest_edit = store.posts_edited_after(workspace_id, last_edit, after)
    if newest_edit != last_edit:
        store.add_matches([], progress_to=(workspace_id, after))  # the row must exist
        store.rematch_posts(workspace_id, [p.id for p in edited], pairs_of(edited), newest_edit)
    return found


def list_queries(store: Store, actor: Actor) -> list[QueryView]:
    """The workspace's saved queries with their match counts (for any reader)."""
    require(actor, Permission.READ)
    counts = store.match_counts(actor.workspace_id)
    return [QueryView(q, counts.get(q.id, 0)) for q in store.list_queries(actor.workspace_id)]


def _brand_id(store: Store, workspace_id: int, brand: str | None) -> int | None:
    if not brand:
        return None
    for b in store.list_brands(workspace_id):
        if b.name.casefold() == brand.casefold():
            return b.id
    raise NotFound("no brand '{brand}' in this workspace", field="brand", brand=brand)


def add_query(
    store: Store,
    actor: Actor,
    *,
    name: str,
    text: str,
    brand: str | None = None,
    tags: Sequence[str] = (),
    languages: Sequence[str] = (),
    compounds: str = "none",
    progress: Progress | None = None,
) -> QueryView:
    """Save a query and back-fill its matches over every stored post."""
    require(actor, Permission.MANAGE_QUERIES)
    name = name.strip()
    if not name or len(name) > 200:
        raise UserError("a saved query needs a name of 1 to 200 characters", field="name")
    if any(q.name == name for q in store.list_queries(actor.workspace_id)):
        raise Conflict("a saved query called '{name}' exists already", field="name", name=name)
    compile_query(store, actor.workspace_id, text)
    # Bring the other queries up to date first: the progress mark is shared by all of them.
    match_new_posts(store, actor.workspace_id)
    saved = store.add_query(
        actor.workspace_id,
        name,
        text.strip(),
        _brand_id(store, actor.workspace_id, brand),
        [t.strip() for t in tags if t.strip()],
        [lang.strip().lower() for lang in languages if lang.strip()],
        parse_mode(compounds),
    )
    return QueryView(saved, backfill(store, saved, progress))


def update_query(
    store: Store, actor: Actor, ref: str, *, text: str, progress: Progress | None = None
) -> QueryView:
    """Change a saved query's text and back-fill its matches again."""
    require(actor, Permission.MANAGE_QUERIES)
    query = _find(store, actor, ref)
    compile_query(store, actor.workspace_id, text)
    store.update_query(query.id, query=text.strip())
    changed = _find(store, actor, str(query.id))
    return QueryView(changed, backfill(store, changed, progress))


def remove_query(store: Store, actor: Actor, ref: str) -> SavedQuery:
    """Delete a saved query and its matches."""
    require(actor, Permission.MANAGE_QUERIES)
    query = _find(store, actor, ref)
    store.delete_query(query.id)
    return query


def query_posts(
    store: Store, actor: Actor, ref: str, limit: int = 50
) -> tuple[QueryView, list[Post]]:
    """A saved query and its newest matching posts on the actor's pages."""
    query = _find(store, actor, ref)
    page = post_service.find_posts(
        store, actor, PostFilter(actor.workspace_id, query_id=query.id, limit=limit)
    )
    return QueryView(query, page.total), page.posts


def set_synonyms(
    store: Store, actor: Actor, name: str, entries: Sequence[str], progress: Progress | None = None
) -> SynonymSet:
    """Define `$name`; saved queries that use it are back-filled again."""
    require(actor, Permission.MANAGE_QUERIES)
    name = name.strip().lstrip("$").lower()
    if not name or not name.replace("_", "").replace("-", "").isalnum():
        raise UserError("a synonym set's name is letters, digits, - and _: '{name}'", name=name)
    cleaned = [e.strip() for e in entries if e.strip()]
    if not cleaned:
        raise UserError("a synonym set needs at least one entry", field="entries")
    for entry in cleaned:
        parse(entry)
    synonym_set = store.set_synonyms(actor.workspace_id, name, cleaned)
    for query in store.list_queries(actor.workspace_id):
        if f"${name}" in query.text.lower():
            backfill(store, query, progress)
    return synonym_set


@dataclass(frozen=True, slots=True)
class QueryTrial:
    """A query tried on recent posts: what it matches, and what it only nearly matches."""

    tried: int
    matched: int
    matches: list[Post]
    near_misses: list[tuple[Post, str]]  # the post, and the part of the query it misses


def _post_document(p: Post, aa: bool) -> Document:
    return Document(
        p.text,
        aa=aa,
        language=p.language,
        author=tuple(a for a in (p.author_handle, p.author_name) if a),
        page=(p.source_name,) if p.source_name else (),
        platform=p.platform,
        url=p.url,
    )


def _near_misser(node: ast.Node, aa: bool) -> Callable[[Document], str | None]:
    """A function naming the one part of a top-level AND (or the NEAR) that keeps a post
    from matching; None when it misses by more, or the query has no such parts."""
    if isinstance(node, ast.And):
        parts = [(render(item), compile_node(item, aa).test) for item in node.items]

        def one_part(doc: Document) -> str | None:
            failing = [text for text, test in parts if not test(doc)]
            return failing[0] if len(failing) == 1 else None

        return one_part
    if isinstance(node, ast.Near):
        left, right = compile_node(node.left, aa).test, compile_node(node.right, aa).test
        distance = f"NEAR/{node.distance}{'f' if node.ordered else ''}"
        return lambda doc: distance if left(doc) and right(doc) else None
    return lambda doc: None


def _recent_posts(store: Store, actor: Actor, sample: int) -> list[Post]:
    tried: list[Post] = []
    while len(tried) < sample:
        page = post_service.find_posts(
            store,
            actor,
            PostFilter(actor.workspace_id, limit=post_service.MAX_PAGE, offset=len(tried)),
            with_total=False,
        ).posts
        if not page:
            break
        tried.extend(page)
    return tried[:sample]


def test_query(
    store: Store,
    actor: Actor,
    text: str,
    sample: int = 5_000,
    limit: int = 20,
    compounds: str = "none",
) -> QueryTrial:
    """Try a query on the newest `sample` posts the actor may see, before saving it.

    Besides the matches it lists near misses: posts that fail only one part of a top-level
    AND (a missing word, or a NOT that excluded them) or whose NEAR sides are too far apart.
    """
    require(actor, Permission.READ)
    node = compile_query(store, actor.workspace_id, text, parse_mode(compounds))
    aa = old_spelling_aa(store, actor.workspace_id)
    matcher = Matcher({0: node}, aa=aa)
    near_miss = _near_misser(node, aa)
    tried = _recent_posts(store, actor, sample)
    matches: list[Post] = []
    near: list[tuple[Post, str]] = []
    for post in tried:
        doc = _post_document(post, aa)
        if matcher.match(doc):
            matches.append(post)
        elif len(near) < limit and (missing := near_miss(doc)) is not None:
            near.append((post, missing))
    return QueryTrial(len(tried), len(matches), matches[:limit], near)


def set_old_spelling_aa(
    store: Store, actor: Actor, on: bool, progress: Progress | None = None
) -> int:
    """Let the workspace's queries read "aa" as "å"; every saved query is matched again.

    Returns how many saved queries were matched again.
    """
    require(actor, Permission.MANAGE_QUERIES)
    store.set_old_spelling_aa(actor.workspace_id, on)
    saved = store.list_queries(actor.workspace_id)
    for query in saved:
        backfill(store, query, progress)
    return len(saved)
