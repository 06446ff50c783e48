"""The inbox benchmark runs end to end on a small size (its figures are for the notes)."""

from __future__ import annotations

from tests.benchmarks import run_benchmark


def test_the_inbox_benchmark_times_the_queue_and_routing_and_agrees_with_the_naive_way() -> None:
    lines = run_benchmark(
        "inbox.py", "--items", "3000", "--new", "600", "--sample", "200", "--queries", "40"
    )
    assert any(line.startswith("queue query ") for line in lines)
    assert any(line.strip().startswith("naive ") and "agreement 200/200" in line for line in lines)
    assert lines[-1].startswith("inbox: queue p95 ") and "200/200 agree" in lines[-1]
