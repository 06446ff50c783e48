"""The themes benchmark runs end to end on a small size (its figures are for the notes)."""

from __future__ import annotations

import pytest

from tests.benchmarks import SHARED, run_benchmark


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data")
def test_the_themes_benchmark_prints_both_scores_and_a_summary_line() -> None:
    lines = run_benchmark("themes.py", "--seeds", "1", "--speed-posts", "500")
    assert any(line.startswith("AppleSupport ") for line in lines)
    assert any(line.startswith("mean ") for line in lines)
    assert lines[-1].startswith("themes: NMI ")
