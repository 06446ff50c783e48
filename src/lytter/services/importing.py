"""Import a file of posts into a workspace: streamed, batched, idempotent and resumable."""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import pickle
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO

from lytter.domain.posts import PostDraft, SaveResult
from lytter.ingest.files import FileFormat, Record, detect_format, open_binary, read_records
from lytter.ingest.normalise import ColumnMapping, Reject, to_draft
from lytter.store.base import Checkpoint, Store

BATCH_SIZE = 5000
# Files at least this large are read in a child process (it takes ~0.3 s to start).
PROCESS_THRESHOLD = 16 * 2**20

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
    job = _Job(path, fmt, mapping, mapper, batch_size, start_offset, start_line)
    batches = _reader(job)
    try:
        with _gc_paused():
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


@dataclass(frozen=True, slots=True)
class _Job:
    """What a reader needs to produce batches: plain values, so it can cross to a process."""

    path: Path
    fmt: FileFormat
    mapping: ColumnMapping
    mapper: str
    batch_size: int
    start_offset: int
    start_line: int


def _produce(job: _Job) -> Iterator[_Batch]:
    """Read and validate `job.path` in batches."""
    stream, raw_file = open_binary(job.path)
    try:
        drafts: list[PostDraft] = []
        bad: list[tuple[Record, str]] = []
        count = 0
        record: Record | None = None
        jsonl = job.fmt is FileFormat.JSONL
        records = read_records(
            stream, job.fmt, start_offset=job.start_offset, start_line=job.start_line
        )
        for record in records:
            count += 1
            if record.fields is None:
                bad.append((record, record.error or "unreadable"))
            else:
                try:
                    drafts.append(
                        to_draft(
                            record.fields,
                            job.mapping,
                            mapper=job.mapper,
                            raw_json=record.text if jsonl else None,
                        )
                    )
                except Reject as exc:
                    bad.append((record, str(exc)))
            if count >= job.batch_size:
                yield _Batch(drafts, bad, count, record, raw_file.tell())
                drafts, bad, count = [], [], 0
        if count and record is not None:
            yield _Batch(drafts, bad, count, record, raw_file.tell())
    finally:
        stream.close()
        raw_file.close()


_DONE = object()


class _ThreadReader:
    """Produces batches in a background thread while the caller stores the previous one.

    The database releases Python's lock while it works, so reading overlaps with writing.
    At most two batches wait in the queue: memory stays flat.
    """

    def __init__(self, job: _Job) -> None:
        self._queue: queue.Queue[object] = queue.Queue(maxsize=2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(job,), daemon=True)
        self._thread.start()

    def _run(self, job: _Job) -> None:
        try:
            for batch in _produce(job):
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


class _ProcessReader:
    """Produces batches in a child process, so reading uses the second core in full.

    Batches travel as compact tuples through a pipe; a full pipe pauses the child, so at most
    about one batch waits. If this process dies, the child's next send fails and it exits.
    """

    def __init__(self, job: _Job) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._recv, send = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=_child_main, args=(job, send), daemon=True)
        self._process.start()
        send.close()

    def __iter__(self) -> Iterator[_Batch]:
        while True:
            try:
                item = pickle.loads(self._recv.recv_bytes())
            except EOFError:
                raise ImportFileError("the import's reader process stopped unexpectedly") from None
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, _Batch)
            yield item

    def close(self) -> None:
        self._recv.close()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()


def _child_main(job: _Job, send: Connection) -> None:
    gc.disable()  # nothing here makes reference cycles; see _gc_paused
    try:
        for b in _produce(job):
            send.send_bytes(pickle.dumps(b, protocol=pickle.HIGHEST_PROTOCOL))
        send.send_bytes(pickle.dumps(None))
    except (BrokenPipeError, KeyboardInterrupt):
        return
    except Exception as exc:
        send.send_bytes(pickle.dumps(exc))
    finally:
        send.close()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: an import makes millions of objects but no cycles,
    and the collector's passes over the id caches cost ~15% of an import's time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _reader(job: _Job) -> _ThreadReader | _ProcessReader:
    if job.path.stat().st_size >= PROCESS_THRESHOLD:
        return _ProcessReader(job)
    return _ThreadReader(job)
