"""The shared HTTP client: retries, backoff, Retry-After, rate limits and clear errors."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from lytter.connectors import AuthError, BadPayload, PermissionDenied, PlatformError
from lytter.connectors.http import Http


class Clock:
    """A fake clock whose sleep only moves time: tests wait for nothing."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.waits: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


def http(clock: Clock, **kw: object) -> Http:
    return Http(sleep=clock.sleep, clock=clock.time, timeout=5, **kw)  # type: ignore[arg-type]


def test_a_5xx_is_retried_with_growing_jittered_waits(httpserver: HTTPServer, clock: Clock) -> None:
    for _ in range(3):
        httpserver.expect_ordered_request("/x").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/x").respond_with_json({"ok": True})
    body, _ = http(clock, backoff=1.0).get_json(httpserver.url_for("/x"))
    assert body == {"ok": True}
    assert len(clock.waits) == 3
    assert all(0 <= w <= 2**i for i, w in enumerate(clock.waits))  # full jitter under the cap


def test_429_waits_as_long_as_retry_after_says(httpserver: HTTPServer, clock: Clock) -> None:
    httpserver.expect_ordered_request("/x").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/x").respond_with_json([])
    http(clock).get_json(httpserver.url_for("/x"))
    assert clock.waits == [7.0]


def test_a_used_up_rate_limit_waits_for_its_reset_before_the_next_call(
    httpserver: HTTPServer, clock: Clock
) -> None:
    reset = "2027-01-15T08:00:30+00:00"  # 30 s after the fake clock's now
    httpserver.expect_request("/x").respond_with_json(
        [], headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    )
    client = http(clock)
    clock.now = 1_800_000_000.0  # 2027-01-15T08:00:00Z
    client.get_json(httpserver.url_for("/x"))
    assert clock.waits == []
    client.get_json(httpserver.url_for("/x"))
    assert clock.waits == [pytest.approx(30.0)]


def test_a_storm_of_5xx_ends_in_one_clear_error(httpserver: HTTPServer, clock: Clock) -> None:
    httpserver.expect_request("/x").respond_with_data("down", status=502)
    with pytest.raises(PlatformError, match=r"failed 4 times; last: HTTP 502"):
        http(clock, retries=3).get_json(httpserver.url_for("/x"))


def test_expired_tokens_and_missing_permissions_are_not_retried(
    httpserver: HTTPServer, clock: Clock
) -> None:
    httpserver.expect_request("/me").respond_with_json(
        {"error": "The access token is invalid"}, status=401
    )
    httpserver.expect_request("/admin").respond_with_json(
        {"error": {"message": "(#200) Requires pages_manage_engagement", "code": 200}}, status=403
    )
    client = http(clock)
    with pytest.raises(AuthError, match="The access token is invalid"):
        client.get_json(httpserver.url_for("/me"))
    with pytest.raises(PermissionDenied, match="Requires pages_manage_engagement"):
        client.get_json(httpserver.url_for("/admin"))
    assert clock.waits == [] and client.requests == 2


def test_malformed_json_is_a_bad_payload_not_a_crash(httpserver: HTTPServer, clock: Clock) -> None:
    httpserver.expect_request("/x").respond_with_response(
        Response('[{"id": "1", "content": ', content_type="application/json")
    )
    with pytest.raises(BadPayload, match="did not answer with JSON"):
        http(clock).get_json(httpserver.url_for("/x"))


def test_every_request_says_who_is_asking(httpserver: HTTPServer, clock: Clock) -> None:
    httpserver.expect_request("/x").respond_with_json([])
    http(clock).get_json(httpserver.url_for("/x"))
    assert httpserver.log[0][0].headers["User-Agent"].startswith("Lytter/")
