"""Logging in: passwords, rate limits, sessions and API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lytter.services import auth
from lytter.services.errors import NotFound, TooManyAttempts, Unauthorized
from lytter.store import Store
from tests.bank import PASSWORD, Bank
from tests.conftest import FROZEN


def test_the_right_password_opens_a_session(bank: Bank) -> None:
    result = auth.login(bank.store, "JONAS@banken.dk", PASSWORD, "10.0.0.1")
    session = auth.session_actor(bank.store, result.secret)
    assert session is not None and session.actor == bank.agent
    assert session.csrf_token == result.csrf_token and len(result.csrf_token) >= 32


def test_a_wrong_password_or_unknown_email_says_the_same(bank: Bank) -> None:
    for email, password in (("jonas@banken.dk", "forkert"), ("nobody@banken.dk", PASSWORD)):
        with pytest.raises(Unauthorized, match="^wrong e-mail or password$"):
            auth.login(bank.store, email, password, "10.0.0.1")


def test_five_failures_lock_the_email_for_a_while(bank: Bank, store: Store) -> None:
    for _ in range(auth.MAX_FAILURES_PER_EMAIL):
        with pytest.raises(Unauthorized):
            auth.login(store, "jonas@banken.dk", "forkert", "10.0.0.1")
    with pytest.raises(TooManyAttempts, match="try again in 15 minutes") as locked:
        auth.login(store, "jonas@banken.dk", PASSWORD, "10.0.0.2")
    assert 0 < locked.value.retry_after <= 15 * 60
    store.clock = lambda: FROZEN + auth.FAILURE_WINDOW + timedelta(seconds=1)
    assert auth.login(store, "jonas@banken.dk", PASSWORD, "10.0.0.2").user.email == (
        "jonas@banken.dk"
    )


def test_many_failures_from_one_address_lock_that_address(bank: Bank) -> None:
    for n in range(auth.MAX_FAILURES_PER_CLIENT):
        with pytest.raises(Unauthorized):
            auth.login(bank.store, f"guess{n}@banken.dk", "forkert", "10.6.6.6")
    with pytest.raises(TooManyAttempts):
        auth.login(bank.store, "karen@banken.dk", PASSWORD, "10.6.6.6")
    assert auth.login(bank.store, "karen@banken.dk", PASSWORD, "10.0.0.1")


def test_a_session_expires_and_logout_ends_it(bank: Bank, store: Store) -> None:
    first = auth.login(store, "jonas@banken.dk", PASSWORD, "10.0.0.1")
    second = auth.login(store, "jonas@banken.dk", PASSWORD, "10.0.0.1")
    auth.logout(store, first.secret)
    assert auth.session_actor(store, first.secret) is None
    assert auth.session_actor(store, second.secret) is not None
    store.clock = lambda: FROZEN + auth.SESSION_LIFETIME + timedelta(seconds=1)
    assert auth.session_actor(store, second.secret) is None


def test_an_api_token_is_shown_once_and_stored_only_as_a_hash(bank: Bank, store: Store) -> None:
    made = auth.create_token(store, bank.agent, "Power BI")
    assert made.secret.startswith("lyt_") and len(made.secret) > 40
    assert auth.token_actor(store, made.secret) == bank.agent
    engine = sa.create_engine(store.url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        dump = repr(conn.exec_driver_sql("SELECT * FROM api_tokens").all())
    engine.dispose()
    assert made.secret not in dump and made.secret[10:30] not in dump
    assert [t.name for t in auth.list_tokens(store, bank.agent)] == ["Power BI"]


def test_a_revoked_or_foreign_token_is_refused(bank: Bank, store: Store) -> None:
    made = auth.create_token(store, bank.agent, "script")
    with pytest.raises(NotFound):
        auth.revoke_token(store, bank.viewer, made.token.id)
    auth.revoke_token(store, bank.agent, made.token.id)
    assert auth.token_actor(store, made.secret) is None
    assert auth.token_actor(store, "lyt_madeup") is None
    assert auth.token_actor(store, "Bearer nonsense") is None
