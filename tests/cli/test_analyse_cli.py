"""`lytter analyse`: one JSON object per input line, in order, for scripts and evaluation."""

from __future__ import annotations

import json
import subprocess
import sys


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
