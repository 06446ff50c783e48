"""Importing a file: idempotent, resumable, and bad rows never abort it (both backends)."""

from __future__ import annotations

import json
from pathlib import Path

from lytter.domain.posts import PostFilter
from lytter.ingest.files import FileFormat
from lytter.ingest.normalise import ColumnMapping
from lytter.services.importing import checkpoint_key, import_file
from lytter.store import Store
from lytter.store.base import Checkpoint


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def post(i: int, text: str | None = None, **kw: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": str(i),
        "platform": "facebook",
        "text": text or f"Kommentar nummer {i} om banken",
        "created_at": f"2024-05-01T12:{i % 60:02d}:00Z",
        "author": f"user{i % 7}",
        "source": "Banken Aarhus",
    }
    row.update(kw)
    return row


def test_importing_the_same_file_twice_stores_each_post_once(store: Store, tmp_path: Path) -> None:
    ws = store.ensure_workspace("default")
    path = write_jsonl(tmp_path / "posts.jsonl", [post(i) for i in range(25)])
    first = import_file(store, ws.id, path, batch_size=10, rejects_path=tmp_path / "r.jsonl")
    second = import_file(store, ws.id, path, batch_size=10, rejects_path=tmp_path / "r.jsonl")
    assert (first.rows, first.saved.inserted) == (25, 25)
    assert (second.saved.inserted, second.saved.unchanged) == (0, 25)
    assert store.count_posts(PostFilter(ws.id)) == 25
    assert store.stats(ws.id).authors == 7


def test_a_changed_text_on_reimport_is_an_edit(store: Store, tmp_path: Path) -> None:
    ws = store.ensure_workspace("default")
    import_file(store, ws.id, write_jsonl(tmp_path / "a.jsonl", [post(1, "Før")]))
    report = import_file(store, ws.id, write_jsonl(tmp_path / "b.jsonl", [post(1, "Efter")]))
    assert report.saved.edited == 1
    [p] = store.find_posts(PostFilter(ws.id))
    assert p.text == "Efter"
    assert [e.old_text for e in store.post_edits(p.id)] == ["Før"]


def test_a_file_with_a_post_and_its_edited_copy_imports_twice_as_once(
    store: Store, tmp_path: Path
) -> None:
    ws = store.ensure_workspace("default")
    path = write_jsonl(tmp_path / "p.jsonl", [post(1, "Før"), post(2), post(1, "Efter")])
    first = import_file(store, ws.id, path)
    second = import_file(store, ws.id, path)
    assert (first.saved.inserted, first.saved.edited) == (2, 1)
    assert (second.saved.inserted, second.saved.edited, second.saved.unchanged) == (0, 0, 3)
    [p] = [p for p in store.find_posts(PostFilter(ws.id)) if p.external_id == "1"]
    assert p.text == "Efter"
    assert [e.old_text for e in store.post_edits(p.id)] == ["Før"]


def test_bad_rows_go_to_the_rejects_file_with_line_and_reason(store: Store, tmp_path: Path) -> None:
    ws = store.ensure_workspace("default")
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps(post(1)).encode(),
        json.dumps(post(2, id=None)).encode(),
        json.dumps(post(3, created_at="31/12/2024")).encode(),
        b'{"id": "4", "text": "\xff\xfe"}',
        json.dumps(post(5, text="x" * 100_001)).encode(),
        b"{not json",
        json.dumps(post(7)).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    rejects = tmp_path / "rejects.jsonl"
    report = import_file(store, ws.id, path, rejects_path=rejects)
    assert (report.rows, report.saved.inserted, report.rejected) == (7, 2, 5)
    found = [json.loads(line) for line in rejects.read_text("utf-8").splitlines()]
    assert [(r["line"], r["reason"].split(" (")[0]) for r in found] == [
        (2, "missing id"),
        (3, "unparsable created_at '31/12/2024'"),
        (4, "invalid UTF-8 at byte 22"),
        (5, "text is 100,001 bytes, over the 100 kB limit"),
        (6, "invalid JSON at column 2: Expecting property name enclosed in double quotes"),
    ]
    assert found[0]["record"] == json.dumps(post(2, id=None))


def test_no_rejects_file_is_written_when_every_row_is_good(store: Store, tmp_path: Path) -> None:
    ws = store.ensure_workspace("default")
    rejects = tmp_path / "rejects.jsonl"
    report = import_file(
        store, ws.id, write_jsonl(tmp_path / "p.jsonl", [post(1)]), rejects_path=rejects
    )
    assert report.rejects_path is None
    assert not rejects.exists()


def test_an_interrupted_import_resumes_after_the_last_saved_batch(
    store: Store, tmp_path: Path
) -> None:
    ws = store.ensure_workspace("default")
    path = write_jsonl(tmp_path / "p.jsonl", [post(i) for i in range(10)])
    # As if a first run had committed the first 4 rows with their checkpoint, then died.
    first_four = b"".join(path.read_bytes().splitlines(keepends=True)[:4])
    key = checkpoint_key(ws.id, path, FileFormat.JSONL, ColumnMapping())
    import_file(store, ws.id, write_jsonl(tmp_path / "head.jsonl", [post(i) for i in range(4)]))
    store.save_posts(ws.id, [], checkpoint=Checkpoint(key, str(path), len(first_four), 4))

    report = import_file(store, ws.id, path, batch_size=3)
    assert report.resumed_from_line == 4
    assert (report.rows, report.saved.inserted) == (6, 6)
    assert store.count_posts(PostFilter(ws.id)) == 10
    assert store.get_checkpoint(key) is None  # a finished import leaves no checkpoint


def test_a_foreign_csv_imports_through_a_mapping(store: Store, tmp_path: Path) -> None:
    ws = store.ensure_workspace("default")
    path = tmp_path / "twcs.csv"
    path.write_text(
        "tweet_id,author_id,created_at,text\n"
        '1,sprintcare,Tue Oct 31 22:10:47 +0000 2017,"@115712 I understand."\n'
        '2,115712,Tue Oct 31 22:11:45 +0000 2017,"@sprintcare and how, exactly?"\n',
        "utf-8",
    )
    mapping = ColumnMapping(
        columns={"id": "tweet_id", "author": "author_id"},
        platform="twitter",
        language="en",
        date_format="%a %b %d %H:%M:%S %z %Y",
    )
    report = import_file(store, ws.id, path, mapping=mapping)
    assert report.saved.inserted == 2
    posts = store.find_posts(PostFilter(ws.id, platforms=("twitter",), limit=1))
    assert [(p.author_handle, p.platform, p.language) for p in posts] == [
        ("115712", "twitter", "en")
    ]


def test_a_reimport_with_a_changed_text_keeps_the_new_raw_payload(
    store: Store, tmp_path: Path
) -> None:
    ws = store.ensure_workspace("default")
    import_file(store, ws.id, write_jsonl(tmp_path / "a.jsonl", [post(1, "Før", likes=1)]))
    import_file(store, ws.id, write_jsonl(tmp_path / "b.jsonl", [post(1, "Efter", likes=2)]))
    [p] = store.find_posts(PostFilter(ws.id))
    assert p.raw is not None
    assert (p.raw["text"], p.raw["likes"]) == ("Efter", 2)
