"""Mastodon: hashtag timelines, an account's statuses and the mentions of our account.

API: https://docs.joinmastodon.org/methods/timelines/#tag (GET /api/v1/timelines/tag/:hashtag),
https://docs.joinmastodon.org/methods/accounts/#statuses (GET /api/v1/accounts/:id/statuses),
https://docs.joinmastodon.org/methods/notifications/#get (GET /api/v1/notifications, mentions),
https://docs.joinmastodon.org/methods/search/#v2 (GET /api/v2/search, type=statuses),
https://docs.joinmastodon.org/entities/Status/ (the payload),
https://docs.joinmastodon.org/methods/statuses/#create (reply) and
https://docs.joinmastodon.org/methods/accounts/#block (block).

Collecting walks forward in time with `min_id`: each page holds the (at most 40) statuses
immediately newer than the cursor, and the page's highest id becomes the next cursor. The
first collection starts from `since` (default: seven days back), as Mastodon ids are
snowflakes whose upper bits are the time in milliseconds.

A status id is local to the instance that serves it, so posts are stored as `host/id`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

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
from lytter.connectors.text import html_to_text
from lytter.domain.posts import AuthorRef, Engagement, PostDraft, SourceRef

log = logging.getLogger("lytter.connectors.mastodon")

MAPPER = "mastodon/1"
PAGE_SIZE = 40  # the API's maximum
MODES = ("tag", "account", "mentions", "search")
DEFAULT_BACKFILL = timedelta(days=7)


def snowflake(when: datetime) -> str:
    """The smallest Mastodon id of a status made at `when`."""
    return str(int(when.timestamp() * 1000) << 16)


def _time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"created_at is {value!r}")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and value >= 0 else None


class MastodonConnector(BaseConnector):
    """Settings: `instance` (https://mastodon.social) and `mode`: `tag` with `tag`, `account`
    with `account` (user@host or an id), `mentions` (needs a token) or `search` with `query`
    (full-text search of statuses needs a token on most servers). The secret is an access
    token (read, write:statuses, write:blocks for the actions)."""

    platform: ClassVar[str] = "mastodon"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.REPLY, Capability.BLOCK_AUTHOR}
    )

    def __init__(
        self, settings: Mapping[str, Any], secret: str | None = None, http: Http | None = None
    ) -> None:
        instance = str(settings.get("instance") or "").strip().rstrip("/")
        if not instance.startswith(("http://", "https://")):
            raise SettingsError(f"a Mastodon source needs its instance URL, not {instance!r}")
        self.instance = instance
        self.host = urlsplit(instance).netloc
        self.mode = str(settings.get("mode") or "tag")
        if self.mode not in MODES:
            raise SettingsError(f"unknown Mastodon mode '{self.mode}': use {', '.join(MODES)}")
        self.tag = str(settings.get("tag") or "").lstrip("#").strip()
        self.account = str(settings.get("account") or "").lstrip("@").strip()
        self.query = str(settings.get("query") or "").strip()
        if self.mode == "tag" and not self.tag:
            raise SettingsError("a Mastodon tag source needs --tag")
        if self.mode == "account" and not self.account:
            raise SettingsError("a Mastodon account source needs --account")
        if self.mode == "search" and not self.query:
            raise SettingsError("a Mastodon search source needs --query")
        if self.mode == "mentions" and not secret:
            raise AuthError("collecting mentions needs an access token")
        self.since = settings.get("since")
        self.name = str(settings.get("name") or self.external_id(settings))
        self.token = secret
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        self.http = http or Http()
        self.http.client.headers.update(headers)
        self._account_id: str | None = self.account if self.account.isdigit() else None

    @staticmethod
    def external_id(settings: Mapping[str, Any]) -> str:
        host = urlsplit(str(settings.get("instance") or "")).netloc
        mode = str(settings.get("mode") or "tag")
        what = {
            "tag": "tags/" + str(settings.get("tag") or "").lstrip("#").lower(),
            "account": "@" + str(settings.get("account") or "").lstrip("@"),
            "mentions": "mentions",
            "search": "search:" + str(settings.get("query") or "").strip(),
        }.get(mode, mode)
        return f"{host}/{what}"

    # -- collecting --------------------------------------------------------------------------

    def _endpoint(self) -> str:
        if self.mode == "tag":
            return f"{self.instance}/api/v1/timelines/tag/{quote(self.tag)}"
        if self.mode == "mentions":
            return f"{self.instance}/api/v1/notifications"
        if self.mode == "search":
            return f"{self.instance}/api/v2/search"
        if self._account_id is None:
            found, _ = self.http.get_json(
                f"{self.instance}/api/v1/accounts/lookup", params={"acct": self.account}
            )
            if not isinstance(found, dict) or not found.get("id"):
                raise BadPayload(f"{self.instance} has no account {self.account}")
            self._account_id = str(found["id"])
        return f"{self.instance}/api/v1/accounts/{self._account_id}/statuses"

    def _start(self, cursor: Any) -> str:
        if isinstance(cursor, dict) and cursor.get("min_id"):
            return str(cursor["min_id"])
        since = self.since
        when = (
            datetime.fromisoformat(since).replace(tzinfo=UTC)
            if isinstance(since, str) and since
            else datetime.now(UTC) - DEFAULT_BACKFILL
        )
        return snowflake(when)

    def collect(self, cursor: Any) -> Iterator[Page]:
        url = self._endpoint()
        min_id = self._start(cursor)
        source = SourceRef(self.external_id_of_self(), self.name, self._source_url())
        while True:
            params: dict[str, Any] = {"min_id": min_id, "limit": PAGE_SIZE}
            if self.mode == "mentions":
                params["types[]"] = "mention"
            if self.mode == "search":
                params |= {"q": self.query, "type": "statuses", "resolve": "false"}
            items, _ = self.http.get_json(url, params=params)
            if self.mode == "search" and isinstance(items, dict):
                items = items.get("statuses")
            if not isinstance(items, list):
                raise BadPayload(f"{url} answered {type(items).__name__}, not a list of statuses")
            if not items:
                return
            ids = [
                int(i["id"]) for i in items if isinstance(i, dict) and str(i.get("id")).isdigit()
            ]
            if not ids:
                raise BadPayload(f"{url} answered statuses without ids")
            newest = max(ids)
            if newest <= int(min_id):
                # A platform that returns the same page forever must not keep us here.
                raise BadPayload(f"{url} returned nothing newer than {min_id}: stopping")
            statuses = [i.get("status") for i in items] if self.mode == "mentions" else items
            drafts = [d for s in statuses if (d := self._draft(s, source)) is not None]
            drafts.sort(key=lambda d: d.created_at)
            min_id = str(newest)
            yield Page(drafts, {"min_id": min_id})
            if len(items) < PAGE_SIZE:
                return

    def external_id_of_self(self) -> str:
        return self.external_id(
            {
                "instance": self.instance,
                "mode": self.mode,
                "tag": self.tag,
                "account": self.account,
                "query": self.query,
            }
        )

    def _source_url(self) -> str:
        if self.mode == "tag":
            return f"{self.instance}/tags/{quote(self.tag)}"
        if self.mode == "account":
            return f"{self.instance}/@{self.account}"
        return self.instance

    def _draft(self, status: Any, source: SourceRef) -> PostDraft | None:
        if not isinstance(status, dict):
            return None
        if status.get("reblog"):
            return None  # a boost repeats a status; the status itself is what was said
        try:
            account = status.get("account") or {}
            acct = str(account["acct"])
            if "@" not in acct:
                acct = f"{acct}@{self.host}"
            text = html_to_text(status.get("content"))
            if status.get("spoiler_text"):
                text = f"{status['spoiler_text']}\n\n{text}".strip()
            parent = status.get("in_reply_to_id")
            return PostDraft(
                platform=self.platform,
                external_id=f"{self.host}/{status['id']}",
                text=text,
                created_at=_time(status.get("created_at")),
                author=AuthorRef(
                    acct,
                    account.get("display_name") or None,
                    _count(account.get("followers_count")),
                ),
                source=source,
                parent_id=f"{self.host}/{parent}" if parent else None,
                language=status.get("language") or None,
                url=status.get("url") or status.get("uri"),
                engagement=Engagement(
                    likes=_count(status.get("favourites_count")),
                    comments=_count(status.get("replies_count")),
                    shares=_count(status.get("reblogs_count")),
                ),
                raw=status,
                mapper=MAPPER,
            )
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("skipped a status that does not read as one (%s): %.200r", exc, status)
            return None

    # -- actions -----------------------------------------------------------------------------

    def _require_token(self, action: str) -> None:
        if not self.token:
            raise AuthError(f"to {action} on Mastodon the source needs an access token")

    def reply(self, target: Target, text: str) -> str:
        self._require_token("reply")
        local_id = str(target.raw.get("id") or target.external_id.rsplit("/", 1)[-1])
        key = hashlib.sha256(f"{local_id}\n{text}".encode()).hexdigest()
        response = self.http.request(
            "POST",
            f"{self.instance}/api/v1/statuses",
            json={"status": text, "in_reply_to_id": local_id},
            headers={"Idempotency-Key": key},
        )
        created = response.json()
        return f"{self.host}/{created['id']}"

    def block_author(self, target: Target) -> None:
        self._require_token("block")
        account = target.raw.get("account")
        account_id = account.get("id") if isinstance(account, dict) else None
        if not account_id:
            raise BadPayload("the post's payload does not name its author's account id")
        self.http.request("POST", f"{self.instance}/api/v1/accounts/{account_id}/block")
