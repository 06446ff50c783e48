"""Meta's webhooks: a subscription confirmed with the verify token, notifications stored only
when signed, in every workspace that collects from the page."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest

from lytter.demo.platform import fixture
from lytter.domain.access import Actor
from lytter.domain.posts import PostFilter
from lytter.services import collecting, webhooks
from lytter.services.webhooks import WebhookRefused, WebhookSettings
from lytter.store import Store, open_store

PAGE = "105273638444220"
SETTINGS = WebhookSettings(verify_token="meatyhamhock", app_secret="app-secret")


@pytest.fixture(autouse=True)
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LYTTER_KEY_FILE", str(tmp_path / "secret.key"))


def sign(body: bytes, secret: str = "app-secret") -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def add_page(store: Store, workspace: str = "default") -> int:
    ws = store.ensure_workspace(workspace)
    collecting.add_source(
        store,
        Actor.system(ws.id),
        "facebook",
        # Nothing listens there: polling fails at once and the webhook does the work.
        {"page": PAGE, "graph": "http://127.0.0.1:9/v26.0"},
        name="Aarhus",
        secret="tok",
    )
    return ws.id


def test_the_subscription_is_confirmed_only_with_our_verify_token() -> None:
    params = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}
    ok = {**params, "hub.verify_token": "meatyhamhock"}
    assert webhooks.confirm_subscription(ok, SETTINGS) == "1158201444"
    with pytest.raises(WebhookRefused, match="verify token"):
        webhooks.confirm_subscription({**params, "hub.verify_token": "guess"}, SETTINGS)
    with pytest.raises(WebhookRefused, match="LYTTER_META_VERIFY_TOKEN"):
        webhooks.confirm_subscription(ok, WebhookSettings(None, "app-secret"))


def test_a_signed_comment_is_stored_once_in_every_workspace_collecting_the_page(
    store: Store,
) -> None:
    first = add_page(store)
    second = add_page(store, "konkurrent")
    body = json.dumps(fixture("facebook_webhook.json")["comment"]).encode()
    delivery = webhooks.receive(store, body, sign(body), SETTINGS)
    assert delivery.changes == 1 and delivery.posts == 2
    again = webhooks.receive(store, body, sign(body), SETTINGS)  # Meta may deliver twice
    assert again.posts == 2
    for ws in (first, second):
        [post] = store.find_posts(PostFilter(ws))
        assert post.text == "Min betaling er ikke gået igennem, hvad gør jeg?"
        assert post.root_id == "105273638444220_398213495123456"
        assert post.source_name == "Aarhus" and post.author_name == "Mette Hansen"


def test_an_unsigned_or_tampered_notification_is_refused_and_nothing_stored(
    store: Store,
) -> None:
    ws = add_page(store)
    body = json.dumps(fixture("facebook_webhook.json")["comment"]).encode()
    tampered = body.replace(b"Min betaling", b"Din betaling")
    for signature in (None, "sha256=00", sign(body, "other-secret"), sign(body)):
        with pytest.raises(WebhookRefused, match="signature"):
            webhooks.receive(store, tampered, signature, SETTINGS)
    assert store.count_posts(PostFilter(ws)) == 0


def test_reactions_other_fields_and_unknown_pages_are_ignored(store: Store) -> None:
    ws = add_page(store)
    payload = fixture("facebook_webhook.json")
    reaction = json.dumps(payload["reaction"]).encode()
    assert webhooks.receive(store, reaction, sign(reaction), SETTINGS).ignored == 1
    stranger = copy.deepcopy(payload["comment"])
    stranger["entry"][0]["id"] = "999"
    body = json.dumps(stranger).encode()
    delivery = webhooks.receive(store, body, sign(body), SETTINGS)
    assert delivery.unknown_accounts == {"999"} and delivery.posts == 0
    assert store.count_posts(PostFilter(ws)) == 0


def test_a_notification_that_is_not_json_is_refused(store: Store) -> None:
    with pytest.raises(WebhookRefused, match="not JSON"):
        webhooks.receive(store, b"{oops", sign(b"{oops"), SETTINGS)


def test_an_instagram_comment_arrives_for_the_account(store: Store) -> None:
    ws = store.ensure_workspace("default")
    collecting.add_source(
        store, Actor.system(ws.id), "instagram", {"account": "17841405822304914"}, secret="t"
    )
    body = json.dumps(fixture("facebook_webhook.json")["instagram_comment"]).encode()
    assert webhooks.receive(store, body, sign(body), SETTINGS).posts == 1
    [post] = store.find_posts(PostFilter(ws.id))
    assert post.platform == "instagram" and post.text == "Hvornår åbner I igen?"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_lytter_run_receives_webhooks_over_http(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'hooks.sqlite'}"
    store = open_store(db)
    ws = add_page(store)
    port = _free_port()
    env = {
        **os.environ,
        "LYTTER_META_VERIFY_TOKEN": "meatyhamhock",
        "LYTTER_META_APP_SECRET": "app-secret",
        "LYTTER_KEY_FILE": str(tmp_path / "secret.key"),
    }
    # The page's token is fake, so its polls fail (and are logged); the webhook still works.
    child = subprocess.Popen(
        [sys.executable, "-m", "lytter", "run", "--db", db, "--webhooks", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/webhooks/meta"
        deadline = time.monotonic() + 30
        while True:
            try:
                confirm = httpx.get(
                    url,
                    params={
                        "hub.mode": "subscribe",
                        "hub.challenge": "1158201444",
                        "hub.verify_token": "meatyhamhock",
                    },
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and child.poll() is None, "no webhook server"
                time.sleep(0.1)
        assert confirm.status_code == 200 and confirm.text == "1158201444"
        body = json.dumps(fixture("facebook_webhook.json")["comment"]).encode()
        refused = httpx.post(url, content=body, headers={"X-Hub-Signature-256": "sha256=0"})
        assert refused.status_code == 403
        answer = httpx.post(url, content=body, headers={"X-Hub-Signature-256": sign(body)})
        assert answer.status_code == 200 and answer.json()["stored"] == 1
        assert store.count_posts(PostFilter(ws)) == 1
    finally:
        child.send_signal(signal.SIGTERM)
        _, stderr = child.communicate(timeout=30)
    assert child.returncode == 0, stderr
    store.close()
