"""Platform text to plain text: HTML (Mastodon statuses, feed summaries) as a person reads it."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "br", "li", "blockquote", "h1", "h2", "h3", "h4", "tr"})
_SKIP = frozenset({"script", "style", "head", "template"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


_SPACES = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n\s*\n+")


def html_to_text(markup: str | None) -> str:
    """The text of an HTML fragment: tags gone, entities decoded, paragraphs kept as blank
    lines. Plain text passes through unchanged but for its whitespace."""
    if not markup:
        return ""
    if "<" not in markup and "&" not in markup:
        return markup.strip()
    parser = _Text()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _LINES.sub("\n\n", text).strip()
