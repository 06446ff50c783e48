"""`lytter analyse`: one JSON object per input line, in order, for scripts and evaluation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from lytter.analysis.precise import available
from lytter.store.tables import post_analyses


def test_stdin_json_prints_one_object_per_line_in_order() -> None:
    lines = ["Det er ikke dårligt", "Elendig kundeservice 😡", "", "Thanks, great crew!"]
    done = subprocess.run(
        [sys.executable, "-m", "lytter", "analyse", "--stdin", "--json"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(results) == 4
    assert results[0]["language"] == "da" and results[0]["sentiment"] != "negative"
    assert results[1]["sentiment"] == "negative" and results[3]["language"] == "en"
    assert results[2]["language"] is None  # an empty line is still answered, in its place
    for r in results:
        assert set(r) >= {"language", "sentiment", "sentiment_score", "offensive"}


def test_unknown_languages_are_a_clear_error() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "lytter", "analyse", "hej", "--languages", "da,xx"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "unknown language code 'xx'" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def lytter(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lytter", *args], capture_output=True, text=True, timeout=180
    )


def test_an_import_analyses_its_posts_and_pending_finds_none_left(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.sqlite'}"
    posts = tmp_path / "posts.jsonl"
    rows = [
        {
            "id": "1",
            "platform": "facebook",
            "text": "Elendig service 😡",
            "created_at": "2026-11-01",
        },
        {"id": "2", "platform": "facebook", "text": "Tusind tak ❤️", "created_at": "2026-11-01"},
    ]
    posts.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    done = lytter("import", str(posts), "--db", db)
    assert done.returncode == 0, done.stderr
    assert "Analysed 2 posts" in done.stdout
    again = lytter("analyse", "--pending", "--db", db)
    assert again.returncode == 0, again.stderr
    assert (
        "Analysed 0 posts in 'default'. All analysed posts: 1 negative, 0 neutral, 1 positive"
        in (" ".join(again.stdout.split()))
    )
    everything = lytter("analyse", "--all", "--db", db)
    assert "Analysed 2 posts" in everything.stdout
    if available():  # the precise extra: every stored post read again, marked as such
        precisely = lytter("analyse", "--all", "--precise", "--db", db)
        assert precisely.returncode == 0, precisely.stderr
        assert "Analysed 2 posts" in precisely.stdout and "1 negative" in precisely.stdout
        engine = sa.create_engine(db)
        with engine.connect() as conn:
            models = conn.execute(sa.select(post_analyses.c.model).distinct()).scalars().all()
        engine.dispose()
        assert [m.startswith("lytter-precise-") for m in models] == [True]


@pytest.mark.skipif(not available(), reason="the precise extra is not installed")
def test_precise_stdin_json_reads_danish_and_english() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "lytter", "analyse", "--stdin", "--json", "--precise"],
        input="Det er ikke dårligt\nElendig kundeservice 😡\nThanks, great crew!\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["language"] for r in results] == ["da", "da", "en"]
    assert [r["sentiment"] for r in results] == ["positive", "negative", "positive"]


def test_stored_posts_and_texts_are_not_mixed() -> None:
    done = lytter("analyse", "hej", "--pending")
    assert done.returncode == 2 and "--pending and --all take no texts" in done.stderr
