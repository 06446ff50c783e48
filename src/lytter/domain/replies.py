"""Saved replies and notices: texts with {variables}, filled in for one conversation.

A community manager answers the same questions every day ("Hej {author}, tak for din
besked ..."); a saved reply keeps the text per language, and a notice tells an author why a
post was moderated. The variables are the ones in `VARIABLES`; a text naming any other is
refused when it is saved, so a reply never goes out with a `{typo}` in it. A desk's signature
is such a text too: "/Kundeservice" speaks with one voice, "/{agent}" signs with the person's
first name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ReplyKind(StrEnum):
    REPLY = "reply"  # an answer to a customer
    NOTICE = "notice"  # tells an author why their post was moderated


VARIABLES: dict[str, str] = {
    "author": "the author's name (or handle)",
    "page": "the page's name",
    "agent": "the first name of the person answering",
    "desk": "the desk's name",
    "guideline": "the moderation guideline's title (notices)",
    "action": "what was done to the post: hidden, deleted, blocked (notices)",
}
"""What a saved reply, a notice or a signature may name, in braces."""

_VARIABLE = re.compile(r"\{([^{}]*)\}")
MAX_BODY = 5_000


@dataclass(frozen=True, slots=True)
class SavedReply:
    id: int
    workspace_id: int
    name: str
    kind: ReplyKind
    language: str  # "da", "en"
    body: str
    updated_at: datetime


def unknown_variables(text: str) -> list[str]:
    """The {names} in `text` that are not variables (in the order written)."""
    return [name for name in _VARIABLE.findall(text) if name not in VARIABLES]


def fill(text: str, values: Mapping[str, str | None]) -> str:
    """`text` with each {variable} replaced by its value; a variable with no value (an author
    without a name) leaves nothing, and the spaces and commas around it are tidied."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in VARIABLES:
            return match.group(0)
        return (values.get(name) or "").strip()

    filled = _VARIABLE.sub(value, text)
    filled = re.sub(r"[ \t]+([,.!?])", r"\1", filled)  # "Hej , tak" -> "Hej, tak"
    return re.sub(r"[ \t]{2,}", " ", filled).strip()


def signed(text: str, signature: str | None, values: Mapping[str, str | None]) -> str:
    """`text` with the desk's signature on its own last line (unless it is already there)."""
    if not signature:
        return text.strip()
    sign = fill(signature, values)
    body = text.rstrip()
    if not sign or body.endswith(sign):
        return body
    return f"{body}\n{sign}"


def first_name(name: str | None, email: str | None = None) -> str:
    """The first name people sign with: from the user's name, else their e-mail's local part."""
    if name and name.strip():
        return name.strip().split()[0]
    local = (email or "").split("@")[0]
    return re.split(r"[._+-]", local)[0].capitalize() if local else ""
