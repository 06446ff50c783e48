"""Recorded platform responses, served by a real HTTP server on 127.0.0.1 (pytest-httpserver).

The payloads are the documented examples (fixtures/, each naming its documentation page),
varied in id, time and text; the paging follows each API's documented rules. Used by the
connector tests and by benchmarks/collect.py.
"""

from __future__ import annotations

import bisect
import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from werkzeug import Request, Response

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text("utf-8"))


def mastodon_status(
    n: int, *, start: datetime, text: str, reply_to: str | None = None
) -> dict[str, Any]:
    """The documented Status example as the n-th status of a timeline (ids ascend in time)."""
    status = copy.deepcopy(fixture("mastodon_status.json")["status"])
    when = start + timedelta(seconds=n)
    status_id = str((int(when.timestamp() * 1000) << 16) + n % 65536)
    status["id"] = status_id
    status["created_at"] = when.isoformat().replace("+00:00", "Z")
    status["uri"] = f"https://mastodon.social/users/Gargron/statuses/{status_id}"
    status["url"] = f"https://mastodon.social/@Gargron/{status_id}"
    status["content"] = f"<p>{text}</p>"
    status["in_reply_to_id"] = reply_to
    status["account"] = {**status["account"], "id": str(100 + n % 50), "acct": f"user{n % 50}"}
    return status


class MastodonTimeline:
    """GET /api/v1/timelines/tag/:tag as Mastodon pages it: `min_id` gives the statuses
    immediately newer than it, newest first, at most `limit` (40); Link and rate-limit
    headers as documented (https://docs.joinmastodon.org/api/guidelines/#pagination,
    https://docs.joinmastodon.org/api/rate-limits/)."""

    def __init__(self, statuses: list[dict[str, Any]], *, remaining: int = 299) -> None:
        self.statuses = sorted(statuses, key=lambda s: int(s["id"]))
        self.ids = [int(s["id"]) for s in self.statuses]
        self.remaining = remaining
        self.requests: list[Request] = []

    def handler(self, request: Request) -> Response:
        self.requests.append(request)
        limit = min(int(request.args.get("limit", 20)), 40)
        min_id = int(request.args.get("min_id", "0"))
        start = bisect.bisect_right(self.ids, min_id)
        page = list(reversed(self.statuses[start : start + limit]))
        headers = {
            "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": (datetime.now(UTC) + timedelta(minutes=5)).isoformat(),
        }
        if page:
            base = request.base_url
            headers["Link"] = (
                f'<{base}?max_id={page[-1]["id"]}>; rel="next", '
                f'<{base}?min_id={page[0]["id"]}>; rel="prev"'
            )
        return Response(json.dumps(page), content_type="application/json", headers=headers)


def bluesky_post(n: int, *, start: datetime, text: str) -> dict[str, Any]:
    """The documented postView as the n-th post (later n, later time)."""
    post = copy.deepcopy(fixture("bluesky_post.json")["post"])
    when = start + timedelta(seconds=n)
    post["uri"] = f"at://did:plc:user{n % 30}/app.bsky.feed.post/3l{n:011d}"
    post["cid"] = f"bafyrei{n:020d}"
    post["author"] = {
        **post["author"],
        "did": f"did:plc:user{n % 30}",
        "handle": f"user{n % 30}.bsky.social",
    }
    post["record"] = {
        **post["record"],
        "text": text,
        "createdAt": when.isoformat().replace("+00:00", "Z"),
    }
    post["indexedAt"] = post["record"]["createdAt"]
    return post


class BlueskySearch:
    """GET /xrpc/app.bsky.feed.searchPosts as documented: newest first with sort=latest,
    `since` inclusive, at most `limit` (100) per page, an opaque `cursor` while more remain."""

    def __init__(self, posts: list[dict[str, Any]]) -> None:
        self.posts = sorted(posts, key=lambda p: p["record"]["createdAt"], reverse=True)
        self.requests: list[Request] = []
        self._since: dict[str, list[dict[str, Any]]] = {}

    def handler(self, request: Request) -> Response:
        self.requests.append(request)
        limit = min(int(request.args.get("limit", 25)), 100)
        since = request.args.get("since", "")
        matching = self._since.get(since)
        if matching is None:
            matching = [p for p in self.posts if p["record"]["createdAt"] >= since]
            self._since[since] = matching
        offset = int(request.args.get("cursor", "0"))
        page = matching[offset : offset + limit]
        body: dict[str, Any] = {"hitsTotal": len(matching), "posts": page}
        if offset + limit < len(matching):
            body["cursor"] = str(offset + limit)
        return Response(json.dumps(body), content_type="application/json")
