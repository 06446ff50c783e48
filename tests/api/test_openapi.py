"""The OpenAPI schema is served and matches the committed snapshot."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from lytter.app import create_app
from lytter.store import open_store

ROOT = Path(__file__).parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from export_openapi import SNAPSHOT, schema_text  # noqa: E402


def test_the_schema_matches_the_committed_snapshot() -> None:
    assert SNAPSHOT.read_text(encoding="utf-8") == schema_text(), (
        "the API changed: run `make openapi` and commit docs/api/openapi.json"
    )


def test_the_schema_is_served_under_api_v1(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with TestClient(create_app(store)) as client:
        served = client.get("/api/v1/openapi.json").json()
    store.close()
    assert served == json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert all(path.startswith("/api/v1/") for path in served["paths"])
    assert served["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
