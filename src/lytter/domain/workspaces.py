"""Workspaces (one organisation's data) and the brands it follows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from lytter.domain.analysis import TrendSettings
from lytter.domain.authors import AuthorSettings
from lytter.domain.health import HealthRules


class BrandKind(StrEnum):
    """Whether a brand is the workspace's own or a competitor it watches."""

    OWN = "own"
    COMPETITOR = "competitor"


@dataclass(frozen=True, slots=True)
class Workspace:
    """One organisation's listening space: its sources, posts, users and settings."""

    id: int
    slug: str
    name: str
    timezone: str
    created_at: datetime
    old_spelling_aa: bool = False  # queries read "aa" as "å" (Aarhus = Århus)
    trends: TrendSettings = field(default_factory=TrendSettings)  # when a term is emerging
    authors: AuthorSettings = field(default_factory=AuthorSettings)  # critics, trolls, ...
    health: HealthRules = field(default_factory=HealthRules)  # when a page is dormant or slow


@dataclass(frozen=True, slots=True)
class Brand:
    """A brand the workspace listens for: its own, or a competitor's (for share of voice)."""

    id: int
    workspace_id: int
    name: str
    kind: BrandKind
