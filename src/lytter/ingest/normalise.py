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
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _columns(m: ColumnMapping) -> tuple[dict[str, str], dict[str, str]]:
    """Which record key feeds which field: (plain keys, dotted paths into nested JSON).

    A mapped field is read only from its column; the others from their own name or alias.
    """
    plain: dict[str, str] = {}
    dotted: dict[str, str] = {}
    for name in FIELDS:
        column = m.columns.get(name)
        keys = [column] if column is not None else [name]
        if column is None:
            keys += [alias for alias, target in ALIASES.items() if target == name]
        for key in keys:
            if "." in key and column is not None:
                dotted[key] = name
            else:
                plain.setdefault(key, name)
    return plain, dotted


def _fields(record: Mapping[str, Any], m: ColumnMapping) -> dict[str, Any]:
    """The schema fields found in `record`: strings stripped, empty strings left out."""
    plain, dotted = _plan(m)
    found: dict[str, Any] = {}
    for key, value in record.items():
        name = plain.get(key)
        if name is None or value is None:
            continue
        if isinstance(value, str) and name != "text":
            value = value.strip()
            if not value:
                continue
        found.setdefault(name, value)
    for key, name in dotted.items():
        value = _lookup(record, key)
        if isinstance(value, str):
            value = value.strip() or None
        if value is not None:
            found[name] = value
    return found


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


_PLANS: dict[int, tuple[ColumnMapping, tuple[dict[str, str], dict[str, str]]]] = {}


def _plan(m: ColumnMapping) -> tuple[dict[str, str], dict[str, str]]:
    cached = _PLANS.get(id(m))
    if cached is None or cached[0] is not m:
        if len(_PLANS) > 64:
            _PLANS.clear()
        cached = (m, _columns(m))
        _PLANS[id(m)] = cached
    return cached[1]


def to_draft(
    record: Mapping[str, Any], m: ColumnMapping, *, mapper: str, raw_json: str | None = None
) -> PostDraft:
    """Validate `record` and build its PostDraft; raises Reject with the reason otherwise."""
    f = _fields(record, m)
    external_id = _as_id(f.get("id"), "id")
    if external_id is None:
        raise Reject("missing id")
    platform_value = f.get("platform") or m.platform
    if not platform_value:
        raise Reject("missing platform (add a platform column or pass --platform)")
    try:
        platform = normalise_platform(str(platform_value))
    except ValueError as exc:
        raise Reject(str(exc)) from None
    # The text is taken as it is: no stripping, an empty text is a valid (image-only) post.
    text = f.get("text")
    if text is None:
        raise Reject("missing text")
    if not isinstance(text, str):
        raise Reject(f"text must be a string, not {type(text).__name__}")
    if len(text) * 4 > MAX_TEXT_BYTES and (size := len(text.encode())) > MAX_TEXT_BYTES:
        raise Reject(f"text is {size:,} bytes, over the 100 kB limit")
    if "\x00" in text:
        raise Reject("text contains a NUL character")
    created = f.get("created_at")
    if created is None:
        raise Reject("missing created_at")
    created_at = _as_time(created, "created_at", m)
    collected = f.get("collected_at")
    collected_at = None if collected is None else _as_time(collected, "collected_at", m)

    author = _author(f)
    source_name = f.get("source") or m.source
    source = None
    if source_name is not None:
        source_id = _as_id(f.get("source_id"), "source_id") or str(source_name)[:255]
        source_url = f.get("source_url")
        source = SourceRef(source_id, str(source_name)[:255], source_url)

    counts = [_as_count(f.get(c), c) for c in _COUNTS]
    url = f.get("url")
    return PostDraft(
        platform=platform,
        external_id=external_id,
        text=text,
        created_at=created_at,
        author=author,
        source=source,
        root_id=_as_id(f.get("root_id"), "root_id"),
        parent_id=_as_id(f.get("parent_id"), "parent_id"),
        language=_language(f.get("language")) or m.language,
        url=url if isinstance(url, str) else None,
        engagement=Engagement(*counts),
        collected_at=collected_at,
        # The JSON text, when given, is the raw payload: no need for a copy of the dict too.
        raw=None if raw_json is not None else dict(record),
        mapper=mapper,
        raw_json=raw_json,
    )


def _author(f: dict[str, Any]) -> AuthorRef | None:
    value = f.get("author")
    name = f.get("author_name")
    followers = f.get("author_followers")
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
