"""The trends benchmark runs end to end on a small size (its figures are for the notes)."""

from __future__ import annotations

import pytest

from tests.benchmarks import SHARED, run_benchmark


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data")
def test_the_trends_benchmark_prints_both_detectors_and_a_summary_line() -> None:
    lines = run_benchmark("trends.py", "--events", "2", "--per-day", "200")
    assert any(line.startswith("2012_Colorado_wildfires ") for line in lines)
    assert any(line.startswith("false alarms / calm day ") for line in lines)
    assert lines[-1].startswith("trends: lytter found ")
