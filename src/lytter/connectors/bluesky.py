"""Bluesky (AT Protocol): searches and author feeds; reply and block.

API: https://docs.bsky.app/docs/api/app-bsky-feed-search-posts (GET
/xrpc/app.bsky.feed.searchPosts: q, sort=latest, since, limit <= 100, cursor),
https://docs.bsky.app/docs/api/app-bsky-feed-get-author-feed (actor, limit, cursor),
https://docs.bsky.app/docs/api/app-bsky-feed-get-post-thread (uri, depth: a thread's replies),
https://docs.bsky.app/docs/api/com-atproto-server-create-session (an app password) and
https://docs.bsky.app/docs/api/com-atproto-repo-create-record (a reply post, a block).

Both feeds page backwards in time with an opaque `cursor`. A collection walks from the newest
post back to the last collection's newest; the stored cursor keeps the page position during
the walk (so a crash goes on from that page) and only when the walk is complete moves on to the
newest post seen. Posts are stored by their `at://` URI, which is global.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from lytter.connectors.base import (
    AuthError,
    BadPayload,
    BaseConnector,
    Capability,
    Page,
    SettingsError,
    Target,
)
from lytter.connectors.http import Http
from lytter.domain.posts import AuthorRef, Engagement, PostDraft, SourceRef

log = logging.getLogger("lytter.connectors.bluesky")

MAPPER = "bluesky/1"
PAGE_SIZE = 100
MODES = ("search", "author", "thread")
PUBLIC = "https://public.api.bsky.app"
DEFAULT_BACKFILL = timedelta(days=7)


def _time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"time is {value!r}")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and value >= 0 else None


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class BlueskyConnector(BaseConnector):
    """Settings: `mode` `search` with `query`, or `author` with `actor` (a handle or DID);
    `service` (default the public AppView); `since`. The secret, needed for the actions, is
    `handle:app-password`, used against `pds` (default https://bsky.social)."""

    platform: ClassVar[str] = "bluesky"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.REPLY, Capability.BLOCK_AUTHOR}
    )

    def __init__(
        self, settings: Mapping[str, Any], secret: str | None = None, http: Http | None = None
    ) -> None:
        self.mode = str(settings.get("mode") or "search")
        if self.mode not in MODES:
            raise SettingsError(f"unknown Bluesky mode '{self.mode}': use {', '.join(MODES)}")
        self.query = str(settings.get("query") or "").strip()
        self.actor = str(settings.get("actor") or "").lstrip("@").strip()
        if self.mode == "search" and not self.query:
            raise SettingsError("a Bluesky search source needs --query")
        if self.mode == "author" and not self.actor:
            raise SettingsError("a Bluesky author source needs --actor")
        self.uri = str(settings.get("uri") or "").strip()
        if self.mode == "thread" and not self.uri.startswith("at://"):
            raise SettingsError(
                f"a Bluesky thread source needs the post's at:// URI, not {self.uri!r}"
            )
        self.service = str(settings.get("service") or PUBLIC).rstrip("/")
        self.pds = str(settings.get("pds") or "https://bsky.social").rstrip("/")
        for url in (self.service, self.pds):
            if not url.startswith(("http://", "https://")):
                raise SettingsError(f"a Bluesky service must be an http(s) URL, not {url!r}")
        self.since = settings.get("since")
        self.name = str(settings.get("name") or self.external_id(settings))
        self.secret = secret
        self.http = http or Http()
        self._session: dict[str, Any] | None = None

    @staticmethod
    def external_id(settings: Mapping[str, Any]) -> str:
        if str(settings.get("mode") or "search") == "thread":
            return "thread:" + str(settings.get("uri") or "").strip()
        if str(settings.get("mode") or "search") == "author":
            return "author:" + str(settings.get("actor") or "").lstrip("@").lower()
        return "search:" + str(settings.get("query") or "").strip()

    # -- collecting --------------------------------------------------------------------------

    def _floor(self, cursor: Any) -> datetime:
        if isinstance(cursor, dict) and cursor.get("since"):
            return _time(cursor["since"])
        if isinstance(self.since, str) and self.since:
            return datetime.fromisoformat(self.since).replace(tzinfo=UTC)
        return datetime.now(UTC) - DEFAULT_BACKFILL

    def collect(self, cursor: Any) -> Iterator[Page]:
        if self.mode == "thread":
            yield self._thread(cursor)
            return
        floor = self._floor(cursor)
        state = cursor if isinstance(cursor, dict) else {}
        page_cursor = state.get("page")
        newest = _time(state["newest"]) if state.get("newest") else floor
        source = SourceRef(self.external_id_of_self(), self.name, None)
        while True:
            items, next_cursor = self._fetch(floor, page_cursor)
            drafts = [d for item in items if (d := self._draft(item, source)) is not None]
            fresh = [d for d in drafts if d.created_at >= floor]
            if fresh:
                newest = max(newest, max(d.created_at for d in fresh))
            done = not next_cursor or len(fresh) < len(drafts) or not items
            if next_cursor and next_cursor == page_cursor:
                raise BadPayload(f"{self.service} returned the same cursor again: stopping")
            if done:
                yield Page(sorted(fresh, key=lambda d: d.created_at), {"since": _iso(newest)})
                return
            state_out = {"since": _iso(floor), "page": next_cursor, "newest": _iso(newest)}
            yield Page(sorted(fresh, key=lambda d: d.created_at), state_out)
            page_cursor = next_cursor

    def _fetch(self, floor: datetime, page_cursor: str | None) -> tuple[list[Any], str | None]:
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        if page_cursor:
            params["cursor"] = page_cursor
        if self.mode == "search":
            url = f"{self.service}/xrpc/app.bsky.feed.searchPosts"
            params.update(q=self.query, sort="latest", since=_iso(floor))
            body, _ = self.http.get_json(url, params=params)
            items = body.get("posts") if isinstance(body, dict) else None
        else:
            url = f"{self.service}/xrpc/app.bsky.feed.getAuthorFeed"
            params["actor"] = self.actor
            body, _ = self.http.get_json(url, params=params)
            feed = body.get("feed") if isinstance(body, dict) else None
            items = (
                [f.get("post") for f in feed if isinstance(f, dict)]
                if isinstance(feed, list)
                else None
            )
        if not isinstance(items, list):
            raise BadPayload(f"{url} answered without a list of posts")
        next_cursor = body.get("cursor") if isinstance(body.get("cursor"), str) else None
        return items, next_cursor

    def _thread(self, cursor: Any) -> Page:
        """A thread's posts (the root and every reply) newer than the last collection's newest:
        one request, one page."""
        floor = (
            _time(cursor["since"])
            if isinstance(cursor, dict) and cursor.get("since")
            else datetime.min.replace(tzinfo=UTC)
        )
        url = f"{self.service}/xrpc/app.bsky.feed.getPostThread"
        body, _ = self.http.get_json(url, params={"uri": self.uri, "depth": 1000})
        thread = body.get("thread") if isinstance(body, dict) else None
        if not isinstance(thread, dict):
            raise BadPayload(f"{url} answered without a thread")
        source = SourceRef(self.external_id_of_self(), self.name, None)
        views: list[Any] = []
        todo = [thread]
        while todo:
            node = todo.pop()
            if isinstance(node, dict) and isinstance(node.get("post"), dict):
                views.append(node["post"])  # not-found and blocked posts have no post
                replies = node.get("replies")
                todo.extend(replies if isinstance(replies, list) else [])
        drafts = [d for v in views if (d := self._draft(v, source)) is not None]
        fresh = sorted((d for d in drafts if d.created_at > floor), key=lambda d: d.created_at)
        newest = max([floor, *(d.created_at for d in fresh)])
        return Page(fresh, {"since": _iso(newest)} if fresh or cursor else None)

    def external_id_of_self(self) -> str:
        return self.external_id(
            {"mode": self.mode, "query": self.query, "actor": self.actor, "uri": self.uri}
        )

    def _draft(self, view: Any, source: SourceRef) -> PostDraft | None:
        if not isinstance(view, dict):
            return None
        try:
            record = view["record"]
            author = view["author"]
            reply = record.get("reply") or {}
            handle = str(author["handle"])
            rkey = str(view["uri"]).rsplit("/", 1)[-1]
            return PostDraft(
                platform=self.platform,
                external_id=str(view["uri"]),
                text=str(record.get("text") or ""),
                created_at=_time(record.get("createdAt") or view.get("indexedAt")),
                author=AuthorRef(handle, author.get("displayName") or None),
                source=source,
                root_id=(reply.get("root") or {}).get("uri"),
                parent_id=(reply.get("parent") or {}).get("uri"),
                language=(record.get("langs") or [None])[0],
                url=f"https://bsky.app/profile/{handle}/post/{rkey}",
                engagement=Engagement(
                    likes=_count(view.get("likeCount")),
                    comments=_count(view.get("replyCount")),
                    shares=_count(view.get("repostCount")),
                ),
                raw=view,
                mapper=MAPPER,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("skipped a post that does not read as one (%s): %.200r", exc, view)
            return None

    # -- actions -----------------------------------------------------------------------------

    def _login(self) -> dict[str, Any]:
        if self._session is None:
            if not self.secret or ":" not in self.secret:
                raise AuthError("Bluesky actions need the secret 'handle:app-password'")
            identifier, password = self.secret.split(":", 1)
            response = self.http.request(
                "POST",
                f"{self.pds}/xrpc/com.atproto.server.createSession",
                json={"identifier": identifier, "password": password},
            )
            session = response.json()
            if not isinstance(session, dict) or not session.get("accessJwt"):
                raise BadPayload("createSession answered without an access token")
            self._session = session
        return self._session

    def _create(self, collection: str, record: dict[str, Any]) -> dict[str, Any]:
        session = self._login()
        response = self.http.request(
            "POST",
            f"{self.pds}/xrpc/com.atproto.repo.createRecord",
            json={"repo": session["did"], "collection": collection, "record": record},
            headers={"Authorization": f"Bearer {session['accessJwt']}"},
        )
        created: dict[str, Any] = response.json()
        return created

    def reply(self, target: Target, text: str) -> str:
        view = target.raw
        parent = {"uri": view.get("uri", target.external_id), "cid": view.get("cid")}
        root = (view.get("record") or {}).get("reply", {}).get("root") or parent
        record = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": _iso(datetime.now(UTC)),
            "reply": {"root": root, "parent": parent},
        }
        return str(self._create("app.bsky.feed.post", record)["uri"])

    def block_author(self, target: Target) -> None:
        author = target.raw.get("author")
        did = author.get("did") if isinstance(author, dict) else None
        if not did:
            raise BadPayload("the post's payload does not name its author's DID")
        record = {
            "$type": "app.bsky.graph.block",
            "subject": did,
            "createdAt": _iso(datetime.now(UTC)),
        }
        self._create("app.bsky.graph.block", record)
