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


EVERYDAY = [
    "Tak for en god oplevelse i filialen i dag",
    "Hvornår åbner I på lørdag?",
    "Min rådgiver var super hjælpsom med lånet",
    "Kan man bestille nyt kort i appen?",
    "Hvad koster det at overføre penge til udlandet?",
    "Hvordan ændrer jeg min pinkode?",
]
OUTAGE = [
    "MobilePay virker ikke, betalingen afvises",
    "Er MobilePay nede? Kan ikke betale",
    "MobilePay nede igen, betaling afvist i Netto",
    "Hvorfor virker MobilePay ikke i dag?",
    "MobilePay afviser min betaling, hvad sker der",
    "Nu er MobilePay nede for tredje gang",
    "MobilePay fejl ved betaling, ingen svar fra jer",
]
OUTAGE_AT = T0 + timedelta(days=3, hours=10)


def trending_posts(source: SourceRef | None = None) -> list[PostDraft]:
    """Three calm days of everyday posts (two an hour from T0, each its own author), then
    seven angry posts about MobilePay from seven people in the hour at `OUTAGE_AT`."""
    posts = [
        draft(
            f"calm{hour}-{k}",
            EVERYDAY[(hour * 2 + k) % len(EVERYDAY)],
            created_at=T0 + timedelta(hours=hour, minutes=30 * k),
            author=AuthorRef(f"kunde{hour}-{k}"),
            **({"source": source} if source else {}),
        )
        for hour in range(3 * 24 + 10)
        for k in range(2)
    ]
    posts += [
        draft(
            f"outage{i}",
            text,
            created_at=OUTAGE_AT + timedelta(minutes=5 * i),
            author=AuthorRef(f"vred{i}"),
            **({"source": source} if source else {}),
        )
        for i, text in enumerate(OUTAGE)
    ]
    return posts


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


TROLL = ["Du er en idiot", "I er nogle svin, luk lortet", "Hold kæft med jer", "ok"]
CRITIC = [
    "Min ordre 88123 er ikke kommet efter 3 uger, elendig service",
    "Hvorfor svarer kundeservice ikke på mine mails? Det er dårligt",
    "Jeg har ventet 40 minutter i telefonen, det er en skandale",
]
HELPER = [
    "Du kan bestille et nyt kort i appen under Kort",
    "Prøv at genstarte appen, så virker det igen",
    "Ring til 70 12 34 56, de hjalp mig hurtigt og venligt",
]


def voices(source: SourceRef | None = None) -> list[PostDraft]:
    """Posts of four people on one page: a troll ("trold"), a critic ("kritiker"), someone
    who answers the others in their threads ("hjaelper") and a one-off ("forbi")."""
    where = {"source": source} if source else {}
    posts = [
        draft(f"t{i}", text, author=AuthorRef("trold"), **where) for i, text in enumerate(TROLL)
    ]
    posts += [
        draft(f"k{i}", text, author=AuthorRef("kritiker"), **where) for i, text in enumerate(CRITIC)
    ]
    posts += [
        draft(
            f"h{i}",
            text,
            author=AuthorRef("hjaelper", "Hanne Hjælper", 1800),
            root_id=f"k{i}",
            parent_id=f"k{i}",
            **where,
        )
        for i, text in enumerate(HELPER)
    ]
    posts.append(draft("f0", "Hvornår åbner I på lørdag?", author=AuthorRef("forbi"), **where))
    return posts


class Clock:
    """A clock a test moves by setting `now`."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
