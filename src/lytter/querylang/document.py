"""A post as the matcher sees it: its tokens with their positions, stems and fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lytter.text.fold import fold
from lytter.text.stem import stem
from lytter.text.tokenise import tokenise


@dataclass(slots=True)
class Document:
    """The folded tokens of a post and where they are, plus the fields queries filter on.

    A #hashtag or @mention is one position holding two tokens: `#tag` and `tag`, so a plain
    word also finds it and `#tag` finds only the hashtag.
    """

    tokens: list[str]
    positions: dict[str, list[int]]
    raw: dict[str, list[int]]
    language: str
    fields: dict[str, tuple[str, ...]]
    _stems: dict[str, list[int]] | None = field(default=None, repr=False)

    @classmethod
    def of(
        cls,
        text: str,
        *,
        language: str | None = None,
        author: tuple[str, ...] = (),
        page: tuple[str, ...] = (),
        platform: str | None = None,
        url: str | None = None,
        country: str | None = None,
        aa: bool = False,
    ) -> Document:
        tokens = []
        positions: dict[str, list[int]] = {}
        raw: dict[str, list[int]] = {}
        for i, token in enumerate(tokenise(text, aa=aa)):
            tokens.append(token.folded)
            positions.setdefault(token.folded, []).append(i)
            raw.setdefault(token.text, []).append(i)
            if token.kind in ("hashtag", "mention"):
                positions.setdefault(token.folded[1:], []).append(i)
                raw.setdefault(token.text[1:], []).append(i)
        host = urlsplit(url).hostname or "" if url else ""
        fields = {
            "author": tuple(fold(a) for a in author if a),
            "page": tuple(fold(p) for p in page if p),
            "site": (fold(host),) if host else (),
            "platform": (fold(platform),) if platform else (),
            "lang": (fold(language),) if language else (),
            "url": (fold(url),) if url else (),
            "country": (fold(country),) if country else (),
        }
        return cls(tokens, positions, raw, language or "da", fields)

    @property
    def stems(self) -> dict[str, list[int]]:
        """Stem → positions, in the post's language (computed on first use)."""
        if self._stems is None:
            stems: dict[str, list[int]] = {}
            for token, where in self.positions.items():
                if token[:1] not in ("#", "@") and "://" not in token:
                    stems.setdefault(stem(token, self.language), []).extend(where)
            self._stems = stems
        return self._stems
