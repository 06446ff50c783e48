"""The audit log as an auditor meets it: every act chained, any edit or removal found."""

from __future__ import annotations

import csv
import io
import json

import pytest
import sqlalchemy as sa

from lytter.domain.audit import AuditDraft, entry_hash
from lytter.services import audit
from lytter.services.errors import Forbidden, UserError
from lytter.store import Store
from tests.bank import Bank


def tamper(store: Store, *statements: str) -> None:
    """Change the log as someone with the database's keys could: around its triggers."""
    engine = sa.create_engine(store.url)
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            else:
                conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_update")
                conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_delete")
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


@pytest.fixture
def acts(store: Store, bank: Bank) -> Bank:
    for n, (action, reason) in enumerate(
        [("hide", "Personal attack"), ("delete", "Spam link"), ("block", "Repeated threats")], 1
    ):
        audit.record(store, bank.admin, action, f"post:{n}", reason, {"payload": f"{n:064x}"})
    return bank


def test_an_untouched_log_is_intact_and_names_its_head(store: Store, acts: Bank) -> None:
    check = audit.verify(store, acts.admin)
    assert check.intact and check.entries == 3
    assert check.head == store.audit_entries(acts.workspace_id)[-1].hash


def test_an_edited_entry_is_found(store: Store, acts: Bank) -> None:
    tamper(store, "UPDATE audit_log SET reason = 'Disagreed with us' WHERE seq = 2")
    check = audit.verify(store, acts.admin)
    assert check.problem == "entry 2 was changed after it was written (its hash does not match)"
    assert check.seq == 2


def test_a_removed_entry_is_found_at_the_end_and_in_the_middle(store: Store, acts: Bank) -> None:
    tamper(store, "DELETE FROM audit_log WHERE seq = 3")
    check = audit.verify(store, acts.admin)
    assert check.problem == "entry 3 was removed (the log ends at entry 2)"
    tamper(store, "DELETE FROM audit_log WHERE seq = 2")
    check = audit.verify(store, acts.admin)
    assert check.problem == "entries 2 to 3 were removed (the log ends at entry 1)"


def test_an_entry_removed_from_the_middle_breaks_the_chain(store: Store, acts: Bank) -> None:
    tamper(store, "DELETE FROM audit_log WHERE seq = 2")
    assert audit.verify(store, acts.admin).problem == "entry 2 is missing"


def test_a_rewritten_chain_is_caught_by_a_head_kept_elsewhere(store: Store, acts: Bank) -> None:
    kept = audit.verify(store, acts.admin).head
    # Someone edits entry 3 and computes every hash and the head again: the chain holds...
    old = store.audit_entries(acts.workspace_id)[2]
    forged = AuditDraft(old.actor, old.action, old.subject, "Nothing", old.evidence, old.details)
    digest = entry_hash(acts.workspace_id, 3, old.at, forged, old.prev_hash)
    tamper(
        store,
        f"UPDATE audit_log SET reason = 'Nothing', hash = '{digest}' WHERE seq = 3",
        f"UPDATE audit_heads SET hash = '{digest}'",
    )
    assert audit.verify(store, acts.admin).intact
    # ...but the head written down before is no longer in it.
    check = audit.verify(store, acts.admin, expect=kept)
    assert check.problem == f"the head {kept} written down elsewhere is not in this log"
    # A head from further back is still there as the log grows.
    assert audit.verify(store, acts.admin, expect=old.prev_hash).intact


def test_exports_carry_every_entry_with_its_hashes(store: Store, acts: Bank) -> None:
    as_json = json.loads("".join(audit.export(store, acts.admin, "json")))
    assert [e["action"] for e in as_json] == ["hide", "delete", "block"]
    assert as_json[1]["prev_hash"] == as_json[0]["hash"]
    assert as_json[0]["evidence"] == {"payload": f"{1:064x}"}
    lines = "".join(audit.export(store, acts.admin, "jsonl")).splitlines()
    assert [json.loads(x) for x in lines] == as_json
    rows = list(csv.DictReader(io.StringIO("".join(audit.export(store, acts.admin, "csv")))))
    assert [r["reason"] for r in rows] == ["Personal attack", "Spam link", "Repeated threats"]
    assert json.loads(rows[2]["evidence"]) == {"payload": f"{3:064x}"}
    with pytest.raises(UserError, match="unknown export format 'xml'"):
        audit.export(store, acts.admin, "xml")


def test_only_admins_and_managers_read_the_log_and_every_act_needs_a_reason(
    store: Store, acts: Bank
) -> None:
    for actor in (acts.agent, acts.viewer):
        with pytest.raises(Forbidden, match="audit log"):
            audit.verify(store, actor)
        with pytest.raises(Forbidden):
            audit.export(store, actor, "json")
    with pytest.raises(UserError, match="needs a reason"):
        audit.record(store, acts.admin, "hide", "post:9", "  ")
