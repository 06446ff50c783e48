"""The connector protocol: what every platform module offers, and the errors it raises.

A connector is made from a source's settings and credentials. `collect(cursor)` yields pages:
the posts of one platform response, normalised to PostDrafts, and the cursor to continue
after them. The collector stores each page's posts and its cursor in one transaction, so a
crash between pages loses nothing and duplicates nothing. The actions a platform allows are
declared as capabilities, so the inbox can ask what is possible before it offers a button.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Protocol

from lytter.domain.posts import PostDraft


class Capability(StrEnum):
    REPLY = "reply"
    PRIVATE_REPLY = "private_reply"  # one private message to a comment's author
    HIDE = "hide"
    UNHIDE = "unhide"
    DELETE = "delete"
    BLOCK_AUTHOR = "block_author"
    UNBLOCK_AUTHOR = "unblock_author"


@dataclass(frozen=True, slots=True)
class Page:
    """One response's posts, and where the next collection starts once they are stored."""

    drafts: list[PostDraft]
    cursor: Any


@dataclass(frozen=True, slots=True)
class Target:
    """What an action acts on: a stored post's platform ids and raw payload."""

    external_id: str
    author_handle: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)


class ConnectorError(Exception):
    """A platform said no, or said something we cannot read. The message says what to do."""

    retryable = False


class SettingsError(ConnectorError):
    """The source's settings are incomplete or wrong (fixable with `lytter source add`)."""


class AuthError(ConnectorError):
    """The credentials are missing, wrong or expired."""


class PermissionDenied(ConnectorError):
    """The credentials are valid but may not do this."""


class NotSupported(ConnectorError):
    """The platform (or this connector) cannot do this action."""


class PlatformError(ConnectorError):
    """The platform failed (5xx, timeouts) even after retries."""

    retryable = True


class BadPayload(ConnectorError):
    """The platform answered with something that is not what its API documents."""


class Connector(Protocol):
    """One platform. Implementations live one per module in lytter.connectors."""

    platform: ClassVar[str]
    capabilities: ClassVar[frozenset[Capability]]

    def collect(self, cursor: Any) -> Iterator[Page]:
        """Pages of posts newer than `cursor` (None: the first collection), oldest first."""
        ...

    def reply(self, target: Target, text: str) -> str:
        """Answer the post; returns the reply's platform id."""
        ...

    def private_reply(self, target: Target, text: str) -> str:
        """Message the post's author privately about it; returns the message's id."""
        ...

    def hide(self, target: Target, hidden: bool = True) -> None: ...

    def delete(self, target: Target) -> None: ...

    def block_author(self, target: Target) -> None: ...

    def unblock_author(self, target: Target) -> None: ...


class BaseConnector:
    """Defaults for the actions a platform does not have: NotSupported, saying so."""

    platform: ClassVar[str] = ""
    capabilities: ClassVar[frozenset[Capability]] = frozenset()

    def _unsupported(self, action: Capability) -> NotSupported:
        return NotSupported(f"{self.platform} sources cannot {action.value.replace('_', ' ')}")

    def reply(self, target: Target, text: str) -> str:
        raise self._unsupported(Capability.REPLY)

    def private_reply(self, target: Target, text: str) -> str:
        raise self._unsupported(Capability.PRIVATE_REPLY)

    def hide(self, target: Target, hidden: bool = True) -> None:
        raise self._unsupported(Capability.HIDE if hidden else Capability.UNHIDE)

    def delete(self, target: Target) -> None:
        raise self._unsupported(Capability.DELETE)

    def block_author(self, target: Target) -> None:
        raise self._unsupported(Capability.BLOCK_AUTHOR)

    def unblock_author(self, target: Target) -> None:
        raise self._unsupported(Capability.UNBLOCK_AUTHOR)
