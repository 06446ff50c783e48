"""The collect benchmark runs end to end on a small size (its figures are for the notes)."""

from __future__ import annotations

from tests.benchmarks import run_benchmark


def test_the_collect_benchmark_prints_both_rates_and_a_summary_line() -> None:
    lines = run_benchmark("collect.py", "--posts", "400")
    assert lines[0].startswith("400 posts per connector")
    assert any(line.startswith("mastodon ") for line in lines)
    assert any(line.startswith("bluesky ") for line in lines)
    assert lines[-1].startswith("collect 400 posts per connector: mastodon ")
