"""Tune and ablate the news-domain VADER rules on the DEV split only.

    .venv/bin/python scripts/tune_tone.py [--bench ../shared/benchmarks] [--cv]

Prints Pearson r (snippet tone = mean compound of its sentences vs. mean human rating) on
``tone/nyt_editorial_snippets.dev.jsonl`` for plain VADER, for the full annotator and for the full
annotator with each rule switched off. With ``--cv`` it also runs 10-fold cross-validation by
article (the ``article`` field) within dev: options with a free value are chosen on nine folds and
scored on the held-out tenth, and the held-out predictions are pooled into one r, so what is
reported is how the *choice* generalises, not how well it fits dev. The test split is never read
here (``corpus_tools.evaluation.tone`` reports it). Deterministic.
"""

from __future__ import annotations

import argparse
import itertools
import random
from collections import Counter
from pathlib import Path
from typing import Any

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from corpus_tools.annotators.tone import build_analyzer, news_lexicon
from corpus_tools.evaluation.metrics import pearson, read_jsonl
from corpus_tools.evaluation.tone import snippet_sentences, snippet_tone

K = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=Path("..") / "shared" / "benchmarks")
    parser.add_argument("--cv", action="store_true", help="10-fold cross-validation by article within dev")
    args = parser.parse_args()
    records = list(read_jsonl(args.bench / "tone" / "nyt_editorial_snippets.dev.jsonl"))
    ratings = [float(r["mean_rating"]) for r in records]
    sentences = [snippet_sentences(r["text"]) for r in records]

    def predict(**overrides: Any) -> list[float]:
        analyzer = build_analyzer(**overrides)
        return [snippet_tone(s, lambda t: analyzer.polarity_scores(t)["compound"]) for s in sentences]

    plain = SentimentIntensityAnalyzer()
    print(f"dev snippets: {len(records)}")
    plain_pred = [snippet_tone(s, lambda t: plain.polarity_scores(t)["compound"]) for s in sentences]
    print(f"plain VADER                       r = {pearson(plain_pred, ratings):.4f}")
    full = predict()
    print(f"full annotator                    r = {pearson(full, ratings):.4f}")
    ablations: dict[str, dict[str, Any]] = {
        "no news additions": {"additions": {}},
        "no general lexicon": {"general_scale": 0.0},
        "no neutral news senses": {"neutral": ()},
        "no shifters": {"shifters": {}},
        "no proper-name masking": {"mask_names": False},
        "no context senses / too": {"context_senses": False},
        "no unattached negation": {"unattached_negation": 0.0},
        "VADER's own 'but' rule": {"fix_but": False},
        "no negativity weight": {"negative_weight": 1.0},
        "no inflections": {"inflections": 0.0},
        "no concessive clauses": {"concessive": 0.0},
        "no question valence": {"question": 0.0},
    }
    for label, override in ablations.items():
        print(f"  - {label:30s} r = {pearson(predict(**override), ratings):.4f}")
    if args.cv:
        cross_validate(records, ratings, predict, full)


def cross_validate(
    records: list[dict[str, Any]], ratings: list[float], predict: Any, full: list[float]
) -> None:
    articles = sorted({str(r["article"]) for r in records})
    random.Random(0).shuffle(articles)
    fold_of = {a: i % K for i, a in enumerate(articles)}
    folds = [[i for i, r in enumerate(records) if fold_of[str(r["article"])] == k] for k in range(K)]
    trains = [[i for i, r in enumerate(records) if fold_of[str(r["article"])] != k] for k in range(K)]

    def r_on(pred: list[float], idx: list[int]) -> float:
        return pearson([pred[i] for i in idx], [ratings[i] for i in idx])

    def fold_mean(pred: list[float]) -> float:
        return sum(r_on(pred, f) for f in folds) / K

    print(f"\n{K}-fold CV by article within dev ({len(articles)} articles)")
    print(f"current defaults: pooled r = {pearson(full, ratings):.4f}, mean fold r = {fold_mean(full):.4f}")

    def cv_choice(label: str, grid: list[dict[str, Any]]) -> None:
        preds = [predict(**g) for g in grid]
        pooled = [0.0] * len(records)
        picks: Counter[str] = Counter()
        for k in range(K):
            best = max(range(len(grid)), key=lambda j: r_on(preds[j], trains[k]))
            picks[str(grid[best])] += 1
            for i in folds[k]:
                pooled[i] = preds[best][i]
        print(f"  {label:28s} held-out pooled r = {pearson(pooled, ratings):.4f}  picks {dict(picks)}")

    def grid(**values: tuple[Any, ...]) -> list[dict[str, Any]]:
        return [dict(zip(values, combo, strict=True)) for combo in itertools.product(*values.values())]

    cv_choice("general lexicon scale", grid(general_scale=(0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.75)))
    cv_choice("alpha (normalisation)", grid(alpha=(5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0)))
    cv_choice("news addition scale", grid(addition_scale=(0.25, 0.5, 0.75, 1.0, 1.25, 1.5)))
    cv_choice("inflections", grid(inflections=(0.0, 0.5, 0.75, 1.0)))
    cv_choice("concessive", grid(concessive=(0.0, 0.25, 0.5, 0.75)))
    cv_choice("question valence", grid(question=(0.0, -0.3, -0.6, -0.9, -1.2)))
    cv_choice("split hyphens", grid(split_hyphens=(False, True)))
    cv_choice("weak negators", grid(extended_negation=(False, True)))
    cv_choice("raw punctuation", grid(raw_punctuation=(False, True)))
    cv_choice(
        "inflections x concessive x q",
        grid(inflections=(0.0, 0.5, 0.75, 1.0), concessive=(0.0, 0.25, 0.5), question=(0.0, -0.3, -0.6)),
    )
    # pruning: drop news additions seen fewer than m times in the nine training folds (a word the
    # held-out fold meets but training never did is pruned, as an unseen test word would be)
    additions = news_lexicon()[0]
    tokens = [{w.strip(".,;:!?'\"()").lower() for w in str(r["text"]).split()} for r in records]
    for minimum in (1, 2, 3):
        pooled = [0.0] * len(records)
        for k in range(K):
            seen = Counter(w for i in trains[k] for w in tokens[i])
            pred = predict(additions={w: v for w, v in additions.items() if seen[w] >= minimum})
            for i in folds[k]:
                pooled[i] = pred[i]
        print(f"  prune additions seen < {minimum}    held-out pooled r = {pearson(pooled, ratings):.4f}")


if __name__ == "__main__":
    main()
