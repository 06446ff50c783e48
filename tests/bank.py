"""A bank with two local pages and users with different roles and grants, for access tests."""

from __future__ import annotations

from dataclasses import dataclass

from lytter.domain.access import Actor
from lytter.domain.posts import SourceRef
from lytter.domain.users import Role, User
from lytter.services import users as user_service
from lytter.services.access import actor_for
from lytter.store import Store
from tests.helpers import draft

PASSWORD = "rødgrød med fløde"


@dataclass
class Bank:
    """Two local pages (Aarhus, Odense), an admin, an agent of Aarhus and a viewer."""

    store: Store
    workspace_id: int
    aarhus: int
    odense: int
    admin: Actor
    agent: Actor
    viewer: Actor
    agent_user: User

    def actor(self, user: User) -> Actor:
        return actor_for(self.store, user)


def make_bank(store: Store) -> Bank:
    """Five posts (two on Aarhus, two on Odense, one on no page) and three users."""
    ws = store.ensure_workspace("banken", "Banken")
    aarhus, odense = SourceRef("aarhus", "Banken Aarhus"), SourceRef("odense", "Banken Odense")
    store.save_posts(
        ws.id,
        [
            draft("1", "Netbanken er nede i Aarhus", source=aarhus),
            draft("2", "Vi kigger på det nu", source=aarhus, root_id="1", parent_id="1"),
            draft("3", "Lang kø i Odense i dag", source=odense),
            draft("4", "Netbanken virker ikke i Odense", source=odense),
            draft("5", "Hvem ejer banken egentlig?", source=None),
        ],
    )
    ids = {s.external_id: s.id for s in store.list_sources(ws.id)}
    system = Actor.system(ws.id)

    def add(email: str, role: Role) -> User:
        return user_service.add_user(
            store, system, email=email, name=email.split("@")[0], role=role, password=PASSWORD
        )

    admin = add("karen@banken.dk", Role.ADMIN)
    agent = add("jonas@banken.dk", Role.AGENT)
    viewer = add("sofie@banken.dk", Role.VIEWER)
    store.grant_sources(agent.id, [ids["aarhus"]])
    return Bank(
        store,
        ws.id,
        ids["aarhus"],
        ids["odense"],
        actor_for(store, admin),
        actor_for(store, agent),
        actor_for(store, viewer),
        agent,
    )
