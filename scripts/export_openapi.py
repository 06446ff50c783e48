"""Write the API's OpenAPI schema to docs/api/openapi.json (`make openapi`).

The file is committed; tests/api/test_openapi.py fails when the API changes without it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from tempfile import TemporaryDirectory

from lytter.app import create_app
from lytter.store import open_store

SNAPSHOT = Path(__file__).parents[1] / "docs" / "api" / "openapi.json"


def schema_text() -> str:
    """The schema as the server serves it, pretty-printed with sorted keys."""
    with TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/schema.sqlite")
        try:
            schema = create_app(store).openapi()
        finally:
            store.close()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    SNAPSHOT.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SNAPSHOT}", file=sys.stderr)
