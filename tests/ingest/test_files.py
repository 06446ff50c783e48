"""Import files are read as a stream of records with line numbers and resumable offsets."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from lytter.ingest.files import (
    FileFormat,
    FileFormatError,
    detect_format,
    open_binary,
    read_records,
)


def records(data: bytes, fmt: FileFormat, **kw: int) -> list:
    return list(read_records(io.BytesIO(data), fmt, **kw))


def test_jsonl_records_carry_their_line_number_and_end_offset() -> None:
    data = b'{"id": 1}\n\n{"id": 2}\n'
    first, second = records(data, FileFormat.JSONL)
    assert (first.line, first.end_offset, first.fields) == (1, 10, {"id": 1})
    assert (second.line, second.end_offset, second.fields) == (3, len(data), {"id": 2})


def test_jsonl_bad_lines_become_records_with_a_reason() -> None:
    data = b'{"id": 1\n[1, 2]\n{"id": "\xff"}\n{"id": 4}\n'
    bad_json, not_object, bad_utf8, good = records(data, FileFormat.JSONL)
    assert bad_json.error == "invalid JSON at column 9: Expecting ',' delimiter"
    assert not_object.error == "line is not a JSON object"
    assert bad_utf8.error == "invalid UTF-8 at byte 9"
    assert bad_utf8.text == '{"id": "\ufffd"}'
    assert good.fields == {"id": 4}


def test_jsonl_values_read_as_python_reads_json() -> None:
    # The fast reader hands these to the standard library's: the values stay exact.
    data = (
        b'{"id": 123456789012345678901234567890, "author": {"n": [12345678901234567890123]}}\n'
        b'{"id": "a", "score": NaN, "id": "b"}\n'
        b'{"text": "\\ud83d\\ude00 \\ud800", "n": 1.5e3}\n'
    )
    long_id, nan, escapes = records(data, FileFormat.JSONL)
    assert long_id.fields == {
        "id": 123456789012345678901234567890,
        "author": {"n": [12345678901234567890123]},
    }
    assert nan.fields is not None and nan.fields["id"] == "b" and nan.fields["score"] != 0
    assert escapes.fields == {"text": "\U0001f600 \ud800", "n": 1500.0}


def test_jsonl_resumes_after_an_offset_with_the_right_line_numbers() -> None:
    data = b'{"id": 1}\n{"id": 2}\n{"id": 3}\n'
    [second, third] = records(data, FileFormat.JSONL, start_offset=10, start_line=1)
    assert (second.line, second.fields) == (2, {"id": 2})
    assert third.line == 3


def test_a_utf8_byte_order_mark_is_ignored() -> None:
    [r] = records(b'\xef\xbb\xbf{"id": 1}\n', FileFormat.JSONL)
    assert r.fields == {"id": 1}
    [c] = records(b"\xef\xbb\xbfid,text\n1,hej\n", FileFormat.CSV)
    assert c.fields == {"id": "1", "text": "hej"}


def test_csv_rows_may_span_lines_inside_quotes() -> None:
    data = 'id,text\n1,"første linje\nanden linje"\n2,kort\n'.encode()
    first, second = records(data, FileFormat.CSV)
    assert first.fields == {"id": "1", "text": "første linje\nanden linje"}
    assert (first.line, first.end_line) == (2, 3)
    assert (second.line, second.fields) == (4, {"id": "2", "text": "kort"})


def test_csv_bad_rows_become_records_with_a_reason() -> None:
    data = b'id,text\n1,"ok"\n2,a,b\n3,"\xe6\xf8\xe5"\n4,fine\n'
    ok, extra, latin1, fine = records(data, FileFormat.CSV)
    assert ok.error is None
    assert extra.error == "row has 3 fields but the header has 2"
    assert latin1.error == "invalid UTF-8"
    assert fine.fields == {"id": "4", "text": "fine"}


def test_csv_resumes_after_an_offset_and_still_knows_the_header() -> None:
    data = b"id,text\n1,a\n2,b\n3,c\n"
    [third] = records(data, FileFormat.CSV, start_offset=16, start_line=3)
    assert (third.line, third.fields) == (4, {"id": "3", "text": "c"})


def test_tsv_is_read_with_tabs() -> None:
    [r] = records(b"id\ttext\n1\thej, med komma\n", FileFormat.TSV)
    assert r.fields == {"id": "1", "text": "hej, med komma"}


def test_gzipped_files_are_read_transparently(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"id": 1}\n{"id": 2}\n'))
    stream, raw = open_binary(path)
    assert [r.fields for r in read_records(stream, detect_format(path))] == [{"id": 1}, {"id": 2}]
    raw.close()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.jsonl", FileFormat.JSONL),
        ("a.ndjson", FileFormat.JSONL),
        ("a.CSV", FileFormat.CSV),
        ("a.tsv.gz", FileFormat.TSV),
    ],
)
def test_the_format_follows_the_file_name(name: str, fmt: FileFormat) -> None:
    assert detect_format(Path(name)) is fmt


def test_an_unknown_file_name_asks_for_format() -> None:
    with pytest.raises(FileFormatError, match="pass --format"):
        detect_format(Path("export.xlsx"))
