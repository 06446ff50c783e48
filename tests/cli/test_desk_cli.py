"""`lytter desk ...` and `lytter inbox move`: desks with hours, members and SLA targets, and
an item's SLA in the inbox list."""

from __future__ import annotations

import json

from tests.cli.test_inbox_cli import db, run  # noqa: F401 - the fixture


def test_a_desk_with_targets_puts_an_sla_on_its_items(db: str) -> None:  # noqa: F811
    run(
        "user",
        "add",
        "jonas@banken.dk",
        "--name",
        "Jonas",
        "--role",
        "agent",
        "--password",
        "hemmeligt-1234",
        "--db",
        db,
    )
    assert "mon-fri 08:00-16:00" in run("desk", "add", "Kundeservice", "--db", db)
    run("desk", "members", "Kundeservice", "jonas@banken.dk", "--db", db)
    shown = run(
        "desk",
        "sla",
        "kundeservice",
        "normal",
        "--first-response",
        "2h",
        "--resolution",
        "1h30m",
        "--db",
        db,
    )
    assert "normal: first answer 2h, resolved 1h30m" in shown
    desk = json.loads(run("desk", "list", "--json", "--db", db))
    assert desk["members"] == ["jonas@banken.dk"]
    assert desk["sla"]["normal"] == {"first_response_minutes": 120, "resolution_minutes": 90}
    run("inbox", "gather", "--db", db)
    rows = [json.loads(x) for x in run("inbox", "list", "--json", "--db", db).splitlines()]
    assert all(r["desk"] is None and r["sla"] is None for r in rows)
    item = str(rows[0]["id"])
    assert "is on Kundeservice" in run("inbox", "move", item, "Kundeservice", "--db", db)
    row = next(
        json.loads(x)
        for x in run("inbox", "list", "--json", "--db", db).splitlines()
        if str(json.loads(x)["id"]) == item
    )
    assert row["desk"] == "Kundeservice"
    assert row["sla"]["first_response"]["state"] in ("breached", "met", "missed")
    assert "no desk 'salg'" in run("inbox", "move", item, "salg", "--db", db, code=1)
    assert "closes before it opens" in run(
        "desk", "hours", "Kundeservice", "mon 16-8", "--db", db, code=1
    )
