"""The most discussed themes of any selection of posts: a query, a page, a period.

The selection is what `posts.find_posts` gives the asking user (only pages they may see),
newest first, up to `max_posts` of them; `lytter.analysis.themes` groups them. Each theme
comes with its size, its tone (the stored analyses, a person's correction first) and its most
typical posts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from lytter.analysis.terms import TrendText
from lytter.analysis.themes import ThemeText, default_k, find_themes
from lytter.analysis.trends import EmergingTerm, growing_groups
from lytter.domain.access import Actor
from lytter.domain.analysis import SENTIMENTS
from lytter.domain.posts import Post, PostFilter
from lytter.services.errors import UserError
from lytter.services.posts import selected_posts
from lytter.services.trends import author_key
from lytter.services.workspaces import workspace_by_id
from lytter.store.base import Store

MAX_POSTS = 20_000
DEFAULT_POSTS = 5_000
MAX_THEMES = 30
EXAMPLES = 3
DAYS = 30  # the daily series shows at most this many days, up to the newest post


@dataclass(frozen=True, slots=True)
class ThemeSummary:
    """One theme as people see it."""

    label: str
    phrases: tuple[str, ...]
    count: int
    share: float  # of the posts read
    sentiment: dict[str, int]  # negative/neutral/positive → posts (analysed posts only)
    examples: tuple[Post, ...]
    post_ids: tuple[int, ...]
    # Posts per day up to the newest post read (at most DAYS days), oldest first.
    daily: tuple[int, ...] = ()
    # How it grew in the last day against its own share before, if it did (as terms do).
    growth: EmergingTerm | None = None


@dataclass(frozen=True, slots=True)
class ThemeReport:
    themes: list[ThemeSummary]
    posts_read: int
    capped: bool  # more posts matched than were read (the newest were read)
    until: datetime | None = None  # the day of the newest post read ends `daily`


def themes(
    store: Store,
    actor: Actor,
    query: PostFilter,
    *,
    k: int | None = None,
    max_posts: int = DEFAULT_POSTS,
) -> ThemeReport:
    """The themes of the newest `max_posts` posts matching `query` that the actor may see."""
    if not 1 <= max_posts <= MAX_POSTS:
        raise UserError(
            "the number of posts to read must be between 1 and {max}, not {given}",
            field="posts",
            max=MAX_POSTS,
            given=max_posts,
        )
    if k is not None and not 2 <= k <= MAX_THEMES:
        raise UserError(
            "the number of themes must be between 2 and {max}, not {given}",
            field="k",
            max=MAX_THEMES,
            given=k,
        )
    posts = selected_posts(store, actor, query, max_posts + 1)
    capped = len(posts) > max_posts
    posts = posts[:max_posts]
    found = find_themes(
        [ThemeText(p.id, p.text, p.language) for p in posts], k or default_k(len(posts))
    )
    by_id = {p.id: p for p in posts}
    analyses = store.analyses_of([p.id for p in posts]) if posts else {}
    group_of = {i: str(n) for n, theme in enumerate(found) for i in theme.post_ids}
    growing = growing_groups(
        [TrendText(p.id, p.text, p.created_at, p.language, author_key(p)) for p in posts],
        group_of,
        workspace_by_id(store, actor.workspace_id).trends,
    )
    until = max((p.created_at for p in posts), default=None)
    summaries = []
    for n, theme in enumerate(found):
        tones = Counter(analyses[i].sentiment for i in theme.post_ids if i in analyses)
        summaries.append(
            ThemeSummary(
                label=theme.label,
                phrases=theme.phrases,
                count=theme.count,
                share=theme.count / len(posts),
                sentiment={s: tones.get(s, 0) for s in SENTIMENTS},
                examples=tuple(by_id[i] for i in theme.post_ids[:EXAMPLES]),
                post_ids=theme.post_ids,
                daily=_daily([by_id[i].created_at for i in theme.post_ids], until),
                growth=growing.get(str(n)),
            )
        )
    return ThemeReport(summaries, len(posts), capped, until)


def _daily(moments: list[datetime], until: datetime | None) -> tuple[int, ...]:
    """Posts per day for the DAYS days up to `until` (its day last), oldest first."""
    if until is None:
        return ()
    last = until.date()
    first = max(last - timedelta(days=DAYS - 1), min(m.date() for m in moments))
    counts = Counter((m.date() - first).days for m in moments if m.date() >= first)
    return tuple(counts.get(d, 0) for d in range((last - first).days + 1))
