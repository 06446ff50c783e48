"""The `lytter` command: every command documented, every user error one clear line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from lytter.cli.main import app
from tests.helpers import trending_posts

runner = CliRunner()
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


def lytter(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point in a child process, as a user would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LYTTER_")}
    return subprocess.run(
        [sys.executable, "-m", "lytter", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**env, "COLUMNS": "200"},
        timeout=120,
    )


def test_the_cli_has_the_commands_the_readme_tours() -> None:
    assert COMMANDS == [
        "alert",
        "analyse",
        "audit",
        "author",
        "collect",
        "demo",
        "desk",
        "goal",
        "guideline",
        "health",
        "import",
        "inbox",
        "init",
        "metrics",
        "moderate",
        "query",
        "route",
        "run",
        "search",
        "serve",
        "source",
        "stats",
        "template",
        "themes",
        "tone",
        "trends",
        "user",
    ]
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"lytter {command}" in readme, f"README does not show 'lytter {command}'"


GROUPS = (
    "user",
    "query",
    "source",
    "source add",
    "author",
    "audit",
    "inbox",
    "desk",
    "goal",
    "alert",
    "route",
    "template",
    "moderate",
    "guideline",
)


def _subcommands(group: str) -> list[str]:
    command = get_command(app)
    for part in group.split():
        command = command.commands[part]  # type: ignore[attr-defined]
    return sorted(command.commands)  # type: ignore[attr-defined]


LEAVES = [c for c in COMMANDS if c not in GROUPS] + [
    f"{group} {c}" for group in GROUPS for c in _subcommands(group) if f"{group} {c}" not in GROUPS
]


@pytest.mark.parametrize("command", LEAVES)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"lytter {command}" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "nope.jsonl"], "file not found: nope.jsonl"),
        (["search", "x", "--db", "mysql://x"], "unsupported database URL 'mysql://x'"),
        (["stats", "--db", "postgresql://nobody@127.0.0.1:1/x"], "cannot open database"),
        (["search", "x", "--db", "sqlite:///missing.sqlite"], "does not exist"),
        (["search", "x", "--since", "i går"], "--since 'i går' is not a date"),
        (["import", "posts.jsonl", "--map", "colour=x"], "unknown field 'colour'"),
        (["import", "posts.jsonl", "--timezone", "Mars/Olympus"], "unknown time zone"),
        (["import", "notes.txt"], "cannot tell the format of notes.txt"),
        (["search", "x", "--workspace", "ghost"], "workspace 'ghost' does not exist"),
        (["search", "x", "--source", "Ingen side"], "no source 'Ingen side' in this workspace"),
        (["search", "x", "--as", "nobody@banken.dk"], "no user nobody@banken.dk in workspace"),
        (["themes", "--themes", "1"], "the number of themes must be between 2 and 30, not 1"),
    ],
)
def test_user_errors_are_one_clear_line_and_a_non_zero_exit(
    args: list[str], message: str, tmp_path: Path
) -> None:
    (tmp_path / "posts.jsonl").write_text(
        '{"id": "1", "platform": "facebook", "text": "hej", "created_at": "2024-01-01T00:00:00Z"}\n'
    )
    (tmp_path / "notes.txt").write_text("hello\n")
    if args[0] in ("search", "themes") and "--db" not in args:
        assert lytter("import", "posts.jsonl", cwd=tmp_path).returncode == 0
    result = lytter(*args, cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_messages_with_brackets_are_printed_as_they_are(tmp_path: Path) -> None:
    result = lytter("import", "[posts].jsonl", cwd=tmp_path)
    assert "file not found: [posts].jsonl" in result.stderr


def test_a_search_without_matches_says_so(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert lytter("init", "--db", db).returncode == 0
    result = lytter("search", "ingenting", "--db", db)
    assert result.returncode == 0
    assert "No posts match" in result.stdout


def test_an_unknown_option_value_is_refused_without_a_traceback(tmp_path: Path) -> None:
    result = lytter("import", "x.jsonl", "--format", "xml", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "'xml' is not one of" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_import_search_and_stats_work_together(tmp_path: Path) -> None:
    rows = [
        {
            "id": str(i),
            "platform": "facebook",
            "text": text,
            "created_at": f"2024-03-0{i}T10:00:00Z",
            "author": "mette",
            "source": "Banken Aarhus",
            "language": "da",
        }
        for i, text in enumerate(
            ["Lang ventetid i kundeservice", "Tak for hurtig hjælp", "Kundeservice svarer aldrig"],
            start=1,
        )
    ]
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    db = f"sqlite:///{tmp_path / 'bank.sqlite'}"

    imported = lytter("import", str(path), "--db", db)
    assert imported.returncode == 0, imported.stderr
    assert "3 rows, 3 new" in imported.stdout

    found = lytter("search", "kundeservice", "--db", db, "--json")
    assert found.returncode == 0, found.stderr
    posts = [json.loads(line) for line in found.stdout.splitlines()]
    assert [p["external_id"] for p in posts] == ["3", "1"]  # newest first
    assert all(isinstance(p["id"], int) for p in posts)
    assert posts[0]["source"] == "Banken Aarhus"

    table = lytter("search", "kundeservice", "--db", db, "--until", "2024-03-01")
    assert "1 of 1 matching posts" in table.stdout

    language = lytter("search", "kundeservice NOT aldrig", "--db", db, "--json")
    assert [json.loads(line)["external_id"] for line in language.stdout.splitlines()] == ["1"]
    near = lytter("search", '"lang ventetid" OR (tak NEAR/2 hjælp)', "--db", db, "--json")
    assert len(near.stdout.splitlines()) == 2

    bad = lytter("search", "kundeservice and ventetid", "--db", db)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "column 14" in bad.stderr and "^" in bad.stderr and "AND" in bad.stderr

    stats = lytter("stats", "--db", db, "--json")
    assert json.loads(stats.stdout)["posts"] == 3


def test_a_missing_argument_is_one_line_that_points_to_help(tmp_path: Path) -> None:
    result = lytter("import", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: Missing argument 'files'. (see 'python -m lytter import --help')"
    )


def test_help_and_no_arguments_exit_cleanly(tmp_path: Path) -> None:
    assert lytter("--help", cwd=tmp_path).returncode == 0
    assert "Usage" in lytter(cwd=tmp_path).stdout + lytter(cwd=tmp_path).stderr


def test_the_environment_chooses_the_database(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'env.sqlite'}"
    result = runner.invoke(app, ["init"], env={"LYTTER_DATABASE_URL": db})
    assert result.exit_code == 0
    assert (tmp_path / "env.sqlite").exists()


def test_import_reports_rejects_and_where_they_are(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(
        "id,platform,text,created_at\n"
        "1,facebook,hej,2024-01-01T10:00:00Z\n"
        ",facebook,uden id,2024-01-01\n"
    )
    result = lytter("import", str(path), "--db", f"sqlite:///{tmp_path / 'x.sqlite'}", cwd=tmp_path)
    assert result.returncode == 0
    assert "2 rows, 1 new" in result.stdout and "1 rejected" in result.stdout
    rejects = tmp_path / "posts.csv.rejects.jsonl"
    assert json.loads(rejects.read_text()) == {
        "line": 3,
        "reason": "missing id",
        "record": ",facebook,uden id,2024-01-01",
    }


def test_themes_are_a_table_or_json_lines(tmp_path: Path) -> None:
    texts = [
        "Netbanken er nede igen, kan ikke logge ind",
        "Kan ikke logge ind på netbanken",
        "Netbanken virker ikke, login fejler",
        "God rådgivning i filialen, tak",
        "Tak for god rådgivning i filialen",
        "Filialen gav god rådgivning om lån",
    ]
    rows = [
        {"id": str(i), "platform": "facebook", "text": t, "created_at": "2024-01-01T00:00:00Z"}
        for i, t in enumerate(texts)
    ]
    (tmp_path / "posts.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert lytter("import", "posts.jsonl", cwd=tmp_path).returncode == 0
    table = lytter("themes", "-k", "2", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "rådgivning" in table.stdout and "2 themes in 6 posts" in table.stdout
    lines = lytter("themes", "-k", "2", "--json", cwd=tmp_path).stdout.splitlines()
    found = [json.loads(line) for line in lines]
    assert sorted(t["posts"] for t in found) == [3, 3]
    assert {"label", "phrases", "share", "sentiment", "examples", "post_ids"} <= set(found[0])


def _trending_file(path: Path) -> None:
    rows = [
        {
            "id": d.external_id,
            "platform": "facebook",
            "text": d.text,
            "created_at": d.created_at.isoformat(),
            "author": d.author.handle if d.author else None,
            "language": "da",
        }
        for d in trending_posts()
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")


def test_trends_show_what_suddenly_grew_as_a_table_or_json_lines(tmp_path: Path) -> None:
    _trending_file(tmp_path / "posts.jsonl")
    assert lytter("import", "posts.jsonl", cwd=tmp_path).returncode == 0
    table = lytter("trends", "--tz", "UTC", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "Emerging in the 24 hours up to 2024-04-04 20:00 (UTC)" in table.stdout
    assert "mobilepay" in table.stdout and "7 in 1 h" in table.stdout
    lines = lytter("trends", "--json", cwd=tmp_path).stdout.splitlines()
    top = json.loads(lines[0])
    assert top["term"] == "mobilepay" and top["posts"] == 7 and top["window_hours"] == 1
    assert top["first_hour"] == "2024-04-04T19:00:00+00:00"
    assert sum(top["hourly"]["posts"]) == 7 and len(top["examples"]) == 3


def test_themes_tell_which_theme_grew_in_the_table_and_in_json(tmp_path: Path) -> None:
    _trending_file(tmp_path / "posts.jsonl")
    assert lytter("import", "posts.jsonl", cwd=tmp_path).returncode == 0
    table = lytter("themes", "--tz", "UTC", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "↑ growing" in table.stdout and "04 Apr 19:00" in table.stdout
    found = [
        json.loads(line) for line in lytter("themes", "--json", cwd=tmp_path).stdout.splitlines()
    ]
    growing = [t for t in found if t["growth"]]
    assert len(growing) == 1 and "mobilepay" in growing[0]["label"]
    assert growing[0]["growth"]["first_hour"] == "2024-04-04T19:00:00+00:00"
    assert growing[0]["daily"][-1] >= 7


def test_trend_thresholds_can_be_tried_then_saved_for_the_workspace(tmp_path: Path) -> None:
    _trending_file(tmp_path / "posts.jsonl")
    assert lytter("import", "posts.jsonl", cwd=tmp_path).returncode == 0
    strict = lytter("trends", "--min-count", "8", cwd=tmp_path)
    assert strict.returncode == 0 and "Nothing is emerging" in strict.stdout
    assert "mobilepay" in lytter("trends", cwd=tmp_path).stdout  # tried, not kept
    assert lytter("trends", "--min-count", "8", "--save", cwd=tmp_path).returncode == 0
    assert "Nothing is emerging" in lytter("trends", cwd=tmp_path).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--windows", "1,x"], "--windows '1,x' is not a list of hours"),
        (["--min-count", "0"], "min_count must be a whole number from 1 to 10000, not 0"),
        (["--hours", "1000"], "hours to look at must be between 1 and 336"),
        (["--kind", "emoji"], "kinds of terms are word, phrase, hashtag, mention, not 'emoji'"),
    ],
)
def test_bad_trend_options_say_what_is_wrong(tmp_path: Path, args: list[str], message: str) -> None:
    _trending_file(tmp_path / "posts.jsonl")
    assert lytter("import", "posts.jsonl", cwd=tmp_path).returncode == 0
    done = lytter("trends", *args, cwd=tmp_path)
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr


def test_search_filters_by_tone_and_offensive_language(tmp_path: Path) -> None:
    texts = [
        "Elendig service i banken, jeg er så vred",
        "Tak for super god service i banken",
        "Hvornår åbner banken i morgen?",
    ]
    rows = [
        {"id": str(i), "platform": "facebook", "text": t, "created_at": "2024-01-01T00:00:00Z"}
        for i, t in enumerate(texts)
    ]
    (tmp_path / "posts.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert lytter("import", "posts.jsonl", cwd=tmp_path).returncode == 0

    def found(*args: str) -> list[str]:
        done = lytter("search", "banken", "--json", *args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return [json.loads(line)["text"] for line in done.stdout.splitlines()]

    assert found("--sentiment", "negative") == [texts[0]]
    assert found("--sentiment", "POSITIVE") == [texts[1]]
    assert len(found("--not-offensive")) == 3
    bad = lytter("search", "banken", "--sentiment", "angry", cwd=tmp_path)
    assert bad.returncode == 1
    assert "--sentiment is negative, neutral or positive, not 'angry'" in bad.stderr
