"""The errors the doors (CLI, API, web) turn into a clear message for the user.

A message is a template with named fields, so the web can show it in the user's language:
`NotFound("post {post_id} does not exist", post_id=7)`. `code` and `field` end up in the
API's error body `{"error": {"code", "message", "field"}}`; `status` is its HTTP status.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark `message` for the UI's catalogs (`make i18n`) without translating it here."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:  # noqa: N802 (gettext's name)
    """Mark `message` in a context, for a word that translates two ways ("Open": the state
    "Åben", the verb "Åbn"); translated with `pgettext`."""
    return context, message


class UserError(Exception):
    """Something the user can fix, explained in one sentence that says what and where."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, field: str | None = None, **params: object) -> None:
        self.template = message
        self.params = params
        self.field = field
        super().__init__(message.format(**params) if params else message)


class NotFound(UserError):
    """What was asked for does not exist, or the user may not know that it does."""

    code = "not_found"
    status = 404


class Forbidden(UserError):
    """The user is known but their role or page grants do not allow this."""

    code = "forbidden"
    status = 403


class Unauthorized(UserError):
    """Nobody is logged in, or the credentials are wrong."""

    code = "unauthorized"
    status = 401


class Conflict(UserError):
    """The change clashes with what is stored (e.g. an e-mail already in use)."""

    code = "conflict"
    status = 409


class TooManyAttempts(UserError):
    """Too many failed logins; try again after `retry_after` seconds."""

    code = "rate_limited"
    status = 429

    def __init__(
        self, message: str, *, retry_after: int, field: str | None = None, **params: object
    ) -> None:
        super().__init__(message, field=field, **params)
        self.retry_after = retry_after


class PlatformRefused(UserError):
    """The platform did not do what was asked (a reply, a hide); nothing was changed there."""

    code = "platform"
    status = 502
