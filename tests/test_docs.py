"""The docs keep up with the code: a field or table added without documentation fails here."""

from __future__ import annotations

from pathlib import Path

from lytter.ingest.normalise import ALIASES, FIELDS
from lytter.store.tables import metadata

DOCS = Path(__file__).parents[1] / "docs"


def test_every_import_field_and_alias_is_documented() -> None:
    text = (DOCS / "import-format.md").read_text(encoding="utf-8")
    for name in [*FIELDS, *ALIASES]:
        assert f"`{name}`" in text, f"docs/import-format.md does not describe `{name}`"


def test_every_table_is_in_the_domain_model() -> None:
    text = (DOCS / "domain.md").read_text(encoding="utf-8")
    for table in metadata.tables:
        assert f"`{table}`" in text, f"docs/domain.md does not describe table `{table}`"
