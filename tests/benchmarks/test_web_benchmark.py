"""The web benchmark runs end to end on a small size (its figures are for the notes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SHARED = ROOT.parent / "shared" / "data"


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data beside the checkout")
def test_the_web_benchmark_prints_percentiles_ratios_and_a_summary_line() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "web.py"), "--posts", "3000", "--requests", "3"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert any(line.startswith("explorer · full text") for line in lines)
    assert any(line.startswith("API · agent of one page") for line in lines)
    assert lines[-1].startswith("web 3,000 posts: worst p95 server time ")
    assert "unindexed LIKE scan" in lines[-1]
