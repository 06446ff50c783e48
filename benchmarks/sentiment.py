"""Sentiment benchmark: Lytter against VADER and AFINN on English and Danish, in one run.

    python benchmarks/sentiment.py [--shared ../shared/data] [--limit N]

- English: SemEval-2017 Task 4A test (12,284 tweets), which Lytter's model never saw.
- Danish: the held-out fifth of the Danish political comment sentences (scripts/
  train_models.py's `danish_split`), never trained on.

Prints accuracy, macro-F1 and macro-averaged recall for each system, the ratio of Lytter's
headline figure to the best baseline's, and a one-line summary last. Bars: English
macro-recall >= 0.68, Danish macro-F1 >= 0.68.

"Lytter" is the fast reading the ingest pipeline gives every post; "Lytter precise" mixes in
the embedding model (`lytter analyse --precise`, the `precise` extra; ~200x the cost), shown
when it is installed. Each is held to the bars.

VADER (vaderSentiment) labels by its compound score (>= 0.05 positive, <= -0.05 negative);
AFINN by the sign of the summed word scores (AFINN-en-165 or AFINN-da-32, with its emoticons),
as the AFINN package does.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from train_models import danish_sentences, semeval_test  # noqa: E402
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from lytter.analysis.analyse import Analysis, analyse  # noqa: E402
from lytter.analysis.lexicon import FILES, _read  # noqa: E402
from lytter.analysis.precise import available  # noqa: E402

LABELS = ("negative", "neutral", "positive")
BARS = {"English": ("macro-recall", 0.68), "Danish": ("macro-F1", 0.68)}


def scores(gold: list[str], predicted: list[str]) -> dict[str, float]:
    recalls, f1s = [], []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        support = sum(g == label for g in gold)
        guessed = sum(p == label for p in predicted)
        recall = tp / support if support else 0.0
        precision = tp / guessed if guessed else 0.0
        recalls.append(recall)
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    return {
        "accuracy": accuracy,
        "macro-F1": sum(f1s) / len(f1s),
        "macro-recall": sum(recalls) / len(recalls),
    }


def lytter_readings(texts: list[str], language: str) -> dict[str, tuple[list[Analysis], float]]:
    """Lytter's fast reading, and its precise one when installed: (analyses, texts/s) each."""
    found = {}
    for reading, precise in (("Lytter", False), ("Lytter precise", True)):
        if precise and not available():
            continue
        started = time.perf_counter()
        analyses = analyse(texts, known=[language] * len(texts), precise=precise)
        found[reading] = (analyses, len(texts) / (time.perf_counter() - started))
    return found


def afinn(language: str) -> Callable[[str], str]:
    words = _read(FILES[language]) | _read("AFINN-emoticon-8.txt")
    longest = max(len(w.split()) for w in words)
    pattern = re.compile(r"[:;=8][-']?[()\[\]DPp/\\|]+|<3|\w+(?:'\w+)*")

    def label(text: str) -> str:
        tokens = pattern.findall(text.casefold())
        total, i = 0.0, 0
        while i < len(tokens):
            for n in range(min(longest, len(tokens) - i), 0, -1):
                phrase = " ".join(tokens[i : i + n])
                if phrase in words:
                    total += words[phrase]
                    i += n
                    break
            else:
                i += 1
        return "positive" if total > 0 else "negative" if total < 0 else "neutral"

    return label


def vader() -> Callable[[str], str]:
    analyzer = SentimentIntensityAnalyzer()

    def label(text: str) -> str:
        compound = analyzer.polarity_scores(text)["compound"]
        return "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"

    return label


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=0, help="only the first N of each test set")
    args = parser.parse_args()
    sets = {
        "English": ("en", semeval_test(args.shared)),
        "Danish": ("da", danish_sentences(args.shared, "test")),
    }
    summary = []
    for name, (language, examples) in sets.items():
        if args.limit:
            examples = examples[: args.limit]
        texts = [t for t, _ in examples]
        gold = [label for _, label in examples]
        found = lytter_readings(texts, language)
        readings = {r: [a.sentiment for a in analyses] for r, (analyses, _) in found.items()}
        rates = {r: rate for r, (_, rate) in found.items()}
        systems = {
            **readings,
            "VADER": [vader()(t) for t in texts],
            f"AFINN-{language}": [afinn(language)(t) for t in texts],
        }
        metric, bar = BARS[name]
        what = "SemEval-2017 test" if language == "en" else "held-out political sentences"
        print(f"\n{name}: {len(texts):,} texts ({what})")
        print(f"{'system':15} {'accuracy':>9} {'macro-F1':>9} {'macro-recall':>13}")
        results = {system: scores(gold, predicted) for system, predicted in systems.items()}
        for system, figures in results.items():
            print(
                f"{system:15} {figures['accuracy']:>9.3f} {figures['macro-F1']:>9.3f}"
                f" {figures['macro-recall']:>13.3f}"
            )
        best_baseline = max(v[metric] for k, v in results.items() if k not in readings)
        for reading in readings:
            value = results[reading][metric]
            print(
                f"{reading} {metric} {value:.3f} = {value / best_baseline:.2f}x the best"
                f" baseline ({best_baseline:.3f}); bar {bar}; {rates[reading]:,.0f} texts/s"
            )
            summary.append((reading, name, metric, value, bar, value / best_baseline))
    verdicts = []
    for reading in dict.fromkeys(r for r, *_ in summary):
        mine = [row for row in summary if row[0] == reading]
        met = all(value >= bar for _, _, _, value, bar, _ in mine)
        parts = ", ".join(
            f"{n} {m} {v:.3f} ({x:.2f}x best baseline, bar {b})" for _, n, m, v, b, x in mine
        )
        verdicts.append(f"{reading}: {parts} — {'bars met' if met else 'BAR MISSED'}")
    print(f"\nsentiment: {'; '.join(verdicts)}")


if __name__ == "__main__":
    main()
