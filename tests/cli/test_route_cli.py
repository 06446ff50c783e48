"""`lytter route ...`: rules added, tried first with --dry-run, listed, switched off, removed;
new items routed by them with the reason in their history."""

from __future__ import annotations

import json

from tests.cli.test_inbox_cli import db, run  # noqa: F401 - the fixture


def test_rules_route_new_items_and_a_dry_run_saves_nothing(db: str) -> None:  # noqa: F811
    run("desk", "add", "Netbank", "--hours", "24/7", "--db", db)
    trial = run(
        "route",
        "add",
        "Netbank",
        "--words",
        "netbank*",
        "--desk",
        "Netbank",
        "--dry-run",
        "--db",
        db,
    )
    assert "would have taken 0 of the last 7 days' 0 items" in trial
    assert run("route", "list", "--json", "--db", db).strip() == ""
    added = run(
        "route",
        "add",
        "Netbank",
        "--words",
        "netbank*",
        "--desk",
        "Netbank",
        "--priority",
        "high",
        "--db",
        db,
    )
    assert "rule 1 'Netbank' added" in added
    run("inbox", "gather", "--db", db)
    rows = [json.loads(x) for x in run("inbox", "list", "--json", "--db", db).splitlines()]
    routed = {r["thread"]: (r["desk"], r["priority"]) for r in rows}
    assert routed == {"1": ("Netbank", "high"), "3": (None, "normal")}
    item = next(r["id"] for r in rows if r["thread"] == "1")
    assert "rule 1 'Netbank': words netbank*" in " ".join(
        run("inbox", "show", str(item), "--db", db).split()
    )
    rule = json.loads(run("route", "list", "--json", "--db", db))
    assert rule["when"] == {"words": "netbank*"} and rule["then"]["priority"] == "high"
    assert "is off" in run("route", "enable", "Netbank", "--off", "--db", db)
    assert "removed" in run("route", "remove", "Netbank", "--db", db)
    assert "no desk 'salg'" in run("route", "add", "X", "--desk", "salg", "--db", db, code=1)
