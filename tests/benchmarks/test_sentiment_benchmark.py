"""The sentiment benchmark runs end to end on a few texts (its figures are for the notes)."""

from __future__ import annotations

import pytest

from lytter.analysis.precise import available
from tests.benchmarks import SHARED, run_benchmark


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data beside the checkout")
def test_the_sentiment_benchmark_compares_with_vader_and_afinn_and_sums_up() -> None:
    lines = run_benchmark("sentiment.py", "--limit", "300")
    out = "\n".join(lines)
    assert "VADER" in out and "AFINN-en" in out and "AFINN-da" in out
    assert lines[-1].startswith("sentiment: Lytter: English macro-recall ")
    if available():  # both readings are held to the bars
        assert "Lytter precise" in out and "; Lytter precise: English macro-recall " in lines[-1]
