"""`lytter author ...`: critics, trolls and ambassadors with their reasons, from the shell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lytter.cli.main import app
from lytter.domain.posts import SourceRef
from lytter.services import analysing
from lytter.store import open_store
from tests.helpers import voices

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    store = open_store(url, create=True)
    ws = store.ensure_workspace("default")
    store.save_posts(ws.id, voices(SourceRef("aarhus", "Banken Aarhus")))
    analysing.analyse_new_posts(store, ws.id)
    store.close()
    return url


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    return result.output


def test_list_shows_each_type_with_its_reasons(db: str) -> None:
    shown = run("author", "list", "--db", db)
    assert "1 critic  ·  1 troll  ·  1 ambassador  ·  1 of no type" in shown
    assert "3 of 4 posts offensive" in " ".join(shown.split())  # however the table wraps
    fans = [
        json.loads(x)
        for x in run("author", "list", "--type", "ambassador", "--json", "--db", db).splitlines()
    ]
    assert [r["text"] for r in fans[0]["reasons"]] == [
        "answered other people in threads 3 times",
        "1,800 followers",
    ]
    rows = [
        json.loads(x)
        for x in run("author", "list", "--type", "troll", "--json", "--db", db).splitlines()
    ]
    assert [(r["handle"], r["type"]) for r in rows] == [("trold", "troll")]
    assert rows[0]["reasons"][0] == {
        "code": "offensive",
        "count": 3,
        "of": 4,
        "text": "3 of 4 posts offensive",
    }


def test_show_a_profile_by_handle(db: str) -> None:
    shown = run("author", "show", "@kritiker", "--db", db)
    assert "Type: critic" in shown and "Pages: Banken Aarhus (3)" in shown
    assert "Min ordre 88123" in shown


def test_a_person_sets_a_type_and_goes_back_to_lytter_s_reading(db: str) -> None:
    assert "now a critic (Lytter reads: troll)" in run(
        "author", "set-type", "trold", "critic", "--note", "Han har en pointe", "--db", db
    )
    assert "Han har en pointe" in run("author", "list", "--type", "critic", "--db", db)
    assert "Lytter's reading again: troll" in run("author", "set-type", "trold", "auto", "--db", db)


def test_posts_filter_by_author_type(db: str) -> None:
    shown = run("search", "idiot OR kort OR ordre", "--author-type", "troll", "--db", db)
    assert "Du er en idiot" in shown and "ordre" not in shown


def test_settings_change_and_everyone_is_typed_again(db: str) -> None:
    assert "min-posts                    3" in run("author", "settings", "--db", db)
    assert "Saved" in run("author", "settings", "--min-posts", "4", "--db", db)
    listed = [
        json.loads(x)["handle"] for x in run("author", "list", "--json", "--db", db).splitlines()
    ]
    assert listed == ["trold"]  # three posts are too few now


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["author", "set-type", "trold", "hater"], "type is critic, troll, ambassador or none"),
        (["author", "show", "ingen"], "there is no author 'ingen'"),
        (["author", "list", "--type", "fan"], "is critic, troll, ambassador or none, not 'fan'"),
        (["author", "settings", "--critic-negative-share", "2"], "must be a number from 0 to 1"),
    ],
)
def test_mistakes_are_one_clear_line(db: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, [*args, "--db", db], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert message in result.output
