"""One record becomes a validated PostDraft, or a rejection that says why."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from lytter.domain.posts import AuthorRef, Engagement, SourceRef
from lytter.ingest.normalise import ColumnMapping, Reject, to_draft

NONE = ColumnMapping()


def ok(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "1",
        "platform": "facebook",
        "text": "Hej",
        "created_at": "2024-05-01T12:00:00Z",
    }
    base.update(fields)
    return base


def test_the_four_required_fields_make_a_post() -> None:
    d = to_draft(ok(), NONE, mapper="test/1")
    assert (d.external_id, d.platform, d.text) == ("1", "facebook", "Hej")
    assert d.created_at == datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert d.raw == ok()
    assert d.mapper == "test/1"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"id": None}, "missing id"),
        ({"id": ""}, "missing id"),
        ({"platform": None}, "missing platform (add a platform column or pass --platform)"),
        ({"text": None}, "missing text"),
        ({"created_at": None}, "missing created_at"),
        ({"created_at": "i går"}, "unparsable created_at 'i går' (expected ISO 8601"),
        ({"created_at": 1714564800}, "created_at must be a date and time as text"),
        ({"text": "x" * 100_001}, "text is 100,001 bytes, over the 100 kB limit"),
        ({"text": "æ" * 50_001}, "text is 100,002 bytes, over the 100 kB limit"),
        ({"likes": "mange"}, "likes is not a whole number: 'mange'"),
        ({"likes": -1}, "likes is negative"),
        ({"platform": "Face book!"}, "'Face book!' is not a platform name"),
        ({"id": {"a": 1}}, "id must be a string or a whole number"),
    ],
)
def test_bad_records_are_rejected_with_the_reason(change: dict[str, object], reason: str) -> None:
    with pytest.raises(Reject) as info:
        to_draft(ok(**change), NONE, mapper="t")
    assert str(info.value).startswith(reason)


def test_text_of_exactly_100_kb_is_accepted() -> None:
    assert len(to_draft(ok(text="x" * 100_000), NONE, mapper="t").text) == 100_000


def test_optional_fields_fill_the_post() -> None:
    d = to_draft(
        ok(
            author={"handle": "mette", "name": "Mette", "followers": 120},
            source="Banken Aarhus",
            source_id="123",
            thread_id="9",
            in_reply_to="10",
            lang="da-DK",
            url="https://facebook.com/1",
            likes="1,204",
            comments=3,
            shares=0,
            views=10.0,
        ),
        NONE,
        mapper="t",
    )
    assert d.author == AuthorRef("mette", "Mette", 120)
    assert d.source == SourceRef("123", "Banken Aarhus", None)
    assert (d.root_id, d.parent_id, d.language) == ("9", "10", "da")
    assert d.engagement == Engagement(likes=1204, comments=3, shares=0, views=10)


def test_a_foreign_csv_is_read_through_a_column_mapping() -> None:
    row = {
        "tweet_id": "42",
        "author_id": "AmazonHelp",
        "created_at": "Tue Oct 31 22:10:47 +0000 2017",
        "text": "We're here to help",
        "in_response_to_tweet_id": "41",
    }
    mapping = ColumnMapping(
        columns=ColumnMapping.parse_pairs(
            ["id=tweet_id", "author=author_id", "in_reply_to=in_response_to_tweet_id"]
        ),
        platform="twitter",
        source="@AmazonHelp",
        date_format="%a %b %d %H:%M:%S %z %Y",
    )
    d = to_draft(row, mapping, mapper="t")
    assert (d.external_id, d.platform, d.parent_id) == ("42", "twitter", "41")
    assert d.author == AuthorRef("AmazonHelp")
    assert d.source == SourceRef("@AmazonHelp", "@AmazonHelp")
    assert d.created_at == datetime(2017, 10, 31, 22, 10, 47, tzinfo=UTC)


def test_dotted_paths_reach_into_nested_json() -> None:
    mapping = ColumnMapping(columns={"author": "user.screen_name", "likes": "stats.likes"})
    record = ok(user={"screen_name": "kim"}, stats={"likes": 7})
    d = to_draft(record, mapping, mapper="t")
    assert d.author == AuthorRef("kim")
    assert d.engagement.likes == 7


def test_times_without_a_zone_are_read_in_the_given_zone() -> None:
    mapping = ColumnMapping(timezone=ZoneInfo("Europe/Copenhagen"))
    d = to_draft(ok(created_at="2024-07-01 14:00:00"), mapping, mapper="t")
    assert d.created_at == datetime(2024, 7, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("id", "'id' is not FIELD=COLUMN"),
        ("=x", "'=x' is not FIELD=COLUMN"),
        ("colour=x", "unknown field 'colour' in --map colour=x"),
    ],
)
def test_bad_mapping_pairs_say_what_is_wrong(pair: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ColumnMapping.parse_pairs([pair])
