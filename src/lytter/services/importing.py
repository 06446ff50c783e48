"""Import a file of posts into a workspace: streamed, batched, idempotent and resumable."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from lytter.domain.posts import SaveResult
from lytter.gcpause import gc_paused
from lytter.ingest.batches import ReadJob, read_batches
from lytter.ingest.files import FileFormat, Record, detect_format
from lytter.ingest.normalise import ColumnMapping
from lytter.services.queries import match_new_posts
from lytter.store.base import Checkpoint, Store

BATCH_SIZE = 5000

Progress = Callable[[int, int], None]
"""Called after each batch with (bytes read so far, rows read so far)."""


class ImportFileError(Exception):
    """An import that cannot start (missing file, unknown format...), in one sentence."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did."""

    path: Path
    rows: int
    saved: SaveResult
    rejected: int
    rejects_path: Path | None
    resumed_from_line: int
    matched: int = 0  # new matches of saved queries among the imported posts


def checkpoint_key(workspace_id: int, path: Path, fmt: FileFormat, mapping: ColumnMapping) -> str:
    """Identifies one import of one file's exact contents with one mapping."""
    digest = hashlib.sha256()
    stat = path.stat()
    with path.open("rb") as f:
        digest.update(f.read(65536))
    parts = [
        str(workspace_id),
        str(path.resolve()),
        str(stat.st_size),
        fmt.value,
        json.dumps(mapping.columns, sort_keys=True),
        str(mapping.platform),
        str(mapping.source),
        str(mapping.language),
        str(mapping.date_format),
        str(mapping.timezone),
    ]
    digest.update("\x1f".join(parts).encode())
    return "import:" + digest.hexdigest()


class _Rejects:
    """Writes rejected rows, one JSON object per line, creating the file only when needed."""

    def __init__(self, path: Path, append: bool) -> None:
        self.path = path
        self.append = append
        self.count = 0
        self._file: IO[str] | None = None

    def write(self, record: Record, reason: str) -> None:
        if self._file is None:
            self._file = self.path.open("a" if self.append else "w", encoding="utf-8")
        entry = {"line": record.line, "reason": reason, "record": record.text}
        self._file.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.count += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def import_file(
    store: Store,
    workspace_id: int,
    path: Path,
    *,
    fmt: FileFormat | None = None,
    mapping: ColumnMapping | None = None,
    rejects_path: Path | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> ImportReport:
    """Import every row of `path`; bad rows go to the rejects file, never abort the import.

    Each batch is saved with the file position in one transaction, so an import that is
    killed resumes after the last saved batch, and nothing is lost or stored twice.
    """
    if not path.exists():
        raise ImportFileError(f"file not found: {path}")
    if not path.is_file():
        raise ImportFileError(f"not a file: {path}")
    fmt = fmt or detect_format(path)
    mapping = mapping or ColumnMapping()
    mapper = f"import:{fmt.value}/1"
    key = checkpoint_key(workspace_id, path, fmt, mapping)
    checkpoint = store.get_checkpoint(key)
    start_offset, start_line = (checkpoint.byte_offset, checkpoint.line) if checkpoint else (0, 0)
    rejects = _Rejects(
        rejects_path or Path(path.name + ".rejects.jsonl"), append=checkpoint is not None
    )
    saved = SaveResult()
    rows = 0
    job = ReadJob(
        path,
        fmt,
        mapping,
        mapper,
        batch_size,
        start_offset,
        start_line,
        prepare=store.row_preparer(),
    )
    batches = read_batches(job)
    try:
        with gc_paused():
            for batch in batches:
                rows += batch.rows
                for record, reason in batch.rejects:
                    rejects.write(record, reason)
                cp = Checkpoint(key, str(path), batch.last.end_offset, batch.last.end_line)
                saved += store.save_rows(workspace_id, batch.drafts, checkpoint=cp)
                if progress:
                    progress(batch.position, rows)
    finally:
        batches.close()
        rejects.close()
    store.clear_checkpoint(key)
    matched = match_new_posts(store, workspace_id)
    return ImportReport(
        path=path,
        rows=rows,
        saved=saved,
        rejected=rejects.count,
        rejects_path=rejects.path if rejects.count else None,
        resumed_from_line=start_line,
        matched=matched,
    )
