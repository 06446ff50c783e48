"""Import a file of posts into a workspace: streamed, batched, idempotent and resumable."""

from __future__ import annotations

import hashlib
import json
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from lytter.domain.posts import PostDraft, SaveResult
from lytter.ingest.files import FileFormat, Record, detect_format, open_binary, read_records
from lytter.ingest.normalise import ColumnMapping, Reject, to_draft
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
    stream, raw = open_binary(path)
    batches = _read_batches(
        stream, fmt, mapping, mapper, batch_size, start_offset, start_line, lambda: raw.tell()
    )
    try:
        for batch in batches:
            rows += batch.rows
            for record, reason in batch.rejects:
                rejects.write(record, reason)
            cp = Checkpoint(key, str(path), batch.last.end_offset, batch.last.end_line)
            saved += store.save_posts(workspace_id, batch.drafts, checkpoint=cp)
            if progress:
                progress(batch.position, rows)
    finally:
        batches.close()
        rejects.close()
        stream.close()
        raw.close()
    store.clear_checkpoint(key)
    return ImportReport(
        path=path,
        rows=rows,
        saved=saved,
        rejected=rejects.count,
        rejects_path=rejects.path if rejects.count else None,
        resumed_from_line=start_line,
    )


@dataclass(slots=True)
class _Batch:
    drafts: list[PostDraft]
    rejects: list[tuple[Record, str]]
    rows: int
    last: Record
    position: int


_DONE = object()


class _BatchReader:
    """Reads and validates batches in a background thread while the caller stores the last.

    The database releases Python's lock while it works, so parsing the next batch overlaps
    with writing this one. At most two batches wait in the queue: memory stays flat.
    """

    def __init__(self, produce: Callable[[], Iterator[_Batch]]) -> None:
        self._queue: queue.Queue[object] = queue.Queue(maxsize=2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(produce,), daemon=True)
        self._thread.start()

    def _run(self, produce: Callable[[], Iterator[_Batch]]) -> None:
        try:
            for batch in produce():
                while not self._stop.is_set():
                    try:
                        self._queue.put(batch, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if self._stop.is_set():
                    return
            self._queue.put(_DONE)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            self._queue.put(exc)

    def __iter__(self) -> Iterator[_Batch]:
        while True:
            item = self._queue.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, _Batch)
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def _read_batches(
    stream: IO[bytes],
    fmt: FileFormat,
    mapping: ColumnMapping,
    mapper: str,
    batch_size: int,
    start_offset: int,
    start_line: int,
    position: Callable[[], int],
) -> _BatchReader:
    def produce() -> Iterator[_Batch]:
        drafts: list[PostDraft] = []
        bad: list[tuple[Record, str]] = []
        count = 0
        record: Record | None = None
        jsonl = fmt is FileFormat.JSONL
        for record in read_records(stream, fmt, start_offset=start_offset, start_line=start_line):
            count += 1
            raw = record.text if jsonl else None
            if record.fields is None:
                bad.append((record, record.error or "unreadable"))
            else:
                try:
                    drafts.append(to_draft(record.fields, mapping, mapper=mapper, raw_json=raw))
                except Reject as exc:
                    bad.append((record, str(exc)))
            if count >= batch_size:
                yield _Batch(drafts, bad, count, record, position())
                drafts, bad, count = [], [], 0
        if count and record is not None:
            yield _Batch(drafts, bad, count, record, position())

    return _BatchReader(produce)
