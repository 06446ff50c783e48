"""The REST API: tokens, one error shape, filters, paging, and page grants."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lytter.services import auth
from tests.api.conftest import Api, error
from tests.bank import PASSWORD


def test_without_a_token_the_api_says_how_to_authenticate(api: Api) -> None:
    response = api.client.get("/api/v1/posts")
    assert response.status_code == 401
    assert error(response)["message"] == (
        "send a personal API token as 'Authorization: Bearer TOKEN'"
    )
    bad = api.client.get("/api/v1/posts", headers={"Authorization": "Bearer lyt_nope"})
    assert bad.status_code == 401 and error(bad)["code"] == "unauthorized"


def test_me_tells_the_role_and_pages(api: Api) -> None:
    me = api.get("/me", "agent").json()
    assert me["email"] == "jonas@banken.dk" and me["role"] == "agent"
    assert me["source_ids"] == [api.bank.aarhus]
    assert api.get("/me", "viewer").json()["source_ids"] is None


def test_posts_are_filtered_and_searched(api: Api) -> None:
    assert api.get("/posts").json()["total"] == 5
    assert api.get("/posts", q="netbanken").json()["total"] == 2
    assert api.get("/posts", q="netbanken NOT odense").json()["total"] == 1
    assert api.get("/posts", q='netbanken NOT page:"Banken Odense"').json()["total"] == 1
    bad = api.get("/posts", q="netbanken and odense")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_query"
    assert api.get("/posts", source=[api.bank.odense]).json()["total"] == 2
    assert api.get("/posts", platform="facebook", language="da").json()["total"] == 5
    assert api.get("/posts", platform="instagram").json()["total"] == 0
    assert api.get("/posts", since="2024-04-01", until="2024-04-01").json()["total"] == 5
    assert api.get("/posts", since="2024-04-02").json()["total"] == 0
    assert api.get("/posts", since="2024-04-01T09:03:00+00:00").json()["total"] == 3


def test_posts_are_paged_with_a_next_offset(api: Api) -> None:
    first = api.get("/posts", limit=2).json()
    assert [p["external_id"] for p in first["items"]] == ["5", "4"]
    assert first["next_offset"] == 2 and first["total_is_exact"]
    last = api.get("/posts", limit=2, offset=4).json()
    assert [p["external_id"] for p in last["items"]] == ["1"] and last["next_offset"] is None


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"limit": 0}, "limit", "limit: Input should be greater than or equal to 1"),
        ({"since": "i går"}, "since", "since 'i går' is not a date"),
        ({"since": "2024-05-02", "until": "2024-05-01"}, "since", "the date range is empty"),
        ({"source": "Aarhus"}, "source.0", "source.0: Input should be a valid integer"),
        ({"sentiment": "angry"}, "sentiment", "sentiment is negative, neutral or positive"),
    ],
)
def test_bad_input_is_a_400_that_names_the_field(
    api: Api, params: dict[str, Any], field: str, message: str
) -> None:
    response = api.get("/posts", **params)
    assert response.status_code == 400
    body = error(response)
    assert body["code"] == "invalid" and body["field"] == field
    assert body["message"].startswith(message)


def test_a_post_comes_with_its_thread_and_payload(api: Api) -> None:
    reply = next(p for p in api.get("/posts").json()["items"] if p["parent_id"])
    detail = api.get(f"/posts/{reply['id']}").json()
    assert [p["external_id"] for p in detail["thread"]] == ["1", "2"]
    assert detail["post"]["source_name"] == "Banken Aarhus"
    missing = api.get("/posts/999999")
    assert missing.status_code == 404 and error(missing)["message"] == "post 999999 does not exist"


def test_agent_cannot_see_another_pages_posts_in_the_api(api: Api) -> None:
    listed = api.get("/posts", "agent").json()
    assert {p["source_id"] for p in listed["items"]} == {api.bank.aarhus}
    assert listed["total"] == 2
    odense_ids = [p["id"] for p in api.get("/posts", source=[api.bank.odense]).json()["items"]]
    for post_id in odense_ids:
        assert api.get(f"/posts/{post_id}", "agent").status_code == 404
    forbidden = api.get("/posts", "agent", source=[api.bank.odense])
    assert forbidden.status_code == 403 and error(forbidden)["code"] == "forbidden"
    assert [s["id"] for s in api.get("/sources", "agent").json()] == [api.bank.aarhus]


def test_only_admins_manage_users_over_the_api(api: Api) -> None:
    assert api.get("/users", "viewer").status_code == 403
    created = api.send(
        "POST",
        "/users",
        email="mette@banken.dk",
        name="Mette Holm",
        role="manager",
        password=PASSWORD,
    )
    assert created.status_code == 201 and created.json()["source_ids"] == []
    user_id = created.json()["id"]
    granted = api.send("POST", f"/users/{user_id}/sources", source_ids=[api.bank.odense])
    assert granted.json()["source_ids"] == [api.bank.odense]
    revoked = api.send("DELETE", f"/users/{user_id}/sources/{api.bank.odense}")
    assert revoked.json()["source_ids"] == []
    again = api.send("POST", "/users", email="mette@banken.dk", name="M", password=PASSWORD)
    assert again.status_code == 409 and error(again)["field"] == "email"
    assert api.send("POST", "/users", "agent", email="x@y.dk", name="X").status_code == 403


def test_tokens_are_made_listed_and_revoked_by_their_owner(api: Api) -> None:
    made = api.send("POST", "/tokens", "agent", name="Power BI")
    assert made.status_code == 201 and made.json()["secret"].startswith("lyt_")
    names = [t["name"] for t in api.get("/tokens", "agent").json()]
    assert names == ["tests", "Power BI"] and "secret" not in api.get("/tokens", "agent").json()[0]
    assert api.send("DELETE", f"/tokens/{made.json()['id']}", "viewer").status_code == 404
    assert api.send("DELETE", f"/tokens/{made.json()['id']}", "agent").status_code == 204
    fresh = {"Authorization": f"Bearer {made.json()['secret']}"}
    assert api.client.get("/api/v1/me", headers=fresh).status_code == 401


def test_a_browser_session_may_read_but_must_send_its_csrf_token_to_write(api: Api) -> None:
    session = auth.login(api.bank.store, "karen@banken.dk", PASSWORD, "testclient")
    api.client.cookies.set("lytter_session", session.secret)
    assert api.client.get("/api/v1/me").json()["email"] == "karen@banken.dk"
    refused = api.client.post("/api/v1/tokens", json={"name": "x"})
    assert refused.status_code == 403 and "X-CSRF-Token" in error(refused)["message"]
    allowed = api.client.post(
        "/api/v1/tokens", json={"name": "x"}, headers={"X-CSRF-Token": session.csrf_token}
    )
    assert allowed.status_code == 201


def test_unknown_paths_and_methods_use_the_same_error_shape(api: Api) -> None:
    assert error(api.get("/nothing-here"))["code"] == "not_found"
    assert error(api.send("PATCH", "/posts"))["code"] == "method_not_allowed"


def test_sources_to_collect_are_added_tested_collected_and_removed(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytest_httpserver import HTTPServer

    from lytter.demo.platform import FIXTURES

    monkeypatch.setenv("LYTTER_KEY_FILE", str(tmp_path / "k.key"))
    with HTTPServer() as server:
        server.expect_request("/rss2.xml").respond_with_data(
            (FIXTURES / "rss2.xml").read_bytes(), content_type="application/rss+xml"
        )
        body = {"connector": "rss", "settings": {"url": server.url_for("/rss2.xml")}}
        assert api.send("POST", "/sources", "viewer", **body).status_code == 403
        added = api.send("POST", "/sources", **body, name="Nyheder")
        assert added.status_code == 201, added.text
        source = added.json()
        assert source["connector"] == "rss" and source["has_secret"] is False
        assert api.send("POST", "/sources", **body).status_code == 409
        trial = api.send("POST", f"/sources/{source['id']}/test").json()
        assert [p["external_id"] for p in trial["posts"]] == [
            "nyheder-4711",
            "https://nyheder.example.dk/ko",
        ]
        collected = api.send("POST", f"/sources/{source['id']}/collect").json()
        assert collected["inserted"] == 2 and collected["error"] is None
        assert api.send("DELETE", f"/sources/{source['id']}").status_code == 204
    bad = api.send("POST", "/sources", connector="rss", settings={"url": "ftp://x"})
    assert bad.status_code == 400 and "needs an http" in bad.json()["error"]["message"]


def test_themes_of_the_posts_the_caller_may_see(api: Api) -> None:
    body = api.get("/themes", k=2).json()
    assert body["posts_read"] == 5 and not body["capped"]
    assert 1 <= len(body["items"]) <= 2
    theme = body["items"][0]
    assert {"label", "phrases", "count", "share", "sentiment", "examples", "post_ids"} <= set(theme)
    assert set(theme["sentiment"]) == {"negative", "neutral", "positive"}
    agent = api.get("/themes", as_="agent", k=2).json()
    assert agent["posts_read"] == 2  # the two posts on the agent's page
    bad = api.get("/themes", k=1)
    assert bad.status_code == 400 and error(bad)["field"] == "k"


def test_a_post_tells_its_tone_and_an_agent_can_correct_it(api: Api) -> None:
    from lytter.services import analysing

    analysing.analyse_new_posts(api.bank.store, api.bank.workspace_id)
    aarhus_post = next(
        p for p in api.get("/posts", as_="agent").json()["items"] if p["external_id"] == "1"
    )
    before = api.get(f"/posts/{aarhus_post['id']}").json()["analysis"]
    assert before["sentiment"] in ("negative", "neutral", "positive") and not before["corrected"]
    other = "positive" if before["sentiment"] != "positive" else "neutral"
    done = api.send("PUT", f"/posts/{aarhus_post['id']}/sentiment", "agent", sentiment=other)
    assert done.status_code == 200, done.text
    assert done.json()["sentiment"] == other and done.json()["corrected"]
    assert done.json()["model_sentiment"] == before["sentiment"]
    after = api.get(f"/posts/{aarhus_post['id']}").json()["analysis"]
    assert after["sentiment"] == other
    assert api.get("/posts", sentiment=other).json()["total"] >= 1
    bad = api.send("PUT", f"/posts/{aarhus_post['id']}/sentiment", sentiment="vred")
    assert bad.status_code == 400 and error(bad)["field"] == "sentiment"
    denied = api.send("PUT", f"/posts/{aarhus_post['id']}/sentiment", "viewer", sentiment=other)
    assert denied.status_code == 403
    odense = next(p for p in api.get("/posts").json()["items"] if p["external_id"] == "3")
    hidden = api.send("PUT", f"/posts/{odense['id']}/sentiment", "agent", sentiment=other)
    assert hidden.status_code == 404
