"""Moderation with a documented trail: only for a published reason, evidence kept before the
act (payload, HTML, PNG, SHA-256), the author told why, the act audited, blocks with an
expiry and a review date, and the evidence kept whatever happens to the post."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from pytest_httpserver import HTTPServer

from lytter.domain.audit import check_chain
from lytter.domain.moderation import ActStatus, ModerationAction, NoticeChannel, sha256
from lytter.services import audit, inbox, moderation, replies
from lytter.services.errors import Forbidden, NotFound, PlatformRefused, UserError
from lytter.services.mail import Mailer
from lytter.store import Store
from tests.conftest import FROZEN
from tests.page import ConnectedPage, connect_page, smtp_server

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def page(
    store: Store, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> ConnectedPage:
    monkeypatch.setenv("LYTTER_KEY_FILE", str(tmp_path / "secret.key"))
    connected = connect_page(store, httpserver)
    moderation.ensure_default_guidelines(store, connected.admin)
    return connected


def test_guidelines_are_published_and_editable(page: ConnectedPage) -> None:
    store = page.store
    codes = [g.code for g in moderation.guidelines(store, page.agent)]
    assert codes == ["personal-data", "abuse", "spam", "off-topic"]
    changed = moderation.save_guideline(
        store, page.admin, "spam", "Spam", "Gentagne indlæg og reklame fjernes."
    )
    assert changed.position == 3 and changed.title == "Spam"
    moderation.save_guideline(store, page.admin, "off-topic", "Off topic", "x", active=False)
    assert "off-topic" not in [g.code for g in moderation.guidelines(store, page.agent)]
    with pytest.raises(UserError, match="short slug"):
        moderation.save_guideline(store, page.admin, "Ikke en kode!", "t", "b")
    with pytest.raises(Forbidden):
        moderation.save_guideline(store, page.agent, "x", "t", "b")


def test_nothing_is_moderated_without_a_published_reason(page: ConnectedPage) -> None:
    store = page.store
    with pytest.raises(UserError, match="say which guideline"):
        moderation.moderate(store, page.agent, page.question_id, "hide", None)
    with pytest.raises(UserError, match="not one of the workspace's moderation guidelines"):
        moderation.moderate(store, page.agent, page.question_id, "hide", "ugly")
    with pytest.raises(UserError, match="unknown moderation act"):
        moderation.moderate(store, page.agent, page.question_id, "burn", "spam")
    assert page.graph.actions == []
    assert store.moderation_acts(page.workspace_id) == []


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed")
def test_a_hide_keeps_the_evidence_tells_the_author_and_is_audited(page: ConnectedPage) -> None:
    store = page.store
    act = moderation.moderate(
        store,
        page.agent,
        page.question_id,
        "hide",
        "personal-data",
        note="CPR-nummer i kommentaren",
        item_id=page.item_id,
    )
    question = store.get_post(page.workspace_id, page.question_id)
    assert question is not None
    # the platform hid it, and the author was told why in a reply
    hide, notice = page.graph.actions
    assert hide == ("POST", question.external_id, {"is_hidden": "true"})
    assert notice[1] == f"{question.external_id}/comments"
    assert "Hej Mette Hansen" in notice[2]["message"]
    assert "skjult" in notice[2]["message"] and "Personoplysninger" in notice[2]["message"]
    assert act.status == ActStatus.DONE
    assert act.notice_channel == NoticeChannel.PLATFORM and act.notice_status.startswith("sent")
    # the evidence: the raw payload, an HTML snapshot and a PNG, each with its SHA-256
    kept = moderation.evidence_of(store, page.agent, act.id)
    assert json.loads(kept.payload)["id"] == question.external_id
    assert "Mit CPR er 010203-1234" in json.loads(kept.payload)["message"]
    assert "Mette Hansen" in kept.html and "010203-1234" in kept.html
    assert kept.png is not None and kept.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert kept.png_sha256 == sha256(kept.png) and kept.intact()
    # one audit entry with who, what, why and the evidence's hashes, in an intact chain
    (entry,) = audit.page(store, page.admin)
    assert (entry.actor, entry.action, entry.subject) == (
        "jonas@banken.dk",
        "moderation.hide",
        f"post {question.id}",
    )
    assert entry.reason.startswith("personal-data: Personoplysninger")
    assert entry.evidence == kept.hashes and len(entry.evidence) == 3
    assert entry.details["note"] == "CPR-nummer i kommentaren"
    assert act.audit_seq == entry.seq
    assert audit.verify(store, page.admin).intact
    # and the item's history says so
    assert any(e.kind == "moderated" for e in store.item_events(page.item_id))


def test_the_author_can_be_told_by_e_mail_from_the_workspaces_template(
    page: ConnectedPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LYTTER_CHROMIUM", "/nonexistent/chromium")  # PNG not needed here
    store = page.store
    replies.save_reply(
        store,
        page.admin,
        "moderation",
        "Kære {author}, dit indlæg er {action} ({guideline}).",
        kind="notice",
    )
    with smtp_server() as outbox:
        mailer = Mailer(outbox.host, outbox.port, sender="moderator@banken.dk")
        act = moderation.moderate(
            store,
            page.agent,
            page.question_id,
            "delete",
            "abuse",
            email="mette@example.dk",
            mailer=mailer,
        )
    ((sender, recipients, text),) = outbox.messages
    assert sender == "moderator@banken.dk" and recipients == ["mette@example.dk"]
    assert "Subject: Dit indlæg på Banken Aarhus" in text
    assert "Kære Mette Hansen, dit indlæg er slettet (Chikane og hadefuld tale" in text
    assert act.notice_channel == NoticeChannel.EMAIL and act.notice_to == "mette@example.dk"
    kept = moderation.evidence_of(store, page.agent, act.id)
    assert kept.png is None and "no browser" in (kept.png_missing or "")
    assert audit.page(store, page.admin)[0].evidence == kept.hashes
    # deleted on the platform; here the post and its evidence stay
    assert page.graph.actions[0][0] == "DELETE"
    assert store.get_post(page.workspace_id, page.question_id) is not None


def test_a_deleted_or_blocked_author_is_told_privately_on_the_platform(
    page: ConnectedPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LYTTER_CHROMIUM", "/nonexistent/chromium")
    store = page.store
    act = moderation.moderate(store, page.agent, page.question_id, "delete", "spam")
    (message, deleted) = page.graph.actions
    # the private reply (Messenger Private Replies) goes first: it needs the comment
    assert message[0] == "POST" and message[1] == "104000000000001/messages"
    comment = store.get_post(page.workspace_id, page.question_id)
    assert comment is not None
    assert json.loads(message[2]["recipient"]) == {"comment_id": comment.external_id}
    assert "slettet" in json.loads(message[2]["message"])["text"]
    assert deleted[0] == "DELETE"
    assert act.notice_channel == NoticeChannel.PLATFORM
    assert (act.notice_status or "").startswith("sent privately as m_")
    blocked = moderation.moderate(store, page.agent, page.question_id, "block", "abuse")
    assert page.graph.actions[-2][1] == "104000000000001/blocked"
    assert page.graph.actions[-1][1] == "104000000000001/messages"  # after the block
    assert (blocked.notice_status or "").startswith("sent privately as m_")


def test_a_block_has_an_expiry_and_a_review_date_and_can_be_lifted(
    page: ConnectedPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LYTTER_CHROMIUM", "/nonexistent/chromium")
    store = page.store
    act = moderation.moderate(
        store,
        page.admin,
        page.question_id,
        "block",
        "abuse",
        notify="none",
        expires=timedelta(days=14),
    )
    assert page.graph.actions[0][1] == f"{104000000000001}/blocked"
    assert page.graph.actions[0][2] == {"user": "6000000000777"}
    assert act.expires_at == FROZEN + timedelta(days=14)
    assert act.review_at == FROZEN + timedelta(days=7)
    assert act.notice_status == "not told: the moderator chose not to"
    assert [b.id for b in moderation.blocks(store, page.agent)] == [act.id]
    assert moderation.blocks(store, page.agent, FROZEN + timedelta(days=15)) == []

    lifted = moderation.moderate(
        store, page.admin, page.question_id, "unblock", None, note="Undskyldning modtaget"
    )
    assert page.graph.actions[-1][0] == "DELETE"
    assert page.graph.actions[-1][1] == f"{104000000000001}/blocked"
    assert lifted.action == ModerationAction.UNBLOCK and lifted.evidence_id is None
    assert moderation.blocks(store, page.agent) == []
    entries = audit.page(store, page.admin)
    assert [e.action for e in entries] == ["moderation.block", "moderation.unblock"]
    assert entries[1].details["lifted_blocks"] == [act.id]


def test_a_refused_act_keeps_the_evidence_and_says_nothing_changed(
    page: ConnectedPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LYTTER_CHROMIUM", "/nonexistent/chromium")
    store = page.store
    denied = {"message": "(#200) Permissions error", "type": "OAuthException", "code": 200}
    page.graph.failures.append((403, {"error": denied}))
    with pytest.raises(PlatformRefused, match="nothing changed on the platform"):
        moderation.moderate(store, page.agent, page.question_id, "hide", "spam")
    (act,) = store.moderation_acts(page.workspace_id)
    assert act.status == ActStatus.FAILED and "Permissions" in (act.error or "")
    assert store.get_evidence(page.workspace_id, act.evidence_id or 0) is not None
    assert audit.page(store, page.admin) == []  # nothing was done, so nothing is audited


def test_evidence_is_never_changed_or_deleted(
    page: ConnectedPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LYTTER_CHROMIUM", "/nonexistent/chromium")
    store = page.store
    act = moderation.moderate(store, page.agent, page.question_id, "hide", "spam", notify="none")
    engine = sa.create_engine(store.url)  # type: ignore[attr-defined]
    for statement in ("UPDATE evidence SET html = 'x'", "DELETE FROM evidence"):
        refused = pytest.raises(sa.exc.DBAPIError, match="evidence is kept for good")
        with refused, engine.begin() as conn:
            conn.exec_driver_sql(statement)
    engine.dispose()
    assert moderation.evidence_of(store, page.agent, act.id).intact()


def test_people_see_and_moderate_only_their_pages(page: ConnectedPage) -> None:
    store = page.store
    from lytter.domain.access import Actor
    from lytter.domain.users import Role

    stranger = Actor(page.workspace_id, Role.AGENT, frozenset(), None)
    with pytest.raises(NotFound):
        moderation.moderate(store, stranger, page.question_id, "hide", "spam")
    viewer = Actor(page.workspace_id, Role.VIEWER, None, None)
    with pytest.raises(Forbidden):
        moderation.moderate(store, viewer, page.question_id, "hide", "spam")
    assert inbox.get_item(store, page.agent, page.item_id) is not None
    assert check_chain([], None).intact


def test_an_expired_block_is_lifted_on_the_platform_and_audited(
    page: ConnectedPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LYTTER_CHROMIUM", "/nonexistent/chromium")
    store = page.store
    short = moderation.moderate(
        store,
        page.admin,
        page.question_id,
        "block",
        "abuse",
        notify="none",
        expires=timedelta(days=3),
    )
    longer = moderation.moderate(
        store,
        page.admin,
        page.question_id,
        "block",
        "abuse",
        notify="none",
        expires=timedelta(days=10),
    )
    monkeypatch.setattr(store, "clock", lambda: FROZEN + timedelta(days=5))
    assert moderation.lift_expired_blocks(store, page.workspace_id) == ([], [])  # one in force
    monkeypatch.setattr(store, "clock", lambda: FROZEN + timedelta(days=11))
    unblocks, problems = moderation.lift_expired_blocks(store, page.workspace_id)
    assert problems == [] and [u.actor for u in unblocks] == ["system"]
    assert page.graph.actions[-1][0] == "DELETE"  # unblocked on the page
    assert page.graph.actions[-1][1] == f"{104000000000001}/blocked"
    lifted = {a.id: a.lifted_at for a in store.moderation_acts(page.workspace_id)}
    assert lifted[short.id] == lifted[longer.id] == FROZEN + timedelta(days=11)
    entry = audit.page(store, page.admin)[-1]
    assert entry.action == "moderation.unblock" and entry.actor == "system"
    assert sorted(entry.details["lifted_blocks"]) == [short.id, longer.id]
    assert moderation.lift_expired_blocks(store, page.workspace_id) == ([], [])  # once
