"""Build the demo workspace from the data bundled in `lytter.demo` (idempotently)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from tempfile import TemporaryDirectory

from lytter.domain.access import Actor
from lytter.domain.posts import SaveResult
from lytter.domain.users import Role
from lytter.domain.workspaces import BrandKind, Workspace
from lytter.services import alerts, analysing, desks, goals, inbox, metrics
from lytter.services.auth import hash_password
from lytter.services.importing import import_file
from lytter.store.base import Store

DEMO_FILES = ("dkhate.jsonl.gz", "political_comments.jsonl.gz", "twcs.jsonl.gz")
DEMO_WORKSPACE = "default"
DEMO_NAME = "Lytter demo"
DEMO_PASSWORD = "lytter-demo"


@dataclass(frozen=True, slots=True)
class DemoUser:
    """A login the demo creates, with the pages (platform, external id) granted to it."""

    email: str
    name: str
    role: Role
    locale: str
    pages: tuple[tuple[str, str], ...] = ()


DEMO_USERS = (
    DemoUser("karen@lytter.demo", "Karen Nielsen", Role.ADMIN, "da"),
    DemoUser(
        "mette@lytter.demo",
        "Mette Holm",
        Role.MANAGER,
        "da",
        (("facebook", "TV2"), ("facebook", "DR"), ("facebook", "Politiken"), ("facebook", "BT")),
    ),
    DemoUser("jonas@lytter.demo", "Jonas Berg", Role.AGENT, "en", (("twitter", "Delta"),)),
    DemoUser("sofie@lytter.demo", "Sofie Lund", Role.VIEWER, "da"),
)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What building the demo did."""

    workspace: Workspace
    posts: int
    sources: int
    brands: int
    saved: SaveResult
    users: tuple[DemoUser, ...] = DEMO_USERS
    granted: dict[str, tuple[str, ...]] = field(default_factory=dict)  # e-mail: "DR (facebook)"

    def describe(self) -> str:
        return (
            f"Demo workspace '{self.workspace.name}': {self.posts:,} posts from "
            f"{self.sources:,} sources, {self.brands} brands "
            f"({self.saved.inserted:,} new posts this run)"
        )

    def logins(self) -> list[tuple[str, str, str, str]]:
        """(e-mail, password, role, pages) of each demo login, for printing."""
        return [
            (
                u.email,
                DEMO_PASSWORD,
                u.role.value,
                ", ".join(self.granted.get(u.email, ())) or "all pages",
            )
            for u in self.users
        ]


def build_demo(
    store: Store,
    progress: Callable[[int, int], None] | None = None,
    platform: str | None = None,
) -> DemoSummary:
    """Load the bundled posts and brands into the demo workspace; safe to run again. With
    `platform` (the address of `lytter.demo.platform`'s server), also collect from a Facebook
    page and an RSS feed there, as sources Lytter collects from itself."""
    data = resources.files("lytter.demo") / "data"
    workspace = store.ensure_workspace(DEMO_WORKSPACE, DEMO_NAME)
    saved = SaveResult()
    for n, name in enumerate(DEMO_FILES):
        with resources.as_file(data / name) as path, TemporaryDirectory() as tmp:
            rejects = Path(tmp) / "rejects.jsonl"
            report = import_file(store, workspace.id, Path(path), rejects_path=rejects)
            if report.rejected:
                first = rejects.read_text(encoding="utf-8").splitlines()[0]
                raise RuntimeError(f"bundled demo file {name} has bad rows, first: {first}")
        saved += report.saved
        if progress:
            progress(n + 1, len(DEMO_FILES) + 1)
    kinds: dict[str, str] = json.loads((data / "brands.json").read_text(encoding="utf-8"))
    by_external = {(s.platform, s.external_id): s for s in store.list_sources(workspace.id)}
    for name, kind in kinds.items():
        brand = store.ensure_brand(workspace.id, name, BrandKind(kind))
        source = by_external.get(("twitter", name))
        if source is not None:
            store.set_source_brand(source.id, brand.id)
    _ensure_users(store, workspace)
    _ensure_queries(store, workspace)
    _ensure_desks(store, workspace)  # before the inbox is gathered: its rules route the items
    if platform:
        _ensure_collected(store, workspace, platform.rstrip("/"))
    analysing.analyse_new_posts(store, workspace.id)  # language, tone, offensiveness
    inbox.gather(store, workspace.id)  # the own brand's threads, routed by the rules
    _ensure_responding(store, workspace, answer=platform is not None)
    _ensure_goals(store, workspace)
    metrics.refresh(store, workspace.id)  # the dashboards' roll-ups, ready before serving
    alerts.check(store, workspace.id)  # the in-app alerts: Delta dormant, goals missed, ...
    if progress:
        progress(len(DEMO_FILES) + 1, len(DEMO_FILES) + 1)
    stats = store.stats(workspace.id)
    names = {s.id: f"{s.name} ({s.platform})" for s in store.list_sources(workspace.id)}
    granted: dict[str, tuple[str, ...]] = {}
    for demo_user in DEMO_USERS:
        user = store.find_user(demo_user.email)
        if user is not None and demo_user.pages:
            granted[user.email] = tuple(names[i] for i in store.granted_sources(user.id))
    return DemoSummary(
        workspace=workspace,
        posts=stats.posts,
        sources=stats.sources,
        brands=len(store.list_brands(workspace.id)),
        saved=saved,
        granted=granted,
    )


def _ensure_users(store: Store, workspace: Workspace) -> None:
    """Create the demo logins (once) and give them exactly their pages."""
    by_external = {(s.platform, s.external_id): s.id for s in store.list_sources(workspace.id)}
    for demo_user in DEMO_USERS:
        user = store.find_user(demo_user.email)
        if user is None:
            user = store.add_user(
                workspace.id,
                demo_user.email,
                demo_user.name,
                demo_user.role,
                demo_user.locale,
                hash_password(DEMO_PASSWORD),
            )
        store.grant_sources(user.id, [by_external[page] for page in demo_user.pages])


def _ensure_desks(store: Store, workspace: Workspace) -> None:
    """Delta's support desk (open around the clock, as an airline's is, on a shift roster), the
    debate desk for the demo page's comments (office hours), their SLA targets and the routing
    rules that put the items on them (once)."""
    from lytter.services import routing
    from lytter.services.routing import RuleDraft

    admin = Actor.system(workspace.id)
    if store.list_desks(workspace.id):
        return
    desks.add_desk(store, admin, "Kundeservice", "24/7")
    desks.set_members(store, admin, "Kundeservice", ["jonas@lytter.demo", "karen@lytter.demo"])
    desks.set_shift(store, admin, "Kundeservice", "jonas@lytter.demo", "mon-fri 07:00-19:00")
    desks.set_shift(
        store,
        admin,
        "Kundeservice",
        "karen@lytter.demo",
        "mon-fri 00:00-07:00,19:00-24:00; sat-sun 00:00-24:00",
    )
    desks.set_sla(store, admin, "Kundeservice", "normal", "1h", None, warn_before="15m")
    desks.set_sla(store, admin, "Kundeservice", "high", "30m", "8h", warn_before="10m")
    desks.set_sla(store, admin, "Kundeservice", "urgent", "15m", "4h", warn_before="5m")
    desks.add_desk(store, admin, "Debat", "mon-fri 08:00-16:00")
    desks.set_members(store, admin, "Debat", ["mette@lytter.demo", "karen@lytter.demo"])
    desks.set_sla(store, admin, "Debat", "normal", "4h", "16h", warn_before="30m")
    desks.set_signature(store, admin, "Debat", "/{agent}, {desk}")
    for draft in (
        RuleDraft("Demo-siden", platforms=("facebook",), desk="Debat", assign="round_robin"),
        RuleDraft(
            "Vrede kunder",
            sentiments=("negative",),
            desk="Kundeservice",
            assign="least_loaded",
            priority="high",
            tags=("klage",),
        ),
        RuleDraft("Delta", desk="Kundeservice", assign="least_loaded"),
    ):
        routing.add_rule(store, admin, draft)


def _ensure_goals(store: Store, workspace: Workspace) -> None:
    """The goals a community team sets (once): a post a day on the demo page, Delta's five
    posts a week (missed: the page is dormant), answers within the hour on Kundeservice, a
    response rate of 95 % and a net tone of at least 0."""
    if store.list_goals(workspace.id):
        return
    admin = Actor.system(workspace.id)
    pages = {s.name for s in store.list_sources(workspace.id)}
    if "DR (demo-side)" in pages:
        goals.add_goal(store, admin, "Dagligt opslag", "own-posts", 1, "day", page="DR (demo-side)")
    if "@Delta" in pages:
        goals.add_goal(store, admin, "Delta skriver", "own-posts", 5, "week", page="@Delta")
    goals.add_goal(
        store, admin, "Hurtige svar", "first-response-median", 60, "week", desk="Kundeservice"
    )
    goals.add_goal(store, admin, "Svarprocent", "response-rate", 95, "week")
    goals.add_goal(store, admin, "Tonen", "net-sentiment", 0, "month")


DEMO_REPLIES = (
    ("tak", "da", "Hej {author}, tak for din kommentar. Vi har givet den videre. {agent}"),
    ("tak", "en", "Hi {author}, thank you for your comment. We have passed it on. {agent}"),
    (
        "forsinkelse",
        "en",
        "Hi {author}, we are sorry about the delay. Please send us a DM with your booking code.",
    ),
)


def _ensure_responding(store: Store, workspace: Workspace, *, answer: bool) -> None:
    """Guidelines, saved replies and (with the demo platform to answer on) an answered item
    and a few moderation acts with their evidence on the demo page, audited (once)."""
    from lytter.domain.posts import PostFilter
    from lytter.services import moderation, replies
    from lytter.services.access import actor_for

    admin = Actor.system(workspace.id)
    moderation.ensure_default_guidelines(store, admin)
    if not replies.saved_replies(store, admin):
        for name, language, body in DEMO_REPLIES:
            replies.save_reply(store, admin, name, body, language=language)
    page = next((s for s in store.list_sources(workspace.id) if s.connector == "facebook"), None)
    if not answer or page is None or store.moderation_acts(workspace.id, limit=1):
        return
    karen, mette = store.find_user("karen@lytter.demo"), store.find_user("mette@lytter.demo")
    if karen is None or mette is None:
        return
    moderator = actor_for(store, mette)
    offensive = store.find_posts(
        PostFilter(workspace_id=workspace.id, source_ids=(page.id,), offensive=True, limit=3)
    )
    items = {i.thread: i.id for i in store.inbox_items(workspace.id, source_ids=[page.id])}
    for post, (action, reason) in zip(
        offensive, (("hide", "abuse"), ("hide", "abuse"), ("delete", "abuse")), strict=False
    ):
        moderation.moderate(
            store,
            moderator,
            post.id,
            action,
            reason,
            note="Demo: skældsord i debatten",
            item_id=items.get(post.root_id or post.external_id),
        )
    waiting = store.inbox_items(workspace.id, source_ids=[page.id], limit=1)
    if waiting:
        replies.send(
            store,
            actor_for(store, karen),
            waiting[0].id,
            "Tak for din kommentar. Vi tager den med på redaktionsmødet.",
        )


def _ensure_collected(store: Store, workspace: Workspace, platform: str) -> None:
    """The demo's collected sources on the local demo platform (once), collected now."""
    from lytter.demo.platform import DEMO_PAGE
    from lytter.services import collecting
    from lytter.services.errors import Conflict

    admin = Actor.system(workspace.id)
    wanted = (
        ("facebook", {"page": DEMO_PAGE, "graph": f"{platform}/v26.0"}, "DR (demo-side)", "demo"),
        ("rss", {"url": f"{platform}/feeds/nyheder.xml"}, "Nyheder (demo-feed)", None),
    )
    for connector, settings, name, token in wanted:
        with contextlib.suppress(Conflict):  # added by an earlier run
            # the demo page is the workspace's own: its comments come to the inbox
            brand = DEMO_PAGE_BRAND if connector == "facebook" else None
            collecting.add_source(
                store, admin, connector, settings, name=name, secret=token, brand=brand
            )
    collecting.collect(store, admin)
    page = next(s for s in store.list_sources(workspace.id) if s.external_id == DEMO_PAGE)
    mette = store.find_user("mette@lytter.demo")
    if mette is not None:
        store.grant_sources(mette.id, [page.id])


DEMO_PAGE_BRAND = "DR (demo)"

DEMO_SYNONYMS = {
    "kundeservice": ["kundeservice*", '"customer service"', "support", "helpdesk"],
    "forsinkelse": ["delay*", "delayed", "late", "cancel*", '"missed connection"', "forsink*"],
}
DEMO_QUERIES = (
    ("Delta: forsinkelser", "@Delta AND $forsinkelse", "Delta", ("drift",), ()),
    (
        "Konkurrenter: kundeservice",
        "(@AmericanAir OR @SouthwestAir OR @British_Airways OR @AlaskaAir) AND $kundeservice",
        None,
        ("konkurrent",),
        ("en",),
    ),
    (
        "Sundhed",
        "(sygehus* OR hospital* OR læge~ OR sundhed*) NOT fodbold",
        None,
        ("politik",),
        ("da",),
    ),
    (
        "Banker",
        '(bank~ OR "danske bank" OR nordea OR netbank*) NOT (flodbred OR sandbank*)',
        None,
        (),
        ("da",),
    ),
)


def _ensure_queries(store: Store, workspace: Workspace) -> None:
    """The demo's synonym sets and saved queries (once), with their matches."""
    from lytter.services import queries as query_service

    admin = Actor.system(workspace.id)
    known = {q.name for q in store.list_queries(workspace.id)}
    for name, entries in DEMO_SYNONYMS.items():
        store.set_synonyms(workspace.id, name, entries)
    for name, text, brand, tags, languages in DEMO_QUERIES:
        if name not in known:
            query_service.add_query(
                store, admin, name=name, text=text, brand=brand, tags=tags, languages=languages
            )
