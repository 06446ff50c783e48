"""`lytter user ...` and `--as`: the command line obeys the same page grants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import lytter

ROWS = [
    ("1", "Netbanken er nede", "Banken Aarhus"),
    ("2", "Netbanken virker ikke", "Banken Odense"),
]


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "posts.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "id": i,
                    "platform": "facebook",
                    "text": text,
                    "created_at": f"2024-03-0{i}T10:00:00Z",
                    "source": source,
                },
                ensure_ascii=False,
            )
            + "\n"
            for i, text, source in ROWS
        ),
        "utf-8",
    )
    url = f"sqlite:///{tmp_path / 'bank.sqlite'}"
    assert lytter("import", str(path), "--db", url).returncode == 0
    return url


def test_an_agent_added_and_granted_a_page_searches_only_that_page(db: str) -> None:
    added = lytter(
        "user",
        "add",
        "jonas@banken.dk",
        "--name",
        "Jonas Berg",
        "--role",
        "agent",
        "--password",
        "et godt kodeord",
        "--db",
        db,
    )
    assert added.returncode == 0, added.stderr
    assert "Added jonas@banken.dk (agent)" in added.stdout
    assert lytter("user", "grant", "jonas@banken.dk", "Banken Aarhus", "--db", db).returncode == 0

    found = lytter("search", "netbanken", "--db", db, "--json", "--as", "jonas@banken.dk")
    assert [json.loads(line)["source"] for line in found.stdout.splitlines()] == ["Banken Aarhus"]
    everyone = lytter("search", "netbanken", "--db", db, "--json")
    assert len(everyone.stdout.splitlines()) == 2

    refused = lytter(
        "search", "x", "--db", db, "--as", "jonas@banken.dk", "--source", "Banken Odense"
    )
    assert refused.returncode == 1 and "you have no access to source" in refused.stderr

    listed = lytter("user", "list", "--db", db, "--json")
    [jonas] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert jonas["role"] == "agent" and [s["name"] for s in jonas["sources"]] == ["Banken Aarhus"]

    assert lytter("user", "revoke", "jonas@banken.dk", "Banken Aarhus", "--db", db).returncode == 0
    found = lytter("search", "netbanken", "--db", db, "--json", "--as", "jonas@banken.dk")
    assert found.stdout == ""


def test_a_token_is_printed_once_and_works(db: str) -> None:
    lytter(
        "user",
        "add",
        "a@b.dk",
        "--name",
        "A",
        "--role",
        "viewer",
        "--password",
        "12345678",
        "--db",
        db,
    )
    made = lytter("user", "token", "a@b.dk", "--name", "Power BI", "--db", db)
    assert made.returncode == 0 and made.stdout.strip().startswith("lyt_")
    assert "not shown again" in made.stderr


def test_only_an_admin_may_add_users(db: str) -> None:
    lytter(
        "user",
        "add",
        "v@b.dk",
        "--name",
        "V",
        "--role",
        "viewer",
        "--password",
        "12345678",
        "--db",
        db,
    )
    result = lytter(
        "user",
        "add",
        "x@b.dk",
        "--name",
        "X",
        "--password",
        "12345678",
        "--db",
        db,
        "--as",
        "v@b.dk",
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "error: only an admin may manage users"


def test_a_short_password_or_unknown_role_is_one_line(db: str) -> None:
    short = lytter("user", "add", "x@b.dk", "--name", "X", "--password", "kort", "--db", db)
    assert short.stderr.strip() == "error: a password needs at least 8 characters"
    role = lytter(
        "user",
        "add",
        "x@b.dk",
        "--name",
        "X",
        "--role",
        "boss",
        "--password",
        "12345678",
        "--db",
        db,
    )
    assert "unknown role 'boss'" in role.stderr and "Traceback" not in role.stderr


def test_query_check_explains_a_bad_query_with_a_caret() -> None:
    bad = lytter("query", "check", "bank and [lån]")
    assert bad.returncode == 1
    assert bad.stderr.splitlines() == [
        "error: 'and' looks like an operator at column 6:",
        "bank and [lån]",
        "     ^",
        'hint: operators are written in capitals: AND; to find the word, write "and"',
    ]
    good = lytter("query", "check", "netbank NEAR/3 nede NOT lån")
    assert good.returncode == 0
    assert good.stdout.strip() == "Valid query: ((netbank NEAR/3 nede) AND (NOT lån))"


def test_a_saved_query_is_back_filled_listed_and_shown(db: str) -> None:
    added = lytter("query", "add", "Netbank", "netbank*", "--tag", "drift", "--db", db)
    assert added.returncode == 0, added.stderr
    assert "Saved 'Netbank': 2 matching posts" in added.stdout
    [listed] = [
        json.loads(line)
        for line in lytter("query", "list", "--json", "--db", db).stdout.splitlines()
    ]
    assert listed["name"] == "Netbank" and listed["matches"] == 2 and listed["tags"] == ["drift"]
    shown = lytter("query", "show", "Netbank", "--db", db)
    assert "2 of 2 matching posts" in shown.stdout
    bad = lytter("query", "add", "X", "netbank OR", "--db", db)
    assert bad.returncode == 1 and "the query ends too early at column 11" in bad.stderr
    assert "Traceback" not in bad.stderr
