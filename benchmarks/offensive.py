"""Offensive-language benchmark: Lytter against a TF-IDF + logistic regression baseline trained
in the same run on the same training data.

    python benchmarks/offensive.py [--shared ../shared/data]

- Danish: OffensEval 2020 Danish test (329 comments from DKHate); bar macro-F1 >= 0.78.
- English: TweetEval offensive test (860 tweets), for reference.

Lytter labels a text offensive when its probability is at least 0.5: "Lytter" with the fast
reading the ingest pipeline gives every post, "Lytter precise" with the embedding model mixed
in (`lytter analyse --precise`, the `precise` extra), shown when it is installed. The baseline is
scikit-learn's TfidfVectorizer (words, 1-2-grams) + LogisticRegression(class_weight=balanced)
trained on the same training split as Lytter's model. Prints accuracy and macro-F1, the ratio
to the baseline, and a one-line summary last.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from train_models import offenseval_da, tweeteval_offensive  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from sentiment import lytter_readings  # noqa: E402

BAR = 0.78


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    sets = {
        "Danish": ("da", offenseval_da(args.shared, "train"), offenseval_da(args.shared, "test")),
        "English": (
            "en",
            tweeteval_offensive(args.shared, "train"),
            tweeteval_offensive(args.shared, "test"),
        ),
    }
    summary = []
    for name, (language, train, test) in sets.items():
        texts = [t for t, _ in test]
        gold = [label for _, label in test]
        found = lytter_readings(texts, language)
        readings = {
            r: ["offensive" if a.offensive >= 0.5 else "not" for a in analyses]
            for r, (analyses, _) in found.items()
        }
        rates = {r: rate for r, (_, rate) in found.items()}
        vectoriser = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
        baseline = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
        baseline.fit(vectoriser.fit_transform([t for t, _ in train]), [y for _, y in train])
        theirs = list(baseline.predict(vectoriser.transform(texts)))
        print(f"\n{name}: {len(texts):,} test texts, {len(train):,} training texts")
        print(f"{'system':15} {'accuracy':>9} {'macro-F1':>9}")
        figures = {}
        for system, predicted in (*readings.items(), ("TF-IDF + LR", theirs)):
            f1 = float(f1_score(gold, predicted, average="macro"))
            figures[system] = f1
            print(f"{system:15} {accuracy_score(gold, predicted):>9.3f} {f1:>9.3f}")
        for reading in readings:
            ratio = figures[reading] / figures["TF-IDF + LR"]
            print(
                f"{reading} macro-F1 {figures[reading]:.3f} = {ratio:.2f}x the baseline;"
                f" {rates[reading]:,.0f} texts/s"
            )
            summary.append((reading, name, figures[reading], ratio))
    verdicts = []
    for reading in dict.fromkeys(r for r, *_ in summary):
        mine = [row for row in summary if row[0] == reading]
        parts = ", ".join(f"{n} macro-F1 {v:.3f} ({x:.2f}x TF-IDF + LR)" for _, n, v, x in mine)
        danish = next(v for _, n, v, _ in mine if n == "Danish")
        verdict = "bar met" if danish >= BAR else "BAR MISSED"
        verdicts.append(f"{reading}: {parts} — Danish {verdict}")
    print(f"\noffensive: {'; '.join(verdicts)} (>= {BAR})")


if __name__ == "__main__":
    main()
