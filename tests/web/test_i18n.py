"""The Danish catalog is complete and compiled; dates and numbers follow the locale."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from jinja2 import Environment

from lytter.services.errors import NP_, NotFound
from lytter.web import i18n

ROOT = Path(__file__).parents[2]
LOCALE = ROOT / "src" / "lytter" / "web" / "locale"
KEYWORDS = [
    "QueryError:3",
    "_fail:2",
    "N_",
    "NP_:1c,2",
    "UserError",
    "NotFound",
    "Forbidden",
    "Unauthorized",
    "Conflict",
    "TooManyAttempts",
]


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def _ids(catalog: object) -> set[object]:
    return {(m.context, m.id) for m in catalog if m.id}  # type: ignore[attr-defined]


def test_every_message_in_the_code_has_a_danish_translation(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    keywords = [arg for k in KEYWORDS for arg in ("-k", k)]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            *keywords,
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        wanted = _ids(read_po(f))
    with (LOCALE / "da" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        danish = read_po(f, locale="da")
    missing = sorted(str(m) for m in wanted - _ids(danish))
    assert not missing, f"run `make i18n` and translate: {missing}"
    untranslated = [
        m.id
        for m in danish
        if m.id
        and (m.context, m.id) in wanted
        and (
            not m.string
            or "fuzzy" in m.flags
            or (isinstance(m.string, tuple) and not all(m.string))
        )
    ]
    assert not untranslated, f"translate these in messages.po: {untranslated}"


def test_the_compiled_catalog_matches_the_po_file() -> None:
    with (LOCALE / "da" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        po = {_key(m.id): _key(m.string) for m in read_po(f, locale="da") if m.id}
    with (LOCALE / "da" / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        mo = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}
    assert po == mo, "run `make i18n` to compile messages.mo"


def test_the_navigation_is_in_the_glossarys_danish() -> None:
    words = {
        w: i18n.gettext("da", w) for w in ("Listen", "Inbox", "Measure", "Publish", "Settings")
    }
    assert words == {
        "Listen": "Lyt",
        "Inbox": "Indbakke",
        "Measure": "Mål",
        "Publish": "Udgiv",
        "Settings": "Indstillinger",
    }


def test_errors_are_translated_with_their_values_filled_in() -> None:
    error = NotFound("post {post_id} does not exist", post_id=42)
    assert str(error) == "post 42 does not exist"
    assert i18n.error_message("da", error) == "opslag 42 findes ikke"
    assert i18n.error_message("en", error) == "post 42 does not exist"


def test_numbers_and_times_follow_the_locale() -> None:
    env = Environment(autoescape=True)
    i18n.install(env)
    template = env.from_string("{{ n | number }} · {{ t | datetime('short') }} · {{ _('Listen') }}")
    moment = datetime(2026, 11, 24, 13, 5, tzinfo=UTC)
    assert template.render(locale="da", n=1234.5, t=moment) == "1.234,5 · 24. nov. 2026 14.05 · Lyt"
    assert (
        template.render(locale="en", n=1234.5, t=moment)
        == "1,234.5 · Nov 24, 2026 2:05\u202fPM · Listen"
    )


def test_a_word_with_two_meanings_is_translated_in_its_context() -> None:
    assert i18n.gettext("da", NP_("state", "Open")) == "Åben"  # an item's state
    assert i18n.gettext("da", "Open") == "Åbn"  # the action
    assert i18n.gettext("en", NP_("state", "Open")) == "Open"
