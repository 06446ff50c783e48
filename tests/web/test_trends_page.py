"""Listen → Emerging: what suddenly grew, in Danish, and thresholds a manager can change."""

from __future__ import annotations

from lytter.domain.posts import SourceRef
from tests.helpers import trending_posts
from tests.web.conftest import Site


def add_outage(site: Site) -> None:
    site.bank.store.save_posts(
        site.bank.workspace_id, trending_posts(SourceRef("aarhus", "Banken Aarhus"))
    )


def test_the_emerging_page_shows_what_grew_with_its_posts_in_danish(site: Site) -> None:
    add_outage(site)
    site.login("karen@banken.dk")
    page = site.client.get("/listen/trends")
    assert page.status_code == 200
    assert "Ord i vækst i de 24 timer op til" in page.text
    assert "<h2>mobilepay</h2>" in page.text and "7 opslag på 1 t" in page.text
    assert page.text.count('class="card trend"') >= 1 and "MobilePay nede" in page.text
    assert '<polyline points="0.0,' in page.text  # posts per hour
    assert 'aria-current="page">Ord i vækst' in page.text.replace("\n", "")
    hashtags = site.client.get("/listen/trends", params={"kind": "hashtag"}).text
    assert "Ingen ord i vækst" in hashtags
    bad = site.client.get("/listen/trends", params={"q": "netbanken and odense"})
    assert bad.status_code == 200 and 'class="query-check bad"' in bad.text


def test_a_manager_changes_the_thresholds_and_a_viewer_cannot(site: Site) -> None:
    add_outage(site)
    site.login("karen@banken.dk")
    form = {"min_count": "8", "min_ratio": "4", "threshold": "25", "baseline_days": "14"}
    done = site.post("/listen/trends/settings", {**form, "windows": "1, 3,6,24"}, "/listen/trends")
    assert "Gemt." in done and "Ingen ord i vækst" in done
    assert site.bank.store.workspace(site.bank.workspace_id).trends.min_count == 8  # type: ignore[union-attr]
    wrong = site.post("/listen/trends/settings", {**form, "windows": "1,500"}, "/listen/trends")
    assert "windows skal være hele timer fra 1 til 168" in wrong
    assert site.bank.store.workspace(site.bank.workspace_id).trends.windows == (1, 3, 6, 24)  # type: ignore[union-attr]
    site.client.post("/logout", data={"csrf_token": site.csrf(site.client.get("/listen").text)})
    site.login("sofie@banken.dk")
    viewer = site.client.get("/listen/trends").text
    assert 'action="/listen/trends/settings"' not in viewer


def test_the_themes_page_marks_the_theme_that_grew_with_its_days(site: Site) -> None:
    add_outage(site)
    site.login("karen@banken.dk")
    page = site.client.get("/listen/themes").text
    assert page.count('class="card theme growing"') == 1
    assert '<span class="badge warn">I vækst</span>' in page
    assert 'aria-label="Opslag pr. dag"' in page and '<polyline points="0.0,' in page
    growing = page.split('class="card theme growing"')[1].split("</article>")[0]
    assert "MobilePay" in growing and "× det sædvanlige" in growing and "siden" in growing
