"""The themes of a selection of posts: only the pages the user may see, with their tone."""

from __future__ import annotations

import pytest

from lytter.domain.posts import PostFilter, SourceRef
from lytter.services import analysing, themes
from lytter.services.errors import UserError
from tests.bank import Bank
from tests.helpers import OUTAGE_AT, draft, trending_posts

NETBANK = [
    "Netbanken er nede igen, jeg kan ikke logge ind",
    "Kan ikke logge ind på netbanken i dag",
    "Netbanken virker ikke, login fejler hele tiden",
    "Login til netbanken fejler, elendigt",
]
FILIAL = [
    "Tak for en god rådgivning i filialen i dag",
    "Super rådgivning i filialen, tak til Mette",
    "God rådgivning og venlig betjening i filialen",
    "Filialen gav mig god rådgivning om mit lån",
]


def add_posts(bank: Bank) -> None:
    aarhus = SourceRef("aarhus", "Banken Aarhus")
    odense = SourceRef("odense", "Banken Odense")
    bank.store.save_posts(
        bank.workspace_id,
        [draft(f"n{i}", t, source=aarhus) for i, t in enumerate(NETBANK)]
        + [draft(f"f{i}", t, source=odense) for i, t in enumerate(FILIAL)],
    )
    analysing.analyse_new_posts(bank.store, bank.workspace_id)


def test_themes_group_the_posts_and_tell_their_tone(bank: Bank) -> None:
    add_posts(bank)
    query = PostFilter(bank.workspace_id, text="netbank* OR rådgivning")
    report = themes.themes(bank.store, bank.admin, query, k=2)
    assert report.posts_read == 10 and not report.capped  # 8 here, 2 from the bank's own
    assert len(report.themes) == 2
    netbank, filial = sorted(report.themes, key=lambda t: "filialen" in t.label)
    assert all("etbanken" in p.text for p in netbank.examples)
    assert all("rådgivning" in p.text for p in filial.examples)
    assert "god rådgivning" in filial.phrases
    assert netbank.sentiment["negative"] >= 3
    assert filial.sentiment["positive"] >= 3
    assert sum(t.count for t in report.themes) <= report.posts_read
    assert all(len(t.examples) <= themes.EXAMPLES for t in report.themes)


def test_a_user_sees_the_themes_of_their_own_pages_only(bank: Bank) -> None:
    add_posts(bank)
    report = themes.themes(bank.store, bank.agent, PostFilter(bank.workspace_id), k=2)
    seen = {p.source_id for t in report.themes for p in t.examples}
    assert seen <= {bank.aarhus}
    assert report.posts_read == 6  # Aarhus: 2 of the bank's posts and the 4 about netbanken


def test_the_newest_posts_are_read_when_more_match(bank: Bank) -> None:
    add_posts(bank)
    report = themes.themes(bank.store, bank.admin, PostFilter(bank.workspace_id), max_posts=4)
    assert report.posts_read == 4 and report.capped


@pytest.mark.parametrize(
    ("k", "max_posts", "message"),
    [(1, 100, "number of themes"), (31, 100, "number of themes"), (None, 0, "posts to read")],
)
def test_bad_sizes_are_clear_errors(
    bank: Bank, k: int | None, max_posts: int, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        themes.themes(
            bank.store, bank.admin, PostFilter(bank.workspace_id), k=k, max_posts=max_posts
        )


def test_a_theme_that_suddenly_grows_says_so_and_the_steady_ones_do_not(bank: Bank) -> None:
    bank.store.save_posts(bank.workspace_id, trending_posts(SourceRef("aarhus", "Banken Aarhus")))
    analysing.analyse_new_posts(bank.store, bank.workspace_id)
    report = themes.themes(bank.store, bank.admin, PostFilter(bank.workspace_id))
    growing = [t for t in report.themes if t.growth is not None]
    assert len(growing) == 1, [(t.label, t.growth) for t in report.themes]
    outage = growing[0]
    assert all("MobilePay" in p.text for p in outage.examples)
    assert outage.growth is not None and outage.growth.kind == "theme"
    assert outage.growth.first_hour == OUTAGE_AT and outage.growth.count >= 5
    # Posts per day up to the newest post: the outage's seven are all on the last day.
    assert outage.daily[-1] >= 7 and sum(outage.daily) == outage.count
    assert report.until is not None and report.until >= OUTAGE_AT
    steady = max(report.themes, key=lambda t: t.count)
    assert steady.growth is None and len(steady.daily) == 4 and min(steady.daily) > 0
