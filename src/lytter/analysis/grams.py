"""Word and character n-grams as hashed TF-IDF vectors: what the precise reading's Danish
offensive head reads besides the embedding (slurs and swearing hide in spellings and
compounds, "idiot", "idiotiske", "lortesvenskere", which character n-grams catch).

Two blocks of `GRAM_DIM` buckets each (CRC-32 of the gram, so the same text always gives the
same vector, in training and here): the lowercased words and word pairs, and the character
2- to 5-grams inside each word padded with spaces (as scikit-learn's `char_wb`). Counts are
damped (1 + log), weighted by the inverse document frequency learnt in training, and each
block is L2-normalised.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

GRAM_DIM = 1 << 18
_WORD = re.compile(r"(?u)\b\w\w+\b")


def grams(text: str) -> tuple[list[str], list[str]]:
    """(words and word pairs, character 2-5-grams within words) of the lowercased text."""
    lowered = text.lower()
    words = _WORD.findall(lowered)
    word_grams = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    char_grams: list[str] = []
    for word in lowered.split():
        padded = f" {word} "
        for n in range(2, 6):
            char_grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
            if n >= len(padded):
                break
    return word_grams, char_grams


def _bucket(gram: str) -> int:
    return zlib.crc32(gram.encode()) & (GRAM_DIM - 1)


def counts(texts: Sequence[str]) -> tuple[list[dict[int, int]], list[dict[int, int]]]:
    """Each text's bucket counts: (word block, character block)."""
    words: list[dict[int, int]] = []
    chars: list[dict[int, int]] = []
    for text in texts:
        for grams_of, into in zip(grams(text), (words, chars), strict=True):
            found: dict[int, int] = {}
            for gram in grams_of:
                b = _bucket(gram)
                found[b] = found.get(b, 0) + 1
            into.append(found)
    return words, chars


def tfidf(rows: list[dict[int, int]], idf: np.ndarray) -> list[dict[int, float]]:
    """Damped counts times the idf, each row L2-normalised (buckets with no idf: dropped)."""
    out = []
    for row in rows:
        weighted = {b: (1.0 + np.log(c)) * float(idf[b]) for b, c in row.items() if idf[b] > 0}
        norm = float(np.sqrt(sum(v * v for v in weighted.values()))) or 1.0
        out.append({b: v / norm for b, v in weighted.items()})
    return out


def learn_idf(rows: list[dict[int, int]], min_df: int = 1) -> np.ndarray:
    """The smoothed inverse document frequency per bucket, 0 where fewer than `min_df`
    training texts have it (as scikit-learn's: ln((1 + n) / (1 + df)) + 1)."""
    df = np.zeros(GRAM_DIM, dtype=np.float64)
    for row in rows:
        df[list(row)] += 1
    idf = np.log((1 + len(rows)) / (1 + df)) + 1.0
    idf[df < min_df] = 0.0
    return idf.astype(np.float32)


def score(rows: list[dict[int, float]], weights: np.ndarray) -> np.ndarray:
    """Each row's dot product with a block's weights (`GRAM_DIM` long)."""
    return np.array(
        [sum(v * float(weights[b]) for b, v in row.items()) for row in rows], dtype=np.float64
    )
