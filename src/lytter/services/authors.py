"""Authors as voices: critics, trolls and ambassadors across pages and over time.

Each author's type is read from their analysed posts (lytter.analysis.authors) and kept, so
lists and filters never wait for it. The ingest pipeline types the authors of each analysed
batch (`type_new_authors`); new thresholds type every author again (`retype_all`). A person's
override of a type is kept beside the computed one and wins in every view and filter.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from lytter.analysis.authors import classify_posts
from lytter.domain.access import Actor, Permission
from lytter.domain.analysis import SENTIMENTS
from lytter.domain.authors import (
    AUTHOR_TYPES,
    NO_TYPE,
    Author,
    AuthorSettings,
    AuthorSummary,
    AuthorType,
    Reason,
)
from lytter.domain.posts import Post, PostFilter
from lytter.services.access import require
from lytter.services.errors import N_, NotFound, UserError
from lytter.services.workspaces import workspace_by_id
from lytter.store.base import Store

Progress = Callable[[int, int], None]
BATCH = 500
RECENT_POSTS = 20
MAX_PAGE = 500
TYPES = (*AUTHOR_TYPES, NO_TYPE)


@dataclass(frozen=True, slots=True)
class MonthTone:
    """An author's posts in one month, by tone."""

    month: str  # YYYY-MM
    negative: int
    neutral: int
    positive: int


@dataclass(frozen=True, slots=True)
class AuthorProfile:
    """An author, their type with the reasons, their tone month by month, the pages they
    write on and their newest posts (those the asking user may see)."""

    author: Author
    label: AuthorType | None  # None until their posts are analysed
    months: list[MonthTone]
    pages: list[tuple[str, int]]  # (page name, posts)
    posts: list[Post]


# How each reason reads (lytter.analysis.authors gives the codes); the web translates these.
REASONS: dict[str, str] = {
    "few_posts": N_("only {count} of the {of} posts a type needs"),
    "offensive": N_("{count} of {of} posts offensive"),
    "repeats": N_("{count} of {of} posts repeat an earlier one"),
    "baiting": N_("{count} of {of} posts shout, bait or tag many people"),
    "substance": N_("{count} of {of} posts with a question, a number or a reason"),
    "negative": N_("{count} of {of} posts negative"),
    "negative_substance": N_(
        "{count} of the {of} negative posts with a question, a number or a reason"
    ),
    "positive": N_("{count} of {of} posts positive"),
    "helps": N_("answered other people in threads {count} times"),
    "followers": N_("{count} followers"),
    "engagement": N_("{count} reactions to their posts"),
    "reach_unknown": N_("the platform does not tell their reach"),
    "little_reach": N_("little reach: {count} followers or reactions"),
    "own_voice": N_("one of your own sources: its posts are your voice, not typed"),
}


def reason_text(
    reason: Reason,
    translate: Callable[[str], str] = str,
    number: Callable[[int], str] = "{:,}".format,
) -> str:
    """A reason in words (`translate` and `number` give the user's language)."""
    template = REASONS.get(reason.code)
    if template is None:
        return reason.code
    return translate(template).format(count=number(reason.count), of=number(reason.of))


def author_types(values: Sequence[str], field: str = "author_type") -> tuple[str, ...]:
    """The author types to filter by, checked: critic, troll, ambassador or none (any case)."""
    chosen = tuple(dict.fromkeys(v.strip().lower() for v in values if v.strip()))
    for value in chosen:
        if value not in TYPES:
            raise UserError(
                "{name} is critic, troll, ambassador or none, not '{value}'",
                field=field,
                name=field,
                value=value,
            )
    return chosen


# -- typing authors in the pipeline ---------------------------------------------------------


def retype_authors(
    store: Store,
    workspace_id: int,
    author_ids: Sequence[int],
    settings: AuthorSettings | None = None,
    progress: Progress | None = None,
    progress_to: int | None = None,
) -> int:
    """Read the types of these authors again from their analysed posts; returns how many."""
    settings = settings or workspace_by_id(store, workspace_id).authors
    done = 0
    for start in range(0, len(author_ids), BATCH):
        chunk = author_ids[start : start + BATCH]
        rows = []
        for found in store.author_posts(workspace_id, chunk):
            label, reasons, stats = classify_posts(found.posts, settings, found.followers)
            if found.own_voice:  # the workspace's own page or account is no voice to type
                label, reasons = NO_TYPE, (Reason("own_voice"),)
            rows.append((found.author_id, label, reasons, stats))
        last = start + BATCH >= len(author_ids)
        store.save_author_types(workspace_id, rows, progress_to=progress_to if last else None)
        done += len(chunk)
        if progress:
            progress(done, len(author_ids))
    if not author_ids and progress_to is not None:
        store.save_author_types(workspace_id, [], progress_to=progress_to)
    return done


def type_new_authors(store: Store, workspace_id: int, progress: Progress | None = None) -> int:
    """Type the authors of the posts analysed since the last run; returns how many authors.

    The progress mark moves with the last batch, so an interrupted run types them again.
    """
    after = store.author_type_progress(workspace_id)
    analysed, _ = store.analysis_progress(workspace_id)
    if analysed <= after:
        return 0
    ids = store.authors_of_posts(workspace_id, after, analysed)
    return retype_authors(store, workspace_id, ids, progress=progress, progress_to=analysed)


def retype_all(store: Store, actor: Actor, progress: Progress | None = None) -> int:
    """Type every author of the workspace again (after new thresholds or models)."""
    require(actor, Permission.MANAGE_QUERIES)
    store.reset_author_type_progress(actor.workspace_id)
    return type_new_authors(store, actor.workspace_id, progress)


# -- reading ----------------------------------------------------------------------------------


def _visible(store: Store, actor: Actor, author_id: int) -> Author:
    """The author, NotFound unless they wrote a post the actor may see."""
    require(actor, Permission.READ)
    author = store.get_author(actor.workspace_id, author_id)
    if author is not None and actor.source_ids is not None:
        seen = store.find_posts(
            PostFilter(
                actor.workspace_id,
                author_ids=(author_id,),
                visible_sources=tuple(sorted(actor.source_ids)),
                limit=1,
            )
        )
        author = author if seen else None
    if author is None:
        raise NotFound("author {author_id} does not exist", author_id=author_id)
    return author


def resolve_author(store: Store, actor: Actor, ref: str) -> Author:
    """The author `ref` names: @handle, their id, or their handle (an id first where a
    handle is digits too)."""
    ref = ref.strip()
    if ref.isdigit() and store.get_author(actor.workspace_id, int(ref)) is not None:
        return _visible(store, actor, int(ref))
    found = store.find_authors(actor.workspace_id, ref.removeprefix("@"))
    if len(found) > 1:
        raise UserError(
            "'{ref}' is a handle on {count} platforms; give the author's id: {ids}",
            field="author",
            ref=ref,
            count=len(found),
            ids=", ".join(str(a.id) for a in found),
        )
    if not found:
        raise NotFound("there is no author '{ref}'", ref=ref)
    return _visible(store, actor, found[0].id)


def list_authors(
    store: Store,
    actor: Actor,
    types: Sequence[str] = AUTHOR_TYPES,
    limit: int = 50,
    offset: int = 0,
) -> list[AuthorSummary]:
    """Typed authors the actor may see (of `types`), those with most posts first."""
    require(actor, Permission.READ)
    if not 1 <= limit <= MAX_PAGE:
        raise UserError(
            "limit must be between 1 and {max}, not {limit}",
            field="limit",
            max=MAX_PAGE,
            limit=limit,
        )
    if offset < 0:
        raise UserError("offset must not be negative, not {offset}", field="offset", offset=offset)
    visible = None if actor.source_ids is None else sorted(actor.source_ids)
    return store.list_author_types(
        actor.workspace_id, author_types(types), visible, limit=limit, offset=offset
    )


def type_counts(store: Store, actor: Actor) -> dict[str, int]:
    """How many authors the actor may see are of each type."""
    require(actor, Permission.READ)
    visible = None if actor.source_ids is None else sorted(actor.source_ids)
    counts = store.count_author_types(actor.workspace_id, visible)
    return {t: counts.get(t, 0) for t in TYPES}


def author_profile(store: Store, actor: Actor, author_id: int) -> AuthorProfile:
    """An author's profile: type and reasons, tone by month, pages, newest posts."""
    author = _visible(store, actor, author_id)
    label = store.author_types_of([author.id]).get(author.id)
    visible = None if actor.source_ids is None else tuple(sorted(actor.source_ids))
    found = store.author_posts(actor.workspace_id, [author.id])
    written = found[0].posts if found else []
    months: dict[str, Counter[str]] = {}
    for post in written:
        if post.created_at is not None and (
            visible is None or post.source_id in (actor.source_ids or ())
        ):
            months.setdefault(post.created_at.strftime("%Y-%m"), Counter())[post.sentiment] += 1
    recent = store.find_posts(
        PostFilter(
            actor.workspace_id,
            author_ids=(author.id,),
            visible_sources=visible,
            limit=RECENT_POSTS,
        )
    )
    names = {s.id: s.name for s in store.list_sources(actor.workspace_id)}
    per_page = Counter(
        names.get(p.source_id, "?")
        for p in written
        if p.source_id is not None and (visible is None or p.source_id in visible)
    )
    return AuthorProfile(
        author,
        label,
        [MonthTone(m, *(c.get(s, 0) for s in SENTIMENTS)) for m, c in sorted(months.items())],
        per_page.most_common(),
        recent,
    )


# -- changing ---------------------------------------------------------------------------------


def override_type(
    store: Store, actor: Actor, author_id: int, author_type: str | None, note: str | None = None
) -> AuthorType:
    """Record how a person reads an author (None: go back to the computed type)."""
    require(actor, Permission.ACT)
    if author_type is not None:
        author_type = author_types([author_type], "type")[0] if author_type.strip() else None
    author = _visible(store, actor, author_id)
    note = (note or "").strip()[:1000] or None
    user_id = actor.user.id if actor.user else None
    label = store.set_author_override(author.id, author_type, note, user_id)
    if label is None:
        raise NotFound(
            "author {author_id} has no analysed posts yet, so no type to change",
            author_id=author_id,
        )
    return label


_RANGES: dict[str, tuple[float, float, bool]] = {
    "min_posts": (1, 1_000, True),
    "troll_offensive_share": (0, 1, False),
    "troll_repeat_share": (0, 1, False),
    "troll_max_substance_share": (0, 1, False),
    "critic_negative_share": (0, 1, False),
    "critic_substance_share": (0, 1, False),
    "ambassador_positive_share": (0, 1, False),
    "ambassador_min_helps": (0, 1_000, True),
    "min_followers": (0, 100_000_000, True),
    "min_engagement": (0, 100_000_000, True),
}
SETTINGS = tuple(_RANGES)


def changed(settings: AuthorSettings, **changes: object) -> AuthorSettings:
    """`settings` with `changes` made (a name of `AuthorSettings` each, None to leave it as
    it is); a UserError naming the setting when a value is out of range."""
    values = settings.as_dict()
    for name, value in changes.items():
        if name not in _RANGES:
            raise UserError("there is no author setting '{name}'", field=name, name=name)
        if value is None:
            continue
        low, high, whole = _RANGES[name]
        number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        if (
            number is None
            or not math.isfinite(number)
            or not low <= number <= high
            or (whole and number != int(number))
        ):
            message = (
                N_("{name} must be a whole number from {low} to {high}, not {given}")
                if whole
                else N_("{name} must be a number from {low} to {high}, not {given}")
            )
            raise UserError(
                message, field=name, name=name, low=f"{low:g}", high=f"{high:g}", given=value
            )
        values[name] = int(number) if whole else float(number)
    return AuthorSettings.from_dict(values)


def set_author_settings(
    store: Store,
    actor: Actor,
    changes: Mapping[str, object],
    progress: Progress | None = None,
) -> AuthorSettings:
    """Keep the workspace's thresholds with `changes` made (see `changed`), and type every
    author again."""
    require(actor, Permission.MANAGE_QUERIES)
    settings = changed(workspace_by_id(store, actor.workspace_id).authors, **changes)
    if settings != workspace_by_id(store, actor.workspace_id).authors:
        store.set_author_settings(actor.workspace_id, settings)
        retype_all(store, actor, progress)
    return settings
