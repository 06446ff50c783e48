"""The ingest benchmark runs end to end on a small size (its figures are for the notes)."""

from __future__ import annotations

import pytest

from tests.benchmarks import SHARED, run_benchmark


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data beside the checkout")
def test_the_ingest_benchmark_prints_figures_ratios_and_a_summary_line() -> None:
    lines = run_benchmark("ingest.py", "--posts", "3000")
    assert any(line.startswith("lytter sqlite") for line in lines)
    assert any(line.startswith("lytter postgresql") for line in lines)
    assert lines[-1].startswith("ingest 3,000 posts: sqlite ")
    assert "x sqlite-utils" in lines[-1] and "peak RSS" in lines[-1]
