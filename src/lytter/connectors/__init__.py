"""Connectors: one module per platform behind one small protocol (`base.Connector`).

`CONNECTORS` maps a source's connector name to its class; `make_connector` builds one from
a source's settings and decrypted secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lytter.connectors.base import (
    AuthError,
    BadPayload,
    Capability,
    Connector,
    ConnectorError,
    NotSupported,
    Page,
    PermissionDenied,
    PlatformError,
    SettingsError,
    Target,
)
from lytter.connectors.bluesky import BlueskyConnector
from lytter.connectors.facebook import FacebookConnector
from lytter.connectors.http import Http
from lytter.connectors.instagram import InstagramConnector
from lytter.connectors.mastodon import MastodonConnector
from lytter.connectors.rss import RssConnector

ConnectorClass = (
    type[RssConnector]
    | type[MastodonConnector]
    | type[BlueskyConnector]
    | type[FacebookConnector]
    | type[InstagramConnector]
)
CONNECTORS: dict[str, ConnectorClass] = {
    "rss": RssConnector,
    "mastodon": MastodonConnector,
    "bluesky": BlueskyConnector,
    "facebook": FacebookConnector,
    "instagram": InstagramConnector,
}


def make_connector(
    name: str, settings: Mapping[str, Any], secret: str | None = None, http: Http | None = None
) -> Connector:
    """The connector called `name`, configured; SettingsError when it does not exist."""
    kind = CONNECTORS.get(name)
    if kind is None:
        raise SettingsError(f"unknown connector '{name}': use {', '.join(sorted(CONNECTORS))}")
    return kind(settings, secret, http)


__all__ = [
    "CONNECTORS",
    "AuthError",
    "BadPayload",
    "Capability",
    "Connector",
    "ConnectorError",
    "Http",
    "NotSupported",
    "Page",
    "PermissionDenied",
    "PlatformError",
    "SettingsError",
    "Target",
    "make_connector",
]
