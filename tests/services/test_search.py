"""Searching stored posts with the query language: the index narrows, the matcher decides."""

from __future__ import annotations

import pytest

from lytter.domain.access import Actor
from lytter.domain.posts import PostFilter
from lytter.querylang import QueryError
from lytter.services import posts as post_service
from lytter.services import queries as query_service
from lytter.services import search as search_module
from lytter.store import Store
from tests.helpers import draft


def ids(store: Store, ws_id: int, text: str, **kw: object) -> list[str]:
    page = post_service.find_posts(store, Actor.system(ws_id), PostFilter(ws_id, text=text, **kw))  # type: ignore[arg-type]
    return sorted(p.external_id for p in page.posts)


@pytest.fixture
def ws_id(store: Store) -> int:
    ws = store.ensure_workspace("default")
    store.save_posts(
        ws.id,
        [
            draft("1", "Kæmpe ros til rådgiveren i Århus"),
            draft("2", "Lang kø og dårlig service i dag"),
            draft("3", "Gode renter, men får man svar?"),
            draft("4", "Min far ringede til Aarhus-afdelingen"),
            draft("5", "Bankerne hæver renterne igen #rente", language="da"),
            draft("6", "Köbenhavn: køb billig reklame her", platform="twitter"),
        ],
    )
    return ws.id


def test_danish_letters_are_letters_of_their_own(store: Store, ws_id: int) -> None:
    assert ids(store, ws_id, "rådgiveren") == ["1"]
    assert ids(store, ws_id, "ÅRHUS") == ["1"]
    assert ids(store, ws_id, "får") == ["3"]  # the index holds both as "far"; the matcher decides
    assert ids(store, ws_id, "far") == ["4"]
    assert ids(store, ws_id, "københavn") == ["6"]  # ö is read as ø


def test_the_whole_language_runs_as_a_search(store: Store, ws_id: int) -> None:
    assert ids(store, ws_id, "dårlig service") == ["2"]
    assert ids(store, ws_id, '"service dårlig"') == []
    assert ids(store, ws_id, '"dårlig service"') == ["2"]
    assert ids(store, ws_id, "kø OR renter") == ["2", "3"]
    assert ids(store, ws_id, "rente~") == ["3", "5"]  # renter, renterne: one stem
    assert ids(store, ws_id, "bank*") == ["5"]
    assert ids(store, ws_id, "#rente") == ["5"]
    assert ids(store, ws_id, "kø NEAR/2 service") == ["2"]
    assert ids(store, ws_id, "kø NEAR/1 service") == []
    assert ids(store, ws_id, "platform:twitter") == ["6"]
    assert ids(store, ws_id, "*afdelingen") == ["4"]  # no index words: posts are scanned


def test_not_alone_finds_everything_else(store: Store, ws_id: int) -> None:
    assert ids(store, ws_id, "NOT reklame") == ["1", "2", "3", "4", "5"]
    assert ids(store, ws_id, "renter* NOT hæver") == ["3"]


def test_the_other_filters_still_apply(store: Store, ws_id: int) -> None:
    assert ids(store, ws_id, "renter OR reklame", platforms=("twitter",)) == ["6"]


def test_synonym_sets_and_the_old_spelling_aa_follow_the_workspace(
    store: Store, ws_id: int
) -> None:
    admin = Actor.system(ws_id)
    query_service.set_synonyms(store, admin, "byen", ["århus", "københavn"])
    assert ids(store, ws_id, "$byen") == ["1", "6"]
    query_service.set_old_spelling_aa(store, admin, True)
    assert ids(store, ws_id, "århus") == ["1", "4"]  # Aarhus-afdelingen too


def test_a_bad_query_is_an_error_with_a_caret(store: Store, ws_id: int) -> None:
    with pytest.raises(QueryError) as info:
        ids(store, ws_id, "renter and kø")
    assert info.value.column == 8
    for text in ['"', "(", "AND", "NOT", "NEAR/x", "a:b"]:
        with pytest.raises(QueryError):
            ids(store, ws_id, text)


def test_a_big_result_is_paged_and_its_total_estimated(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = store.ensure_workspace("big")
    # 300 posts with "kø"; every third also says "reklame".
    texts = [f"kø nummer {i}" + (" reklame" if i % 3 == 0 else "") for i in range(300)]
    store.save_posts(ws.id, [draft(str(i), t) for i, t in enumerate(texts)])
    monkeypatch.setattr(search_module, "BATCH", 50)
    monkeypatch.setattr(search_module, "EXACT_BUDGET", 100)
    actor = Actor.system(ws.id)

    page = post_service.find_posts(store, actor, PostFilter(ws.id, text="kø NOT reklame", limit=10))
    assert len(page.posts) == 10 and page.approximate and not page.total_is_exact
    assert abs(page.total - 200) <= 10  # estimated from the 100 decided
    assert all("reklame" not in p.text for p in page.posts)

    later = post_service.find_posts(
        store, actor, PostFilter(ws.id, text="kø NOT reklame", limit=10, offset=190)
    )
    assert len(later.posts) == 10 and later.total == 200 and later.total_is_exact
    newest_first = [p.created_at for p in later.posts]
    assert newest_first == sorted(newest_first, reverse=True)


def test_a_search_the_index_cannot_narrow_stops_and_says_so(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = store.ensure_workspace("scan")
    store.save_posts(ws.id, [draft(str(i), f"post {i}") for i in range(120)])
    monkeypatch.setattr(search_module, "BATCH", 20)
    monkeypatch.setattr(search_module, "MAX_SCAN", 60)
    page = post_service.find_posts(
        store, Actor.system(ws.id), PostFilter(ws.id, text="NOT post", limit=10)
    )
    assert page.posts == [] and page.partial
