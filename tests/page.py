"""A bank's Facebook page connected to a local Graph API server, with a customer's question in
the inbox: what the reply and moderation tests answer and moderate through the real connector."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer

from lytter.demo.platform import GraphApi, facebook_comment, facebook_post
from lytter.domain.access import Actor
from lytter.domain.posts import AuthorRef, Engagement, PostDraft, PostFilter, SourceRef
from lytter.domain.users import Role, User
from lytter.services import collecting, inbox
from lytter.services import users as user_service
from lytter.services.access import actor_for
from lytter.store import Store
from tests.bank import PASSWORD
from tests.conftest import FROZEN

PAGE = "104000000000001"


@dataclass
class ConnectedPage:
    store: Store
    graph: GraphApi
    workspace_id: int
    source_id: int
    admin: Actor
    agent: Actor
    agent_user: User
    other: Actor
    item_id: int
    question_id: int  # the customer's comment (stored post id)
    root_id: int  # the page's post it is on


def _draft(item: dict, *, root: str | None, parent: str | None) -> PostDraft:
    author = item["from"]
    return PostDraft(
        platform="facebook",
        external_id=item["id"],
        text=item["message"],
        created_at=FROZEN - timedelta(hours=1),
        author=AuthorRef(author["id"], author.get("name")),
        source=SourceRef(PAGE, "Banken Aarhus"),
        root_id=root,
        parent_id=parent,
        language="da",
        engagement=Engagement(),
        raw=item,
        mapper="facebook/1",
    )


def connect_page(store: Store, httpserver: HTTPServer) -> ConnectedPage:
    """The bank's page as a Facebook source on `httpserver`, a post of the page and a
    customer's comment on it (stored as a collection would store them), read into the inbox."""
    ws = store.ensure_workspace("banken", "Banken")
    system = Actor.system(ws.id)
    graph = GraphApi()
    graph.serve(httpserver)
    source = collecting.add_source(
        store,
        system,
        "facebook",
        {"page": PAGE, "graph": graph.base(httpserver.url_for("")), "since": "2024-04-01"},
        name="Banken Aarhus",
        secret="page-token",
        brand="Banken",
    )
    post = facebook_post(0, page=PAGE, start=FROZEN - timedelta(hours=3), text="Nyt fra banken")
    question = "Hvorfor virker netbanken ikke? Mit CPR er 010203-1234"
    comment = facebook_comment(1, post_id=post["id"], start=FROZEN, text=question)
    comment["from"] = {"name": "Mette Hansen", "id": "6000000000777"}
    graph.feeds[PAGE] = [post]
    graph.comments[post["id"]] = [comment]
    store.save_posts(
        ws.id,
        [
            _draft(post, root=None, parent=None)._replace(created_at=FROZEN - timedelta(hours=3)),
            _draft(comment, root=post["id"], parent=post["id"]),
        ],
    )
    inbox.gather(store, ws.id)

    def add(email: str, name: str, role: Role) -> User:
        return user_service.add_user(
            store, system, email=email, name=name, role=role, password=PASSWORD
        )

    admin = add("karen@banken.dk", "Karen Holm", Role.ADMIN)
    agent = add("jonas@banken.dk", "Jonas Berg", Role.AGENT)
    other = add("ida@banken.dk", "Ida Lund", Role.AGENT)
    store.grant_sources(agent.id, [source.id])
    store.grant_sources(other.id, [source.id])
    (item,) = store.inbox_items(ws.id)
    posts = {p.external_id: p.id for p in store.find_posts(PostFilter(workspace_id=ws.id))}
    return ConnectedPage(
        store,
        graph,
        ws.id,
        source.id,
        actor_for(store, admin),
        actor_for(store, agent),
        agent,
        actor_for(store, other),
        item.id,
        posts[comment["id"]],
        posts[post["id"]],
    )


@dataclass
class Outbox:
    """Mail a real SMTP server on 127.0.0.1 received."""

    host: str
    port: int
    messages: list[tuple[str, list[str], str]] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        content = envelope.content  # type: ignore[attr-defined]
        raw = content if isinstance(content, bytes) else content.encode()
        message = BytesParser(policy=policy.default).parsebytes(raw)
        body = message.get_body(("plain",))
        text = f"Subject: {message['Subject']}\n\n{'' if body is None else body.get_content()}"
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), text))  # type: ignore[attr-defined]
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[Outbox]:
    """An SMTP server (aiosmtpd) on a free port of 127.0.0.1, for as long as the block runs."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    outbox = Outbox("127.0.0.1", port)
    controller = Controller(outbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield outbox
    finally:
        controller.stop()
