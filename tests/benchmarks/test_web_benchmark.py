"""The web benchmark runs end to end on a small size (its figures are for the notes)."""

from __future__ import annotations

import pytest

from tests.benchmarks import SHARED, run_benchmark


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data beside the checkout")
def test_the_web_benchmark_prints_percentiles_ratios_and_a_summary_line() -> None:
    lines = run_benchmark("web.py", "--posts", "3000", "--requests", "3")
    assert any(line.startswith("explorer · full text") for line in lines)
    assert any(line.startswith("API · agent of one page") for line in lines)
    assert lines[-1].startswith("web 3,000 posts: worst p95 server time ")
    assert "unindexed LIKE scan" in lines[-1]
