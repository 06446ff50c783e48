"""Saved queries over the API: saved with their matches, checked with a position on error."""

from __future__ import annotations

from tests.api.conftest import Api, error


def test_a_bad_query_is_a_422_with_column_hint_and_caret(api: Api) -> None:
    response = api.send("POST", "/queries/check", query="netbank and nede")
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "invalid_query" and body["field"] == "query"
    assert body["column"] == 9 and "capitals" in body["hint"]
    assert body["caret"] == "netbank and nede\n        ^"
    ok = api.send("POST", "/queries/check", query="netbank NEAR/3 nede")
    assert ok.json() == {"canonical": "(netbank NEAR/3 nede)"}


def test_a_saved_query_lists_its_matches_on_the_callers_pages(api: Api) -> None:
    made = api.send("POST", "/queries", name="Netbank", query="netbank*", tags=["drift"])
    assert made.status_code == 201 and made.json()["matches"] == 2
    query_id = made.json()["id"]
    assert [q["name"] for q in api.get("/queries", "viewer").json()] == ["Netbank"]
    agent = api.get(f"/queries/{query_id}/posts", "agent").json()
    assert agent["total"] == 1 and agent["items"][0]["source_id"] == api.bank.aarhus
    changed = api.send("PUT", f"/queries/{query_id}", query="kø")
    assert changed.json()["matches"] == 1
    assert api.send("DELETE", f"/queries/{query_id}").status_code == 204
    assert error(api.get(f"/queries/{query_id}/posts"))["code"] == "not_found"


def test_only_admins_and_managers_save_queries(api: Api) -> None:
    refused = api.send("POST", "/queries", "agent", name="x", query="kø")
    assert refused.status_code == 403


def test_synonym_sets_are_defined_and_used(api: Api) -> None:
    put = api.send("PUT", "/synonyms/problem", entries=["nede", '"virker ikke"'])
    assert put.json() == {"name": "problem", "entries": ["nede", '"virker ikke"']}
    made = api.send("POST", "/queries", name="Problemer", query="$problem")
    assert made.json()["matches"] == 2
    assert api.get("/synonyms").json() == [put.json()]
