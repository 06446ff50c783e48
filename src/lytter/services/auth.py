"""Logging in: argon2 passwords, rate-limited logins, browser sessions and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

from lytter.domain.access import Actor, ApiToken
from lytter.domain.users import User
from lytter.services.access import actor_for
from lytter.services.errors import NotFound, TooManyAttempts, Unauthorized, UserError
from lytter.store.base import Store

SESSION_LIFETIME = timedelta(hours=12)
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_CLIENT = 30
MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "lyt_"

# argon2id as RFC 9106 recommends where memory is scarce (64 MiB, 3 passes).
hasher = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
# Verified against when the e-mail is unknown, so both failures take the same time.
_DUMMY_HASH = hasher.hash("not a password of anyone")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def normalise_email(email: str) -> str:
    """The e-mail as stored (trimmed, lower case); UserError when it cannot be one."""
    value = email.strip().lower()
    if not _EMAIL.match(value) or len(value) > 320:
        raise UserError("'{email}' is not an e-mail address", field="email", email=email)
    return value


def hash_password(password: str) -> str:
    """The argon2id hash of a new password; UserError when it is too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(
            "a password needs at least {n} characters", field="password", n=MIN_PASSWORD_LENGTH
        )
    return hasher.hash(password)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class LoginResult:
    """A new browser session: put `secret` in the cookie, `csrf_token` in every form."""

    user: User
    secret: str
    csrf_token: str
    expires_at: datetime


def _check_rate(store: Store, keys: dict[str, int], now: datetime) -> None:
    for key, limit in keys.items():
        failures = store.login_failures(key, now - FAILURE_WINDOW)
        if len(failures) >= limit:
            wait = failures[-limit] + FAILURE_WINDOW - now
            minutes = max(1, -(-int(wait.total_seconds()) // 60))
            raise TooManyAttempts(
                "too many failed logins; try again in {minutes} minutes",
                retry_after=max(1, int(wait.total_seconds())),
                minutes=minutes,
            )


def login(store: Store, email: str, password: str, client: str) -> LoginResult:
    """Check the password and open a session; Unauthorized or TooManyAttempts otherwise.

    Failures are counted per e-mail (5 in 15 minutes) and per client address (30), in the
    database, so every server process shares the limit.
    """
    now = store.clock()
    address = email.strip().lower()
    keys = {f"email:{address}": MAX_FAILURES_PER_EMAIL, f"client:{client}": MAX_FAILURES_PER_CLIENT}
    _check_rate(store, keys, now)
    user = store.find_user(address)
    stored = store.password_hash(user.id) if user is not None else None
    try:
        hasher.verify(stored or _DUMMY_HASH, password)
        ok = user is not None and stored is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None or stored is None:
        store.add_login_failure(keys, forget_before=now - FAILURE_WINDOW)
        raise Unauthorized("wrong e-mail or password", field="password")
    store.clear_login_failures(f"email:{address}")
    if hasher.check_needs_rehash(stored):
        store.update_user(user.id, password_hash=hasher.hash(password))
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    expires = now + SESSION_LIFETIME
    store.add_session(_digest(secret), user.id, csrf, expires)
    return LoginResult(user, secret, csrf, expires)


def password_matches(store: Store, user: User, password: str) -> bool:
    """Whether `password` is the user's current password."""
    stored = store.password_hash(user.id)
    try:
        return stored is not None and hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True, slots=True)
class SessionActor:
    """Who a browser session belongs to, and the CSRF token its forms must carry."""

    actor: Actor
    csrf_token: str


def session_actor(store: Store, secret: str) -> SessionActor | None:
    """The actor of the session cookie `secret`; None when unknown or expired."""
    session = store.get_session(_digest(secret))
    if session is None:
        return None
    return SessionActor(actor_for(store, session.user), session.csrf_token)


def logout(store: Store, secret: str) -> None:
    """End the session whose cookie holds `secret`."""
    store.delete_session(_digest(secret))


def token_actor(store: Store, token: str) -> Actor | None:
    """The actor of a personal API token; None when the token is unknown."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    user = store.token_user(_digest(token))
    return None if user is None else actor_for(store, user)


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token just made: `secret` is shown once and never stored."""

    token: ApiToken
    secret: str


def create_token(store: Store, actor: Actor, name: str) -> NewToken:
    """A new personal API token for the actor's own user."""
    if actor.user is None:
        raise UserError("API tokens belong to a user: pass --as EMAIL")
    name = name.strip()
    if not name or len(name) > 100:
        raise UserError("a token needs a name of 1 to 100 characters", field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = store.add_token(actor.user.id, name, secret[:10], _digest(secret))
    return NewToken(token, secret)


def list_tokens(store: Store, actor: Actor) -> list[ApiToken]:
    """The actor's own API tokens (their secrets are not kept)."""
    return [] if actor.user is None else store.list_tokens(actor.user.id)


def revoke_token(store: Store, actor: Actor, token_id: int) -> None:
    """Delete one of the actor's own tokens; NotFound when it is not theirs."""
    if actor.user is None or not store.delete_token(actor.user.id, token_id):
        raise NotFound("token {token_id} does not exist", token_id=token_id)
