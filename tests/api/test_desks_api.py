"""Desks, the shift roster, absences and routing rules over the API: set up by admins, read by
everyone, a dry run before a rule is saved, and the rule's reason on the items it routes."""

from __future__ import annotations

from tests.api.conftest import Api, error
from tests.api.test_inbox_api import own_pages


def test_a_desk_with_members_shifts_targets_and_a_roster(api: Api) -> None:
    made = api.send("POST", "/desks", name="Netbank", hours="mon-fri 08:00-16:00")
    assert made.status_code == 201 and made.json()["timezone"] == "Europe/Copenhagen"
    assert api.send("POST", "/desks", as_="agent", name="X").status_code == 403
    assert api.send("POST", "/desks", name="netbank").status_code == 409
    bad = api.send("POST", "/desks", name="Y", hours="mandag 8-16")
    assert bad.status_code == 400 and error(bad)["field"] == "hours"

    desk = api.send(
        "PATCH",
        "/desks/Netbank",
        members=["karen@banken.dk", "jonas@banken.dk"],
        signature="/{agent}",
    ).json()
    assert [m["email"] for m in desk["members"]] == ["karen@banken.dk", "jonas@banken.dk"]
    shifted = api.send(
        "PUT", "/desks/Netbank/shifts/jonas@banken.dk", shift="tue,thu 12:00-16:00"
    ).json()
    jonas = next(m for m in shifted["members"] if m["email"] == "jonas@banken.dk")
    assert (jonas["shift"], jonas["own_shift"]) == ("tue,thu 12:00-16:00", True)
    notmember = api.send("PUT", "/desks/Netbank/shifts/sofie@banken.dk", shift="mon 8-12")
    assert notmember.status_code == 400 and "not on the desk" in error(notmember)["message"]

    sla = api.send("PUT", "/desks/Netbank/sla/high", first_response="30m", resolution="4h")
    assert sla.json() == {
        "priority": "high",
        "first_response_minutes": 30,
        "resolution_minutes": 240,
        "warn_minutes": 30,
    }
    assert api.get(f"/desks/{made.json()['id']}", as_="viewer").json()["sla"] == [sla.json()]

    away = api.send(
        "POST",
        "/absences",
        as_="agent",
        email="jonas@banken.dk",
        starts_at="2024-04-02T00:00:00+02:00",
        ends_at="2024-04-03T00:00:00+02:00",
        note="kursus",
    )
    assert away.status_code == 201
    others = api.send(
        "POST",
        "/absences",
        as_="agent",
        email="karen@banken.dk",
        starts_at="2024-04-02T00:00:00+02:00",
        ends_at="2024-04-03T00:00:00+02:00",
    )
    assert others.status_code == 403
    roster = api.get("/desks/Netbank/roster", at="2024-04-02T13:00:00+02:00").json()
    by_email = {line["email"]: line for line in roster}
    assert by_email["karen@banken.dk"]["on_now"] is True
    assert by_email["jonas@banken.dk"]["on_now"] is False
    assert by_email["jonas@banken.dk"]["next_start"] == "2024-04-04T10:00:00Z"  # Thursday 12:00
    past = api.send("DELETE", f"/absences/{away.json()['id']}", as_="agent")
    assert past.status_code == 404  # over: it stays as history
    later = api.send(
        "POST",
        "/absences",
        as_="agent",
        email="jonas@banken.dk",
        starts_at="2099-07-01T00:00:00+02:00",
        ends_at="2099-07-20T00:00:00+02:00",
    ).json()
    naive = api.send(
        "POST", "/absences", email="jonas@banken.dk", starts_at="2099-07-01", ends_at="2099-07-02"
    )
    assert naive.status_code == 400 and "timezone" in error(naive)["message"]
    assert [a["id"] for a in api.get("/absences", as_="viewer").json()] == [later["id"]]
    assert api.send("DELETE", f"/absences/{later['id']}", as_="agent").status_code == 204


def test_rules_are_tried_first_added_moved_and_explained(api: Api) -> None:
    own_pages(api)
    api.send("POST", "/desks", name="Netbank")
    rule = {"name": "Netbank", "when": {"words": "netbank*"}, "then": {"desk": "Netbank"}}
    trial = api.send("POST", "/routing/dry-run", **rule).json()
    assert (trial["items"], trial["taken"]) == (3, 2)
    assert trial["taken_items"][0]["why"] == "rule 1 'Netbank': words netbank*"
    assert api.get("/routing/rules").json() == []  # a dry run saves nothing

    added = api.send("POST", "/routing/rules", **rule)
    assert added.status_code == 201
    assert added.json()["wording"] == "when words netbank*, then desk Netbank"
    assert api.send("POST", "/routing/rules", as_="agent", **rule).status_code == 403
    wrong = api.send(
        "POST", "/routing/rules", name="X", when={"words": "netbank AND"}, then={"desk": "Netbank"}
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "invalid_query"
    api.send(
        "POST",
        "/routing/rules",
        name="Odense",
        when={"pages": ["odense"], "sentiments": ["negative"]},
        then={"priority": "high", "tags": ["filial"]},
    )
    moved = api.send("PATCH", "/routing/rules/Odense", position=1, enabled=False).json()
    assert (moved["position"], moved["enabled"]) == (1, False)
    assert moved["when"]["pages"] == ["Banken Odense"]
    assert [r["name"] for r in api.get("/routing/rules", as_="viewer").json()] == [
        "Odense",
        "Netbank",
    ]
    assert api.send("DELETE", "/routing/rules/Odense").status_code == 204
    assert api.send("DELETE", "/routing/rules/Odense").status_code == 404
