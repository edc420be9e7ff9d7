"""Stance on NewsMTSC (target-dependent sentiment in news), macro-F1 over favor / against / neutral.

Gold: ``polarity`` positive -> favor, negative -> against, neutral -> neutral, toward ``target_span``.
Ours: :func:`corpus_tools.annotators.stance.stance_toward` (learned model + target-aware rules, the
default method). Baseline measured in the same run: VADER compound of the whole sentence, favor at
>= 0.3, against at <= -0.3 (the reference method of ``benchmarks/README.md``). The model was trained on
``newsmtsc.train`` with the dev splits for selection; only the test splits are read here.
"""

from __future__ import annotations

import time
from pathlib import Path

from corpus_tools.evaluation import EvalResult
from corpus_tools.evaluation.metrics import macro_f1, read_jsonl

POLARITY = {"negative": "against", "neutral": "neutral", "positive": "favor"}
LABELS = ("against", "neutral", "favor")
TARGET_RW = 0.65
PUBLISHED_RW = 0.83  # GRU-TSC, Hamborg & Donnay (2021)
VADER_THRESHOLD = 0.3


def vader_label(compound: float) -> str:
    if compound >= VADER_THRESHOLD:
        return "favor"
    if compound <= -VADER_THRESHOLD:
        return "against"
    return "neutral"


def measure(path: Path) -> dict[str, float]:
    """Macro-F1 of the default method, of the model without rules and of the VADER baseline."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from corpus_tools.annotators.stance import stance_detail

    analyzer = SentimentIntensityAnalyzer()
    rows = list(read_jsonl(path))
    gold = [POLARITY[r["polarity"]] for r in rows]
    started = time.perf_counter()
    ours = [stance_detail(r["sentence"], *r["target_span"]).label for r in rows]
    seconds = time.perf_counter() - started
    no_rules = [stance_detail(r["sentence"], *r["target_span"], rules=False).label for r in rows]
    vader = [vader_label(analyzer.polarity_scores(r["sentence"])["compound"]) for r in rows]
    return {
        "n": float(len(rows)),
        "ours": round(macro_f1(gold, ours, LABELS), 4),
        "no_rules": round(macro_f1(gold, no_rules, LABELS), 4),
        "vader": round(macro_f1(gold, vader, LABELS), 4),
        "targets_per_s": round(len(rows) / seconds, 1) if seconds else 0.0,
    }


def evaluate(bench_dir: Path) -> list[EvalResult]:
    folder = bench_dir / "stance"
    results = []
    for name, target, extra in (
        ("newsmtsc-rw.test.jsonl", TARGET_RW, f"published GRU-TSC model: {PUBLISHED_RW}"),
        ("newsmtsc-mt.test.jsonl", None, "multi-target sentences"),
    ):
        path = folder / name
        if not path.is_file():
            continue
        m = measure(path)
        results.append(
            EvalResult(
                family="stance",
                dataset=f"stance/{name} ({int(m['n']):,} targets)",
                metric="macro-F1 (favor/against/neutral toward the target)",
                value=m["ours"],
                baseline=m["vader"],
                baseline_name="whole-sentence VADER, ±0.3",
                target=target,
                notes=(
                    f"learned linear model + target-aware rules (default); model without rules "
                    f"{m['no_rules']:.3f}; {extra}"
                ),
            )
        )
    return results
