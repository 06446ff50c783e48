"""benchmarks/pipeline.py analyses real posts end to end and prints rates against VADER."""

from __future__ import annotations

import re

from tests.benchmarks import run_benchmark


def test_the_pipeline_benchmark_analyses_every_post_and_prints_a_summary() -> None:
    lines = run_benchmark("pipeline.py", "--posts", "2000")
    text = "\n".join(lines)
    assert "2,000 posts of real text imported" in text
    assert "analysed 2,000 posts, typed" in text
    assert any(line.startswith("VADER tone only") for line in lines)
    assert any(line.startswith("lytter pipeline") for line in lines)
    assert any(line.strip().startswith("stage language") for line in lines)
    assert re.match(r"pipeline: [\d,]+ posts/s per core with everything on", lines[-1])
    assert "x VADER's tone alone, peak RSS" in lines[-1]
