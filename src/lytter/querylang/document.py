"""A post as the matcher sees it: its folded text first, its tokens only when needed.

Most posts match no query: the matcher looks at the folded text (one C-speed pass) and only
tokenises the posts that have candidate queries.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from lytter.text.fold import fold, fold_text
from lytter.text.stem import stem
from lytter.text.tokenise import tokenise


class Document:
    """A post's text and fields; tokens, positions and stems are worked out on first use.

    A #hashtag or @mention is one position holding two tokens: `#tag` and `tag`, so a plain
    word also finds it and `#tag` finds only the hashtag.
    """

    __slots__ = (
        "text",
        "language",
        "aa",
        "_meta",
        "_folded",
        "_tokens",
        "_positions",
        "_raw",
        "_stems",
        "_fields",
        "memo",
    )

    def __init__(
        self,
        text: str,
        *,
        language: str | None = None,
        author: tuple[str, ...] = (),
        page: tuple[str, ...] = (),
        platform: str | None = None,
        url: str | None = None,
        country: str | None = None,
        aa: bool = False,
    ) -> None:
        self.text = text
        self.language = language or "da"
        self.aa = aa
        self._meta = (language, author, page, platform, url, country)
        self._folded: str | None = None
        self._tokens: list[str] | None = None
        self._positions: dict[str, list[int]] = {}
        self._raw: dict[str, list[int]] = {}
        self._stems: dict[str, list[int]] | None = None
        self._fields: dict[str, tuple[str, ...]] | None = None
        self.memo: dict[Any, Any] = {}  # per-document results of wildcard scans

    @property
    def folded(self) -> str:
        """The whole text folded: every token's folded form occurs in it."""
        if self._folded is None:
            self._folded = fold_text(self.text, aa=self.aa)
        return self._folded

    def _analyse(self) -> None:
        tokens: list[str] = []
        positions: dict[str, list[int]] = {}
        raw: dict[str, list[int]] = {}
        for i, token in enumerate(tokenise(self.text, aa=self.aa)):
            tokens.append(token.folded)
            positions.setdefault(token.folded, []).append(i)
            raw.setdefault(token.text, []).append(i)
            if token.kind in ("hashtag", "mention"):
                positions.setdefault(token.folded[1:], []).append(i)
                raw.setdefault(token.text[1:], []).append(i)
        self._tokens, self._positions, self._raw = tokens, positions, raw

    @property
    def tokens(self) -> list[str]:
        if self._tokens is None:
            self._analyse()
        assert self._tokens is not None
        return self._tokens

    @property
    def positions(self) -> dict[str, list[int]]:
        """Folded token → its positions."""
        if self._tokens is None:
            self._analyse()
        return self._positions

    @property
    def raw(self) -> dict[str, list[int]]:
        """Token as written → its positions (for {CaseSensitive} words)."""
        if self._tokens is None:
            self._analyse()
        return self._raw

    @property
    def stems(self) -> dict[str, list[int]]:
        """Stem → positions, in the post's language."""
        if self._stems is None:
            stems: dict[str, list[int]] = {}
            for token, where in self.positions.items():
                if token[:1] not in ("#", "@") and "://" not in token:
                    stems.setdefault(stem(token, self.language), []).extend(where)
            self._stems = stems
        return self._stems

    @property
    def fields(self) -> dict[str, tuple[str, ...]]:
        """What `author:`, `page:`, `site:`, ... compare with, folded."""
        if self._fields is None:
            language, author, page, platform, url, country = self._meta
            host = (urlsplit(url).hostname or "") if url else ""
            self._fields = {
                "author": tuple(fold(a) for a in author if a),
                "page": tuple(fold(p) for p in page if p),
                "site": (fold(host),) if host else (),
                "platform": (fold(platform),) if platform else (),
                "lang": (fold(language),) if language else (),
                "url": (fold(url),) if url else (),
                "country": (fold(country),) if country else (),
            }
        return self._fields
