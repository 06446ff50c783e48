"""Small builders that keep tests short and readable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from lytter.domain.posts import AuthorRef, Engagement, PostDraft, SourceRef

T0 = datetime(2024, 4, 1, 9, 0, tzinfo=UTC)


def draft(external_id: str, text: str = "hej", **kw: Any) -> PostDraft:
    """A post draft with sensible defaults; any field can be overridden."""
    defaults: dict[str, Any] = {
        "platform": "facebook",
        "created_at": T0 + timedelta(minutes=int(external_id) if external_id.isdigit() else 0),
        "author": AuthorRef("mette"),
        "source": SourceRef("page-1", "Banken Aarhus"),
        "language": "da",
        "engagement": Engagement(),
    }
    defaults.update(kw)
    return PostDraft(external_id=external_id, text=text, **defaults)
