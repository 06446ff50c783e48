"""A draft flattened into the row that stores save and that an import's reader hands over."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

from lytter.domain.posts import (
    AUTHOR_KEY,
    POST_KEY,
    SOURCE_KEY,
    AuthorRef,
    DraftRow,
    Engagement,
    PostDraft,
    SourceRef,
    as_rows,
    with_prepared,
)

WHEN = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)


def test_a_flattened_draft_keeps_every_field_under_its_own_name() -> None:
    draft = PostDraft(
        "facebook",
        "p1",
        "Banken åbner kl. 10",
        WHEN,
        author=AuthorRef("mette", "Mette Ø", 120),
        source=SourceRef("page-1", "Lokalbanken Aarhus", "https://facebook.com/1"),
        root_id="p0",
        parent_id="p0",
        language="da",
        url="https://facebook.com/p1",
        engagement=Engagement(likes=3, comments=1, shares=0, views=40),
        collected_at=WHEN,
        raw={"message": "Banken åbner kl. 10"},
    )

    row = draft.row()

    assert (row.platform, row.external_id, row.text, row.created_at) == draft[:4]
    assert (row.author_handle, row.author_name, row.author_followers) == ("mette", "Mette Ø", 120)
    assert (row.source_external_id, row.source_name, row.source_url) == tuple(draft.source or ())
    assert (row.likes, row.comments, row.shares, row.views) == (3, 1, 0, 40)
    assert (row.root_id, row.parent_id, row.language, row.url) == (
        "p0",
        "p0",
        "da",
        "https://facebook.com/p1",
    )
    assert row.raw_json == '{"message":"Banken åbner kl. 10"}'  # æøå kept as they are
    assert (row.collected_at, row.mapper, row.prepared) == (WHEN, "import/1", None)


def test_a_draft_without_author_source_or_payload_flattens_to_nones() -> None:
    row = PostDraft("twitter", "1", "hej", WHEN).row()

    assert row.author_handle is row.source_external_id is row.raw_json is None
    assert row.likes is None


def test_the_payload_received_as_json_text_is_kept_as_that_text() -> None:
    text = '{"id": "1",  "text": "hej"}'
    row = PostDraft("twitter", "1", "hej", WHEN, raw_json=text).row()

    assert row.raw_json == text


def test_a_row_survives_pickling_as_a_row() -> None:
    row = PostDraft("twitter", "1", "hej", WHEN, author=AuthorRef("a")).row()

    back = pickle.loads(pickle.dumps([row, row], protocol=pickle.HIGHEST_PROTOCOL))

    assert back == [row, row]
    assert type(back[0]) is DraftRow
    assert back[0].author_handle == "a"


def test_prepared_values_ride_along_and_plain_tuples_become_rows_again() -> None:
    rows = [PostDraft("twitter", str(n), "hej", WHEN).row() for n in range(3)]

    prepared = with_prepared(rows, lambda r: r.external_id * 2)

    assert [r.prepared for r in prepared] == ["00", "11", "22"]
    assert [r[:-1] for r in prepared] == [r[:-1] for r in rows]
    assert as_rows(tuple(r) for r in prepared) == prepared
    assert all(type(r) is DraftRow for r in as_rows(map(tuple, prepared)))


def test_the_row_keys_name_the_fields_they_take() -> None:
    row = PostDraft("x", "p1", "hej", WHEN, author=AuthorRef("a"), source=SourceRef("s", "S")).row()

    assert POST_KEY(row) == (row.platform, row.external_id)
    assert SOURCE_KEY(row) == (row.platform, row.source_external_id)
    assert AUTHOR_KEY(row) == (row.platform, row.author_handle)
