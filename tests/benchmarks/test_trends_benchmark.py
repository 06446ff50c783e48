"""The trends benchmark runs end to end on a small size (its figures are for the notes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SHARED = ROOT.parent / "shared" / "data"


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data")
def test_the_trends_benchmark_prints_both_detectors_and_a_summary_line() -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/trends.py", "--events", "2", "--per-day", "200"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert any(line.startswith("2012_Colorado_wildfires ") for line in lines)
    assert any(line.startswith("false alarms / calm day ") for line in lines)
    assert lines[-1].startswith("trends: lytter found ")
