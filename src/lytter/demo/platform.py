"""Recorded platform responses, shaped and paged exactly as each platform's API documents.

The payloads are the documented examples (`recorded/`, each naming its documentation page),
varied in id, time and text; the paging follows each API's documented rules. A real HTTP
server on 127.0.0.1 serves them: pytest-httpserver in the connector tests, werkzeug in
benchmarks/collect.py, and `serve_demo_platform` for the demo, so the connectors can be tried
(`lytter source test`, `lytter collect`) without a platform account or the internet.
"""

from __future__ import annotations

import bisect
import copy
import gzip
import json
import logging
import re
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from werkzeug import Request, Response
from werkzeug.serving import make_server

FIXTURES = Path(__file__).parent / "recorded"
DATA = Path(__file__).parent / "data"
logging.getLogger("werkzeug").setLevel(logging.WARNING)


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text("utf-8"))


def mastodon_status(
    n: int, *, start: datetime, text: str, reply_to: str | None = None
) -> dict[str, Any]:
    """The documented Status example as the n-th status of a timeline (ids ascend in time)."""
    status: dict[str, Any] = copy.deepcopy(fixture("mastodon_status.json")["status"])
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
    post: dict[str, Any] = copy.deepcopy(fixture("bluesky_post.json")["post"])
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


def _graph_time(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def facebook_post(n: int, *, page: str, start: datetime, text: str) -> dict[str, Any]:
    """The documented Page Post as the n-th post on `page` (later n, later time)."""
    post: dict[str, Any] = copy.deepcopy(fixture("facebook_post.json")["post"])
    local = f"9{int(page) % 100_000:05d}{n:09d}"  # object ids are unique across pages
    post["id"] = f"{page}_{local}"
    post["message"] = text
    post["created_time"] = _graph_time(start + timedelta(minutes=n))
    post["permalink_url"] = f"https://www.facebook.com/{page}/posts/{local}"
    if n % 5 == 4:  # a visitor's post on the page
        post["from"] = {"name": f"Besøgende {n}", "id": str(7_000_000_000_000 + n)}
    else:
        post["from"] = {**post["from"], "id": page}
    return post


def facebook_comment(
    n: int, *, post_id: str, start: datetime, text: str, parent: str | None = None
) -> dict[str, Any]:
    """The documented Comment as the n-th comment on `post_id`; a reply when `parent`."""
    comment: dict[str, Any] = copy.deepcopy(fixture("facebook_comment.json")["comment"])
    comment["id"] = f"{post_id.split('_')[-1]}_{5_000_000_000 + n}"
    comment["message"] = text
    comment["created_time"] = _graph_time(start + timedelta(seconds=n))
    comment["from"] = {"name": f"Person {n % 40}", "id": str(6_000_000_000_000 + n % 40)}
    comment["permalink_url"] = f"https://www.facebook.com/{post_id}?comment_id={n}"
    if parent:
        comment["parent"] = {"id": parent}
    return comment


def instagram_media(n: int, *, start: datetime, text: str) -> dict[str, Any]:
    media: dict[str, Any] = copy.deepcopy(fixture("instagram_media.json")["media"])
    media["id"] = str(17_895_000_000_000_000 + n)
    media["caption"] = text
    media["timestamp"] = _graph_time(start + timedelta(minutes=n))
    media["permalink"] = f"https://www.instagram.com/p/C{n:010d}/"
    return media


def instagram_comment(
    n: int, *, start: datetime, text: str, replies: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    comment: dict[str, Any] = copy.deepcopy(fixture("instagram_media.json")["comment"])
    comment["id"] = str(17_858_000_000_000_000 + n)
    comment["text"] = text
    comment["timestamp"] = _graph_time(start + timedelta(seconds=n))
    comment["username"] = f"kunde{n % 40}"
    comment["from"] = {"id": str(17_841_000_000_000_000 + n % 40), "username": f"kunde{n % 40}"}
    if replies is None:
        del comment["replies"]
    else:
        for reply in replies:
            reply["parent_id"] = comment["id"]
        comment["replies"] = {"data": replies}
    return comment


class GraphApi:
    """Meta's Graph API as documented, for the Facebook and Instagram connectors.

    Lists page with `paging.cursors` and a `next` URL carrying the request's parameters
    (https://developers.facebook.com/docs/graph-api/results); `since` filters a page's feed
    and an account's media by Unix time, newest first; comment counts are summaries of the
    comments held at the time of the request, so comments added later change them.
    Actions are recorded and answered as documented ({"id"} or {"success": true}).
    """

    def __init__(self, version: str = "v26.0") -> None:
        self.version = version
        self.feeds: dict[str, list[dict[str, Any]]] = {}
        self.media: dict[str, list[dict[str, Any]]] = {}
        self.comments: dict[str, list[dict[str, Any]]] = {}
        self.accounts: list[dict[str, Any]] = []
        self.requests: list[Request] = []
        self.actions: list[tuple[str, str, dict[str, str]]] = []
        self.failures: list[tuple[int, dict[str, Any]]] = []  # answered before anything else
        self.usage: str | None = None
        self._created = 0

    def serve(self, server: Any) -> None:
        """Answer every Graph API path on a pytest-httpserver HTTPServer."""
        for method in ("GET", "POST", "DELETE"):
            server.expect_request(
                re.compile(rf"/{re.escape(self.version)}/.*"), method=method
            ).respond_with_handler(self.handler)

    def base(self, server_url: str) -> str:
        return f"{server_url.rstrip('/')}/{self.version}"

    def _page(self, request: Request, items: list[dict[str, Any]]) -> Response:
        limit = min(int(request.args.get("limit", 25)), 100)
        after = request.args.get("after")
        offset = int(after.removeprefix("QVFI")) if after else 0
        page = items[offset : offset + limit]
        body: dict[str, Any] = {"data": page}
        if page:
            cursors = {"before": f"QVFI{offset}", "after": f"QVFI{offset + len(page)}"}
            body["paging"] = {"cursors": cursors}
            if offset + limit < len(items):
                args = {**request.args.to_dict(), "after": cursors["after"]}
                query = "&".join(f"{k}={quote(str(v), safe='')}" for k, v in args.items())
                body["paging"]["next"] = f"{request.base_url}?{query}"
        return self._json(body)

    def _json(self, body: Any, status: int = 200) -> Response:
        headers = {"X-App-Usage": self.usage} if self.usage else {}
        return Response(
            json.dumps(body), status=status, content_type="application/json", headers=headers
        )

    def _since(self, request: Request, items: list[dict[str, Any]], key: str) -> list[Any]:
        since = request.args.get("since")
        floor = datetime.fromtimestamp(int(since), UTC) if since else None
        chosen = [
            i
            for i in items
            if floor is None or datetime.fromisoformat(i[key].replace("+0000", "+00:00")) >= floor
        ]
        return sorted(chosen, key=lambda i: i[key], reverse=True)

    def _with_counts(self, post: dict[str, Any]) -> dict[str, Any]:
        total = len(self.comments.get(post["id"], []))
        if "comments_count" in post:  # Instagram media
            replies = sum(
                len(c.get("replies", {}).get("data", [])) for c in self.comments.get(post["id"], [])
            )
            return {**post, "comments_count": total + replies}
        summary = {"order": "ranked", "total_count": total, "can_comment": True}
        return {**post, "comments": {"data": [], "summary": summary}}

    def handler(self, request: Request) -> Response:
        self.requests.append(request)
        if self.failures:
            status, body = self.failures.pop(0)
            return self._json(body, status)
        parts = request.path.strip("/").split("/")[1:]  # without the version
        if request.method == "GET":
            if parts == ["me", "accounts"]:
                return self._page(request, self.accounts)
            node, edge = parts[0], parts[1] if len(parts) > 1 else ""
            if edge == "feed":
                posts = self._since(request, self.feeds.get(node, []), "created_time")
                return self._page(request, [self._with_counts(p) for p in posts])
            if edge == "media":
                media = self._since(request, self.media.get(node, []), "timestamp")
                return self._page(request, [self._with_counts(m) for m in media])
            if edge == "comments":
                comments = self.comments.get(node, [])
                key = "created_time" if comments and "created_time" in comments[0] else "timestamp"
                newest_first = request.args.get("order") == "reverse_chronological"
                ordered = sorted(comments, key=lambda c: c[key], reverse=newest_first)
                return self._page(request, ordered)
            return self._json({"error": {"message": "Unknown path", "code": 803}}, 404)
        form = request.form.to_dict()
        self.actions.append((request.method, "/".join(parts), form))
        if request.method == "POST" and parts[-1] in ("comments", "replies"):
            self._created += 1
            return self._json({"id": f"{parts[0]}_{8_000_000_000 + self._created}"})
        if request.method == "POST" and parts[-1] == "messages":  # a private reply
            comment = json.loads(form.get("recipient", "{}")).get("comment_id")
            author = next(
                (
                    c.get("from", {}).get("id")
                    for thread in self.comments.values()
                    for c in thread
                    if c.get("id") == comment
                ),
                None,
            )
            if author is None:
                error = {"message": "(#100) No matching user found", "code": 100}
                return self._json({"error": error}, 400)
            self._created += 1
            return self._json({"recipient_id": author, "message_id": f"m_{self._created}"})
        if request.method == "POST" and parts[-1] == "blocked":
            return self._json({form.get("user", "?"): True})
        return self._json({"success": True})


# -- the demo's platform -----------------------------------------------------------------------

DEMO_PAGE = "100000000000001"
DEMO_PLATFORM_PORT = 8765
DEMO_OUTLET = "DR"


def demo_graph(now: datetime) -> GraphApi:
    """A Facebook page for the demo: the bundled real comments on one outlet's posts
    (political_comments.jsonl.gz, see demo/data/ATTRIBUTION.md), re-timed into the last three
    days so that they fall inside a collection's window. Each article thread is a post."""
    with gzip.open(DATA / "political_comments.jsonl.gz", "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    threads: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row.get("source") == DEMO_OUTLET and row.get("platform") == "facebook":
            threads.setdefault(str(row["root_id"]), []).append(row)
    graph = GraphApi()
    start = now - timedelta(days=3)
    posts = []
    every = (timedelta(days=3) - timedelta(hours=2)) / max(1, len(threads))
    for n, (root, comments) in enumerate(sorted(threads.items())):
        post = facebook_post(n, page=DEMO_PAGE, start=start, text="")
        when = start + every * n
        topic = str(comments[0].get("topic") or "").strip()
        post |= {
            "message": f"{DEMO_OUTLET}: {topic or 'debat'} — hvad mener du?",
            "created_time": _graph_time(when),
            "from": {"name": f"{DEMO_OUTLET} (demo)", "id": DEMO_PAGE},
            "permalink_url": comments[0].get("url") or post["permalink_url"],
        }
        posts.append(post)
        graph.comments[post["id"]] = [
            facebook_comment(k, post_id=post["id"], start=when, text=c["text"])
            | {"id": f"{post['id'].split('_')[1]}_{root}{k:04d}"}
            for k, c in enumerate(comments)
            if when + timedelta(seconds=k * 420) < now
        ]
        for k, comment in enumerate(graph.comments[post["id"]]):
            comment["created_time"] = _graph_time(when + timedelta(seconds=k * 420))
    graph.feeds[DEMO_PAGE] = posts
    return graph


class DemoPlatform:
    """The demo's platform as one WSGI app: a Facebook page at /v26.0 (Graph API) and an RSS
    feed at /feeds/nyheder.xml."""

    def __init__(self, now: datetime | None = None) -> None:
        self.graph = demo_graph(now or datetime.now(UTC))
        self.feed = (FIXTURES / "rss2.xml").read_bytes()

    def __call__(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        if request.path.startswith(f"/{self.graph.version}/"):
            response = self.graph.handler(request)
        elif request.path == "/feeds/nyheder.xml":
            response = Response(self.feed, content_type="application/rss+xml; charset=utf-8")
        else:
            response = Response("not found", status=404)
        return response(environ, start_response)


def serve_demo_platform(host: str = "127.0.0.1", port: int = DEMO_PLATFORM_PORT) -> Any:
    """Serve the demo's platform in a background thread; returns the server (`.shutdown()`)."""
    server = make_server(host, port, DemoPlatform(), threaded=True)
    threading.Thread(target=server.serve_forever, name="demo-platform", daemon=True).start()
    return server
