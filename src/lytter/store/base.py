"""The Store interface every service talks to, and `open_store` that picks the engine by URL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from lytter.domain.posts import Post, PostDraft, PostEdit, PostFilter, SaveResult
from lytter.domain.sources import Source
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

    def close(self) -> None: ...

    # workspaces and brands
    def ensure_workspace(self, slug: str, name: str | None = None) -> Workspace: ...
    def get_workspace(self, slug: str) -> Workspace | None: ...
    def ensure_brand(self, workspace_id: int, name: str, kind: BrandKind) -> Brand: ...
    def list_brands(self, workspace_id: int) -> list[Brand]: ...

    # sources
    def list_sources(self, workspace_id: int) -> list[Source]: ...
    def set_source_brand(self, source_id: int, brand_id: int | None) -> None: ...

    # posts
    def save_posts(
        self,
        workspace_id: int,
        drafts: Sequence[PostDraft],
        checkpoint: Checkpoint | None = None,
    ) -> SaveResult: ...
    def find_posts(self, query: PostFilter) -> list[Post]: ...
    def count_posts(self, query: PostFilter, cap: int | None = None) -> int: ...
    def facets(self, workspace_id: int) -> tuple[list[str], list[str]]: ...
    def get_post(self, workspace_id: int, post_id: int) -> Post | None: ...
    def thread(self, workspace_id: int, post: Post) -> list[Post]: ...
    def post_edits(self, post_id: int) -> list[PostEdit]: ...
    def stats(self, workspace_id: int) -> Stats: ...

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
