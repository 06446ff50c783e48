"""Reading an import file as batches of validated drafts, off the writer's thread or process.

The writer (the store) and the reader (parsing and validating rows) overlap: small files are
read in a thread, large ones in a child process that uses the second core in full.
"""

from __future__ import annotations

import gc
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from lytter.domain.posts import DraftRow, PostDraft, as_rows, with_prepared
from lytter.ingest.files import FileFormat, Record, open_binary, read_records
from lytter.ingest.normalise import ColumnMapping, Reject, to_draft

# Files at least this large are read in a child process (it takes ~0.3 s to start).
PROCESS_THRESHOLD = 16 * 2**20


class ReaderError(Exception):
    """The reader stopped without saying why (one sentence for the user)."""


@dataclass(slots=True)
class Batch:
    """Validated drafts (flattened) and rejected rows of one stretch of a file, and where it
    ended."""

    drafts: list[DraftRow]
    rejects: list[tuple[Record, str]]
    rows: int
    last: Record
    position: int

    def __reduce__(self) -> tuple[Any, ...]:
        # The rows cross to the writer as plain tuples and become DraftRows again in one pass
        # in C (`as_rows`): unpickled one by one through DraftRow.__reduce__ they cost the
        # writer's process ~1.5 µs more a post.
        rows = list(map(tuple, self.drafts))
        return (_batch, (rows, self.rejects, self.rows, self.last, self.position))


def _batch(
    rows: list[tuple[Any, ...]],
    rejects: list[tuple[Record, str]],
    count: int,
    last: Record,
    position: int,
) -> Batch:
    return Batch(as_rows(rows), rejects, count, last, position)


@dataclass(frozen=True, slots=True)
class ReadJob:
    """What a reader needs to produce batches: plain values, so it can cross to a process."""

    path: Path
    fmt: FileFormat
    mapping: ColumnMapping
    mapper: str
    batch_size: int
    start_offset: int
    start_line: int
    # The store's `row_preparer`: what it writes for a post, worked out here, off the writer.
    prepare: Callable[[DraftRow], Any] | None = None


def _finish(drafts: list[PostDraft], job: ReadJob) -> list[DraftRow]:
    # Flattened and prepared here, on the reader's core: the writer's is the bottleneck.
    rows = [d.row() for d in drafts]
    return rows if job.prepare is None else with_prepared(rows, job.prepare)


def produce(job: ReadJob) -> Iterator[Batch]:
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
                yield Batch(_finish(drafts, job), bad, count, record, raw_file.tell())
                drafts, bad, count = [], [], 0
        if count and record is not None:
            yield Batch(_finish(drafts, job), bad, count, record, raw_file.tell())
    finally:
        stream.close()
        raw_file.close()


def _unwrap(item: object) -> Batch | None:
    """What a reader handed over: a batch, None at the end, or its error (raised here)."""
    if item is None:
        return None
    if isinstance(item, BaseException):
        raise item
    assert isinstance(item, Batch)
    return item


def _hand_over(into: queue.Queue[object], stop: threading.Event, item: object) -> bool:
    """Put `item` in the queue once there is room; False if the consumer stopped first."""
    while not stop.is_set():
        try:
            into.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False


class _ThreadReader:
    """Produces batches in a background thread while the caller stores the previous one.

    The database releases Python's lock while it works, so reading overlaps with writing.
    At most two batches wait in the queue: memory stays flat.
    """

    def __init__(self, job: ReadJob) -> None:
        self._queue: queue.Queue[object] = queue.Queue(maxsize=2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(job,), daemon=True)
        self._thread.start()

    def _run(self, job: ReadJob) -> None:
        try:
            for batch in produce(job):
                if not _hand_over(self._queue, self._stop, batch):
                    return
            self._queue.put(None)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            self._queue.put(exc)

    def __iter__(self) -> Iterator[Batch]:
        while True:
            batch = _unwrap(self._queue.get())
            if batch is None:
                return
            yield batch

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


class _ProcessReader:
    """Produces batches in a child process, so reading uses the second core in full.

    The child is `python -m lytter.ingest.reader` (independent of the caller's own main
    module). The job goes in on its stdin; batches come back pickled on its stdout, each
    behind its length. A thread here takes the next batch off the pipe and unpickles it
    while the caller stores the previous one (the database works with Python's lock
    released). A full pipe pauses the child, so at most about three batches wait; if this
    process dies, the child's next write fails and it exits.
    """

    def __init__(self, job: ReadJob) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "lytter.ingest.reader"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._out = self._process.stdout
        self._process.stdin.write(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
        self._process.stdin.close()
        self._queue: queue.Queue[object] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _next(self) -> object:
        header = self._out.read(8)
        if len(header) < 8:
            raise ReaderError("the import's reader process stopped unexpectedly")
        return pickle.loads(self._out.read(int.from_bytes(header, "little")))

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                item = self._next()
                if not _hand_over(self._queue, self._stop, item):
                    return
                if item is None or isinstance(item, BaseException):
                    return
        except BaseException as exc:  # handed to the consumer, which re-raises it
            if not self._stop.is_set():
                self._queue.put(exc)

    def __iter__(self) -> Iterator[Batch]:
        while True:
            batch = _unwrap(self._queue.get())
            if batch is None:
                return
            yield batch

    def close(self) -> None:
        self._stop.set()
        if self._process.poll() is None:
            # Stopped early (or the child is just finishing): its batches are not wanted, and
            # its end wakes the thread if it waits on the pipe.
            self._process.kill()
        self._thread.join(timeout=5)
        self._out.close()
        self._process.wait()


def serve_reader(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """The reader process's main loop: a job in, batches out (see _ProcessReader)."""
    gc.disable()  # nothing here makes reference cycles; see lytter.gcpause

    def send(item: object) -> None:
        data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.write(len(data).to_bytes(8, "little"))
        stdout.write(data)
        stdout.flush()

    try:
        job = pickle.loads(stdin.read())
        for batch in produce(job):
            send(batch)
        send(None)
    except (BrokenPipeError, KeyboardInterrupt):
        return
    except Exception as exc:
        send(exc)


def read_batches(job: ReadJob) -> _ThreadReader | _ProcessReader:
    if job.path.stat().st_size >= PROCESS_THRESHOLD:
        return _ProcessReader(job)
    return _ThreadReader(job)
