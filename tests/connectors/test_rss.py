"""RSS and Atom feeds against a local server, with conditional GET."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer

from lytter.connectors import BadPayload, SettingsError
from lytter.connectors.rss import RssConnector
from lytter.demo.platform import FIXTURES


def serve(server: HTTPServer, name: str, **headers: str) -> str:
    server.expect_request(f"/{name}").respond_with_data(
        (FIXTURES / name).read_bytes(), content_type="application/xml", headers=headers
    )
    return server.url_for(f"/{name}")


def test_an_rss_feed_gives_one_post_per_item(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "rss2.xml")
    [page] = RssConnector({"url": url, "name": "Nyheder"}).collect(None)
    first, second = page.drafts
    assert first.external_id == "nyheder-4711" and first.platform == "rss"
    assert first.text == "Renten stiger igen\n\nBankerne hæver renterne & kunderne klager."
    assert first.created_at == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert first.author is not None and first.author.handle == "Mette Hansen"
    assert first.language == "da" and first.url == "https://nyheder.example.dk/renten-stiger"
    assert first.source is not None and first.source.external_id == url
    assert first.raw is not None and first.raw["tags"] == ["økonomi"]
    assert second.external_id == "https://nyheder.example.dk/ko"


def test_an_atom_alert_feed_reads_the_same_way(httpserver: HTTPServer) -> None:
    url = serve(httpserver, "atom.xml")
    [page] = RssConnector({"url": url}).collect(None)
    [entry] = page.drafts
    assert entry.text == "Danske Bank åbner ny filial i Århus\n\nKunderne i Århus får en ny filial."
    assert entry.created_at == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert entry.author is None  # an empty <name/> is no author


def test_an_unchanged_feed_costs_a_304_and_yields_nothing(httpserver: HTTPServer) -> None:
    url = serve(
        httpserver, "rss2.xml", ETag='"v1"', **{"Last-Modified": "Mon, 23 Nov 2026 08:15:00 GMT"}
    )
    [page] = RssConnector({"url": url}).collect(None)
    assert page.cursor == {"etag": '"v1"', "modified": "Mon, 23 Nov 2026 08:15:00 GMT"}
    httpserver.clear()
    httpserver.expect_request(
        "/rss2.xml",
        headers={"If-None-Match": '"v1"', "If-Modified-Since": "Mon, 23 Nov 2026 08:15:00 GMT"},
    ).respond_with_data("", status=304)
    assert list(RssConnector({"url": url}).collect(page.cursor)) == []


def test_a_page_that_is_not_a_feed_is_a_clear_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(
        "<html><body>Log ind</body", content_type="text/html"
    )
    with pytest.raises(BadPayload, match="is not an RSS or Atom feed"):
        list(RssConnector({"url": httpserver.url_for("/feed")}).collect(None))


def test_a_feed_needs_an_http_url() -> None:
    with pytest.raises(SettingsError, match="needs an http"):
        RssConnector({"url": "ftp://x"})
