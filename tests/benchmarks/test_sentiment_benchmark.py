"""The sentiment benchmark runs end to end on a few texts (its figures are for the notes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SHARED = ROOT.parent / "shared" / "data"


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data beside the checkout")
def test_the_sentiment_benchmark_compares_with_vader_and_afinn_and_sums_up() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "sentiment.py"), "--limit", "300"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "VADER" in out and "AFINN-en" in out and "AFINN-da" in out
    assert out.strip().splitlines()[-1].startswith("sentiment: English macro-recall ")
