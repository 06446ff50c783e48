"""Managing users: adding, roles, grants, passwords and language."""

from __future__ import annotations

import pytest

from lytter.domain.users import Role
from lytter.services import auth
from lytter.services import users as user_service
from lytter.services.errors import Conflict, Forbidden, NotFound, UserError
from tests.bank import PASSWORD, Bank


def test_a_new_user_gets_an_argon2_hash_never_the_password(bank: Bank) -> None:
    user = user_service.add_user(
        bank.store,
        bank.admin,
        email=" Mette@Banken.DK ",
        name="Mette",
        role=Role.MANAGER,
        password="æøå-kodeord",
    )
    assert user.email == "mette@banken.dk"
    stored = bank.store.password_hash(user.id)
    assert stored is not None and stored.startswith("$argon2id$") and "æøå" not in stored


def test_an_email_can_be_used_once(bank: Bank) -> None:
    with pytest.raises(Conflict, match="exists already"):
        user_service.add_user(
            bank.store,
            bank.admin,
            email="JONAS@banken.dk",
            name="J",
            role=Role.AGENT,
            password=PASSWORD,
        )


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-email", PASSWORD, "is not an e-mail address"),
        ("a@b.dk", "kort", "at least 8 characters"),
    ],
)
def test_bad_input_is_one_clear_sentence(
    bank: Bank, email: str, password: str, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        user_service.add_user(
            bank.store, bank.admin, email=email, name="X", role=Role.AGENT, password=password
        )


def test_an_unknown_role_or_source_is_named(bank: Bank) -> None:
    with pytest.raises(UserError, match="unknown role 'boss': use admin, manager, agent, viewer"):
        user_service.parse_role("boss")
    with pytest.raises(NotFound, match="no source 'Banken Vejle'"):
        user_service.grant(bank.store, bank.admin, "jonas@banken.dk", ["Banken Vejle"])


def test_users_are_listed_with_their_pages(bank: Bank) -> None:
    views = {v.user.email: v for v in user_service.list_users(bank.store, bank.admin)}
    assert [s.name for s in views["jonas@banken.dk"].sources] == ["Banken Aarhus"]
    assert views["karen@banken.dk"].sees_all_pages


def test_set_grants_gives_exactly_the_ticked_pages(bank: Bank) -> None:
    view = user_service.set_grants(bank.store, bank.admin, bank.agent_user.id, {bank.odense})
    assert [s.id for s in view.sources] == [bank.odense]


def test_an_admin_cannot_demote_themselves(bank: Bank) -> None:
    with pytest.raises(Forbidden, match="your own admin role"):
        user_service.set_role(bank.store, bank.admin, "karen@banken.dk", Role.VIEWER)


def test_a_new_role_ends_the_users_sessions(bank: Bank) -> None:
    session = auth.login(bank.store, "jonas@banken.dk", PASSWORD, "127.0.0.1")
    user_service.set_role(bank.store, bank.admin, "jonas@banken.dk", Role.VIEWER)
    assert auth.session_actor(bank.store, session.secret) is None


def test_changing_your_own_password_needs_the_current_one(bank: Bank) -> None:
    with pytest.raises(Forbidden, match="current password is wrong"):
        user_service.change_own_password(bank.store, bank.agent, "forkert", "et nyt kodeord")
    user_service.change_own_password(bank.store, bank.agent, PASSWORD, "et nyt kodeord")
    assert auth.login(bank.store, "jonas@banken.dk", "et nyt kodeord", "x").user.id == (
        bank.agent_user.id
    )


def test_the_language_is_chosen_per_user(bank: Bank) -> None:
    assert user_service.set_locale(bank.store, bank.agent, "EN") == "en"
    assert bank.store.get_user(bank.agent_user.id).locale == "en"  # type: ignore[union-attr]
    with pytest.raises(UserError, match="unknown language 'sv'"):
        user_service.set_locale(bank.store, bank.agent, "sv")
