"""Answering and moderating over the API: a reply to the recorded platform, presence, saved
replies, guidelines, and a hide with its evidence and audit entry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer

from lytter.app import create_app
from lytter.services import auth, moderation
from lytter.store import Store
from tests.api.conftest import error
from tests.page import ConnectedPage, connect_page


class PageApi:
    def __init__(self, client: TestClient, page: ConnectedPage) -> None:
        self.client = client
        self.page = page
        self.tokens = {
            name: auth.create_token(page.store, getattr(page, name), "tests").secret
            for name in ("admin", "agent", "other")
        }

    def call(self, method: str, path: str, as_: str = "agent", **json: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[as_]}"}
        return self.client.request(method, f"/api/v1{path}", json=json or None, headers=headers)


@pytest.fixture
def api(
    store: Store, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[PageApi]:
    monkeypatch.setenv("LYTTER_KEY_FILE", str(tmp_path / "secret.key"))
    monkeypatch.setenv("LYTTER_CHROMIUM", "/nonexistent/chromium")  # the service tests draw it
    page = connect_page(store, httpserver)
    moderation.ensure_default_guidelines(store, page.admin)
    with TestClient(create_app(store)) as client:
        yield PageApi(client, page)


def test_a_reply_with_a_saved_text_and_presence(api: PageApi) -> None:
    item = f"/inbox/{api.page.item_id}"
    saved = api.call(
        "PUT", "/saved-replies", as_="admin", name="tak", body="Hej {author}, tak! /{agent}"
    )
    assert saved.status_code == 200 and saved.json()["kind"] == "reply"
    assert api.call("PUT", "/saved-replies", name="x", body="y").status_code == 403
    assert [r["name"] for r in api.call("GET", "/saved-replies").json()] == ["tak"]

    assert api.call("POST", f"{item}/presence", as_="other", composing=True).json() == []
    (viewer,) = api.call("POST", f"{item}/presence").json()
    assert (viewer["email"], viewer["composing"]) == ("ida@banken.dk", True)

    version = api.call("GET", item).json()["item"]["version"]
    sent = api.call("POST", f"{item}/reply", saved="tak", seen_version=version)
    assert sent.status_code == 201
    assert sent.json()["text"] == "Hej Mette Hansen, tak! /Jonas"
    assert api.page.graph.actions[-1][2]["message"] == "Hej Mette Hansen, tak! /Jonas"
    assert sent.json()["item"]["waiting_since"] is None
    again = api.call("POST", f"{item}/reply", as_="other", text="Hej", seen_version=version)
    assert again.status_code == 409 and error(again)["code"] == "conflict"
    both = api.call("POST", f"{item}/reply", text="a", saved="tak")
    assert both.status_code == 400


def test_a_hide_is_kept_audited_and_its_evidence_served(api: PageApi) -> None:
    guidelines = api.call("GET", "/moderation/guidelines").json()
    assert [g["code"] for g in guidelines][:2] == ["personal-data", "abuse"]
    post = api.page.question_id
    refused = api.call("POST", f"/posts/{post}/moderation", action="hide")
    assert refused.status_code == 400 and error(refused)["field"] == "guideline"

    done = api.call("POST", f"/posts/{post}/moderation", action="hide", guideline="personal-data")
    assert done.status_code == 201
    act = done.json()
    assert act["status"] == "done" and act["audit_seq"] == 1
    kept = api.call("GET", f"/moderation/acts/{act['id']}/evidence").json()
    assert kept["intact"] and kept["png_sha256"] is None and "no browser" in kept["png_missing"]
    payload = api.call("GET", f"/moderation/acts/{act['id']}/evidence/payload.json")
    assert payload.json()["from"]["name"] == "Mette Hansen"
    html = api.call("GET", f"/moderation/acts/{act['id']}/evidence/snapshot.html")
    assert "attachment" in html.headers["content-disposition"]
    (entry,) = api.call("GET", "/audit", as_="admin").json()
    assert entry["evidence"] == {
        "payload_sha256": kept["payload_sha256"],
        "html_sha256": kept["html_sha256"],
    }
    assert [a["id"] for a in api.call("GET", "/moderation/acts").json()] == [act["id"]]

    denied = {"message": "(#200) Permissions error", "type": "OAuthException", "code": 200}
    api.page.graph.failures.append((403, {"error": denied}))
    failed = api.call(
        "POST", f"/posts/{post}/moderation", action="delete", guideline="spam", notify="none"
    )
    assert failed.status_code == 502 and error(failed)["code"] == "platform"


def test_guidelines_are_edited_by_admins_and_managers(api: PageApi) -> None:
    put = api.call(
        "PUT", "/moderation/guidelines/links", as_="admin", title="Links", body="Ingen links."
    )
    assert put.status_code == 200 and put.json()["position"] == 5
    assert api.call("PUT", "/moderation/guidelines/x", title="t", body="b").status_code == 403
