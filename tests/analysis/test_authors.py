"""Critics, trolls and ambassadors, read from an author's analysed posts, with the reasons."""

from __future__ import annotations

import pytest

from lytter.analysis.authors import classify, classify_posts, signals
from lytter.domain.authors import AuthorPost, AuthorSettings, AuthorStats

SETTINGS = AuthorSettings()


def post(text: str, tone: str = "neutral", offensive: float = 0.05, **kw: object) -> AuthorPost:
    return AuthorPost(text, tone, offensive, **kw)  # type: ignore[arg-type]


def codes(reasons: tuple[object, ...]) -> list[str]:
    return [r.code for r in reasons]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        "Hvorfor er min pakke ikke kommet?",  # a question
        "Ordre 4471-22 er stadig ikke leveret",  # a number
        "Jeg skifter bank fordi gebyrerne stiger igen",  # a reason
        "Why does the app log me out every time I open it",  # a question without a mark
        "Min ventetid i kundeservice var lang i går og ingen kunne svare på noget om kortet mit",
    ],
)
def test_a_question_a_number_a_reason_or_an_argument_is_substance(text: str) -> None:
    assert signals(text).substance


@pytest.mark.parametrize("text", ["Elendigt!", "I er nogle klovne", "@bank @bank2 😡😡"])
def test_a_bare_outburst_is_no_substance(text: str) -> None:
    assert not signals(text).substance


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Jeg skifter PÅ GRUND AF gebyrerne", True),
        ("Late again, DUE TO the strike", True),
        ("sİnce the update it crashes", True),  # İ matches i, as in the search
        ("Fordelen er klar", False),  # "fordi" only as a word
        ("På grunden af", False),
        ("Sincerely yours", False),
    ],
)
def test_a_reason_is_one_of_its_markers_as_words(text: str, reason: bool) -> None:
    assert signals(text).reason is reason


def test_numbers_in_mentions_and_links_are_not_facts() -> None:
    assert not signals("@115821 se https://t.co/a1b2c3 nu").fact
    assert signals("@115821 flight 609 is late").fact


def test_shouting_exclamations_and_mention_storms_are_baiting() -> None:
    assert signals("I HATE THIS STUPID BANK").baiting
    assert signals("så dårligt!!!").baiting
    assert signals("@a @b @c @d @e se her").baiting
    assert not signals("Tak for hjælpen, Mette").baiting


def test_an_abusive_author_without_substance_is_a_troll() -> None:
    label, reasons, stats = classify_posts(
        [
            post("Du er en idiot", "negative", 0.9),
            post("Luk lortet, I er nogle svin", "negative", 0.95),
            post("Hold kæft", "negative", 0.7),
            post("ok", "neutral"),
        ],
        SETTINGS,
    )
    assert label == "troll"
    assert codes(reasons) == ["offensive", "substance"]
    assert (reasons[0].count, reasons[0].of) == (3, 4)
    assert stats.offensive == 3 and stats.substance == 0


def test_repeating_the_same_bait_is_a_troll_even_when_polite() -> None:
    label, reasons, _ = classify_posts(
        [post("Hvem gider egentlig bruge jer"), *[post("I LYVER OM ALT HELE TIDEN")] * 3],
        SETTINGS,
    )
    assert label == "troll"
    assert "repeats" in codes(reasons) and "baiting" in codes(reasons)


def test_an_angry_author_with_a_concrete_complaint_is_a_critic_not_a_troll() -> None:
    label, reasons, _ = classify_posts(
        [
            post("Min ordre 88123 er ikke kommet efter 3 uger", "negative"),
            post("Hvorfor svarer kundeservice ikke på mails?", "negative"),
            post("Det er fandme for dårligt, jeg har ventet 40 minutter", "negative", 0.6),
            post("Tak", "positive"),
        ],
        SETTINGS,
    )
    assert label == "critic"
    assert codes(reasons) == ["negative", "negative_substance", "offensive"]


def test_a_negative_author_without_substance_is_no_critic() -> None:
    label, _, _ = classify_posts([post("Øv", "negative")] * 2 + [post("Nej", "negative")], SETTINGS)
    assert label == "none"


def test_a_repeatedly_positive_author_with_reach_is_an_ambassador() -> None:
    praise = [post(f"Bedste bank {i} gang", "positive", engagement=12) for i in range(3)]
    label, reasons, _ = classify_posts(praise, SETTINGS, followers=2400)
    assert label == "ambassador"
    assert codes(reasons) == ["positive", "followers"]


def test_helping_others_in_threads_makes_an_ambassador() -> None:
    helps = [
        post("Du kan bestille et nyt kort i appen under Kort", answers_other=True),
        post("Det virker igen efter opdateringen, prøv at genstarte", answers_other=True),
        post("Ring til 70 12 34 56, de hjalp mig hurtigt", "positive", answers_other=True),
    ]
    label, reasons, stats = classify_posts(helps, SETTINGS)
    assert label == "ambassador"
    assert stats.helpful_replies == 3
    assert codes(reasons) == ["helps", "reach_unknown"]


def test_without_reach_a_fan_is_not_an_ambassador() -> None:
    praise = [post("Fantastisk service", "positive", engagement=0) for _ in range(3)]
    label, reasons, _ = classify_posts(praise, SETTINGS, followers=12)
    assert label == "none"
    assert codes(reasons)[-1] == "little_reach"


def test_too_few_posts_give_no_type() -> None:
    label, reasons, _ = classify_posts([post("Du er en idiot", "negative", 0.99)], SETTINGS)
    assert label == "none"
    assert (reasons[0].code, reasons[0].count, reasons[0].of) == ("few_posts", 1, 3)


def test_the_thresholds_are_the_workspace_s_own() -> None:
    stats = AuthorStats(posts=10, negative=2, negative_with_substance=2, substance=4)
    assert classify(stats, SETTINGS)[0] == "none"  # 20% negative < 30%
    assert classify(stats, AuthorSettings(critic_negative_share=0.2))[0] == "critic"


def test_settings_out_of_range_are_refused_with_their_name() -> None:
    with pytest.raises(ValueError, match="critic_negative_share"):
        AuthorSettings(critic_negative_share=1.5)
    assert AuthorSettings.from_dict({"min_posts": 5, "unknown": 1}).min_posts == 5
