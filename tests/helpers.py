"""Small builders that keep tests short and readable."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2 as httpx

from lytter.domain.posts import AuthorRef, Engagement, PostDraft, SourceRef

T0 = datetime(2024, 4, 1, 9, 0, tzinfo=UTC)


def draft(external_id: str, text: str = "hej", **kw: Any) -> PostDraft:
    """A post draft with sensible defaults; any field can be overridden."""
    defaults: dict[str, Any] = {
        "platform": "facebook",
        "created_at": T0 + timedelta(minutes=int(external_id) if external_id.isdigit() else 0),
        "author": AuthorRef("mette"),
        "source": SourceRef("page-1", "Banken Aarhus"),
        "language": "da",
        "engagement": Engagement(),
    }
    defaults.update(kw)
    return PostDraft(external_id=external_id, text=text, **defaults)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(db_url: str) -> Iterator[str]:
    """A real `lytter serve` on a free port, as a user starts it; yields its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "lytter", "serve", "--db", db_url, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/healthz")
                break
            except httpx.ConnectError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "lytter serve did not start"
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.communicate(timeout=10)
