"""The collect benchmark runs end to end on a small size (its figures are for the notes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_the_collect_benchmark_prints_both_rates_and_a_summary_line() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "collect.py"), "--posts", "400"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("400 posts per connector")
    assert any(line.startswith("mastodon ") for line in lines)
    assert any(line.startswith("bluesky ") for line in lines)
    assert lines[-1].startswith("collect 400 posts per connector: mastodon ")
