"""An API client per user of the bank, and the error body every error has."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lytter.app import create_app
from lytter.services import auth
from tests.bank import Bank


class Api:
    """A client that calls the API as one of the bank's users."""

    def __init__(self, client: TestClient, bank: Bank) -> None:
        self.client = client
        self.bank = bank
        self.tokens = {
            name: auth.create_token(bank.store, getattr(bank, name), "tests").secret
            for name in ("admin", "agent", "viewer")
        }

    def get(self, path: str, as_: str = "admin", **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[as_]}"}
        return self.client.get(f"/api/v1{path}", params=params, headers=headers)

    def send(self, method: str, path: str, as_: str = "admin", **json: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[as_]}"}
        return self.client.request(method, f"/api/v1{path}", json=json or None, headers=headers)


@pytest.fixture
def api(bank: Bank) -> Iterator[Api]:
    with TestClient(create_app(bank.store)) as client:
        yield Api(client, bank)


def error(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    return body["error"]
