"""The Store interface every service talks to, and `open_store` that picks the engine by URL."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from lytter.domain.access import ApiToken, LoginSession
from lytter.domain.posts import Post, PostDraft, PostEdit, PostFilter, SaveResult
from lytter.domain.queries import PostForMatching, SavedQuery, SynonymSet
from lytter.domain.sources import Source
from lytter.domain.users import Role, User
from lytter.domain.workspaces import Brand, BrandKind, Workspace

Clock = Callable[[], datetime]


class StoreError(Exception):
    """A database problem explained in one sentence for the user (bad URL, unreachable, ...)."""


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """How far an interrupted import of one file got: resume after `byte_offset`."""

    key: str
    path: str
    byte_offset: int
    line: int


@dataclass(frozen=True, slots=True)
class SourceCursor:
    """Where a source's next collection starts, saved with the posts that came before it."""

    source_id: int
    value: Any


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts that describe a workspace's data at a glance."""

    posts: int
    authors: int
    sources: int
    edits: int
    first_post: datetime | None
    last_post: datetime | None
    by_platform: list[tuple[str, int]]
    by_language: list[tuple[str, int]]
    top_sources: list[tuple[str, str, int]]


class Store(Protocol):
    """Everything Lytter keeps, grouped by aggregate; one implementation per database engine."""

    url: str
    backend: str
    clock: Clock

    def close(self) -> None: ...

    # workspaces and brands
    def ensure_workspace(self, slug: str, name: str | None = None) -> Workspace: ...
    def get_workspace(self, slug: str) -> Workspace | None: ...
    def workspace(self, workspace_id: int) -> Workspace | None: ...
    def set_old_spelling_aa(self, workspace_id: int, on: bool) -> None: ...
    def ensure_brand(self, workspace_id: int, name: str, kind: BrandKind) -> Brand: ...
    def list_brands(self, workspace_id: int) -> list[Brand]: ...

    # sources
    def list_sources(self, workspace_id: int) -> list[Source]: ...
    def set_source_brand(self, source_id: int, brand_id: int | None) -> None: ...
    def get_source(self, workspace_id: int, source_id: int) -> Source | None: ...
    def sources_with_platform_id(self, platform: str, external_id: str) -> list[Source]: ...
    def add_collected_source(
        self,
        workspace_id: int,
        *,
        platform: str,
        external_id: str,
        name: str,
        url: str | None,
        connector: str,
        settings: dict[str, Any],
        secret: str | None,
        poll_seconds: int,
    ) -> Source | None: ...
    def source_secret(self, source_id: int) -> str | None: ...
    def stop_collecting(self, source_id: int) -> bool: ...
    def record_collection(self, source_id: int, at: datetime, error: str | None) -> None: ...
    def set_source_cursor(self, source_id: int, cursor: Any) -> None: ...

    # posts
    def save_posts(
        self,
        workspace_id: int,
        drafts: Sequence[PostDraft],
        checkpoint: Checkpoint | None = None,
        cursor: SourceCursor | None = None,
    ) -> SaveResult: ...
    def find_posts(self, query: PostFilter) -> list[Post]: ...
    def search_candidates(self, query: PostFilter) -> list[PostForMatching]: ...
    def count_posts(self, query: PostFilter, cap: int | None = None) -> int: ...
    def facets(self, workspace_id: int) -> tuple[list[str], list[str]]: ...
    def get_post(self, workspace_id: int, post_id: int) -> Post | None: ...
    def thread(self, workspace_id: int, post: Post) -> list[Post]: ...
    def post_edits(self, post_id: int) -> list[PostEdit]: ...
    def stats(self, workspace_id: int) -> Stats: ...

    # users, page grants, API tokens, login sessions, failed logins
    def add_user(
        self,
        workspace_id: int,
        email: str,
        name: str,
        role: Role,
        locale: str,
        password_hash: str | None,
    ) -> User: ...
    def get_user(self, user_id: int) -> User | None: ...
    def find_user(self, email: str) -> User | None: ...
    def password_hash(self, user_id: int) -> str | None: ...
    def list_users(self, workspace_id: int) -> list[User]: ...
    def has_users(self) -> bool: ...
    def update_user(self, user_id: int, **fields: Any) -> None: ...
    def grant_sources(self, user_id: int, source_ids: Iterable[int]) -> None: ...
    def revoke_sources(self, user_id: int, source_ids: Iterable[int]) -> None: ...
    def granted_sources(self, user_id: int) -> list[int]: ...
    def grants(self, workspace_id: int) -> dict[int, list[int]]: ...
    def add_token(self, user_id: int, name: str, prefix: str, token_hash: str) -> ApiToken: ...
    def token_user(self, token_hash: str) -> User | None: ...
    def list_tokens(self, user_id: int) -> list[ApiToken]: ...
    def delete_token(self, user_id: int, token_id: int) -> bool: ...
    def add_session(
        self, session_hash: str, user_id: int, csrf_token: str, expires_at: datetime
    ) -> None: ...
    def get_session(self, session_hash: str) -> LoginSession | None: ...
    def delete_session(self, session_hash: str) -> None: ...
    def delete_user_sessions(self, user_id: int) -> None: ...
    def add_login_failure(self, keys: Iterable[str], forget_before: datetime) -> None: ...
    def login_failures(self, key: str, since: datetime) -> list[datetime]: ...
    def clear_login_failures(self, key: str) -> None: ...

    # saved queries, synonym sets, matches
    def add_query(
        self,
        workspace_id: int,
        name: str,
        text: str,
        brand_id: int | None,
        tags: Sequence[str],
        languages: Sequence[str],
        compounds: str = "none",
    ) -> SavedQuery: ...
    def update_query(self, query_id: int, **fields: Any) -> None: ...
    def delete_query(self, query_id: int) -> None: ...
    def list_queries(self, workspace_id: int) -> list[SavedQuery]: ...
    def set_synonyms(self, workspace_id: int, name: str, entries: Sequence[str]) -> SynonymSet: ...
    def list_synonyms(self, workspace_id: int) -> list[SynonymSet]: ...
    def posts_for_matching(
        self, workspace_id: int, after_id: int, limit: int
    ) -> list[PostForMatching]: ...
    def add_matches(
        self, pairs: Iterable[tuple[int, int]], progress_to: tuple[int, int] | None = None
    ) -> int: ...
    def posts_edited_after(
        self, workspace_id: int, after_edit_id: int, up_to_post_id: int
    ) -> tuple[list[PostForMatching], int]: ...
    def rematch_posts(
        self,
        workspace_id: int,
        post_ids: Sequence[int],
        pairs: Iterable[tuple[int, int]],
        last_edit_id: int,
    ) -> None: ...
    def clear_matches(self, query_id: int) -> None: ...
    def match_counts(self, workspace_id: int) -> dict[int, int]: ...
    def matching_progress(self, workspace_id: int) -> tuple[int, int]: ...

    # import checkpoints
    def get_checkpoint(self, key: str) -> Checkpoint | None: ...
    def clear_checkpoint(self, key: str) -> None: ...


def open_store(url: str, *, create: bool = True, clock: Clock | None = None) -> Store:
    """Open (and migrate to the newest schema) the store at `url`.

    `sqlite:///path/to/file.sqlite` (the default engine) or `postgresql://user@host/db`.
    With `create=False` a missing SQLite file is an error instead of a new database.
    """
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "sqlite" or scheme.startswith("sqlite+"):
        from lytter.store.sqlite import SqliteStore

        return SqliteStore.open(url, create=create, clock=clock)
    if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
        from lytter.store.postgres import PostgresStore

        return PostgresStore.open(url, clock=clock)
    raise StoreError(
        f"unsupported database URL '{url}': use sqlite:///path/to/file.sqlite"
        " or postgresql://user@host:5432/dbname"
    )
