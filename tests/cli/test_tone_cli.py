"""`lytter tone`: a selection's tone per day, week or month, as a table or JSON lines."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lytter.cli.main import app
from lytter.domain.posts import SourceRef
from lytter.services import analysing
from lytter.store import open_store
from tests.helpers import voices

runner = CliRunner()


def test_tone_by_day_as_a_table_and_json(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.sqlite'}"
    store = open_store(db, create=True)
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, voices(SourceRef("aarhus", "Banken Aarhus")))
    analysing.analyse_new_posts(store, ws.id)
    store.close()
    shown = runner.invoke(app, ["tone", "--db", db], env={"COLUMNS": "120"})
    assert shown.exit_code == 0, shown.output
    assert "11 analysed posts" in shown.output and "2024-04-01 Mon" in shown.output
    lines = runner.invoke(app, ["tone", "--by", "week", "--json", "--db", db]).output
    (week,) = [json.loads(line) for line in lines.splitlines()]
    assert week["start"].startswith("2024-04-01T00:00:00+02:00") and week["posts"] == 11
    assert week["negative"] + week["neutral"] + week["positive"] == 11
    bad = runner.invoke(app, ["tone", "--by", "year", "--db", db])
    assert bad.exit_code == 1 and "hour, day, week or month, not 'year'" in bad.output
