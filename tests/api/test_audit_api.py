"""The audit log over the API: entries, the chain's check and an export, for auditors only."""

from __future__ import annotations

import csv
import io

from lytter.services import audit
from tests.api.conftest import Api, error
from tests.services.test_audit import tamper


def add_acts(api: Api) -> None:
    bank = api.bank
    for n in range(1, 4):
        audit.record(bank.store, bank.admin, "hide", f"post:{n}", f"Spam {n}", {"png": "0" * 64})


def test_entries_come_a_page_at_a_time_with_their_hashes(api: Api) -> None:
    add_acts(api)
    body = api.get("/audit", after=1, limit=1).json()
    assert [(e["seq"], e["subject"], e["reason"]) for e in body] == [(2, "post:2", "Spam 2")]
    assert body[0]["evidence"] == {"png": "0" * 64} and len(body[0]["hash"]) == 64


def test_verify_says_whether_the_chain_is_intact_and_where_it_breaks(api: Api) -> None:
    add_acts(api)
    good = api.get("/audit/verify").json()
    assert good["intact"] and good["entries"] == 3 and good["problem"] is None
    tamper(api.bank.store, "UPDATE audit_log SET reason = 'x' WHERE seq = 3")
    bad = api.get("/audit/verify").json()
    assert (bad["intact"], bad["seq"], bad["head"]) == (
        False,
        3,
        api.get("/audit").json()[1]["hash"],
    )
    assert api.get("/audit/verify", expect="f" * 64).json()["intact"] is False


def test_export_as_csv_and_refusals(api: Api) -> None:
    add_acts(api)
    response = api.get("/audit/export", format="csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["seq"] for r in rows] == ["1", "2", "3"]
    assert error(api.get("/audit/export", format="xml"))["code"] == "invalid"
    assert api.get("/audit", as_="agent").status_code == 403
    assert api.get("/audit/verify", as_="viewer").status_code == 403
