"""Answering and moderating from the shell: saved replies, a reply to the recorded platform,
guidelines, a hide with its evidence written out and checked, and the audit log intact."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from lytter.cli.main import app
from lytter.store import open_store
from tests.page import ConnectedPage, connect_page

runner = CliRunner()


@pytest.fixture
def page(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, ConnectedPage]:
    monkeypatch.setenv("LYTTER_KEY_FILE", str(tmp_path / "secret.key"))
    monkeypatch.setenv("LYTTER_CHROMIUM", "/nonexistent/chromium")
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    store = open_store(url, create=True)
    connected = connect_page(store, httpserver)
    store.close()
    return url, connected


def lytter(url: str, *args: str) -> str:
    result = runner.invoke(app, [*args, "--db", url, "--workspace", "banken"])
    assert result.exit_code == 0, result.output
    return result.output


def test_answer_with_a_saved_reply_then_hide_with_evidence(
    page: tuple[str, ConnectedPage], tmp_path: Path
) -> None:
    url, connected = page
    lytter(url, "template", "add", "tak", "Hej {author}, tak for beskeden.")
    assert "Hej {author}" in lytter(url, "template", "list")
    out = lytter(
        url, "inbox", "reply", str(connected.item_id), "--saved", "tak", "--as", "jonas@banken.dk"
    )
    assert "answered item" in out and "Hej Mette Hansen, tak for beskeden." in out
    assert connected.graph.actions[-1][2]["message"] == "Hej Mette Hansen, tak for beskeden."

    refused = runner.invoke(
        app, ["moderate", "hide", str(connected.question_id), "--db", url, "--workspace", "banken"]
    )
    assert refused.exit_code == 1 and "say which guideline" in refused.output
    lytter(url, "guideline", "set", "cpr", "--title", "CPR-numre", "--text", "Skjules altid.")
    assert "cpr  CPR-numre" in lytter(url, "guideline", "list")
    out = lytter(url, "moderate", "hide", str(connected.question_id), "--reason", "cpr")
    assert "act 1: hide post" in out and "audit entry 1" in out
    (act,) = json.loads(lytter(url, "moderate", "acts", "--json"))
    assert act["status"] == "done" and act["guideline"] == "cpr"

    folder = tmp_path / "evidence"
    out = lytter(url, "moderate", "evidence", "1", "-o", str(folder))
    assert "no PNG" in out
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert "audit log intact: 1 entries" in lytter(url, "audit", "verify")
