"""Themes: posts grouped by what they talk about, labelled with readable key phrases."""

from __future__ import annotations

from lytter.analysis.themes import ThemeText, default_k, find_themes

DELIVERY = [
    "My package never arrived, the delivery is three days late",
    "Where is my package? Delivery was promised yesterday",
    "The delivery driver left my package at the wrong door",
    "Still waiting for my package, late delivery again",
    "Package marked delivered but no delivery happened",
    "Late delivery of my package ruined the weekend",
]
BATTERY = [
    "Battery drains so fast since the update",
    "After the update my battery life is terrible",
    "The battery dies by noon, battery life is awful",
    "Battery life got worse after the latest update",
    "Phone battery drains overnight after the update",
    "Why does the update kill my battery life?",
]


def posts(texts: list[str], language: str = "en", first: int = 0) -> list[ThemeText]:
    return [ThemeText(first + i, t, language) for i, t in enumerate(texts)]


def test_posts_about_the_same_thing_end_up_in_the_same_theme() -> None:
    themes = find_themes(posts(DELIVERY) + posts(BATTERY, first=100), k=2)
    assert len(themes) == 2
    groups = sorted(sorted(t.post_ids) for t in themes)
    assert groups == [list(range(6)), list(range(100, 106))]


def test_a_theme_is_labelled_with_its_key_phrases_as_written() -> None:
    themes = find_themes(posts(DELIVERY) + posts(BATTERY, first=100), k=2)
    labels = {min(t.post_ids): t.phrases for t in themes}
    assert {"package", "delivery", "late delivery"} & set(labels[0])
    assert "battery life" in labels[100]  # a phrase, not only its words
    assert all(p not in ("the", "my", "is") for ps in labels.values() for p in ps)


def test_danish_words_are_stemmed_and_compounds_meet_their_parts() -> None:
    service = [
        "Kundeservicen svarer aldrig på mine mails",
        "Elendig kundeservice, ingen svarer telefonen",
        "Jeg har ventet en time på kundeservice",
        "Service er en by i Rusland hos jer",
        "Kunderne fortjener bedre service",
        "Hvorfor svarer kundeservicen ikke?",
    ]
    rente = [
        "Renten stiger igen, mit lån bliver dyrere",
        "Hvad sker der med renterne på boliglån?",
        "Mit boliglån er steget med renten",
        "Renter og lån: hvornår falder renten?",
        "Lånet bliver dyrere når renten stiger",
        "Kan jeg binde renten på mit lån?",
    ]
    themes = find_themes(posts(service, "da") + posts(rente, "da", first=100), k=2)
    groups = sorted(sorted(t.post_ids) for t in themes)
    assert groups == [list(range(6)), list(range(100, 106))]
    words = " ".join(p for t in themes for p in t.phrases)
    assert "rente" in words and "service" in words


def test_too_few_posts_make_no_themes_rather_than_an_error() -> None:
    assert find_themes([]) == []
    assert find_themes(posts(["hej"])) == []
    assert find_themes(posts(["!!!", "👍👍"])) == []  # no words to group by


def test_the_number_of_themes_grows_slowly_with_the_posts() -> None:
    assert default_k(10) == 2
    assert default_k(400) == 10
    assert default_k(100_000) == 12
