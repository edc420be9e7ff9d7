"""Sentence segmenter benchmark: accuracy per suite and throughput against baselines timed in the same run.

Usage (from the project root)::

    .venv/bin/python benchmarks/bench_segment.py [--repeats 5] [--docs N] [--bench-dir ../shared/benchmarks]

Prints one JSON object:

- ``accuracy``: for each suite in ``segmentation/`` the % of cases whose sentence list is exact (the
  comparison rules are in :mod:`corpus_tools.evaluation.segmentation`), for our segmenter and for each
  baseline;
- ``throughput``: sentences per second on one core (the process is pinned to one CPU where the OS
  allows it), best of ``--repeats`` passes over the paragraphs of ``corpora/bbc_news.jsonl``, one call
  per paragraph as the pipeline does. Every rate uses the number of sentences *our* segmenter finds,
  so ``ratio`` (our rate / the baseline's rate) is a pure time ratio on identical input.

Baselines: the interim regex segmenter (``naive_regex``) always; pySBD when it happens to be importable
(it is not a dependency; it is timed on the first ``--pysbd-docs`` articles only, because it is slow,
with our segmenter re-timed on the same subset for its ratio).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from collections.abc import Callable
from pathlib import Path

from corpus_tools.evaluation.segmentation import (
    SUITES,
    naive_split,
    score_suite,
    segment,
    speed_paragraphs,
    time_segmenter,
)
from corpus_tools.segment import split_sentences

ROOT = Path(__file__).resolve().parents[1]


def _pin_to_one_core() -> int | None:
    if hasattr(os, "sched_getaffinity") and hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return cpu
    return None


def _pysbd_segmenter() -> Callable[[str], list[str]] | None:
    try:
        import pysbd  # type: ignore[import-not-found]
    except ImportError:
        return None
    seg = pysbd.Segmenter(language="en", clean=False)
    return lambda text: [s.strip() for s in seg.segment(text) if s.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--repeats", type=int, default=5, help="timing passes; the best one counts")
    parser.add_argument("--docs", type=int, default=None, help="articles of bbc_news.jsonl to time (all)")
    parser.add_argument("--pysbd-docs", type=int, default=100, help="articles to time pySBD on")
    args = parser.parse_args(argv)
    if not (args.bench_dir / "segmentation").is_dir():
        print(json.dumps({"error": f"benchmarks not found at {args.bench_dir}"}))
        return 0

    cpu = _pin_to_one_core()
    segmenters: dict[str, Callable[[str], list[str]]] = {"corpus_tools": segment, "naive_regex": naive_split}
    pysbd_seg = _pysbd_segmenter()
    if pysbd_seg is not None:
        segmenters["pysbd"] = pysbd_seg

    accuracy: dict[str, dict[str, object]] = {}
    for suite in SUITES:
        row: dict[str, object] = {"target_percent": suite.target, "published_pysbd_percent": suite.baseline}
        for name, fn in segmenters.items():
            score = score_suite(args.bench_dir, suite, fn)
            row[name] = {"cases": score.n_cases, "exact": score.n_correct, "percent": round(score.percent, 1)}
        accuracy[suite.filename] = row

    paragraphs = speed_paragraphs(args.bench_dir, args.docs)
    n_sentences = sum(len(split_sentences(p)) for p in paragraphs)
    ours = time_segmenter(paragraphs, split_sentences, args.repeats)
    naive = time_segmenter(paragraphs, naive_split, args.repeats)
    baselines: dict[str, object] = {
        "naive_regex": {
            "sentences_per_s": round(n_sentences / naive),
            "ratio_ours_over_baseline": round(naive / ours, 3),
        }
    }
    if pysbd_seg is not None:
        subset = speed_paragraphs(args.bench_dir, args.pysbd_docs)
        n_subset = sum(len(split_sentences(p)) for p in subset)
        ours_subset = time_segmenter(subset, split_sentences, args.repeats)
        pysbd_time = time_segmenter(subset, pysbd_seg, 1)
        baselines["pysbd"] = {
            "articles": args.pysbd_docs,
            "sentences": n_subset,
            "sentences_per_s": round(n_subset / pysbd_time),
            "ours_sentences_per_s_same_subset": round(n_subset / ours_subset),
            "ratio_ours_over_baseline": round(pysbd_time / ours_subset, 1),
        }
    else:
        baselines["pysbd"] = None  # not installed (not a dependency)

    report = {
        "command": "python benchmarks/bench_segment.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "python": platform.python_version(),
        "pinned_cpu": cpu,
        "accuracy": accuracy,
        "throughput": {
            "corpus": "corpora/bbc_news.jsonl paragraphs, one call each",
            "articles": args.docs or "all",
            "paragraphs": len(paragraphs),
            "sentences": n_sentences,
            "repeats": args.repeats,
            "corpus_tools_sentences_per_s": round(n_sentences / ours),
            "target_sentences_per_s": 50_000,
            "baselines": baselines,
        },
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
