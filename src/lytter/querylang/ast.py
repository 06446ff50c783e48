"""The nodes of a parsed query. Words are kept as written; matching folds them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

FIELDS = ("author", "site", "page", "platform", "lang", "url", "country")


@dataclass(frozen=True, slots=True)
class Term:
    """One word. `*` and `?` are wildcards; `stem` is `word~`; `case_sensitive` is `{Word}`."""

    text: str
    case_sensitive: bool = False
    stem: bool = False

    @property
    def has_wildcard(self) -> bool:
        return "*" in self.text or "?" in self.text


@dataclass(frozen=True, slots=True)
class Phrase:
    """`"exact phrase"`; with `slop` (`"a b"~5`) its words within that many words."""

    text: str
    slop: int | None = None


@dataclass(frozen=True, slots=True)
class Hashtag:
    tag: str  # without the #


@dataclass(frozen=True, slots=True)
class Mention:
    handle: str  # without the @


@dataclass(frozen=True, slots=True)
class Field:
    """`author:mette`, `site:dr.dk`, `page:"Banken Aarhus"`, `platform:`, `lang:`, `url:`, ..."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Synonym:
    """`$kundeservice`: the workspace's synonym set of that name."""

    name: str


@dataclass(frozen=True, slots=True)
class Near:
    """`left NEAR/n right`: at most `distance` words between them; `ordered` for NEAR/nf."""

    left: Node
    right: Node
    distance: int
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


Node: TypeAlias = Term | Phrase | Hashtag | Mention | Field | Synonym | Near | And | Or | Not
