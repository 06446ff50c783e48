"""The bundled demo workspace: real data, attributed, built idempotently."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from lytter.demo.platform import serve_demo_platform
from lytter.domain.access import Actor
from lytter.domain.posts import PostFilter
from lytter.domain.workspaces import BrandKind
from lytter.services import audit
from lytter.services.demo import DEMO_FILES, build_demo
from lytter.services.health import page_health
from lytter.store import open_store


def test_demo_data_ships_in_the_package_with_attribution_under_10_mb() -> None:
    data = resources.files("lytter.demo") / "data"
    size = sum((data / name).stat().st_size for name in DEMO_FILES)  # type: ignore[attr-defined]
    assert size < 10 * 2**20
    attribution = (data / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for credit in ("DKHate", "Sigurbergsson", "Christensen", "Thought Vector", "synthetic"):
        assert credit in attribution
    assert (data / "licences" / "dkhate-CC-BY-4.0.txt").is_file()


def test_building_the_demo_twice_gives_the_same_workspace(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    first = build_demo(store)
    second = build_demo(store)
    assert first.posts == second.posts == 11_312
    assert second.saved.inserted == 0
    assert {(b.name, b.kind) for b in store.list_brands(first.workspace.id)} >= {
        ("Delta", BrandKind.OWN),
        ("AmericanAir", BrandKind.COMPETITOR),
    }
    delta = next(s for s in store.list_sources(first.workspace.id) if s.name == "@Delta")
    assert delta.brand_id is not None

    ws = first.workspace.id
    danish = store.find_posts(PostFilter(ws, text="rådgiver OR kø OR ærlig", languages=("da",)))
    assert danish, "the demo has Danish posts to search"
    pages = {s.name for s in store.list_sources(ws)}
    assert {"TV2", "DR", "Politiken", "r/Denmark", "@Delta"} <= pages
    thread_post = store.find_posts(PostFilter(ws, text="sprintcare", platforms=("twitter",)))[0]
    assert len(store.thread(ws, thread_post)) > 1
    store.close()


def test_the_demo_collects_a_facebook_page_and_a_feed_from_its_recorded_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LYTTER_KEY_FILE", str(tmp_path / "secret.key"))
    platform = serve_demo_platform("127.0.0.1", 0)
    try:
        store = open_store(f"sqlite:///{tmp_path / 'demo.sqlite'}")
        base = f"http://127.0.0.1:{platform.server_port}"
        first = build_demo(store, platform=base)
        collected = {s.name: s for s in store.list_sources(first.workspace.id) if s.collectable}
        assert set(collected) == {"DR (demo-side)", "Nyheder (demo-feed)"}
        page = collected["DR (demo-side)"]
        assert page.connector == "facebook" and page.last_error is None and page.has_secret
        ws = first.workspace.id
        assert store.count_posts(PostFilter(ws, source_ids=(page.id,))) > 200
        assert store.count_posts(PostFilter(ws, source_ids=(collected["Nyheder (demo-feed)"].id,)))
        # the page is the workspace's own: its comments are items on the debate desk, one is
        # answered, and offensive ones were moderated with evidence, audited
        debate = next(d for d in store.list_desks(ws) if d.name == "Debat")
        on_desk = store.inbox_items(ws, desk_id=debate.id, limit=10_000)
        assert len(on_desk) > 10
        assert any(i.first_response_at is not None for i in on_desk)
        acts = store.moderation_acts(ws)
        assert [a.status.value for a in acts] == ["done"] * 3
        assert {a.actor for a in acts} == {"mette@lytter.demo"}
        system = Actor.system(ws)
        assert audit.verify(store, system).intact
        assert len(audit.page(store, system)) == 3
        assert store.get_evidence(ws, acts[0].evidence_id or 0) is not None
        logins = {row[0]: row[3] for row in first.logins()}
        assert "DR (demo-side) (facebook)" in logins["mette@lytter.demo"]
        assert logins["karen@lytter.demo"] == "all pages"
        # the items came to their desks by the demo's routing rules, to those on shift
        routed = [e for i in on_desk[:5] for e in store.item_events(i.id) if e.kind == "routed"]
        assert len(routed) == 5 and "rule 1 'Demo-siden'" in routed[0].details["why"]
        assert {r.name for r in store.list_rules(ws)} >= {"Demo-siden", "Delta"}
        worst = page_health(store, system)[0]  # a silent page comes first
        assert worst.facts.name == "@Delta" and worst.dormant
        again = build_demo(store, platform=base)  # collected again: nothing doubled
        assert again.posts == first.posts
        assert len(store.moderation_acts(ws)) == 3
        store.close()
    finally:
        platform.shutdown()
