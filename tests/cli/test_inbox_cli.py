"""`lytter inbox ...` from the shell: list, show, set, assign, note, tag, flag, gather."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lytter.cli.main import app
from lytter.domain.posts import AuthorRef, SourceRef
from lytter.domain.workspaces import BrandKind
from lytter.store import open_store
from tests.helpers import draft

runner = CliRunner()
PAGE = SourceRef("banken", "Banken")


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    store = open_store(url, create=True)
    ws = store.ensure_workspace("default")
    store.save_posts(
        ws.id,
        [
            draft("1", "Netbanken er nede", source=PAGE),
            draft("2", "Vi kigger på det", source=PAGE, author=AuthorRef("banken"), root_id="1"),
            draft("3", "Hvornår åbner I?", source=PAGE),
        ],
    )
    brand = store.ensure_brand(ws.id, "Banken", BrandKind.OWN)
    store.set_source_brand(store.list_sources(ws.id)[0].id, brand.id)
    store.close()
    return url


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "160"})
    assert result.exit_code == code, result.output
    return result.output


def test_gather_list_and_work_an_item(db: str) -> None:
    assert "2 items opened or changed" in run("inbox", "gather", "--db", db)
    rows = [json.loads(x) for x in run("inbox", "list", "--json", "--db", db).splitlines()]
    assert [(r["thread"], r["waiting_since"] is None) for r in rows] == [("3", False), ("1", True)]
    item = str(rows[1]["id"])
    assert f"item {item} is open" in run("inbox", "set", item, "open", "--db", db)
    run("inbox", "note", item, "Ringede til kunden", "--db", db)
    run("inbox", "tag", item, "netbank", "--priority", "high", "--db", db)
    shown = run("inbox", "show", item, "--db", db)
    assert "Vi kigger på det" in shown and "note" in shown and "Ringede til kunden" in shown
    assert "high" in shown and "netbank" in shown
    assert "cannot reopen" in run("inbox", "set", item, "reopen", "--db", db, code=1)
    assert "is in item" in run("inbox", "flag", "3", "--db", db)
    assert "no user nobody@x.dk" in run("inbox", "assign", item, "nobody@x.dk", "--db", db, code=1)
