"""Hedging evaluation: sentence-level uncertainty detection on the Szeged Uncertainty Corpus and BioScope.

Metric: F1 of the "uncertain" class, ``is_hedged`` vs. the sentence label, on the test splits:
``hedging/factbank.test.jsonl`` (newswire, our domain), ``hedging/wikiweasel.test.jsonl`` (Wikipedia)
and ``hedging/bioscope.test.jsonl`` (biomedical; no dev split exists, it is out of domain and was
never used for tuning). The lexicon was tuned on factbank.dev + wikiweasel.dev only
(``scripts/tune_hedging.py``). Baselines: the benchmarks README's 33-word modal list (sentence
uncertain if any cue matches; measured on all records of each set).
"""

from __future__ import annotations

from pathlib import Path

from corpus_tools.evaluation import EvalResult
from corpus_tools.evaluation.metrics import binary_f1, read_jsonl

# (file stem, README baseline, issue target, note)
SETS: tuple[tuple[str, float, float, str], ...] = (
    ("factbank", 0.71, 0.80, "newswire (NYT, APW, WSJ); tuned on factbank.dev + wikiweasel.dev"),
    ("wikiweasel", 0.73, 0.78, "Wikipedia; tuned on factbank.dev + wikiweasel.dev"),
    ("bioscope", 0.80, 0.85, "biomedical, out of domain: no dev split, never used for tuning"),
)


def evaluate(bench_dir: Path) -> list[EvalResult]:
    from corpus_tools.annotators.hedging import default_matcher

    matcher = default_matcher()
    results = []
    for stem, baseline, target, note in SETS:
        path = bench_dir / "hedging" / f"{stem}.test.jsonl"
        if not path.is_file():
            continue
        gold: list[bool] = []
        predicted: list[bool] = []
        for record in read_jsonl(path):
            gold.append(record["label"] == "uncertain")
            predicted.append(bool(matcher.cues(record["text"])[0]))
        precision_den = sum(predicted)
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
        precision = tp / precision_den if precision_den else 0.0
        recall = tp / sum(gold) if sum(gold) else 0.0
        results.append(
            EvalResult(
                family="hedging",
                dataset=f"hedging/{stem}.test.jsonl ({len(gold):,} sentences, {sum(gold):,} uncertain)",
                metric="F1 (uncertain class), is_hedged",
                value=round(binary_f1(gold, predicted), 4),
                baseline=baseline,
                baseline_name="33-word modal list, benchmarks README (all records)",
                target=target,
                notes=f"{note}; precision {precision:.3f}, recall {recall:.3f}.",
            )
        )
    return results
