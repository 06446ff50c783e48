"""SIGKILL during `lytter import`, then the same command again: nothing lost, nothing twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import sqlalchemy as sa

from lytter.ingest.batches import PROCESS_THRESHOLD

ROWS = 60_000
BATCH = 500
# Long enough texts that the file is read by the import's reader process (>= 16 MiB).
PADDING = "Jeg har ventet i telefonkø i over en time, og ingen tager den. " * 4


def _count(url: str) -> int:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM posts").scalar_one())
    except (sa.exc.OperationalError, sa.exc.ProgrammingError):
        return 0  # not created yet
    finally:
        engine.dispose()


def _import(url: str, path: Path, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lytter",
            "import",
            str(path),
            "--db",
            url,
            "--batch-size",
            str(BATCH),
        ],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_sigkill_mid_import_then_rerun_loses_nothing_and_duplicates_nothing(
    db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(ROWS):
            row = {
                "id": f"p{i}",
                "platform": "facebook",
                "text": f"Kommentar {i}: hvorfor svarer kundeservice ikke? æøå " + PADDING,
                "created_at": "2024-05-01T12:00:00Z",
                "author": f"user{i % 997}",
                "source": f"Side {i % 38}",
            }
            f.write(json.dumps(row, ensure_ascii=False) + "\n")

    assert path.stat().st_size >= PROCESS_THRESHOLD
    proc = _import(db_url, path, tmp_path)
    deadline = time.monotonic() + 60
    while _count(db_url) < 3 * BATCH:
        assert proc.poll() is None, f"import ended before it could be killed: {proc.stdout}"
        assert time.monotonic() < deadline, "import never got going"
        time.sleep(0.02)
    readers = psutil.Process(proc.pid).children()
    assert readers, "a file this size is read by a child process"
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    _, alive = psutil.wait_procs(readers, timeout=10)
    assert not alive, "the reader process exits when the import is killed"
    killed_at = _count(db_url)
    assert 0 < killed_at < ROWS, "the kill must land mid-import"
    assert killed_at % BATCH == 0, "only whole batches are ever committed"

    rerun = _import(db_url, path, tmp_path)
    output, _ = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, output
    assert "resumed after line" in output
    assert _count(db_url) == ROWS
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        duplicates = conn.exec_driver_sql(
            "SELECT count(*) FROM (SELECT external_id FROM posts"
            " GROUP BY external_id HAVING count(*) > 1) d"
        ).scalar_one()
        checkpoints = conn.exec_driver_sql("SELECT count(*) FROM import_checkpoints").scalar_one()
        authors = conn.exec_driver_sql("SELECT count(*) FROM authors").scalar_one()
    engine.dispose()
    assert (duplicates, checkpoints, authors) == (0, 0, 997)
