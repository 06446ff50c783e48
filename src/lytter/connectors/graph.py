"""What the Facebook and Instagram connectors share: Meta's Graph API.

- Errors come as HTTP 400 with `{"error": {"message", "type", "code", "error_subcode",
  "fbtrace_id"}}` (https://developers.facebook.com/docs/graph-api/guides/error-handling):
  code 190 (and 102) is an expired or invalid token, 10 and 200-299 a missing permission,
  4, 17, 32, 613 and 80001-80014 a rate limit, 1 and 2 a passing failure worth a retry.
- Usage headers (https://developers.facebook.com/docs/graph-api/overview/rate-limiting):
  `X-App-Usage` and `X-Page-Usage` give percentages of the allowance used;
  `X-Business-Use-Case-Usage` adds `estimated_time_to_regain_access` in minutes. At 100 % the
  next call waits, for that estimate or a minute, rather than being refused.
- Lists page with `{"data": [...], "paging": {"cursors": {"before", "after"}, "next"}}`
  (https://developers.facebook.com/docs/graph-api/results): `next` is followed until absent.
- Times are ISO 8601 with a `+0000` offset.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import httpx2 as httpx

from lytter.connectors.base import (
    AuthError,
    BadPayload,
    BaseConnector,
    ConnectorError,
    Page,
    PermissionDenied,
    SettingsError,
)
from lytter.connectors.http import Http
from lytter.domain.posts import PostDraft

log = logging.getLogger("lytter.connectors.graph")

GRAPH = "https://graph.facebook.com"
VERSION = "v26.0"
TOKEN_CODES = frozenset({102, 190})
PERMISSION_CODES = frozenset({3, 10, *range(200, 300)})
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80001, 80015)})
TRANSIENT_CODES = frozenset({1, 2})
RATE_LIMIT_WAIT = 60.0
DEFAULT_BACKFILL = timedelta(days=7)
DEFAULT_WATCH_DAYS = 3


def graph_time(value: Any) -> datetime:
    """A Graph API time: '2026-11-20T09:00:00+0000', or Unix seconds (webhooks)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    if not isinstance(value, str):
        raise ValueError(f"time is {value!r}")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def summary_count(value: Any) -> int | None:
    """`reactions.summary(total_count)` and the like: {"data": [], "summary": {...}}."""
    if isinstance(value, dict) and isinstance(value.get("summary"), dict):
        return count(value["summary"].get("total_count"))
    return None


def _graph_error(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else None


def judge_error(response: httpx.Response) -> float | None:
    """Http's error hook for the Graph API: raise for what a retry cannot mend, return the
    seconds to wait before retrying a rate limit or a passing failure, or None to let Http
    judge by the status alone."""
    error = _graph_error(response)
    if error is None:
        return None
    code = error.get("code")
    message = str(error.get("message") or "")[:300]
    trace = error.get("fbtrace_id")
    where = f" (code {code}{f', fbtrace_id {trace}' if trace else ''})"
    if code in TOKEN_CODES:
        raise AuthError(f"the access token is invalid or has expired: {message}{where}")
    if code in PERMISSION_CODES:
        raise PermissionDenied(f"the token may not do this: {message}{where}")
    if code in RATE_LIMIT_CODES:
        return RATE_LIMIT_WAIT
    if code in TRANSIENT_CODES or error.get("is_transient"):
        return 0.0
    if response.status_code < 500:
        raise ConnectorError(f"the Graph API refused: {message}{where}")
    return None


def usage_wait(response: httpx.Response) -> float | None:
    """Http's response hook: seconds to hold back when the usage headers say 100 %."""
    worst = 0.0
    regain = 0.0
    for name in ("x-app-usage", "x-page-usage", "x-ad-account-usage"):
        raw = response.headers.get(name)
        if raw:
            try:
                usage = json.loads(raw)
            except ValueError:
                continue
            if isinstance(usage, dict):
                worst = max([worst, *(float(v) for v in usage.values() if _number(v))])
    raw = response.headers.get("x-business-use-case-usage")
    if raw:
        try:
            buc = json.loads(raw)
        except ValueError:
            buc = None
        if isinstance(buc, dict):
            for entries in buc.values():
                for entry in entries if isinstance(entries, list) else []:
                    if not isinstance(entry, dict):
                        continue
                    for key in ("call_count", "total_cputime", "total_time"):
                        if _number(entry.get(key)):
                            worst = max(worst, float(entry[key]))
                    minutes = entry.get("estimated_time_to_regain_access")
                    if isinstance(minutes, int | float) and not isinstance(minutes, bool):
                        regain = max(regain, float(minutes) * 60)
    if regain > 0:
        return regain
    if worst >= 100:
        return RATE_LIMIT_WAIT
    return None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Graph:
    """A Graph API client over a connector's Http: the base URL, the token, paging."""

    def __init__(self, http: Http, token: str | None, base: str | None = None) -> None:
        self.http = http
        self.base = (base or f"{GRAPH}/{VERSION}").rstrip("/")
        if not self.base.startswith(("http://", "https://")):
            raise ValueError(f"the Graph API's address must be an http(s) URL, not {self.base!r}")
        http.on_error = judge_error
        http.on_response = usage_wait
        if token:
            # The token goes in a header, never in a URL that could end up in a log.
            http.client.headers["Authorization"] = f"Bearer {token}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        body, _ = self.http.get_json(self.url(path), params=params)
        if not isinstance(body, dict):
            raise BadPayload(f"{path} answered {type(body).__name__}, not an object")
        return body

    def pages(self, path: str, **params: Any) -> Iterator[list[dict[str, Any]]]:
        """Each page of a list edge, following `paging.next` until there is none."""
        url: str | None = self.url(path)
        query: Mapping[str, Any] | None = params
        seen: set[str] = set()
        while url:
            body, _ = self.http.get_json(url, params=query)
            if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                raise BadPayload(f"{path} answered without a 'data' list: {str(body)[:120]}")
            yield [item for item in body["data"] if isinstance(item, dict)]
            paging = body.get("paging")
            following = paging.get("next") if isinstance(paging, dict) else None
            if not isinstance(following, str) or not body["data"]:
                return
            if following in seen:
                raise BadPayload(f"{path} returned the same next page again: stopping")
            seen.add(following)
            url, query = following, None

    def post(self, path: str, **data: Any) -> dict[str, Any]:
        response = self.http.request("POST", self.url(path), data=data)
        return self._object(path, response)

    def delete(self, path: str) -> dict[str, Any]:
        response = self.http.request("DELETE", self.url(path))
        return self._object(path, response)

    @staticmethod
    def _object(path: str, response: httpx.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError as exc:
            raise BadPayload(f"{path} did not answer with JSON") from exc
        if not isinstance(body, dict):
            raise BadPayload(f"{path} answered {type(body).__name__}, not an object")
        if body.get("success") is False:
            raise ConnectorError(f"the Graph API did not carry out {path}: {body}")
        return body


class WatchedAccount(BaseConnector):
    """What the Facebook and Instagram connectors share: an account named by its numeric id
    (`id_setting`), read with a token over a watch window (`watch_days`, default 3) that
    starts at `since` the first time; `graph` overrides the API's address."""

    id_setting: ClassVar[str] = "page"
    needs: ClassVar[str] = "a Graph API source needs the account's numeric id"

    def __init__(
        self, settings: Mapping[str, Any], secret: str | None = None, http: Http | None = None
    ) -> None:
        self.account = str(settings.get(self.id_setting) or "").strip()
        if not self.account.isdigit():
            raise SettingsError(f"{self.needs}, not {self.account!r}")
        if not secret:
            raise AuthError(f"a {self.platform.capitalize()} source is read with an access token")
        try:
            watch = int(settings.get("watch_days") or DEFAULT_WATCH_DAYS)
        except (TypeError, ValueError):
            raise SettingsError("watch_days must be a whole number of days") from None
        if not 1 <= watch <= 90:
            raise SettingsError(f"watch_days must be between 1 and 90, not {watch}")
        self.watch = timedelta(days=watch)
        self.since = settings.get("since")
        self.name = str(settings.get("name") or self.account)
        self.http = http or Http()
        try:
            self.graph = Graph(self.http, secret, settings.get("graph"))
        except ValueError as exc:
            raise SettingsError(str(exc)) from None
        self.clock = datetime.now

    @classmethod
    def external_id(cls, settings: Mapping[str, Any]) -> str:
        return str(settings.get(cls.id_setting) or "").strip()

    def start(self, cursor: Any) -> datetime:
        """Where this collection's window starts: the watch window, or further back when the
        last completed collection is older than it; `since` (default a week) the first time."""
        now = self.clock(UTC)
        if isinstance(cursor, dict) and cursor.get("newest"):
            return min(now - self.watch, graph_time(cursor["newest"]))
        if isinstance(self.since, str) and self.since:
            return datetime.fromisoformat(self.since).replace(tzinfo=UTC)
        return now - DEFAULT_BACKFILL


def epoch(when: datetime) -> int:
    return int(when.timestamp())


def walk_window(
    cursor: Any,
    start: datetime,
    posts: Iterable[list[PostDraft]],
    comments: Callable[[PostDraft], Iterator[list[PostDraft]]],
    *,
    newest_first: bool,
) -> Iterator[Page]:
    """A collection over a watch window, for platforms whose comments hang under posts.

    `posts` are the pages of posts since `start`; each post's comment count is its
    `engagement.comments`. Only a post whose count differs from the cursor's has its
    `comments` read, and only comments newer than the newest one seen are kept; with
    `newest_first` the reading stops at the first comment already seen.

    The cursor is `{"newest": the newest post time when the last walk completed, "posts":
    {post id: [comment count, newest comment time]}}`. Every page carries it, updated for a
    post only when all its new comments are stored; the last (empty) page moves `newest` on
    and forgets the posts that left the window.
    """
    state = cursor if isinstance(cursor, dict) else {}
    known: dict[str, list[Any]] = dict(state.get("posts") or {})
    newest = graph_time(state["newest"]) if state.get("newest") else start
    watched: dict[str, list[Any]] = {}

    def mark() -> dict[str, Any]:
        return {"newest": state.get("newest"), "posts": {**known, **watched}}

    for drafts in posts:
        newest = max([newest, *(d.created_at for d in drafts)])
        for d in drafts:
            watched[d.external_id] = list(known.get(d.external_id, [0, None]))
        # The posts first, with the cursor as it was: their comments are not read yet.
        yield Page(drafts, mark())
        for post in drafts:
            total = post.engagement.comments or 0
            seen_count, seen_time = watched[post.external_id]
            if total == seen_count:
                continue
            floor = graph_time(seen_time) if seen_time else None
            latest = floor
            for page in comments(post):
                fresh = [d for d in page if floor is None or d.created_at > floor]
                if fresh:
                    top = max(d.created_at for d in fresh)
                    latest = top if latest is None or top > latest else latest
                if newest_first and len(fresh) < len(page):
                    yield Page(fresh, mark())
                    break
                yield Page(fresh, mark())
            watched[post.external_id] = [total, latest.isoformat() if latest else None]
    # The walk is complete: the window moves on, and posts that left it are forgotten.
    yield Page([], {"newest": newest.isoformat(), "posts": watched})
