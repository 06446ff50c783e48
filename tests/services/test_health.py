"""Page health over the store on a frozen clock: the page's own posts and replies are told from
its customers', waiting conversations count, the dormant come first, and pages follow grants."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer

from lytter.app import create_app
from lytter.domain.access import Actor
from lytter.domain.health import HealthRules
from lytter.domain.users import Role
from lytter.services import auth, health, users
from lytter.services.access import actor_for
from lytter.store import Store
from tests.bank import PASSWORD
from tests.conftest import FROZEN
from tests.page import ConnectedPage, connect_page


@pytest.fixture
def page(
    store: Store, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> ConnectedPage:
    monkeypatch.setenv("LYTTER_KEY_FILE", str(tmp_path / "secret.key"))
    return connect_page(store, httpserver)


def test_a_page_that_posted_today_with_one_comment_waiting(page: ConnectedPage) -> None:
    (found,) = health.page_health(page.store, page.admin)
    assert found.facts.name == "Banken Aarhus" and not found.dormant
    assert found.facts.last_own_post == FROZEN - timedelta(hours=3)  # the page's post
    assert found.facts.last_reply is None  # the customer's comment is not the page's
    assert (found.facts.unanswered, found.facts.oldest_waiting) == (1, FROZEN - timedelta(hours=1))
    assert found.score == 80 and found.reasons == ("never replied while 1 conversations wait",)


def test_a_silent_page_turns_dormant_and_comes_first(page: ConnectedPage) -> None:
    later = FROZEN + timedelta(days=20)
    (found,) = health.page_health(page.store, page.admin, now=later)
    assert found.dormant and found.days_since_own_post == 20
    assert found.reasons[0] == "no own post for 20 days (dormant after 14)"
    (lenient,) = health.page_health(page.store, page.admin, HealthRules(30), now=later)
    assert not lenient.dormant


def test_people_see_the_health_of_their_own_pages_only(page: ConnectedPage) -> None:
    assert [h.facts.name for h in health.page_health(page.store, page.agent)] == ["Banken Aarhus"]
    stranger = users.add_user(
        page.store,
        Actor.system(page.workspace_id),
        email="ole@banken.dk",
        name="Ole",
        role=Role.AGENT,
        password=PASSWORD,
    )
    assert health.page_health(page.store, actor_for(page.store, stranger)) == []


def test_the_api_lists_the_callers_pages_worst_first(page: ConnectedPage) -> None:
    token = auth.create_token(page.store, page.agent, "tests").secret
    with TestClient(create_app(page.store)) as client:
        found = client.get(
            "/api/v1/health/pages",
            params={"dormant_days": 1},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
    assert [(p["page"], p["dormant"], p["score"]) for p in found] == [("Banken Aarhus", False, 80)]
    assert found[0]["reasons"] == ["never replied while 1 conversations wait"]
