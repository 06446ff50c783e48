"""Critics, trolls and ambassadors: what kind of voice an author is, read from their analysed
posts across pages and over time, with the reasons shown.

- A **troll** is abusive, repetitive or baiting with no substance: at least
  `troll_offensive_share` of their posts offensive, or at least `troll_repeat_share` repeated
  or baiting (shouting, !!!, a storm of @mentions), while at most `troll_max_substance_share`
  of their posts carry substance (an offensive post carries none, whatever it holds).
  Usually ignored; moderated when they break the guidelines.
- A **critic** is negative but constructive: at least `critic_negative_share` of their posts
  negative, and at least `critic_substance_share` of those with substance: a question, a number
  (an order, a flight, a version, an amount), a reason ("fordi", "because") or a worked-out
  argument. Answer them openly.
- An **ambassador** is repeatedly positive or helps others: at least two positive posts
  making up `ambassador_positive_share` of theirs, or `ambassador_min_helps` answers to
  other people in threads that are neither negative nor offensive; at most one post in four
  negative, nothing offensive, and reach (followers or reactions) where the platform says.

The checks run in that order; an author with fewer than `min_posts` posts, or who fits none,
has no type. benchmarks/authors.py measures precision and recall on labelled authors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lytter.domain.analysis import OFFENSIVE_AT
from lytter.domain.authors import NO_TYPE, AuthorPost, AuthorSettings, AuthorStats, Reason

_URL = re.compile(r"(?i)(?:https?://|www\.)\S+")
_MENTION = re.compile(r"@\w+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_NUMBER = re.compile(r"\d")
_REASON_MARKERS = (
    "fordi",
    "derfor",
    "eftersom",
    "pga",
    "på grund af",
    "siden",
    "because",
    "since",
    "due to",
    "therefore",
    "so that",
    "weil",
    "darum",
    "därför",
)
_REASON = re.compile(r"(?i)\b(?:" + "|".join(_REASON_MARKERS) + r")\b")
_QUESTION_START = re.compile(
    r"(?i)^(?:hvorfor|hvordan|hvornår|hvad|hvor|hvem|kan|kunne|vil|er|har|why|how|when|what|"
    r"where|who|can|could|will|is|are|do|does|did|has|have)\b"
)
SUBSTANTIAL_WORDS = 15  # a post this long works out an argument of its own
MENTION_STORM = 5
REPEAT_SIMILARITY = 0.8
REPEATEDLY = 2  # positive posts an ambassador has, at least
HARDLY_NEGATIVE = 0.25  # an ambassador's negative posts, at most this share (one slip in four)


@dataclass(frozen=True, slots=True)
class PostSignals:
    question: bool
    fact: bool  # a number outside @mentions and links
    reason: bool
    substantial: bool  # long enough to carry an argument
    link: bool
    baiting: bool
    words: frozenset[str]

    @property
    def substance(self) -> bool:
        return (
            self.question
            or self.fact
            or self.reason
            or self.substantial
            or (self.link and len(self.words) >= 4)
        )


def _has_reason(text: str) -> bool:
    """Whether the text gives a reason ("fordi", "because"...). Most posts hold none of the
    markers even as letters, which is quicker to see than to search for them as words."""
    folded = text.casefold()
    if "ı" in folded or "\u0307" in folded:  # "ı" and "İ" match "i" in the search too
        folded = folded.replace("\u0307", "").replace("ı", "i")
    return any(m in folded for m in _REASON_MARKERS) and bool(_REASON.search(text))


def signals(text: str) -> PostSignals:
    """What a post shows of substance and of baiting, from its text alone."""
    mentions = len(_MENTION.findall(text))
    bare = _MENTION.sub(" ", _URL.sub(" ", text))
    words = _WORD.findall(bare)
    letters = "".join(filter(str.isalpha, bare))
    shouting = len(letters) >= 10 and sum(map(str.isupper, letters)) / len(letters) >= 0.6
    stripped = bare.strip()
    return PostSignals(
        question="?" in bare or bool(_QUESTION_START.match(stripped)) and len(words) >= 3,
        fact=bool(_NUMBER.search(bare)),
        reason=_has_reason(bare),
        substantial=len(words) >= SUBSTANTIAL_WORDS,
        link=bool(_URL.search(text)),
        baiting=shouting or "!!!" in bare or mentions >= MENTION_STORM,
        words=frozenset(w.casefold() for w in words),
    )


def _repeats(words: Sequence[frozenset[str]]) -> int:
    """How many posts say again (word for word, near enough) what an earlier one said."""
    count = 0
    for i, current in enumerate(words):
        if len(current) < 3:
            continue
        for earlier in words[max(0, i - 50) : i]:
            if earlier and len(current & earlier) / len(current | earlier) >= REPEAT_SIMILARITY:
                count += 1
                break
    return count


def author_stats(
    posts: Sequence[AuthorPost], followers: int | None = None
) -> tuple[AuthorStats, list[PostSignals]]:
    """The counts an author's type is read from (posts oldest first)."""
    read = [signals(p.text) for p in posts]
    tones = [p.sentiment for p in posts]
    known = [p.engagement for p in posts if p.engagement is not None]
    dates = [p.created_at for p in posts if p.created_at is not None]
    helpful = sum(
        1
        for p, s in zip(posts, read, strict=True)
        if p.answers_other
        and p.sentiment != "negative"
        and p.offensive < OFFENSIVE_AT
        and not s.baiting
    )
    stats = AuthorStats(
        posts=len(posts),
        negative=tones.count("negative"),
        neutral=tones.count("neutral"),
        positive=tones.count("positive"),
        offensive=sum(p.offensive >= OFFENSIVE_AT for p in posts),
        substance=sum(
            s.substance for s, p in zip(read, posts, strict=True) if p.offensive < OFFENSIVE_AT
        ),
        negative_with_substance=sum(
            s.substance for s, p in zip(read, posts, strict=True) if p.sentiment == "negative"
        ),
        repeats=_repeats([s.words for s in read]),
        baiting=sum(s.baiting and not s.substance for s in read),
        helpful_replies=helpful,
        pages=len({p.source_id for p in posts if p.source_id is not None}),
        followers=followers,
        engagement=sum(known) if known else None,
        first_post=min(dates) if dates else None,
        last_post=max(dates) if dates else None,
    )
    return stats, read


def classify(stats: AuthorStats, settings: AuthorSettings) -> tuple[str, tuple[Reason, ...]]:
    """The author's type (critic, troll, ambassador or none) and the reasons for it."""
    n = stats.posts
    if n < settings.min_posts:
        return NO_TYPE, (Reason("few_posts", n, settings.min_posts),)

    def share(count: int, of: int = n) -> float:
        return count / of if of else 0.0

    # Troll: abusive, repetitive or baiting, and with no substance.
    noise = stats.repeats + stats.baiting
    abusive = stats.offensive and share(stats.offensive) >= settings.troll_offensive_share
    noisy = noise and share(noise) >= settings.troll_repeat_share
    if (abusive or noisy) and share(stats.substance) <= settings.troll_max_substance_share:
        return "troll", (
            *_if(stats.offensive, Reason("offensive", stats.offensive, n)),
            *_if(stats.repeats, Reason("repeats", stats.repeats, n)),
            *_if(stats.baiting, Reason("baiting", stats.baiting, n)),
            Reason("substance", stats.substance, n),
        )
    # Critic: negative, with substance.
    if (
        stats.negative
        and share(stats.negative) >= settings.critic_negative_share
        and share(stats.negative_with_substance, stats.negative) >= settings.critic_substance_share
    ):
        return "critic", (
            Reason("negative", stats.negative, n),
            Reason("negative_substance", stats.negative_with_substance, stats.negative),
            *_if(stats.offensive, Reason("offensive", stats.offensive, n)),
        )
    # Ambassador: positive or helpful, hardly negative, never offensive, with reach.
    positive = (
        stats.positive >= REPEATEDLY and share(stats.positive) >= settings.ambassador_positive_share
    )
    helps = stats.helpful_replies >= max(1, settings.ambassador_min_helps)
    calm = not stats.offensive and share(stats.negative) <= HARDLY_NEGATIVE
    if (positive or helps) and calm:
        reach = _reach(stats, settings)
        if reach is not None:
            evidence = [
                *_if(positive, Reason("positive", stats.positive, n)),
                *_if(stats.helpful_replies, Reason("helps", stats.helpful_replies)),
                reach,
            ]
            if reach.code != "little_reach":
                return "ambassador", tuple(evidence)
            return NO_TYPE, tuple(evidence)
    return NO_TYPE, (
        Reason("negative", stats.negative, n),
        Reason("positive", stats.positive, n),
        Reason("substance", stats.substance, n),
    )


def _reach(stats: AuthorStats, settings: AuthorSettings) -> Reason | None:
    if stats.followers is not None and stats.followers >= settings.min_followers:
        return Reason("followers", stats.followers)
    if stats.engagement is not None and stats.engagement >= settings.min_engagement:
        return Reason("engagement", stats.engagement)
    if stats.followers is None and stats.engagement is None:
        return Reason("reach_unknown")
    return Reason("little_reach", max(stats.followers or 0, stats.engagement or 0))


def _if(condition: object, reason: Reason) -> tuple[Reason, ...]:
    return (reason,) if condition else ()


def classify_posts(
    posts: Sequence[AuthorPost], settings: AuthorSettings, followers: int | None = None
) -> tuple[str, tuple[Reason, ...], AuthorStats]:
    """An author's type, reasons and counts from their posts (oldest first)."""
    stats, _ = author_stats(posts, followers)
    label, reasons = classify(stats, settings)
    return label, reasons, stats
