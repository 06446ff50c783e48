"""RSS and Atom feeds: blogs, news and alert feeds (Google Alerts), with conditional GET.

Formats: RSS 0.9x/1.0/2.0 and Atom 1.0 (https://www.rssboard.org/rss-specification,
RFC 4287), parsed by feedparser, which copes with the malformed feeds found in the wild. The
cursor holds the feed's `ETag` and `Last-Modified`: the next collection sends them as
`If-None-Match` / `If-Modified-Since` (RFC 9110 §13.1) and a `304 Not Modified` costs nothing.

Each entry is a post: its id (or link) is the external id, title and summary its text (HTML
removed), the entry's own time or else the time it was first collected.
"""

from __future__ import annotations

import calendar
import hashlib
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

import feedparser

from lytter.connectors.base import BadPayload, BaseConnector, Capability, Page, SettingsError
from lytter.connectors.http import Http
from lytter.connectors.text import html_to_text
from lytter.domain.posts import AuthorRef, PostDraft, SourceRef

MAPPER = "rss/1"


def _field(entry: Mapping[str, Any], key: str) -> Any:
    # dict.get: feedparser's own lookup maps missing keys onto others (and warns about it).
    return dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)


def _time(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = _field(entry, key)
        if isinstance(value, time.struct_time):
            return datetime.fromtimestamp(calendar.timegm(value), UTC)
    return None


def _language(code: str | None) -> str | None:
    if not code:
        return None
    return code.split("-")[0].split("_")[0].strip().lower()[:8] or None


class RssConnector(BaseConnector):
    """One feed. Settings: `url`; optional `name`."""

    platform: ClassVar[str] = "rss"
    capabilities: ClassVar[frozenset[Capability]] = frozenset()

    def __init__(
        self, settings: Mapping[str, Any], secret: str | None = None, http: Http | None = None
    ) -> None:
        url = str(settings.get("url") or "").strip()
        if not url.startswith(("http://", "https://")):
            raise SettingsError(f"a feed needs an http(s) URL, not {url!r}")
        self.url = url
        self.name = str(settings.get("name") or url)
        self.http = http or Http()

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

    @staticmethod
    def external_id(settings: Mapping[str, Any]) -> str:
        return str(settings["url"]).strip()

    def collect(self, cursor: Any) -> Iterator[Page]:
        cursor = cursor if isinstance(cursor, dict) else {}
        headers = {}
        if cursor.get("etag"):
            headers["If-None-Match"] = str(cursor["etag"])
        if cursor.get("modified"):
            headers["If-Modified-Since"] = str(cursor["modified"])
        response = self.http.request("GET", self.url, headers=headers, expect=(200, 304))
        if response.status_code == 304:
            return
        parsed = feedparser.parse(response.content, response_headers=dict(response.headers))
        if not parsed.entries and parsed.get("bozo") and not parsed.get("feed"):
            reason = parsed.get("bozo_exception")
            raise BadPayload(f"{self.url} is not an RSS or Atom feed: {reason}")
        feed = parsed.get("feed", {})
        source = SourceRef(self.url, self.name, feed.get("link"))
        language = _language(feed.get("language"))
        collected = self.now()
        drafts = [
            d for entry in parsed.entries if (d := self._draft(entry, source, language, collected))
        ]
        new_cursor = {
            "etag": response.headers.get("etag"),
            "modified": response.headers.get("last-modified"),
        }
        yield Page(drafts, new_cursor)

    def _draft(
        self,
        entry: Mapping[str, Any],
        source: SourceRef,
        language: str | None,
        collected: datetime,
    ) -> PostDraft | None:
        title = html_to_text(entry.get("title"))
        summary = html_to_text(entry.get("summary") or "")
        link = entry.get("link")
        if not (title or summary or link):
            return None  # nothing to show, nothing to identify it by
        ident = entry.get("id") or link
        if not ident:
            ident = hashlib.sha256(f"{title}\n{summary}".encode()).hexdigest()[:32]
        text = title if not summary or summary == title else f"{title}\n\n{summary}".strip()
        author = entry.get("author")
        raw = {
            key: value
            for key in ("id", "title", "link", "summary", "published", "updated", "author")
            if (value := _field(entry, key)) is not None
        }
        if entry.get("tags"):
            raw["tags"] = [t.get("term") for t in entry["tags"] if t.get("term")]
        return PostDraft(
            platform=self.platform,
            external_id=str(ident)[:255],
            text=text,
            created_at=_time(entry) or collected,
            author=AuthorRef(str(author)[:255]) if author else None,
            source=source,
            language=_language(entry.get("language")) or language,
            url=link,
            collected_at=collected,
            raw=raw,
            mapper=MAPPER,
        )
