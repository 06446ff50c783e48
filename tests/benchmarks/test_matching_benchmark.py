"""The matching benchmark runs end to end on a small size (its figures are for the notes)."""

from __future__ import annotations

import pytest

from tests.benchmarks import SHARED, run_benchmark


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data beside the checkout")
def test_the_matching_benchmark_prints_rates_agreement_and_a_summary_line() -> None:
    lines = run_benchmark(
        "matching.py",
        "--queries",
        "50",
        "--posts",
        "500",
        "--reference-posts",
        "20",
        "--single-posts",
        "200",
    )
    assert any(line.startswith("engine ") for line in lines)
    assert "agreement    20/20 with the reference, 200/200 with post by post" in lines
    assert lines[-1].startswith("matching 50 queries: engine ")
