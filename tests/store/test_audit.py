"""The audit log on both engines: a chain of entries, append-only, its head kept beside it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lytter.domain.audit import GENESIS, AuditDraft, check_chain
from lytter.store import Store
from tests.bank import Bank


def hide(n: int) -> AuditDraft:
    return AuditDraft(
        "karen@bank.dk", "hide", f"post:{n}", "Personal attack (guideline 2)", {"png": "ab" * 32}
    )


def test_entries_are_numbered_and_chained_per_workspace(store: Store, bank: Bank) -> None:
    first = store.append_audit(bank.workspace_id, hide(1))
    second = store.append_audit(bank.workspace_id, hide(2))
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    assert store.audit_head(bank.workspace_id) == (2, second.hash)
    entries = store.audit_entries(bank.workspace_id)
    assert entries == [first, second]
    assert store.audit_entries(bank.workspace_id, after=1, limit=5) == [second]
    assert check_chain(entries, store.audit_head(bank.workspace_id)).intact


def test_an_entry_can_be_neither_changed_nor_deleted(store: Store, bank: Bank) -> None:
    store.append_audit(bank.workspace_id, hide(1))
    engine = sa.create_engine(store.url)
    try:
        for statement in ("UPDATE audit_log SET reason = 'nothing'", "DELETE FROM audit_log"):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as c:
                c.exec_driver_sql(statement)
        if engine.dialect.name == "postgresql":
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as c:
                c.exec_driver_sql("TRUNCATE audit_log")
    finally:
        engine.dispose()
    assert [e.reason for e in store.audit_entries(bank.workspace_id)] == [hide(1).reason]
