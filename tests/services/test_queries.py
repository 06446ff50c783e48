"""Saved queries: saved with their matches, kept up to date as posts arrive, on both engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lytter.domain.posts import SourceRef
from lytter.querylang import QueryError
from lytter.services import queries as query_service
from lytter.services.errors import Conflict, Forbidden, NotFound, UserError
from lytter.services.importing import import_file
from tests.bank import Bank
from tests.helpers import draft


def names(bank: Bank, actor: str = "admin") -> dict[str, int]:
    return {
        v.query.name: v.matches
        for v in query_service.list_queries(bank.store, getattr(bank, actor))
    }


def test_a_new_query_is_back_filled_over_stored_posts(bank: Bank) -> None:
    seen: list[tuple[int, int]] = []
    view = query_service.add_query(
        bank.store,
        bank.admin,
        name="Netbank nede",
        text="netbank* NEAR/3 nede",
        progress=lambda done, total: seen.append((done, total)),
    )
    assert view.matches == 1
    assert seen[-1] == (5, 5)
    assert names(bank) == {"Netbank nede": 1}


def test_a_bad_query_is_refused_with_its_column(bank: Bank) -> None:
    with pytest.raises(QueryError) as caught:
        query_service.add_query(bank.store, bank.admin, name="x", text="netbank and nede")
    assert caught.value.column == 9
    assert names(bank) == {}


def test_names_are_unique_and_only_admins_and_managers_save_queries(bank: Bank) -> None:
    query_service.add_query(bank.store, bank.admin, name="Kø", text="kø")
    with pytest.raises(Conflict):
        query_service.add_query(bank.store, bank.admin, name="Kø", text="kø*")
    with pytest.raises(Forbidden, match="only admins and managers"):
        query_service.add_query(bank.store, bank.agent, name="Mine", text="kø")
    assert names(bank, "viewer") == {"Kø": 1}


def test_imported_posts_are_matched_against_saved_queries(bank: Bank, tmp_path: Path) -> None:
    query_service.add_query(bank.store, bank.admin, name="Netbank", text="netbank*")
    rows = [
        {
            "id": "n1",
            "platform": "facebook",
            "text": "Netbanken er nede igen",
            "created_at": "2024-04-02T10:00:00Z",
            "source": "Banken Aarhus",
            "language": "da",
        },
        {
            "id": "n2",
            "platform": "facebook",
            "text": "Tak for hjælpen",
            "created_at": "2024-04-02T11:00:00Z",
            "source": "Banken Aarhus",
            "language": "da",
        },
    ]
    path = tmp_path / "new.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    report = import_file(bank.store, bank.workspace_id, path)
    assert report.matched == 1
    assert names(bank) == {"Netbank": 3}
    again = import_file(bank.store, bank.workspace_id, path)
    assert again.matched == 0 and names(bank) == {"Netbank": 3}


def test_a_language_scope_limits_the_matches(bank: Bank) -> None:
    bank.store.save_posts(
        bank.workspace_id,
        [draft("9", "netbank down again", language="en", source=SourceRef("aarhus", "x"))],
    )
    query_service.add_query(bank.store, bank.admin, name="da", text="netbank*", languages=["da"])
    query_service.add_query(bank.store, bank.admin, name="all", text="netbank*")
    assert names(bank) == {"da": 2, "all": 3}


def test_editing_a_query_finds_its_matches_again(bank: Bank) -> None:
    query_service.add_query(bank.store, bank.admin, name="Q", text="kø")
    view = query_service.update_query(bank.store, bank.admin, "Q", text="netbank*")
    assert view.matches == 2 and view.query.text == "netbank*"


def test_synonym_sets_expand_and_a_changed_set_rematches(bank: Bank) -> None:
    query_service.set_synonyms(bank.store, bank.admin, "problem", ["nede"])
    query_service.add_query(bank.store, bank.admin, name="Problemer", text="$problem")
    assert names(bank) == {"Problemer": 1}
    query_service.set_synonyms(bank.store, bank.admin, "problem", ["nede", '"virker ikke"', "kø"])
    assert names(bank) == {"Problemer": 3}
    with pytest.raises(UserError, match=r"no synonym set \$ukendt"):
        query_service.add_query(bank.store, bank.admin, name="x", text="$ukendt")


def test_the_matches_shown_are_only_on_the_users_pages(bank: Bank) -> None:
    query_service.add_query(bank.store, bank.admin, name="Netbank", text="netbank*")
    view, posts = query_service.query_posts(bank.store, bank.agent, "Netbank")
    assert view.matches == 1 and [p.source_id for p in posts] == [bank.aarhus]
    _, everyone = query_service.query_posts(bank.store, bank.viewer, "Netbank")
    assert len(everyone) == 2


def test_removing_a_query_removes_its_matches(bank: Bank) -> None:
    query_service.add_query(bank.store, bank.admin, name="Q", text="netbank*")
    query_service.remove_query(bank.store, bank.admin, "Q")
    assert names(bank) == {}
    with pytest.raises(NotFound):
        query_service.remove_query(bank.store, bank.admin, "Q")


def test_a_query_is_tried_on_recent_posts_before_saving(bank: Bank) -> None:
    trial = query_service.test_query(bank.store, bank.agent, "netbank*")
    assert (trial.tried, trial.matched) == (2, 1) and trial.matches[0].source_id == bank.aarhus


def test_trying_a_query_shows_what_near_misses_lack(bank: Bank) -> None:
    trial = query_service.test_query(bank.store, bank.viewer, "netbank* nede NOT aarhus")
    assert trial.matched == 0
    reasons = {p.text: why for p, why in trial.near_misses}
    assert reasons == {
        "Netbanken er nede i Aarhus": "(NOT aarhus)",
        "Netbanken virker ikke i Odense": "nede",
    }
    far = query_service.test_query(bank.store, bank.viewer, "netbank* NEAR/0 nede")
    assert [why for _, why in far.near_misses] == ["NEAR/0"]


def test_a_post_whose_text_changes_is_matched_again(bank: Bank, tmp_path: Path) -> None:
    query_service.add_query(bank.store, bank.admin, name="Nede", text="nede")
    row = {
        "id": "e1",
        "platform": "facebook",
        "created_at": "2024-04-02T10:00:00Z",
        "source": "Banken Aarhus",
        "language": "da",
    }
    path = tmp_path / "edit.jsonl"
    path.write_text(json.dumps({**row, "text": "Appen er nede"}) + "\n", "utf-8")
    import_file(bank.store, bank.workspace_id, path)
    assert names(bank) == {"Nede": 2}
    path.write_text(json.dumps({**row, "text": "Appen virker igen"}) + "\n", "utf-8")
    import_file(bank.store, bank.workspace_id, path)
    assert names(bank) == {"Nede": 1}, "the old text's match is gone"
    path.write_text(json.dumps({**row, "text": "Nu er den nede igen"}) + "\n", "utf-8")
    import_file(bank.store, bank.workspace_id, path)
    assert names(bank) == {"Nede": 2}


def test_a_saved_query_can_count_compound_tails(bank: Bank) -> None:
    bank.store.save_posts(bank.workspace_id, [draft("8", "Min bankrådgiver svarer ikke")])
    whole = query_service.add_query(bank.store, bank.admin, name="whole", text="rådgiver")
    tail = query_service.add_query(
        bank.store, bank.admin, name="tail", text="rådgiver", compounds="tail"
    )
    assert (whole.matches, tail.matches) == (0, 1) and tail.query.compounds == "tail"
    with pytest.raises(UserError, match="unknown compound mode 'middle'"):
        query_service.add_query(bank.store, bank.admin, name="x", text="a", compounds="middle")


def test_a_workspace_can_read_aa_as_å(bank: Bank) -> None:
    bank.store.save_posts(bank.workspace_id, [draft("8", "Filialen i Aarhus lukker")])
    query_service.add_query(bank.store, bank.admin, name="Århus", text="århus")
    assert names(bank) == {"Århus": 0}
    assert query_service.set_old_spelling_aa(bank.store, bank.admin, True) == 1
    assert names(bank) == {"Århus": 2}, "both posts say Aarhus"
    assert bank.store.workspace(bank.workspace_id).old_spelling_aa  # type: ignore[union-attr]
    with pytest.raises(Forbidden):
        query_service.set_old_spelling_aa(bank.store, bank.agent, False)
