"""Authors over the API: critics, trolls and ambassadors with their reasons, on the caller's
pages; a person's word on a type; the workspace's thresholds."""

from __future__ import annotations

from lytter.domain.posts import AuthorRef, SourceRef
from lytter.services import analysing, authors
from tests.api.conftest import Api, error
from tests.helpers import draft, voices


def add_voices(api: Api) -> dict[str, int]:
    bank = api.bank
    bank.store.save_posts(bank.workspace_id, voices(SourceRef("aarhus", "Banken Aarhus")))
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
    found = authors.list_authors(bank.store, bank.admin, authors.TYPES)
    return {a.author.handle: a.author.id for a in found}


def test_authors_are_listed_by_type_with_reasons_and_counts(api: Api) -> None:
    add_voices(api)
    body = api.get("/authors").json()
    assert [(a["handle"], a["label"]["type"]) for a in body["items"]] == [
        ("trold", "troll"),
        ("kritiker", "critic"),
        ("hjaelper", "ambassador"),
        ("odensetrold", "troll"),
    ]
    assert body["counts"] == {"critic": 1, "troll": 2, "ambassador": 1, "none": 2}
    reason = body["items"][0]["label"]["reasons"][0]
    assert reason == {"code": "offensive", "count": 3, "of": 4, "text": "3 of 4 posts offensive"}
    trolls = api.get("/authors", type="troll", as_="agent").json()  # Aarhus only
    assert [a["handle"] for a in trolls["items"]] == ["trold"]
    assert error(api.get("/authors", type="fan"))["field"] == "author_type"


def test_a_profile_and_the_posts_filter(api: Api) -> None:
    ids = add_voices(api)
    profile = api.get(f"/authors/{ids['kritiker']}").json()
    assert profile["label"]["type"] == "critic" and profile["pages"] == [
        {"name": "Banken Aarhus", "posts": 3}
    ]
    assert len(profile["posts"]) == 3 and profile["months"][0]["month"] == "2024-04"
    assert api.get(f"/authors/{ids['odensetrold']}", as_="agent").status_code == 404
    posts = api.get("/posts", author_type="ambassador").json()
    assert {p["author_handle"] for p in posts["items"]} == {"hjaelper"}
    assert all(p["author_id"] == ids["hjaelper"] for p in posts["items"])


def test_a_person_sets_a_type_and_takes_it_back(api: Api) -> None:
    ids = add_voices(api)
    path = f"/authors/{ids['trold']}/type"
    done = api.send("PUT", path, type="critic", note="Har en pointe")
    assert done.status_code == 200, done.text
    label = done.json()
    assert (label["type"], label["computed"], label["override_by"]) == (
        "critic",
        "troll",
        "karen@banken.dk",
    )
    assert api.send("PUT", path, "viewer", type="troll").status_code == 403
    assert error(api.send("PUT", path, type="hater"))["field"] == "type"
    assert api.send("PUT", path, type=None).json()["type"] == "troll"


def test_admins_change_the_thresholds_and_everyone_is_typed_again(api: Api) -> None:
    add_voices(api)
    assert api.get("/authors/settings").json()["min_posts"] == 3
    changed = api.send("PATCH", "/authors/settings", min_posts=4)
    assert changed.status_code == 200 and changed.json()["min_posts"] == 4
    assert [a["handle"] for a in api.get("/authors").json()["items"]] == ["trold"]
    bad = api.send("PATCH", "/authors/settings", critic_negative_share=3)
    assert bad.status_code == 400 and error(bad)["field"] == "critic_negative_share"
    assert api.send("PATCH", "/authors/settings", "viewer", min_posts=2).status_code == 403


def test_tone_over_time_per_week_on_the_caller_s_pages(api: Api) -> None:
    add_voices(api)
    body = api.get("/tone", interval="week").json()
    (week,) = body["items"]
    assert week["start"] == "2024-04-01T00:00:00+02:00" and body["interval"] == "week"
    assert week["posts"] == week["negative"] + week["neutral"] + week["positive"] == 19
    agent = api.get("/tone", interval="week", as_="agent").json()["items"]
    assert agent[0]["posts"] == 13  # Aarhus only: not the three posts on Odense
    trolls = api.get("/tone", author_type="troll", source=[api.bank.aarhus]).json()["items"]
    assert sum(b["posts"] for b in trolls) == 4
    assert error(api.get("/tone", interval="year"))["field"] == "interval"
