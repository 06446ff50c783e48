"""Turn one import record (a JSON object or a CSV row) into a validated PostDraft.

The normalised schema is documented in docs/import-format.md. A foreign file is read by
mapping its columns onto the schema's fields (`--map author=user_name`); JSON fields can be
reached with dotted paths (`--map author=user.screen_name`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from lytter.domain.posts import MAX_TEXT_BYTES, AuthorRef, Engagement, PostDraft, SourceRef
from lytter.domain.sources import normalise_platform

FIELDS: dict[str, str] = {
    "id": "the post's id on its platform (required)",
    "platform": "facebook, instagram, twitter, reddit, ... (required unless --platform)",
    "text": "the post's text (required, at most 100 kB)",
    "created_at": "when it was posted, ISO 8601 such as 2024-05-01T12:00:00Z (required)",
    "author": "the author's handle or id; in JSON also an object {handle, name, followers}",
    "author_name": "the author's display name",
    "author_followers": "the author's follower count",
    "source": "the page or account it was collected from (its name)",
    "source_id": "the platform's id of that page or account (defaults to its name)",
    "source_url": "the page's address",
    "root_id": "the id of the first post of the thread (alias: thread_id)",
    "parent_id": "the id of the post this one answers (alias: in_reply_to)",
    "language": "ISO 639-1 code such as da or en (alias: lang)",
    "url": "the post's permalink",
    "likes": "reaction count",
    "comments": "reply count",
    "shares": "share count",
    "views": "view count",
    "collected_at": "when it was collected, ISO 8601 (defaults to now)",
}
ALIASES = {"thread_id": "root_id", "in_reply_to": "parent_id", "lang": "language"}
_COUNTS = ("likes", "comments", "shares", "views")


class Reject(ValueError):
    """A record that cannot become a post; the message says why."""


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """How to read one file: which of its columns feed which schema field, and defaults."""

    columns: dict[str, str] = field(default_factory=dict)
    platform: str | None = None
    source: str | None = None
    language: str | None = None
    date_format: str | None = None
    timezone: tzinfo = UTC

    @staticmethod
    def parse_pairs(pairs: list[str]) -> dict[str, str]:
        """Parse `field=column` pairs from the command line; raises ValueError on a bad one."""
        columns: dict[str, str] = {}
        for pair in pairs:
            name, sep, column = pair.partition("=")
            name, column = name.strip(), column.strip()
            name = ALIASES.get(name, name)
            if not sep or not name or not column:
                raise ValueError(f"'{pair}' is not FIELD=COLUMN (e.g. --map id=tweet_id)")
            if name not in FIELDS:
                known = ", ".join(FIELDS)
                raise ValueError(f"unknown field '{name}' in --map {pair}; fields: {known}")
            columns[name] = column
        return columns


def _lookup(record: Mapping[str, Any], key: str) -> Any:
    if key in record:
        return record[key]
    if "." in key:
        value: Any = record
        for part in key.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return None
            value = value[part]
        return value
    return None


def _get(record: Mapping[str, Any], name: str, m: ColumnMapping) -> Any:
    column = m.columns.get(name)
    if column is not None:
        value = _lookup(record, column)
    else:
        value = record.get(name)
        if value is None:
            for alias, target in ALIASES.items():
                if target == name and alias in record:
                    value = record[alias]
                    break
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _as_id(value: Any, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise Reject(f"{name} must be a string or a whole number, not {type(value).__name__}")
    text = str(value)
    if len(text) > 255:
        raise Reject(f"{name} is {len(text)} characters long; at most 255")
    return text


def _as_count(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        count = value
    elif isinstance(value, str) and value.replace(",", "").replace("_", "").isdigit():
        count = int(value.replace(",", "").replace("_", ""))
    elif isinstance(value, float) and value.is_integer():
        count = int(value)
    else:
        raise Reject(f"{name} is not a whole number: {value!r}")
    if count < 0:
        raise Reject(f"{name} is negative: {count}")
    return count


def _as_time(value: Any, name: str, m: ColumnMapping) -> datetime:
    if not isinstance(value, str):
        raise Reject(f"{name} must be a date and time as text, not {type(value).__name__}")
    try:
        if m.date_format:
            parsed = datetime.strptime(value, m.date_format)
        else:
            parsed = datetime.fromisoformat(value)
    except ValueError:
        expected = m.date_format or "ISO 8601, e.g. 2024-05-01T12:00:00Z"
        raise Reject(f"unparsable {name} {value!r} (expected {expected})") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=m.timezone)
    return parsed.astimezone(UTC)


def _language(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    # "da-DK", "da_DK", "DA" -> "da"
    return value.replace("_", "-").split("-", 1)[0].lower()[:16] or None


def to_draft(record: Mapping[str, Any], m: ColumnMapping, *, mapper: str) -> PostDraft:
    """Validate `record` and build its PostDraft; raises Reject with the reason otherwise."""
    external_id = _as_id(_get(record, "id", m), "id")
    if external_id is None:
        raise Reject("missing id")
    platform_value = _get(record, "platform", m) or m.platform
    if not platform_value:
        raise Reject("missing platform (add a platform column or pass --platform)")
    try:
        platform = normalise_platform(str(platform_value))
    except ValueError as exc:
        raise Reject(str(exc)) from None
    text = _get(record, "text", m) if "text" in m.columns else record.get("text")
    if text is None:
        raise Reject("missing text")
    if not isinstance(text, str):
        raise Reject(f"text must be a string, not {type(text).__name__}")
    if len(text) * 4 > MAX_TEXT_BYTES and (size := len(text.encode())) > MAX_TEXT_BYTES:
        raise Reject(f"text is {size:,} bytes, over the 100 kB limit")
    if "\x00" in text:
        raise Reject("text contains a NUL character")
    created = _get(record, "created_at", m)
    if created is None:
        raise Reject("missing created_at")
    created_at = _as_time(created, "created_at", m)
    collected = _get(record, "collected_at", m)
    collected_at = None if collected is None else _as_time(collected, "collected_at", m)

    author = _author(record, m)
    source_name = _get(record, "source", m) or m.source
    source = None
    if source_name is not None:
        source_id = _as_id(_get(record, "source_id", m), "source_id") or str(source_name)[:255]
        source_url = _get(record, "source_url", m)
        source = SourceRef(source_id, str(source_name)[:255], source_url)

    counts = [_as_count(_get(record, c, m), c) for c in _COUNTS]
    url = _get(record, "url", m)
    return PostDraft(
        platform=platform,
        external_id=external_id,
        text=text,
        created_at=created_at,
        author=author,
        source=source,
        root_id=_as_id(_get(record, "root_id", m), "root_id"),
        parent_id=_as_id(_get(record, "parent_id", m), "parent_id"),
        language=_language(_get(record, "language", m)) or m.language,
        url=url if isinstance(url, str) else None,
        engagement=Engagement(*counts),
        collected_at=collected_at,
        raw=dict(record),
        mapper=mapper,
    )


def _author(record: Mapping[str, Any], m: ColumnMapping) -> AuthorRef | None:
    value = _get(record, "author", m)
    name = _get(record, "author_name", m)
    followers = _get(record, "author_followers", m)
    if isinstance(value, Mapping):
        name = name or value.get("name")
        followers = followers if followers is not None else value.get("followers")
        value = value.get("handle") or value.get("id") or value.get("username")
    handle = _as_id(value, "author")
    if handle is None:
        return None
    return AuthorRef(
        handle=handle,
        name=str(name)[:255] if name is not None else None,
        followers=_as_count(followers, "author_followers"),
    )
