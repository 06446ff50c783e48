"""Case and accent folding that keeps Danish letters apart: `får` is not `far`."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters that are letters of their own in Danish: kept, never stripped of their "accent".
_KEEP = frozenset("æøå")
# Nordic neighbours written the Swedish or German way fold onto the Danish letter.
_NORDIC = str.maketrans({"ä": "æ", "ö": "ø"})


@lru_cache(maxsize=65_536)
def fold(text: str, *, aa: bool = False) -> str:
    """Lower case, with accents removed except on æ, ø and å (é→e, ü→u, ö→ø, ä→æ).

    With `aa`, the old spelling `aa` reads as `å` (Aarhus = Århus), where a workspace asks.
    """
    lowered = text.casefold().translate(_NORDIC)
    if lowered.isascii():
        return lowered.replace("aa", "å") if aa else lowered
    out = []
    for char in lowered:
        if char in _KEEP or ord(char) < 128:
            out.append(char)
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        out.append(base or char)
    folded = "".join(out)
    return folded.replace("aa", "å") if aa else folded
