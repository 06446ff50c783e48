"""benchmarks/authors.py runs end to end and prints precision and recall per type and set."""

from __future__ import annotations

from tests.benchmarks import run_benchmark


def test_the_authors_benchmark_prints_each_set_and_a_summary() -> None:
    lines = run_benchmark("authors.py", "--built", "5")
    text = "\n".join(lines)
    assert "TWCS real authors, hand-labelled (English): 90 authors" in text
    assert "Built authors, Danish" in text and "Built authors, English" in text
    assert any(line.strip().startswith("critic") for line in lines)
    assert lines[-1].startswith("authors: macro-F1 TWCS real (en)")
