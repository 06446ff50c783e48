"""The inbox over the API: the caller's items, an item's conversation and history, actions
that refuse to overwrite what someone else did since the caller looked."""

from __future__ import annotations

from lytter.domain.workspaces import BrandKind
from lytter.services import inbox
from tests.api.conftest import Api, error


def own_pages(api: Api) -> None:
    bank = api.bank
    brand = bank.store.ensure_brand(bank.workspace_id, "Banken", BrandKind.OWN)
    for source_id in (bank.aarhus, bank.odense):
        bank.store.set_source_brand(source_id, brand.id)
    inbox.gather(bank.store, bank.workspace_id)


def test_items_come_by_page_with_their_conversation_and_history(api: Api) -> None:
    own_pages(api)
    assert sorted(i["thread"] for i in api.get("/inbox").json()) == ["1", "3", "4"]
    mine = api.get("/inbox", as_="agent").json()  # Aarhus only
    assert [i["thread"] for i in mine] == ["1"]
    detail = api.get(f"/inbox/{mine[0]['id']}", as_="agent").json()
    assert [p["external_id"] for p in detail["thread"]] == ["1", "2"]
    assert detail["events"][0]["kind"] == "created"
    odense = next(i for i in api.get("/inbox").json() if i["thread"] == "3")
    assert api.get(f"/inbox/{odense['id']}", as_="agent").status_code == 404


def test_acting_assigning_noting_and_tagging(api: Api) -> None:
    own_pages(api)
    item = api.get("/inbox", as_="agent").json()[0]
    path = f"/inbox/{item['id']}"
    opened = api.send("POST", f"{path}/actions", as_="agent", action="open")
    assert opened.json()["state"] == "open"
    stale = api.send(
        "POST", f"{path}/actions", as_="agent", action="resolve", seen_version=item["version"]
    )
    assert stale.status_code == 409 and "changed since you opened it" in error(stale)["message"]
    fresh = api.send(
        "POST",
        f"{path}/actions",
        as_="agent",
        action="resolve",
        seen_version=opened.json()["version"],
    )
    assert fresh.json()["state"] == "resolved"
    assigned = api.send("POST", f"{path}/assign", as_="admin", email="jonas@banken.dk")
    assert assigned.json()["assignee_id"] == api.bank.agent_user.id
    note = api.send("POST", f"{path}/notes", as_="agent", text="Ringede op")
    assert note.json()["kind"] == "note" and note.json()["actor"] == "jonas@banken.dk"
    changed = api.send("PATCH", path, as_="agent", add_tags=["netbank"], priority="urgent")
    assert (changed.json()["tags"], changed.json()["priority"]) == (["netbank"], "urgent")
    assert api.send("POST", f"{path}/actions", as_="viewer", action="reopen").status_code == 403
    bad = api.send("POST", f"{path}/actions", as_="agent", action="wait")
    assert bad.status_code == 400 and error(bad)["field"] == "action"


def test_flagging_a_post(api: Api) -> None:
    posts = api.get("/posts").json()["items"]
    outside = next(p for p in posts if p["external_id"] == "5")  # on no page
    flagged = api.send("POST", "/inbox/flag", as_="admin", post_id=outside["id"])
    assert flagged.json()["flagged"] is True
    assert api.send("POST", "/inbox/flag", as_="agent", post_id=outside["id"]).status_code == 404
