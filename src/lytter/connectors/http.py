"""The HTTP client every connector shares: timeouts, retries with backoff, rate limits.

- Timeouts on connect and read, so a hung platform never hangs the collector.
- Retries on network errors, 5xx and 429, with exponential backoff and full jitter; a
  `Retry-After` header (seconds or a date) is honoured instead of the backoff.
- Rate-limit headers: when a platform says no calls are left (`X-RateLimit-Remaining: 0`
  with `X-RateLimit-Reset`, as Mastodon sends), the next call waits for the reset.
- 401 is AuthError, 403 PermissionDenied, other 4xx a ConnectorError with the platform's own
  message; none of them is retried.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx2 as httpx

from lytter.connectors.base import (
    AuthError,
    BadPayload,
    ConnectorError,
    PermissionDenied,
    PlatformError,
)

log = logging.getLogger("lytter.connectors")

USER_AGENT = "Lytter/0.1 (+https://github.com/lytter; self-hosted social listening)"
MAX_WAIT = 900.0
"""The longest a single wait for a rate limit may be, in seconds."""


def _parse_when(value: str, now: float) -> float | None:
    """Seconds to wait from a Retry-After or reset header: seconds, epoch, or a date."""
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        pass
    else:
        # A small number is a delay; a large one an epoch time (as some platforms send).
        return number - now if number > 1_000_000_000 else number
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp() - now


def _platform_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip()
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):  # Facebook: {"error": {"message": ...}}
            return str(error.get("message", error))[:300]
        if error:
            return str(error)[:300]
        return str(body.get("message", body))[:300]
    return str(body)[:300]


class Http:
    """A connector's HTTP client. `sleep` and `clock` are injectable for tests."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        retries: int = 5,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            follow_redirects=True,
            transport=transport,
        )
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        self.clock = clock
        self._not_before = 0.0  # set when a rate limit is used up
        self.requests = 0
        # A platform's own dialect (see connectors.graph): `on_error` may raise for an error
        # body, or return seconds to wait before a retry; `on_response` may return seconds
        # to hold back the next call. None means "judge by the status and headers alone".
        self.on_error: Callable[[httpx.Response], float | None] | None = None
        self.on_response: Callable[[httpx.Response], float | None] | None = None

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _wait(self, seconds: float, why: str) -> None:
        seconds = max(0.0, min(seconds, MAX_WAIT))
        if seconds:
            log.info("waiting %.1f s: %s", seconds, why)
            self.sleep(seconds)

    def _note_rate_limit(self, response: httpx.Response) -> None:
        if self.on_response is not None:
            hold = self.on_response(response)
            if hold:
                self._not_before = max(self._not_before, self.clock() + min(hold, MAX_WAIT))
        remaining = response.headers.get("x-ratelimit-remaining")
        reset = response.headers.get("x-ratelimit-reset")
        if remaining is None or reset is None:
            return
        try:
            left = int(float(remaining))
        except ValueError:
            return
        if left <= 0:
            delay = _parse_when(reset, self.clock())
            if delay is not None and delay > 0:
                self._not_before = self.clock() + min(delay, MAX_WAIT)

    def request(
        self,
        method: str,
        url: str,
        *,
        expect: tuple[int, ...] = (200,),
        **kwargs: Any,
    ) -> httpx.Response:
        """The response, with a status in `expect`; ConnectorError subclasses otherwise."""
        failure = ""
        for attempt in range(self.retries + 1):
            if self._not_before > self.clock():
                self._wait(self._not_before - self.clock(), "the platform's rate limit is used up")
            self.requests += 1
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TransportError as exc:
                failure = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                delay = None
            else:
                self._note_rate_limit(response)
                status = response.status_code
                if status in expect:
                    return response
                judged = self.on_error(response) if self.on_error is not None else None
                if judged is None and status == 401:
                    raise AuthError(
                        f"{url} refused the credentials (401): {_platform_message(response)}"
                    )
                if judged is None and status == 403:
                    raise PermissionDenied(
                        f"{url} does not allow this (403): {_platform_message(response)}"
                    )
                if judged is None and status != 429 and status < 500:
                    raise ConnectorError(
                        f"{method} {url} failed ({status}): {_platform_message(response)}"
                    )
                failure = f"HTTP {status}"
                if judged is not None:
                    failure += f": {_platform_message(response)}"
                header = response.headers.get("retry-after")
                delay = _parse_when(header, self.clock()) if header else judged or None
            if attempt == self.retries:
                break
            if delay is None:
                ceiling = min(self.max_backoff, self.backoff * 2**attempt)
                delay = random.uniform(0, ceiling)  # full jitter
            log.warning("%s %s: %s; retry %d in %.1f s", method, url, failure, attempt + 1, delay)
            self._wait(delay, failure)
        raise PlatformError(f"{method} {url} failed {self.retries + 1} times; last: {failure}")

    def get_json(self, url: str, **kwargs: Any) -> tuple[Any, httpx.Response]:
        response = self.request("GET", url, **kwargs)
        try:
            return response.json(), response
        except ValueError as exc:
            raise BadPayload(f"{url} did not answer with JSON: {response.text[:120]!r}") from exc
