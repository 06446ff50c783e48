"""Roles and page grants: who may see and do what."""

from __future__ import annotations

from lytter.domain.access import ROLE_PERMISSIONS, Actor, Permission
from lytter.domain.users import Role, User
from tests.conftest import FROZEN


def user(role: Role) -> User:
    return User(1, 1, "x@banken.dk", "X", role, "da", FROZEN)


def test_only_admins_manage_users() -> None:
    assert [r for r in Role if Permission.MANAGE_USERS in ROLE_PERMISSIONS[r]] == [Role.ADMIN]


def test_viewers_only_read() -> None:
    assert ROLE_PERMISSIONS[Role.VIEWER] == {Permission.READ}


def test_managers_and_agents_see_only_their_pages() -> None:
    for role in (Role.MANAGER, Role.AGENT):
        actor = Actor.for_user(user(role), [3, 4])
        assert actor.sees_source(3) and actor.sees_source(4)
        assert not actor.sees_source(5)
        assert not actor.sees_source(None), "posts without a page are not theirs"


def test_admins_and_viewers_see_every_page_whatever_they_were_granted() -> None:
    for role in (Role.ADMIN, Role.VIEWER):
        actor = Actor.for_user(user(role), [3])
        assert actor.source_ids is None
        assert actor.sees_source(5) and actor.sees_source(None)


def test_the_command_line_acts_as_the_local_admin() -> None:
    actor = Actor.system(7)
    assert actor.workspace_id == 7 and actor.can(Permission.MANAGE_USERS) and actor.user is None
