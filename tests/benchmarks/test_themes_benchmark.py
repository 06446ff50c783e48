"""The themes benchmark runs end to end on a small size (its figures are for the notes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SHARED = ROOT.parent / "shared" / "data"


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data")
def test_the_themes_benchmark_prints_both_scores_and_a_summary_line() -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/themes.py", "--seeds", "1", "--speed-posts", "500"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert any(line.startswith("AppleSupport ") for line in lines)
    assert any(line.startswith("mean ") for line in lines)
    assert lines[-1].startswith("themes: NMI ")
