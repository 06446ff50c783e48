"""Sources Lytter collects from itself: adding, testing, removing, and collecting.

Collecting stores each page of posts in one transaction with the source's cursor, so an
interrupted collection goes on where it stopped, with nothing lost or doubled. A platform
error stops that source's collection (recorded on the source, logged) and the others go on;
new posts are then matched against the saved queries.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from lytter.connectors import (
    CONNECTORS,
    Connector,
    ConnectorError,
    Http,
    SettingsError,
    make_connector,
)
from lytter.connectors.facebook import FacebookConnector
from lytter.domain.access import Actor, Permission
from lytter.domain.posts import PostDraft, SaveResult
from lytter.domain.sources import Source
from lytter.domain.workspaces import Brand, BrandKind
from lytter.services import alerts as alert_service
from lytter.services import analysing, inbox, metrics, secrets, sla_watch
from lytter.services import queries as query_service
from lytter.services.access import require
from lytter.services.errors import Conflict, NotFound, UserError
from lytter.services.sources import resolve_sources
from lytter.store.base import SourceCursor, Store

log = logging.getLogger("lytter.collect")

DEFAULT_POLL_SECONDS = 900
PageProgress = Callable[[Source, int], None]
"""Called with (source, posts so far) after each stored page."""


@dataclass
class SourceReport:
    """What one source's collection did."""

    source: Source
    pages: int = 0
    saved: SaveResult = field(default_factory=SaveResult)
    error: str | None = None
    seconds: float = 0.0

    @property
    def posts(self) -> int:
        s = self.saved
        return s.inserted + s.updated + s.edited + s.unchanged


@dataclass
class CollectReport:
    sources: list[SourceReport]
    matches: int = 0

    @property
    def failed(self) -> list[SourceReport]:
        return [r for r in self.sources if r.error]


@dataclass(frozen=True)
class Trial:
    """`lytter source test`: what the first page holds, nothing stored."""

    source: Source
    posts: list[PostDraft]


def _secret(store: Store, source: Source) -> str | None:
    env = source.settings.get("token_env")
    if env:
        value = os.environ.get(str(env))
        if not value:
            raise UserError(
                "source '{name}' reads its token from ${env}, which is not set",
                name=source.name,
                env=str(env),
            )
        return value
    stored = store.source_secret(source.id)
    return None if stored is None else secrets.decrypt(stored)


def connector_for(store: Store, source: Source, http: Http | None = None) -> Connector:
    if source.connector is None:
        raise UserError(
            "source '{name}' came from an import; Lytter does not collect from it",
            field="source",
            name=source.name,
        )
    settings = {**source.settings, "name": source.name}
    try:
        return make_connector(source.connector, settings, _secret(store, source), http)
    except SettingsError as exc:
        raise UserError("source '{name}': {reason}", name=source.name, reason=str(exc)) from exc


def add_source(
    store: Store,
    actor: Actor,
    connector: str,
    settings: Mapping[str, Any],
    *,
    name: str | None = None,
    secret: str | None = None,
    poll_seconds: int = DEFAULT_POLL_SECONDS,
    brand: str | None = None,
    competitor: bool = False,
) -> Source:
    """Start collecting from a new source. The secret (an access token) is stored encrypted.
    `brand` names whose channel it is (created when new, as a competitor's with
    `competitor`)."""
    require(actor, Permission.MANAGE_SOURCES)
    kind = CONNECTORS.get(connector)
    if kind is None:
        raise UserError(
            "unknown connector '{name}': use {known}",
            field="connector",
            name=connector,
            known=", ".join(sorted(CONNECTORS)),
        )
    if poll_seconds < 60:
        raise UserError("poll every 60 seconds or more, not {n}", field="poll", n=poll_seconds)
    clean = {k: v for k, v in settings.items() if v not in (None, "")}
    try:  # the settings are checked now; the token when it is used
        kind(clean, secret or "checked-when-collecting").http.close()
    except SettingsError as exc:
        raise UserError("{reason}", reason=str(exc)) from exc
    external_id = kind.external_id(clean)
    source = store.add_collected_source(
        actor.workspace_id,
        platform=kind.platform,
        external_id=external_id,
        name=(name or "").strip() or external_id,
        url=clean.get("url"),
        connector=connector,
        settings=clean,
        secret=secrets.encrypt(secret) if secret else None,
        poll_seconds=poll_seconds,
    )
    if source is None:
        raise Conflict("Lytter collects from {id} already", field="source", id=external_id)
    if brand and brand.strip():
        store.set_source_brand(source.id, _brand(store, actor, brand.strip(), competitor).id)
        source = store.get_source(actor.workspace_id, source.id) or source
    return source


def _brand(store: Store, actor: Actor, name: str, competitor: bool) -> Brand:
    for known in store.list_brands(actor.workspace_id):
        if known.name.casefold() == name.casefold():
            return known
    kind = BrandKind.COMPETITOR if competitor else BrandKind.OWN
    return store.ensure_brand(actor.workspace_id, name, kind)


def add_facebook_pages(
    store: Store,
    actor: Actor,
    user_token: str,
    settings: Mapping[str, Any] | None = None,
    *,
    poll_seconds: int = DEFAULT_POLL_SECONDS,
    brand: str | None = None,
    competitor: bool = False,
    make_http: Callable[[], Http] = Http,
) -> tuple[list[Source], list[str]]:
    """One source for every page the user token manages (GET /me/accounts), each with its
    own page token stored encrypted; returns the sources added and the names of the pages
    collected already."""
    require(actor, Permission.MANAGE_SOURCES)
    base = {k: v for k, v in (settings or {}).items() if v not in (None, "")}
    try:
        lister = FacebookConnector({**base, "page": "0"}, user_token, make_http())
        pages = lister.managed_pages()
    except ConnectorError as exc:
        raise UserError("listing the pages failed: {reason}", reason=str(exc)) from exc
    added: list[Source] = []
    already: list[str] = []
    for page in pages:
        try:
            added.append(
                add_source(
                    store,
                    actor,
                    "facebook",
                    {**base, "page": str(page["id"])},
                    name=str(page.get("name") or page["id"]),
                    secret=str(page["access_token"]),
                    poll_seconds=poll_seconds,
                    brand=brand,
                    competitor=competitor,
                )
            )
        except Conflict:
            already.append(str(page.get("name") or page["id"]))
    return added, already


def find_source(store: Store, actor: Actor, ref: str) -> Source:
    require(actor, Permission.READ)
    source = resolve_sources(store, actor.workspace_id, [ref])[0]
    if not actor.sees_source(source.id):
        raise NotFound("no source '{ref}' in this workspace", field="source", ref=ref)
    return source


def collected_sources(store: Store, actor: Actor) -> list[Source]:
    require(actor, Permission.READ)
    return [
        s
        for s in store.list_sources(actor.workspace_id)
        if s.collectable and actor.sees_source(s.id)
    ]


def remove_source(store: Store, actor: Actor, ref: str) -> bool:
    """Stop collecting from a source; its posts stay. True when it had posts."""
    require(actor, Permission.MANAGE_SOURCES)
    source = find_source(store, actor, ref)
    if not source.collectable:
        raise UserError(
            "source '{name}' came from an import; there is nothing to stop", name=source.name
        )
    return store.stop_collecting(source.id)


def test_source(store: Store, actor: Actor, ref: str) -> Trial:
    """Fetch the source's first page as a collection would, and store nothing. A test asks
    once more at most: a person is waiting for the answer."""
    source = find_source(store, actor, ref)
    connector = connector_for(store, source, Http(retries=1))
    try:
        for page in connector.collect(source.cursor):
            return Trial(source, page.drafts)
    except ConnectorError as exc:
        raise UserError("{name}: {reason}", name=source.name, reason=str(exc)) from exc
    return Trial(source, [])


def collect_source(
    store: Store,
    source: Source,
    *,
    make_http: Callable[[], Http] = Http,
    progress: PageProgress | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> SourceReport:
    """Collect one source from its cursor on; platform errors end up in the report."""
    report = SourceReport(source)
    started = time.monotonic()
    error: str | None = None
    try:
        # A client of its own: a connector puts its source's token in the client's headers.
        connector = connector_for(store, source, make_http())
        for page in connector.collect(source.cursor):
            saved = store.save_posts(
                source.workspace_id, page.drafts, cursor=SourceCursor(source.id, page.cursor)
            )
            report.saved = report.saved + saved
            report.pages += 1
            if progress:
                progress(source, report.posts)
            if should_stop():
                break
    except Interrupted:
        # Stopped while waiting to retry: nothing to record, the source is due again.
        log.info("stopped while collecting %s", source.name)
        report.seconds = time.monotonic() - started
        return report
    except (ConnectorError, UserError) as exc:
        error = str(exc)
        log.error("collecting %s (%s) failed: %s", source.name, source.connector, error)
    report.error = error
    report.seconds = time.monotonic() - started
    store.record_collection(source.id, datetime.now(UTC), error)
    log.info(
        "collected %s: %d pages, %d new, %d changed",
        source.name,
        report.pages,
        report.saved.inserted,
        report.saved.updated + report.saved.edited,
    )
    return report


def collect(
    store: Store,
    actor: Actor,
    refs: list[str] | None = None,
    *,
    make_http: Callable[[], Http] = Http,
    progress: PageProgress | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> CollectReport:
    """Collect the named sources (all enabled collected sources when none are named)."""
    require(actor, Permission.MANAGE_SOURCES)
    if refs:
        chosen = [find_source(store, actor, r) for r in refs]
    else:
        chosen = [s for s in collected_sources(store, actor) if s.enabled]
    reports = []
    for source in chosen:
        if should_stop():
            break
        reports.append(
            collect_source(
                store, source, make_http=make_http, progress=progress, should_stop=should_stop
            )
        )
    matches = query_service.match_new_posts(store, actor.workspace_id)
    analysing.analyse_new_posts(store, actor.workspace_id)
    inbox.gather(store, actor.workspace_id)
    metrics.refresh(store, actor.workspace_id)
    return CollectReport(reports, matches)


def due_sources(store: Store, actor: Actor, now: datetime) -> tuple[list[Source], float]:
    """The enabled sources whose poll interval has passed, and the seconds until the next one
    falls due."""
    due: list[Source] = []
    wait = float(DEFAULT_POLL_SECONDS)
    for source in collected_sources(store, actor):
        if not source.enabled:
            continue
        every = timedelta(seconds=source.poll_seconds or DEFAULT_POLL_SECONDS)
        if source.collected_at is None or source.collected_at + every <= now:
            due.append(source)
        else:
            wait = min(wait, (source.collected_at + every - now).total_seconds())
    return due, max(1.0, wait)


class Interrupted(ConnectorError):
    """The collector was told to stop while it waited to retry a request."""


def _stoppable_sleep(stop: threading.Event) -> Callable[[float], None]:
    def sleep(seconds: float) -> None:
        if stop.wait(seconds):
            raise Interrupted("stopped")

    return sleep


def _lift_expired_blocks(store: Store, workspace_id: int) -> None:
    from lytter.services import moderation  # it collects through this module's connectors

    lifted, problems = moderation.lift_expired_blocks(store, workspace_id)
    for act in lifted:
        log.info("block expired: unblocked", extra={"act": act.id, "author": act.author_handle})
    for problem in problems:
        log.warning("an expired block could not be lifted: %s", problem)


ALERT_EVERY = timedelta(minutes=5)


def _check_alerts(store: Store, workspace_id: int) -> None:
    report = alert_service.check(store, workspace_id)
    for alert in report.opened:
        log.warning("alert: %s", alert.title, extra={"alert": alert.id, "kind": alert.kind})
    for alert in report.closed:
        log.info("alert over: %s", alert.title, extra={"alert": alert.id})
    for failure in report.failed:
        log.warning("an alert could not be delivered: %s", failure)


def run(store: Store, actor: Actor, stop: threading.Event) -> int:
    """Collect every source on its schedule until `stop` is set; returns the pages stored.

    A stop request is honoured between pages: the page in flight is stored with its cursor
    first, so nothing is lost and the next run goes on from there. A wait before a retry (a
    rate limit, a failing platform) ends at once.
    """
    sleep = _stoppable_sleep(stop)
    require(actor, Permission.MANAGE_SOURCES)
    log.info("collector started", extra={"workspace": actor.workspace_id})
    pages = 0
    checked: datetime | None = None
    while not stop.is_set():
        due, wait = due_sources(store, actor, datetime.now(UTC))
        for source in due:
            if stop.is_set():
                break
            report = collect_source(
                store, source, make_http=lambda: Http(sleep=sleep), should_stop=stop.is_set
            )
            pages += report.pages
        if due:
            query_service.match_new_posts(store, actor.workspace_id)
            analysing.analyse_new_posts(store, actor.workspace_id)
            inbox.gather(store, actor.workspace_id)
        sla_watch.watch(store, actor)  # warnings, breaches and escalations, every round
        _lift_expired_blocks(store, actor.workspace_id)
        metrics.refresh(store, actor.workspace_id)  # so the dashboards read fresh roll-ups
        if checked is None or datetime.now(UTC) - checked >= ALERT_EVERY:
            _check_alerts(store, actor.workspace_id)
            checked = datetime.now(UTC)
        if due:
            _, wait = due_sources(store, actor, datetime.now(UTC))
        stop.wait(min(wait, 60.0))
    log.info("collector stopped", extra={"workspace": actor.workspace_id, "pages": pages})
    return pages
