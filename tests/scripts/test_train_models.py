"""The training script takes people's tone corrections from a Lytter database as examples, in
the language whose model reads them."""

from __future__ import annotations

import sys
from pathlib import Path

from lytter.domain.access import Actor
from lytter.services import analysing
from lytter.store import open_store
from tests.helpers import draft

sys.path.insert(0, str(Path(__file__).parents[2] / "scripts"))
from train_models import corrections  # noqa: E402


def test_corrections_become_weighted_examples_per_model_language(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lytter.sqlite'}"
    store = open_store(url)
    ws = store.ensure_workspace("a")
    store.save_posts(
        ws.id,
        [
            draft("1", "Nå, det var jo en god start på ugen 🙄", language="da"),
            draft("2", "Great, another delay. Just great.", language="en"),
            draft("3", "Tak for hjælpen", language="da"),
        ],
    )
    analysing.analyse_new_posts(store, ws.id)
    ids = {p.text[:3]: p.id for p in store.posts_for_matching(ws.id, 0, 10)}
    actor = Actor.system(ws.id)
    analysing.correct_sentiment(store, actor, ids["Nå,"], "negative")
    analysing.correct_sentiment(store, actor, ids["Gre"], "negative")
    store.close()
    found = corrections(url, weight=2)
    assert found["da"] == [("Nå, det var jo en god start på ugen 🙄", "negative")] * 2
    assert found["en"] == [("Great, another delay. Just great.", "negative")] * 2
    assert corrections(None) == {"da": [], "en": []}
