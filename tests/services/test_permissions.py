"""Page grants are enforced in the services, so the CLI, the API and the web obey them."""

from __future__ import annotations

import pytest

from lytter.domain.posts import PostFilter
from lytter.services import posts as post_service
from lytter.services import sources as source_service
from lytter.services import users as user_service
from lytter.services.errors import Forbidden, NotFound
from tests.bank import Bank


def texts(bank: Bank, actor_name: str, **filters: object) -> list[str]:
    actor = getattr(bank, actor_name)
    page = post_service.find_posts(bank.store, actor, PostFilter(bank.workspace_id, **filters))  # type: ignore[arg-type]
    return sorted(p.text for p in page.posts)


def test_agent_sees_only_the_posts_of_their_page(bank: Bank) -> None:
    assert texts(bank, "agent") == ["Netbanken er nede i Aarhus", "Vi kigger på det nu"]
    assert texts(bank, "agent", text="netbanken") == ["Netbanken er nede i Aarhus"]


def test_admin_and_viewer_see_every_post(bank: Bank) -> None:
    assert len(texts(bank, "admin")) == 5
    assert len(texts(bank, "viewer")) == 5


def test_the_count_covers_only_visible_posts(bank: Bank) -> None:
    page = post_service.find_posts(bank.store, bank.agent, PostFilter(bank.workspace_id))
    assert page.total == 2


def test_agent_cannot_filter_on_another_page(bank: Bank) -> None:
    with pytest.raises(Forbidden, match=f"no access to source {bank.odense}"):
        texts(bank, "agent", source_ids=(bank.odense,))


def test_agent_cannot_open_a_post_of_another_page(bank: Bank) -> None:
    odense_post = next(
        p
        for p in bank.store.find_posts(PostFilter(bank.workspace_id))
        if p.source_id == bank.odense
    )
    with pytest.raises(NotFound, match=f"post {odense_post.id} does not exist"):
        post_service.post_detail(bank.store, bank.agent, odense_post.id)
    assert post_service.post_detail(bank.store, bank.admin, odense_post.id).post == odense_post


def test_agent_sees_the_thread_of_their_own_page(bank: Bank) -> None:
    reply = next(p for p in bank.store.find_posts(PostFilter(bank.workspace_id)) if p.parent_id)
    detail = post_service.post_detail(bank.store, bank.agent, reply.id)
    assert [p.external_id for p in detail.thread] == ["1", "2"]


def test_agent_lists_only_their_sources(bank: Bank) -> None:
    assert [s.id for s in source_service.list_sources(bank.store, bank.agent)] == [bank.aarhus]
    assert len(source_service.list_sources(bank.store, bank.viewer)) == 2


def test_a_grant_takes_effect_and_a_revoke_takes_it_away(bank: Bank) -> None:
    user_service.grant(bank.store, bank.admin, "jonas@banken.dk", ["Banken Odense"])
    assert len(texts(bank, "agent")) == 2, "the actor object is a snapshot"
    fresh = bank.actor(bank.agent_user)
    page = post_service.find_posts(bank.store, fresh, PostFilter(bank.workspace_id))
    assert page.total == 4
    user_service.revoke(bank.store, bank.admin, "jonas@banken.dk", [str(bank.aarhus)])
    fresh = bank.actor(bank.agent_user)
    page = post_service.find_posts(bank.store, fresh, PostFilter(bank.workspace_id))
    assert sorted(p.external_id for p in page.posts) == ["3", "4"]


def test_only_admins_manage_users(bank: Bank) -> None:
    for actor in (bank.agent, bank.viewer):
        with pytest.raises(Forbidden, match="only an admin may manage users"):
            user_service.list_users(bank.store, actor)
        with pytest.raises(Forbidden):
            user_service.grant(bank.store, actor, "jonas@banken.dk", ["odense"])


def test_workspace_statistics_are_not_for_page_scoped_users(bank: Bank) -> None:
    assert post_service.workspace_stats(bank.store, bank.viewer).posts == 5
    with pytest.raises(Forbidden):
        post_service.workspace_stats(bank.store, bank.agent)
