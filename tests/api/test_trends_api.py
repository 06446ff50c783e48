"""Emerging terms over the API: what grew, on the caller's pages, with the workspace's
thresholds, which admins and managers can change."""

from __future__ import annotations

from lytter.domain.posts import SourceRef
from tests.api.conftest import Api, error
from tests.helpers import OUTAGE_AT, trending_posts


def add_outage(api: Api) -> None:
    api.bank.store.save_posts(
        api.bank.workspace_id, trending_posts(SourceRef("aarhus", "Banken Aarhus"))
    )


def test_trends_name_the_term_that_grew_with_its_hours_and_posts(api: Api) -> None:
    add_outage(api)
    body = api.get("/trends").json()
    assert body["until"] == "2024-04-04T20:00:00Z"  # the hour of the newest post, ended
    assert OUTAGE_AT.isoformat() == "2024-04-04T19:00:00+00:00"
    assert body["settings"]["min_count"] == 5 and body["settings"]["windows"] == [1, 3, 6, 24]
    top = body["items"][0]
    assert top["term"] == "mobilepay" and top["kind"] == "word"
    assert top["count"] == 7 and top["window_hours"] == 1 and top["expected"] < 1
    assert sum(top["hourly"]) == 7 and len(top["post_ids"]) == 7
    assert all("MobilePay" in p["text"] for p in top["examples"])
    assert api.get("/trends", kind="hashtag").json()["items"] == []
    agent = api.get("/trends", as_="agent").json()  # Aarhus is the agent's page
    assert agent["items"][0]["term"] == "mobilepay"
    odense = api.get("/trends", source=[api.bank.odense]).json()
    assert odense["items"] == []


def test_bad_trend_options_are_a_400_that_names_them(api: Api) -> None:
    assert error(api.get("/trends", hours=0))["field"] == "hours"
    assert error(api.get("/trends", kind="emoji"))["field"] == "kinds"


def test_admins_change_the_thresholds_and_the_next_trends_use_them(api: Api) -> None:
    add_outage(api)
    changed = api.send("PATCH", "/trends/settings", min_count=8)
    assert changed.status_code == 200, changed.text
    assert changed.json()["min_count"] == 8 and changed.json()["threshold"] == 25
    assert api.get("/trends/settings", as_="viewer").json()["min_count"] == 8
    assert api.get("/trends").json()["items"] == []
    bad = api.send("PATCH", "/trends/settings", windows=[1, 500])
    assert bad.status_code == 400 and error(bad)["field"] == "windows"
    assert "windows must be whole hours from 1 to 168" in error(bad)["message"]
    unknown = api.send("PATCH", "/trends/settings", sensitivity=3)
    assert unknown.status_code == 400
    denied = api.send("PATCH", "/trends/settings", "viewer", min_count=3)
    assert denied.status_code == 403
    assert api.get("/trends/settings").json()["min_count"] == 8


def test_a_theme_that_grew_carries_its_growth_and_daily_posts(api: Api) -> None:
    add_outage(api)
    items = api.get("/themes").json()["items"]
    growing = [t for t in items if t["growth"] is not None]
    assert len(growing) == 1
    outage = growing[0]
    assert "mobilepay" in outage["label"]
    assert outage["growth"]["first_hour"] == "2024-04-04T19:00:00Z"
    assert outage["growth"]["count"] >= 5 and outage["growth"]["window_hours"] >= 1
    assert outage["daily"][-1] >= 7 and sum(outage["daily"]) == outage["count"]
    assert all(t["growth"] is None for t in items if t is not outage)
