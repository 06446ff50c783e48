"""Listen → People: critics, trolls and ambassadors in Danish, with the reasons; a profile
where a person can say what kind of voice an author is; thresholds a manager can change."""

from __future__ import annotations

from lytter.domain.posts import SourceRef
from lytter.services import analysing
from tests.helpers import voices
from tests.web.conftest import Site


def add_voices(site: Site) -> dict[str, int]:
    store, ws = site.bank.store, site.bank.workspace_id
    store.save_posts(ws, voices(SourceRef("aarhus", "Banken Aarhus")))
    analysing.analyse_new_posts(store, ws)
    return {h: store.find_authors(ws, h)[0].id for h in ("trold", "kritiker", "hjaelper")}


def test_the_people_page_lists_each_type_with_its_reasons_in_danish(site: Site) -> None:
    add_voices(site)
    site.login("karen@banken.dk")
    page = site.client.get("/listen/authors")
    assert page.status_code == 200
    flat = page.text.replace("\n", "")
    assert 'aria-current="page">Personer' in flat
    assert "Kritikere <span" in page.text and "svar dem åbent" in page.text
    assert ">kritiker</a>" in page.text and "2 af 3 opslag er negative" in page.text
    trolls = site.client.get("/listen/authors", params={"type": "troll"}).text
    assert ">trold</a>" in trolls and "3 af 4 opslag er krænkende" in trolls
    fans = site.client.get("/listen/authors", params={"type": "ambassador"}).text
    assert "Hanne Hjælper" in fans and "1.800 følgere" in fans


def test_a_profile_shows_the_reasons_and_a_person_can_change_the_type(site: Site) -> None:
    ids = add_voices(site)
    site.login("karen@banken.dk")
    profile = site.client.get(f"/authors/{ids['trold']}").text
    assert "<h1>trold</h1>" in profile and "Trold</span>" in profile
    assert "Hvorfor Lytter læser trold" in profile and "Tone måned for måned" in profile
    assert "Du er en idiot" in profile and "Banken Aarhus" in profile
    done = site.post(
        f"/authors/{ids['trold']}/type",
        {"type": "critic", "note": "Har en pointe"},
        f"/authors/{ids['trold']}",
    )
    assert "Sat af karen@banken.dk: Har en pointe" in done and "Lytter læser: Trold" in done
    wrong = site.post(
        f"/authors/{ids['trold']}/type", {"type": "hater"}, f"/authors/{ids['trold']}"
    )
    assert "ikke &#39;hater&#39;" in wrong
    back = site.post(f"/authors/{ids['trold']}/type", {"type": "auto"}, f"/authors/{ids['trold']}")
    assert "Sat af" not in back


def test_posts_link_to_their_author_and_filter_by_type(site: Site) -> None:
    ids = add_voices(site)
    site.login("karen@banken.dk")
    listing = site.client.get("/listen", params={"author": "troll"}).text
    assert f'href="/authors/{ids["trold"]}"' in listing and "Du er en idiot" in listing
    assert "Min ordre 88123" not in listing
    assert "Alle afsendere" in listing


def test_a_manager_changes_the_thresholds_and_a_viewer_cannot(site: Site) -> None:
    add_voices(site)
    site.login("karen@banken.dk")
    done = site.post("/listen/authors/settings", {"min_posts": "4"}, "/listen/authors")
    assert "Gemt." in done and "Nogen af denne type" not in done
    assert site.bank.store.workspace(site.bank.workspace_id).authors.min_posts == 4  # type: ignore[union-attr]
    wrong = site.post(
        "/listen/authors/settings", {"critic_negative_share": "150"}, "/listen/authors"
    )
    assert "critic_negative_share skal være et tal fra 0 til 1" in wrong
    site.client.post("/logout", data={"csrf_token": site.csrf(site.client.get("/listen").text)})
    site.login("sofie@banken.dk")
    assert 'action="/listen/authors/settings"' not in site.client.get("/listen/authors").text


def test_the_tone_page_charts_a_selection_s_tone_per_week_in_danish(site: Site) -> None:
    add_voices(site)
    site.login("karen@banken.dk")
    page = site.client.get("/listen/tone", params={"by": "week", "author": "troll"})
    assert page.status_code == 200
    assert "4 analyserede opslag" in page.text and "uge 14, 2024" in page.text
    assert page.text.count('class="tone-negative"') >= 1
    assert 'aria-current="page">Tone' in page.text.replace("\n", "")
    months = site.client.get("/listen/tone", params={"by": "month"}).text
    assert "apr. 2024" in months
    bad = site.client.get("/listen/tone", params={"q": "netbanken and odense"})
    assert bad.status_code == 200 and 'class="query-check bad"' in bad.text
