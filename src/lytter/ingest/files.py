"""Streaming readers for import files: JSON Lines and CSV/TSV, plain or gzipped.

Readers yield one `Record` per row with its line number and the byte offset just after it,
so an interrupted import can resume exactly there. Memory stays flat whatever the file size.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

import orjson

# Post texts up to 100 kB, and then some for the other columns.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class FileFormat(StrEnum):
    """The import file formats Lytter reads."""

    JSONL = "jsonl"
    CSV = "csv"
    TSV = "tsv"


_SUFFIXES = {
    ".jsonl": FileFormat.JSONL,
    ".ndjson": FileFormat.JSONL,
    ".json": FileFormat.JSONL,
    ".csv": FileFormat.CSV,
    ".tsv": FileFormat.TSV,
}


class FileFormatError(ValueError):
    """The file cannot be read as the format it claims (one sentence for the user)."""


@dataclass(frozen=True, slots=True)
class Record:
    """One row of an import file: its fields, or the reason it could not be read."""

    line: int
    end_line: int
    end_offset: int
    fields: dict[str, Any] | None
    error: str | None
    text: str


def detect_format(path: Path) -> FileFormat:
    """The format implied by the file name (`posts.jsonl`, `export.csv.gz`, ...)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    if suffixes and suffixes[-1] in _SUFFIXES:
        return _SUFFIXES[suffixes[-1]]
    raise FileFormatError(
        f"cannot tell the format of {path.name}: name it .jsonl, .csv or .tsv, or pass --format"
    )


def open_binary(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """Open `path` for reading bytes; returns (reader, raw file) where raw.tell() shows progress."""
    raw: IO[bytes] = path.open("rb")
    if raw.read(2) == b"\x1f\x8b":
        raw.seek(0)
        return gzip.GzipFile(fileobj=raw, mode="rb"), raw  # type: ignore[return-value]
    raw.seek(0)
    return raw, raw


def read_records(
    stream: IO[bytes], fmt: FileFormat, *, start_offset: int = 0, start_line: int = 0
) -> Iterator[Record]:
    """Yield the records of `stream`, resuming after `start_offset` bytes and `start_line` lines."""
    if fmt is FileFormat.JSONL:
        yield from _read_jsonl(stream, start_offset, start_line)
    else:
        yield from _read_csv(
            stream, "\t" if fmt is FileFormat.TSV else ",", start_offset, start_line
        )


def _loads(line: bytes, text: str) -> Any:
    """The JSON value of one line. orjson reads it, ~2x faster than the standard library;
    the standard library reads again what orjson refuses (NaN, a lone surrogate) and any line
    with a float in it, since orjson reads a whole number beyond 64 bits as a float. So every
    line imports as it always did, and an error message reads the same."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(text.rstrip("\r\n"))  # an error's column counts on this line
    return json.loads(text) if _has_float(value) else value


def _has_float(value: Any) -> bool:
    items = value.values() if type(value) is dict else value if type(value) is list else ()
    for item in items:
        kind = type(item)
        if kind is float or ((kind is dict or kind is list) and _has_float(item)):
            return True
    return False


def _read_jsonl(stream: IO[bytes], offset: int, line_no: int) -> Iterator[Record]:
    if offset:
        stream.seek(offset)
    for raw in stream:
        line_no += 1
        offset += len(raw)
        if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            shown = raw.decode("utf-8", "replace").rstrip("\r\n")
            yield Record(
                line_no, line_no, offset, None, f"invalid UTF-8 at byte {exc.start + 1}", shown
            )
            continue
        try:
            fields = _loads(raw, text)
        except json.JSONDecodeError as exc:
            yield Record(
                line_no,
                line_no,
                offset,
                None,
                f"invalid JSON at column {exc.colno}: {exc.msg}",
                text,
            )
            continue
        if not isinstance(fields, dict):
            yield Record(
                line_no, line_no, offset, None, "line is not a JSON object", text.rstrip("\r\n")
            )
            continue
        yield Record(line_no, line_no, offset, fields, None, text.rstrip("\r\n"))


class _LineFeed:
    """Feeds decoded lines to csv.reader while tracking offsets and undecodable lines."""

    def __init__(self, stream: IO[bytes], offset: int, line_no: int) -> None:
        self.stream = stream
        self.offset = offset
        self.line_no = line_no
        self.bad_utf8: int | None = None
        self.lines: list[str] = []

    def __iter__(self) -> Iterator[str]:
        for raw in self.stream:
            self.line_no += 1
            self.offset += len(raw)
            if self.line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                if self.bad_utf8 is None:
                    self.bad_utf8 = exc.start + 1
                text = raw.decode("utf-8", "replace")
            self.lines.append(text)
            yield text


def _read_csv(stream: IO[bytes], delimiter: str, offset: int, line_no: int) -> Iterator[Record]:
    header_feed = _LineFeed(stream, 0, 0)
    header_reader = csv.reader(header_feed, delimiter=delimiter)
    try:
        header = next(header_reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise FileFormatError(f"cannot read the CSV header on line 1: {exc}") from exc
    header = [h.strip() for h in header]
    if header_feed.bad_utf8 is not None:
        raise FileFormatError("the CSV header on line 1 is not valid UTF-8")
    if offset <= header_feed.offset:
        offset, line_no = header_feed.offset, header_feed.line_no
    else:
        stream.seek(offset)
    feed = _LineFeed(stream, offset, line_no)
    reader = csv.reader(feed, delimiter=delimiter)
    while True:
        first_line = feed.line_no + 1
        feed.lines.clear()
        feed.bad_utf8 = None
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            text = "".join(feed.lines).rstrip("\r\n")
            yield Record(
                first_line, feed.line_no, feed.offset, None, f"unreadable CSV: {exc}", text
            )
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        text = "".join(feed.lines).rstrip("\r\n")
        if feed.bad_utf8 is not None:
            yield Record(first_line, feed.line_no, feed.offset, None, "invalid UTF-8", text)
        elif len(row) != len(header):
            reason = f"row has {len(row)} fields but the header has {len(header)}"
            yield Record(first_line, feed.line_no, feed.offset, None, reason, text)
        else:
            fields = dict(zip(header, row, strict=True))
            yield Record(first_line, feed.line_no, feed.offset, fields, None, text)
