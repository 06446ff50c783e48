"""Facebook Pages (Graph API): page posts, visitor posts, comments and replies; reply, hide,
delete, block; and the `feed` webhook.

API: https://developers.facebook.com/docs/graph-api/reference/page/feed (GET /{page-id}/feed:
the page's own posts and visitors' posts, newest first, `since` as Unix time),
https://developers.facebook.com/docs/graph-api/reference/object/comments (GET
/{post-id}/comments with `filter=stream` for replies too, `order=reverse_chronological`; POST
to reply), https://developers.facebook.com/docs/graph-api/reference/comment (POST
`is_hidden`, DELETE), https://developers.facebook.com/docs/graph-api/reference/page/blocked
(POST /{page-id}/blocked), https://developers.facebook.com/docs/graph-api/reference/user/accounts
(GET /me/accounts: a user's pages with their page tokens) and
https://developers.facebook.com/docs/graph-api/webhooks/reference/page/#feed (the webhook).

A collection reads the page's feed over a watch window (default the last three days, further
back when the last collection is older), with each post's comment count. Only the posts whose
count changed have their comments read, newest first, down to the newest one already seen. The
cursor keeps, per post in the window, the count and newest comment time seen, and is stored
with each page of posts, so an interrupted collection reads again only what it had not stored.
Comments on posts older than the window arrive by the webhook.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar
from urllib.parse import quote

from lytter.connectors.base import (
    BadPayload,
    Capability,
    Page,
    Target,
)
from lytter.connectors.graph import (
    WatchedAccount,
    count,
    epoch,
    graph_time,
    summary_count,
    walk_window,
)
from lytter.domain.posts import AuthorRef, Engagement, PostDraft, SourceRef

log = logging.getLogger("lytter.connectors.facebook")

MAPPER = "facebook/1"
FEED_LIMIT = 100
COMMENT_LIMIT = 100
POST_FIELDS = (
    "id,message,story,created_time,from{id,name},permalink_url,status_type,shares,"
    "reactions.summary(total_count).limit(0),comments.filter(stream).summary(total_count).limit(0)"
)
COMMENT_FIELDS = (
    "id,message,created_time,from{id,name},parent{id},like_count,comment_count,is_hidden,"
    "permalink_url,attachment{type,url}"
)
PAGE_FIELDS = "id,name,access_token,category,tasks"


class FacebookConnector(WatchedAccount):
    """Settings: `page` (the page's id), `since` (the first collection's start), `watch_days`
    (how long a post's comments are polled; default 3), `graph` (the API's address, default
    https://graph.facebook.com/v26.0). The secret is the page's access token (a page token
    with pages_read_engagement, pages_read_user_content and pages_manage_engagement)."""

    id_setting: ClassVar[str] = "page"
    needs: ClassVar[str] = "a Facebook source needs the page's numeric id"
    platform: ClassVar[str] = "facebook"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.REPLY,
            Capability.PRIVATE_REPLY,
            Capability.HIDE,
            Capability.UNHIDE,
            Capability.DELETE,
            Capability.BLOCK_AUTHOR,
            Capability.UNBLOCK_AUTHOR,
        }
    )

    def collect(self, cursor: Any) -> Iterator[Page]:
        start = self.start(cursor)
        source = SourceRef(self.account, self.name, f"https://www.facebook.com/{self.account}")
        posts = (
            [d for item in items if (d := self.post_draft(item, source)) is not None]
            for items in self.graph.pages(
                f"{self.account}/feed", fields=POST_FIELDS, since=epoch(start), limit=FEED_LIMIT
            )
        )

        def comments(post: PostDraft) -> Iterator[list[PostDraft]]:
            for items in self.graph.pages(
                f"{post.external_id}/comments",
                fields=COMMENT_FIELDS,
                filter="stream",
                order="reverse_chronological",
                limit=COMMENT_LIMIT,
            ):
                yield [d for i in items if (d := self.comment_draft(i, post, source)) is not None]

        return walk_window(cursor, start, posts, comments, newest_first=True)

    def post_draft(self, item: Mapping[str, Any], source: SourceRef) -> PostDraft | None:
        try:
            author = item.get("from") or {}
            return PostDraft(
                platform=self.platform,
                external_id=str(item["id"]),
                text=str(item.get("message") or item.get("story") or ""),
                created_at=graph_time(item.get("created_time")),
                author=AuthorRef(str(author["id"]), author.get("name")) if author else None,
                source=source,
                url=item.get("permalink_url"),
                engagement=Engagement(
                    likes=summary_count(item.get("reactions")),
                    comments=summary_count(item.get("comments")),
                    shares=count((item.get("shares") or {}).get("count")),
                ),
                raw=dict(item),
                mapper=MAPPER,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("skipped a post that does not read as one (%s): %.200r", exc, item)
            return None

    def comment_draft(
        self, item: Mapping[str, Any], post: PostDraft, source: SourceRef
    ) -> PostDraft | None:
        try:
            author = item.get("from") or {}
            parent = item.get("parent")
            return PostDraft(
                platform=self.platform,
                external_id=str(item["id"]),
                text=str(item.get("message") or ""),
                created_at=graph_time(item.get("created_time")),
                author=AuthorRef(str(author["id"]), author.get("name")) if author else None,
                source=source,
                root_id=post.external_id,
                parent_id=str(parent["id"]) if isinstance(parent, dict) else post.external_id,
                url=item.get("permalink_url"),
                engagement=Engagement(
                    likes=count(item.get("like_count")), comments=count(item.get("comment_count"))
                ),
                raw=dict(item),
                mapper=MAPPER,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("skipped a comment that does not read as one (%s): %.200r", exc, item)
            return None

    @classmethod
    def change_draft(cls, value: Mapping[str, Any], source: SourceRef) -> PostDraft | None:
        """A `feed` webhook change (a new or edited post or comment) as a post, or None when
        the change is not one (a reaction, a removal, a like)."""
        item = value.get("item")
        verb = value.get("verb")
        if verb not in ("add", "edited") or item not in ("comment", "status", "post", "photo"):
            return None
        try:
            author = value.get("from") or {}
            is_comment = item == "comment"
            external_id = str(value["comment_id"] if is_comment else value["post_id"])
            post_id = str(value["post_id"])
            parent = str(value.get("parent_id") or post_id) if is_comment else None
            raw = dict(value)
            raw["webhook"] = True
            post = value.get("post")
            return PostDraft(
                platform=cls.platform,
                external_id=external_id,
                text=str(value.get("message") or ""),
                created_at=graph_time(value.get("created_time")),
                author=AuthorRef(str(author["id"]), author.get("name")) if author else None,
                source=source,
                root_id=post_id if is_comment else None,
                parent_id=parent,
                url=post.get("permalink_url")
                if isinstance(post, dict) and not is_comment
                else None,
                raw=raw,
                mapper=MAPPER,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("skipped a webhook change that does not read (%s): %.200r", exc, value)
            return None

    # -- pages of a user ---------------------------------------------------------------------

    def managed_pages(self) -> list[dict[str, Any]]:
        """GET /me/accounts with a user token: every page the user manages, with its page
        token (used by `lytter source add facebook --all-pages`)."""
        found: list[dict[str, Any]] = []
        for items in self.graph.pages("me/accounts", fields=PAGE_FIELDS, limit=100):
            for item in items:
                if not item.get("id") or not item.get("access_token"):
                    raise BadPayload("me/accounts listed a page without its id and token")
                found.append(item)
        return found

    # -- actions -----------------------------------------------------------------------------

    def reply(self, target: Target, text: str) -> str:
        created = self.graph.post(f"{target.external_id}/comments", message=text)
        if not created.get("id"):
            raise BadPayload("Facebook did not say which comment it created")
        return str(created["id"])

    def private_reply(self, target: Target, text: str) -> str:
        # Messenger Private Replies: POST /{page-id}/messages with recipient.comment_id, once
        # per comment and within 7 days of it (pages_messaging).
        sent = self.graph.post(
            f"{self.account}/messages",
            recipient=json.dumps({"comment_id": target.external_id}),
            message=json.dumps({"text": text}, ensure_ascii=False),
        )
        if not sent.get("message_id"):
            raise BadPayload("Facebook did not say which message it sent")
        return str(sent["message_id"])

    def hide(self, target: Target, hidden: bool = True) -> None:
        self.graph.post(target.external_id, is_hidden="true" if hidden else "false")

    def delete(self, target: Target) -> None:
        self.graph.delete(target.external_id)

    def block_author(self, target: Target) -> None:
        self.graph.post(f"{self.account}/blocked", user=self._person(target))

    def unblock_author(self, target: Target) -> None:
        # DELETE /{page-id}/blocked?user={id} (Graph API: Page blocked edge)
        self.graph.delete(f"{self.account}/blocked?user={quote(self._person(target))}")

    @staticmethod
    def _person(target: Target) -> str:
        author = target.raw.get("from")
        person = author.get("id") if isinstance(author, dict) else target.author_handle
        if not person:
            raise BadPayload("the post does not name its author, so there is no one to block")
        return str(person)
