"""Language identification, offline: lingua (lingua-language-detector) restricted to the
languages a workspace hears, which is what makes Danish, Norwegian and Swedish come apart on
short posts. The models are in lingua's wheel; nothing is downloaded."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

DEFAULT_LANGUAGES = ("da", "en", "sv", "nb", "nn", "de")


def _language(code: str) -> Language:
    try:
        return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
    except AttributeError:
        raise ValueError(
            f"unknown language code '{code}': use ISO 639-1, e.g. da, en, sv"
        ) from None


@cache
def detector(languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> LanguageDetector:
    """A detector for these ISO 639-1 codes (two at least), built once per set."""
    chosen = sorted({_language(c) for c in languages}, key=lambda lang: lang.name)
    if len(chosen) < 2:
        raise ValueError("language identification needs at least two languages to choose from")
    return LanguageDetectorBuilder.from_languages(*chosen).with_preloaded_language_models().build()


def identify(
    texts: Sequence[str], languages: tuple[str, ...] = DEFAULT_LANGUAGES
) -> list[str | None]:
    """Each text's language code, or None when it has no words to tell by."""
    found = detector(languages).detect_languages_in_parallel_of(list(texts))
    return [None if lang is None else lang.iso_code_639_1.name.lower() for lang in found]
