"""Authors as voices in a workspace: typed as their posts are analysed, listed, filtered by,
overridden by people, with each workspace's own thresholds."""

from __future__ import annotations

import pytest

from lytter.domain.posts import AuthorRef, PostFilter, SourceRef
from lytter.services import analysing, authors, posts
from lytter.services.errors import Forbidden, NotFound, UserError
from tests.bank import Bank
from tests.helpers import draft, voices

AARHUS = SourceRef("aarhus", "Banken Aarhus")


def add_voices(bank: Bank) -> dict[str, int]:
    bank.store.save_posts(bank.workspace_id, voices(AARHUS))
    analysing.analyse_new_posts(bank.store, bank.workspace_id)
    return {
        handle: bank.store.find_authors(bank.workspace_id, handle)[0].id
        for handle in ("trold", "kritiker", "hjaelper", "forbi")
    }


def test_authors_are_typed_when_their_posts_are_analysed(bank: Bank) -> None:
    ids = add_voices(bank)
    found = bank.store.author_types_of(ids.values())
    assert {h: found[i].type for h, i in ids.items()} == {
        "trold": "troll",
        "kritiker": "critic",
        "hjaelper": "ambassador",
        "forbi": "none",
    }
    helper = found[ids["hjaelper"]]
    assert helper.stats.helpful_replies == 3 and helper.stats.followers == 1800
    assert [r.code for r in helper.reasons] == ["helps", "followers"]


def test_a_new_post_types_its_author_again(bank: Bank) -> None:
    ids = add_voices(bank)
    bank.store.save_posts(
        bank.workspace_id,
        [
            draft(f"f{i}", text, author=AuthorRef("forbi"))
            for i, text in enumerate(["Du er en idiot", "Klovne!", "I er nogle svin"], start=1)
        ],
    )
    analysing.analyse_new_posts(bank.store, bank.workspace_id)
    assert bank.store.author_types_of([ids["forbi"]])[ids["forbi"]].type == "troll"


def test_list_and_count_by_type_most_posts_first(bank: Bank) -> None:
    add_voices(bank)
    listed = authors.list_authors(bank.store, bank.admin)
    assert [a.author.handle for a in listed] == ["trold", "kritiker", "hjaelper"]
    critics = authors.list_authors(bank.store, bank.admin, ["critic"])
    assert [a.author.handle for a in critics] == ["kritiker"]
    assert authors.type_counts(bank.store, bank.admin) == {
        "critic": 1,
        "troll": 1,
        "ambassador": 1,
        "none": 2,  # "forbi", and "mette" who wrote the bank's own posts
    }
    with pytest.raises(UserError, match="critic, troll, ambassador or none"):
        authors.list_authors(bank.store, bank.admin, ["hater"])


def test_posts_filter_by_author_type(bank: Bank) -> None:
    add_voices(bank)
    page = posts.find_posts(
        bank.store, bank.admin, PostFilter(bank.workspace_id, author_types=("troll",))
    )
    assert {p.author_handle for p in page.posts} == {"trold"} and page.total == 4


def test_a_person_overrides_a_type_and_it_wins_until_removed(bank: Bank) -> None:
    ids = add_voices(bank)
    critic = ids["kritiker"]
    label = authors.override_type(bank.store, bank.admin, critic, "ambassador", "Hjælper os nu")
    assert (label.type, label.computed) == ("ambassador", "critic")
    assert (label.override_note, label.override_by) == ("Hjælper os nu", "karen@banken.dk")
    # ... in filters and lists, and after the author is typed again.
    analysing.analyse_all(bank.store, bank.admin)
    assert bank.store.author_types_of([critic])[critic].type == "ambassador"
    page = posts.find_posts(
        bank.store, bank.admin, PostFilter(bank.workspace_id, author_types=("critic",))
    )
    assert page.total == 0
    assert authors.override_type(bank.store, bank.admin, critic, None).type == "critic"


def test_a_viewer_cannot_override_and_a_bad_type_is_named(bank: Bank) -> None:
    ids = add_voices(bank)
    with pytest.raises(Forbidden):
        authors.override_type(bank.store, bank.viewer, ids["trold"], "critic")
    with pytest.raises(UserError, match="'hater'"):
        authors.override_type(bank.store, bank.admin, ids["trold"], "hater")


def test_an_agent_sees_only_authors_of_their_pages(bank: Bank) -> None:
    ids = add_voices(bank)
    bank.store.save_posts(
        bank.workspace_id,
        [
            draft(
                f"o{i}",
                "Du er en idiot",
                author=AuthorRef("odensetrold"),
                source=SourceRef("odense", "Banken Odense"),
            )
            for i in range(3)
        ],
    )
    analysing.analyse_new_posts(bank.store, bank.workspace_id)
    seen = {a.author.handle for a in authors.list_authors(bank.store, bank.agent)}
    assert seen == {"trold", "kritiker", "hjaelper"}
    hidden = bank.store.find_authors(bank.workspace_id, "odensetrold")[0].id
    with pytest.raises(NotFound):
        authors.author_profile(bank.store, bank.agent, hidden)
    assert authors.author_profile(bank.store, bank.agent, ids["trold"]).author.handle == "trold"


def test_a_profile_has_the_type_tone_by_month_pages_and_posts(bank: Bank) -> None:
    ids = add_voices(bank)
    profile = authors.author_profile(bank.store, bank.admin, ids["kritiker"])
    assert profile.label is not None and profile.label.type == "critic"
    (april,) = profile.months
    assert april.month == "2024-04" and april.negative >= 2
    assert april.negative + april.neutral + april.positive == 3
    assert profile.pages == [("Banken Aarhus", 3)]
    assert len(profile.posts) == 3
    assert authors.resolve_author(bank.store, bank.admin, "@kritiker").id == ids["kritiker"]
    with pytest.raises(NotFound, match="no author 'ingen'"):
        authors.resolve_author(bank.store, bank.admin, "ingen")


def test_new_thresholds_are_kept_and_type_everyone_again(bank: Bank) -> None:
    ids = add_voices(bank)
    settings = authors.set_author_settings(bank.store, bank.admin, {"min_posts": 4})
    assert settings.min_posts == 4
    found = bank.store.author_types_of(ids.values())
    assert found[ids["kritiker"]].type == "none"  # three posts are too few now
    assert found[ids["trold"]].type == "troll"  # four posts
    with pytest.raises(UserError, match="critic_negative_share must be a number from 0 to 1"):
        authors.set_author_settings(bank.store, bank.admin, {"critic_negative_share": 2})
    with pytest.raises(Forbidden):
        authors.set_author_settings(bank.store, bank.viewer, {"min_posts": 2})


def test_the_workspace_s_own_page_is_no_voice_to_type(bank: Bank) -> None:
    add_voices(bank)
    answers = [
        draft(
            f"svar{i}",
            "Tak for din besked, vi hjælper gerne!",
            author=AuthorRef("aarhus"),
            source=AARHUS,
            root_id=f"k{i}",
            parent_id=f"k{i}",
        )
        for i in range(3)
    ]
    bank.store.save_posts(bank.workspace_id, answers)
    analysing.analyse_new_posts(bank.store, bank.workspace_id)
    page = bank.store.find_authors(bank.workspace_id, "aarhus")[0].id
    label = bank.store.author_types_of([page])[page]
    assert label.type == "none" and [r.code for r in label.reasons] == ["own_voice"]
