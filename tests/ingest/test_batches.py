"""Batches are read beside the writer: in a thread, or for big files in a reader process."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lytter.domain.posts import DraftRow
from lytter.ingest import batches
from lytter.ingest.batches import ReadJob, read_batches
from lytter.ingest.files import FileFormat, FileFormatError
from lytter.ingest.normalise import ColumnMapping
from lytter.store.prepare import sqlite_prepared


def _job(path: Path, fmt: FileFormat, batch_size: int = 2) -> ReadJob:
    return ReadJob(path, fmt, ColumnMapping(platform="rss"), "test/1", batch_size, 0, 0)


def _jsonl(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "posts.jsonl"
    rows = [
        {"id": str(i), "platform": "rss", "text": f"indlæg {i}", "created_at": "2024-01-01"}
        for i in range(n)
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.mark.parametrize("threshold", [0, 2**40], ids=["process", "thread"])
def test_both_readers_give_the_same_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: int
) -> None:
    monkeypatch.setattr(batches, "PROCESS_THRESHOLD", threshold)
    reader = read_batches(_job(_jsonl(tmp_path, 5), FileFormat.JSONL))
    try:
        got = [(b.rows, [d.external_id for d in b.drafts], b.last.end_line) for b in reader]
    finally:
        reader.close()
    assert got == [(2, ["0", "1"], 2), (2, ["2", "3"], 4), (1, ["4"], 5)]


@pytest.mark.parametrize("threshold", [0, 2**40], ids=["process", "thread"])
def test_the_reader_prepares_rows_with_the_stores_function(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: int
) -> None:
    monkeypatch.setattr(batches, "PROCESS_THRESHOLD", threshold)
    job = dataclasses.replace(_job(_jsonl(tmp_path, 3), FileFormat.JSONL), prepare=sqlite_prepared)
    reader = read_batches(job)
    try:
        rows = [row for b in reader for row in b.drafts]
    finally:
        reader.close()
    assert all(type(r) is DraftRow for r in rows)
    assert [r.prepared for r in rows] == ["2024-01-01 00:00:00.000000"] * 3


@pytest.mark.parametrize("threshold", [0, 2**40], ids=["process", "thread"])
def test_a_reader_error_reaches_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: int
) -> None:
    monkeypatch.setattr(batches, "PROCESS_THRESHOLD", threshold)
    path = tmp_path / "bad.csv"
    path.write_bytes(b"id,t\xffext\n1,a\n")
    reader = read_batches(_job(path, FileFormat.CSV))
    with pytest.raises(FileFormatError, match="header on line 1 is not valid UTF-8"):
        list(reader)
    reader.close()


def test_a_script_without_a_main_guard_can_import_a_big_file(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, 50)
    script = tmp_path / "load.py"
    script.write_text(
        "from pathlib import Path\n"
        "from lytter.ingest import batches\n"
        "from lytter.services.importing import import_file\n"
        "from lytter.store import open_store\n"
        "batches.PROCESS_THRESHOLD = 0  # as if the file were big\n"
        f"store = open_store('sqlite:///{tmp_path / 'db.sqlite'}')\n"
        "ws = store.ensure_workspace('default')\n"
        f"print(import_file(store, ws.id, Path({str(path)!r})).saved.inserted)\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "50"
