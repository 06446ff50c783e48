"""The desks and routing settings in the browser (over HTTP): a desk set up with members and a
shift, its SLA targets, an absence, and a rule tried on the last week before it is added."""

from __future__ import annotations

from html import unescape

from lytter.domain.inbox import Priority
from lytter.domain.workspaces import BrandKind
from lytter.services import desks, inbox, moderation, replies
from tests.web.conftest import Site


def own_pages(site: Site) -> None:
    bank = site.bank
    brand = bank.store.ensure_brand(bank.workspace_id, "Banken", BrandKind.OWN)
    for source_id in (bank.aarhus, bank.odense):
        bank.store.set_source_brand(source_id, brand.id)
    inbox.gather(bank.store, bank.workspace_id)


def test_an_admin_sets_up_a_desk_its_roster_and_targets(site: Site) -> None:
    site.login("karen@banken.dk")
    store, bank = site.bank.store, site.bank
    page = site.post(
        "/settings/desks", {"name": "Netbank", "hours": "mon-fri 8-16"}, "/settings/desks"
    )
    assert "Netbank" in page
    desk = store.list_desks(bank.workspace_id)[0]
    page = site.post(
        f"/settings/desks/{desk.id}",
        {
            "hours": "mon-fri 8-16",
            "signature": "/{agent}",
            "member": [str(bank.admin.user.id), str(bank.agent_user.id)],  # type: ignore[union-attr]
        },
        "/settings/desks",
    )
    page = site.post(
        f"/settings/desks/{desk.id}",
        {
            "hours": "mon-fri 8-16",
            "signature": "/{agent}",
            "member": [str(bank.admin.user.id), str(bank.agent_user.id)],  # type: ignore[union-attr]
            f"shift-{bank.agent_user.id}": "wed 12-16",
        },
        "/settings/desks",
    )
    desk = store.list_desks(bank.workspace_id)[0]
    assert desk.signature == "/{agent}" and desk.shift_of(bank.agent_user.id) == "wed 12-16"
    assert "wed 12-16" in page and "Vagtplan" in page
    bad = site.post(
        f"/settings/desks/{desk.id}",
        {"hours": "hver dag", "member": []},
        "/settings/desks",
    )
    assert 'role="alert"' in bad and store.list_desks(bank.workspace_id)[0].members  # kept

    site.post(
        f"/settings/desks/{desk.id}/sla",
        {"first-high": "30m", "resolution-high": "4h", "warn-high": "10m"},
        "/settings/desks",
    )
    (policy,) = desks.policies(store, bank.admin).values()
    assert policy.priority is Priority.HIGH and policy.first_response.total_seconds() == 1800  # type: ignore[union-attr]
    page = site.client.get("/settings/desks").text
    assert 'value="30m"' in page and 'value="4h"' in page

    page = site.post(
        "/settings/absences",
        {"email": "jonas@banken.dk", "from": "2024-05-01", "until": "2024-05-03", "note": "kursus"},
        "/settings/desks",
    )
    assert "kursus" in page
    (away,) = desks.absences(store, bank.admin)
    assert away.starts_at.isoformat() == "2024-04-30T22:00:00+00:00"  # Copenhagen midnight
    assert away.ends_at.isoformat() == "2024-05-03T22:00:00+00:00"  # the 3rd included


def test_a_rule_is_tried_on_the_last_week_then_added_moved_and_switched_off(site: Site) -> None:
    own_pages(site)
    store, bank = site.bank.store, site.bank
    desks.add_desk(store, bank.admin, "Netbank")
    site.login("karen@banken.dk")
    form = {"name": "Netbank", "words": "netbank*", "desk": "Netbank", "priority": "high"}
    page = unescape(site.post("/settings/routing", {**form, "do": "try"}, "/settings/routing"))
    assert "rule 1 'Netbank': words netbank*" in page and 'id="trial"' in page
    assert 'value="netbank*"' in page  # the form keeps what was typed
    assert store.list_rules(bank.workspace_id) == []
    broken = site.post(
        "/settings/routing", {**form, "words": "netbank AND", "do": "add"}, "/settings/routing"
    )
    assert 'role="alert"' in broken and store.list_rules(bank.workspace_id) == []
    site.post("/settings/routing", {**form, "do": "add"}, "/settings/routing")
    site.post(
        "/settings/routing",
        {"name": "Odense", "page": str(bank.odense), "tags": "filial, odense", "do": "add"},
        "/settings/routing",
    )
    odense = store.list_rules(bank.workspace_id)[1]
    assert odense.actions.tags == ("filial", "odense") and odense.conditions.sources == (
        bank.odense,
    )
    site.post(f"/settings/routing/{odense.id}", {"do": "up"}, "/settings/routing")
    site.post(f"/settings/routing/{odense.id}", {"do": "toggle"}, "/settings/routing")
    rules = store.list_rules(bank.workspace_id)
    assert [(r.name, r.enabled) for r in rules] == [("Odense", False), ("Netbank", True)]
    page = site.client.get("/settings/routing").text
    assert "side <strong>Banken Odense</strong>" in page  # the rule in Danish words
    assert "tags <strong>filial, odense</strong>" in page


def test_agents_read_desks_and_rules_and_record_their_own_absence(site: Site) -> None:
    store, bank = site.bank.store, site.bank
    desks.add_desk(store, bank.admin, "Netbank")
    site.login("jonas@banken.dk")
    page = site.client.get("/settings/routing").text
    assert 'do" value="add"' not in page
    page = site.client.get("/settings/desks").text
    assert "Netbank" in page and 'action="/settings/desks/' not in page
    site.post(
        "/settings/absences",
        {"email": "jonas@banken.dk", "from": "2024-06-01", "until": "2024-06-02"},
        "/settings/desks",
    )
    refused = site.post(
        "/settings/absences",
        {"email": "karen@banken.dk", "from": "2024-06-01", "until": "2024-06-02"},
        "/settings/desks",
    )
    assert 'role="alert"' in refused
    assert len(desks.absences(store, bank.admin)) == 1


def test_guidelines_and_saved_replies_are_edited_in_the_browser(site: Site) -> None:
    store, bank = site.bank.store, site.bank
    moderation.ensure_default_guidelines(store, bank.admin)
    site.login("karen@banken.dk")
    page = site.client.get("/settings/answers").text
    assert "Personoplysninger" in page and "Svar og debatregler" in page
    site.post(
        "/settings/guidelines",
        {"code": "spam", "title": "Spam og reklame", "body": "Reklame fjernes."},
        "/settings/answers",
    )  # the checkbox left out: no longer in use
    spam = next(g for g in moderation.guidelines(store, bank.admin, all_=True) if g.code == "spam")
    assert (spam.title, spam.active) == ("Spam og reklame", False)
    bad = site.post(
        "/settings/saved-replies",
        {"name": "tak", "body": "Hej {forfatter}", "language": "da"},
        "/settings/answers",
    )
    assert 'role="alert"' in bad and "forfatter" in bad
    site.post(
        "/settings/saved-replies",
        {"name": "tak", "body": "Hej {author}, tak! /{agent}", "language": "da", "kind": "reply"},
        "/settings/answers",
    )
    assert [r.body for r in replies.saved_replies(store, bank.admin)] == [
        "Hej {author}, tak! /{agent}"
    ]
    site.post(
        "/settings/saved-replies/remove", {"name": "tak", "language": "da"}, "/settings/answers"
    )
    assert replies.saved_replies(store, bank.admin) == []
    site.client.cookies.clear()
    site.login("sofie@banken.dk")  # a viewer reads them, and changes nothing
    page = site.client.get("/settings/answers").text
    assert "Spam og reklame" in page and 'action="/settings/guidelines"' not in page
