"""`lytter audit verify` and `lytter audit export` from the shell."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lytter.cli.main import app
from lytter.domain.access import Actor
from lytter.services import audit
from lytter.store import open_store
from tests.services.test_audit import tamper

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    store = open_store(url, create=True)
    ws = store.ensure_workspace("default")
    for n in range(1, 4):
        audit.record(store, Actor.system(ws.id), "hide", f"post:{n}", "Spam", {"png": "0" * 64})
    store.close()
    return url


def test_verify_exits_0_with_the_head_and_1_when_an_entry_was_edited(db: str) -> None:
    result = runner.invoke(app, ["audit", "verify", "--db", db])
    assert result.exit_code == 0, result.output
    assert "audit log intact: 3 entries, head " in result.output
    store = open_store(db, create=False)
    head = store.audit_entries(store.ensure_workspace("default").id)[-1].hash
    assert head in result.output
    tamper(store, "UPDATE audit_log SET actor = 'someone else' WHERE seq = 1")
    store.close()
    result = runner.invoke(app, ["audit", "verify", "--db", db])
    assert result.exit_code == 1
    assert "the audit log is not intact: entry 1 was changed after it was written" in " ".join(
        result.output.split()
    )


def test_verify_checks_a_head_kept_elsewhere(db: str) -> None:
    result = runner.invoke(app, ["audit", "verify", "--db", db, "--expect", "f" * 64])
    assert result.exit_code == 1
    assert "written down elsewhere is not in this log" in " ".join(result.output.split())


def test_export_writes_csv_to_a_file(db: str, tmp_path: Path) -> None:
    target = tmp_path / "audit.csv"
    result = runner.invoke(
        app, ["audit", "export", "--db", db, "--format", "csv", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    with target.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["subject"] for r in rows] == ["post:1", "post:2", "post:3"]
    result = runner.invoke(app, ["audit", "export", "--db", db, "--format", "xml"])
    assert result.exit_code == 1 and "unknown export format 'xml'" in result.output
