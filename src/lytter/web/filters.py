"""The posts filters the Listen pages share: read from the query string, turned into a
`PostFilter`, and given back to the form (partials/filter_fields.html) as they were typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Query

from lytter.domain.posts import PostFilter
from lytter.services.authors import author_types
from lytter.services.dates import parse_when
from lytter.services.posts import sentiments
from lytter.web.i18n import gettext
from lytter.web.templating import Page

OFFENSIVE_CHOICES = {"only": True, "without": False}


@dataclass(frozen=True, slots=True)
class Filters:
    """The filter fields as typed: q, sources, platform, language, dates, tone, offensive,
    author type."""

    q: str = ""
    source: tuple[str, ...] = field(default=())
    platform: str = ""
    language: str = ""
    since: str = ""
    until: str = ""
    tone: str = ""
    offensive: str = ""  # "", "only" or "without"
    author: str = ""  # an author type: critic, troll, ambassador or none

    @property
    def source_ids(self) -> tuple[int, ...]:
        return tuple(int(s) for s in self.source if s.isdigit())

    def post_filter(self, page: Page) -> PostFilter:
        """The filter these fields ask for, in the page's time zone; UserError names a field
        that makes no sense (a date that is not one, an unknown tone)."""
        assert page.actor is not None
        return PostFilter(
            workspace_id=page.actor.workspace_id,
            text=self.q or None,
            source_ids=self.source_ids,
            platforms=(self.platform,) if self.platform else (),
            languages=(self.language,) if self.language else (),
            since=parse_when(self.since, gettext(page.locale, "From"), page.zone, end=False),
            until=parse_when(self.until, gettext(page.locale, "To"), page.zone, end=True),
            sentiments=sentiments([self.tone], gettext(page.locale, "Tone")),
            offensive=OFFENSIVE_CHOICES.get(self.offensive),
            author_types=author_types([self.author], gettext(page.locale, "Author")),
        )

    @property
    def params(self) -> dict[str, str]:
        """The single-valued fields, for the form and for links that keep them."""
        return {
            "q": self.q,
            "platform": self.platform,
            "language": self.language,
            "since": self.since,
            "until": self.until,
            "tone": self.tone,
            "offensive": self.offensive if self.offensive in OFFENSIVE_CHOICES else "",
            "author": self.author,
        }


def filters(
    q: str = "",
    source: Annotated[list[str] | None, Query()] = None,
    platform: str = "",
    language: str = "",
    since: str = "",
    until: str = "",
    tone: str = "",
    offensive: str = "",
    author: str = "",
) -> Filters:
    return Filters(
        q, tuple(source or ()), platform, language, since, until, tone, offensive, author
    )


FiltersDep = Annotated[Filters, Depends(filters)]
