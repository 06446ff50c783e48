"""Instagram (Graph API, business and creator accounts): media and their comments and
replies; reply, hide, delete.

API: https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
(GET /{ig-user-id}/media, newest first, `since` as Unix time),
https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media/comments
(GET /{ig-media-id}/comments with the `replies` field; POST to comment on the media),
https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment/replies
(POST /{ig-comment-id}/replies) and
https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment
(POST `hide`, DELETE).

As with Facebook pages, a collection reads the account's media over a watch window with their
comment counts (`comments_count` counts replies too) and reads the comments of the media whose
count changed; see `graph.walk_window`. Instagram does not promise an order for comments, so
all of a changed media's comments are read and the ones newer than the last seen are kept.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from lytter.connectors.base import (
    BadPayload,
    Capability,
    NotSupported,
    Page,
    Target,
)
from lytter.connectors.graph import WatchedAccount, count, epoch, graph_time, walk_window
from lytter.domain.posts import AuthorRef, Engagement, PostDraft, SourceRef

log = logging.getLogger("lytter.connectors.instagram")

MAPPER = "instagram/1"
MEDIA_LIMIT = 50
COMMENT_LIMIT = 50
MEDIA_FIELDS = (
    "id,caption,media_type,media_product_type,permalink,timestamp,username,like_count,"
    "comments_count"
)
_COMMENT = "id,text,timestamp,username,from{id,username},like_count,hidden,parent_id"
COMMENT_FIELDS = f"{_COMMENT},replies{{{_COMMENT}}}"


class InstagramConnector(WatchedAccount):
    """Settings: `account` (the Instagram business account's id), `since`, `watch_days`
    (default 3), `graph` (the API's address). The secret is an access token with
    instagram_basic and instagram_manage_comments (the linked page's token)."""

    id_setting: ClassVar[str] = "account"
    needs: ClassVar[str] = "an Instagram source needs the business account's numeric id"
    platform: ClassVar[str] = "instagram"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.REPLY, Capability.HIDE, Capability.UNHIDE, Capability.DELETE}
    )

    def collect(self, cursor: Any) -> Iterator[Page]:
        start = self.start(cursor)
        source = SourceRef(self.account, self.name, None)

        def media() -> Iterator[list[PostDraft]]:
            for items in self.graph.pages(
                f"{self.account}/media", fields=MEDIA_FIELDS, since=epoch(start), limit=MEDIA_LIMIT
            ):
                drafts = [d for i in items if (d := self.media_draft(i, source)) is not None]
                fresh = [d for d in drafts if d.created_at >= start]
                yield fresh
                if len(fresh) < len(drafts):  # newest first: the rest is older still
                    return

        def comments(post: PostDraft) -> Iterator[list[PostDraft]]:
            for items in self.graph.pages(
                f"{post.external_id}/comments", fields=COMMENT_FIELDS, limit=COMMENT_LIMIT
            ):
                page: list[PostDraft] = []
                for item in items:
                    replies = item.get("replies")
                    nested = replies.get("data") if isinstance(replies, dict) else None
                    for one in [item, *(nested if isinstance(nested, list) else [])]:
                        draft = self.comment_draft(one, post, source, item.get("id"))
                        if draft is not None:
                            page.append(draft)
                yield page

        return walk_window(cursor, start, media(), comments, newest_first=False)

    def media_draft(self, item: Mapping[str, Any], source: SourceRef) -> PostDraft | None:
        try:
            username = item.get("username")
            return PostDraft(
                platform=self.platform,
                external_id=str(item["id"]),
                text=str(item.get("caption") or ""),
                created_at=graph_time(item.get("timestamp")),
                author=AuthorRef(str(username)) if username else None,
                source=source,
                url=item.get("permalink"),
                engagement=Engagement(
                    likes=count(item.get("like_count")),
                    comments=count(item.get("comments_count")),
                ),
                raw=dict(item),
                mapper=MAPPER,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("skipped media that does not read (%s): %.200r", exc, item)
            return None

    def comment_draft(
        self,
        item: Mapping[str, Any],
        media: PostDraft,
        source: SourceRef,
        top: Any = None,
    ) -> PostDraft | None:
        if not isinstance(item, dict):
            return None
        try:
            given = item.get("from")
            author: dict[str, Any] = given if isinstance(given, dict) else {}
            username = author.get("username") or item.get("username")
            parent = item.get("parent_id") or (top if top != item.get("id") else None)
            raw = {k: v for k, v in item.items() if k != "replies"}
            raw["media_id"] = media.external_id
            return PostDraft(
                platform=self.platform,
                external_id=str(item["id"]),
                text=str(item.get("text") or ""),
                created_at=graph_time(item.get("timestamp")),
                author=AuthorRef(str(username)) if username else None,
                source=source,
                root_id=media.external_id,
                parent_id=str(parent) if parent else media.external_id,
                engagement=Engagement(likes=count(item.get("like_count"))),
                raw=raw,
                mapper=MAPPER,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("skipped a comment that does not read (%s): %.200r", exc, item)
            return None

    @classmethod
    def change_draft(cls, value: Mapping[str, Any], source: SourceRef) -> PostDraft | None:
        """A `comments` webhook change (https://developers.facebook.com/docs/instagram-platform/
        webhooks): {"from": {"id", "username"}, "media": {"id", "media_product_type"}, "id",
        "parent_id", "text"}. It carries no time, so the time it arrived is used."""
        try:
            media = value.get("media") or {}
            author = value.get("from") or {}
            media_id = str(media["id"])
            raw = {**value, "media_id": media_id, "webhook": True}
            return PostDraft(
                platform=cls.platform,
                external_id=str(value["id"]),
                text=str(value.get("text") or ""),
                created_at=datetime.now(UTC).replace(microsecond=0),
                author=AuthorRef(str(author["username"])) if author.get("username") else None,
                source=source,
                root_id=media_id,
                parent_id=str(value.get("parent_id") or media_id),
                raw=raw,
                mapper=MAPPER,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("skipped a webhook change that does not read (%s): %.200r", exc, value)
            return None

    # -- actions -----------------------------------------------------------------------------

    @staticmethod
    def _is_media(target: Target) -> bool:
        return "media_type" in target.raw or "media_id" not in target.raw

    def reply(self, target: Target, text: str) -> str:
        if self._is_media(target):
            created = self.graph.post(f"{target.external_id}/comments", message=text)
        else:
            # A reply to a reply goes to the comment at the top of the thread, as in the app.
            top = target.raw.get("parent_id") or target.external_id
            created = self.graph.post(f"{top}/replies", message=text)
        if not created.get("id"):
            raise BadPayload("Instagram did not say which comment it created")
        return str(created["id"])

    def hide(self, target: Target, hidden: bool = True) -> None:
        if self._is_media(target):
            raise NotSupported("Instagram hides comments, not posts")
        self.graph.post(target.external_id, hide="true" if hidden else "false")

    def delete(self, target: Target) -> None:
        if self._is_media(target):
            raise NotSupported("Lytter deletes comments on Instagram, not the account's posts")
        self.graph.delete(target.external_id)
