"""Sources: the platform accounts and pages posts are collected from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

KNOWN_PLATFORMS = (
    "facebook",
    "instagram",
    "mastodon",
    "bluesky",
    "rss",
    "twitter",
    "reddit",
    "youtube",
    "linkedin",
    "tiktok",
    "web",
)

_PLATFORM_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def normalise_platform(value: str) -> str:
    """Return the platform slug for `value` (lower case, e.g. "Facebook" -> "facebook").

    Raises ValueError when it cannot be a platform name.
    """
    slug = value.strip().lower().replace(" ", "_").replace("-", "_")
    if not _PLATFORM_RE.match(slug):
        raise ValueError(f"'{value}' is not a platform name (letters, digits and _ only)")
    return slug


@dataclass(frozen=True, slots=True)
class Source:
    """A platform account or page we collect from, e.g. one of a bank's 38 Facebook pages."""

    id: int
    workspace_id: int
    platform: str
    external_id: str
    name: str
    brand_id: int | None
    url: str | None
    created_at: datetime
    # Sources Lytter collects from itself (see lytter.connectors); None for imported ones.
    connector: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    cursor: Any = None
    poll_seconds: int | None = None
    enabled: bool = True
    collected_at: datetime | None = None
    last_error: str | None = None
    has_secret: bool = False

    @property
    def collectable(self) -> bool:
        return self.connector is not None
