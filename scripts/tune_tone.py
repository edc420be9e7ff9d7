"""Tune and ablate the news-domain VADER rules on the DEV split only.

    .venv/bin/python scripts/tune_tone.py [--bench ../shared/benchmarks]

Prints Pearson r (snippet tone = mean compound of its sentences vs. mean human rating) on
``tone/nyt_editorial_snippets.dev.jsonl`` for plain VADER, for the full annotator, for the full
annotator with each rule switched off, and for a sweep of the unattached-negation valence. The test
split is never read here (``corpus_tools.evaluation.tone`` reports it). Deterministic.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from corpus_tools.annotators.tone import build_analyzer
from corpus_tools.evaluation.metrics import pearson, read_jsonl
from corpus_tools.evaluation.tone import snippet_sentences, snippet_tone


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=Path("..") / "shared" / "benchmarks")
    args = parser.parse_args()
    records = list(read_jsonl(args.bench / "tone" / "nyt_editorial_snippets.dev.jsonl"))
    ratings = [float(r["mean_rating"]) for r in records]
    sentences = [snippet_sentences(r["text"]) for r in records]

    def r_of(score) -> float:  # type: ignore[no-untyped-def]
        return pearson([snippet_tone(s, score) for s in sentences], ratings)

    plain = SentimentIntensityAnalyzer()
    print(f"dev snippets: {len(records)}")
    print(f"plain VADER                       r = {r_of(lambda t: plain.polarity_scores(t)['compound']):.4f}")
    full = build_analyzer()
    print(f"full annotator                    r = {r_of(lambda t: full.polarity_scores(t)['compound']):.4f}")
    ablations = {
        "no news additions": {"additions": {}},
        "no neutral news senses": {"neutral": ()},
        "no shifters": {"shifters": {}},
        "no proper-name masking": {"mask_names": False},
        "no context senses / too": {"context_senses": False},
        "no unattached negation": {"unattached_negation": 0.0},
        "VADER's own 'but' rule": {"fix_but": False},
        "no negativity weight": {"negative_weight": 1.0},
    }
    for label, override in ablations.items():
        analyzer = build_analyzer(**override)
        print(f"  - {label:30s} r = {r_of(lambda t, a=analyzer: a.polarity_scores(t)['compound']):.4f}")
    for weight in (1.2, 1.5, 2.0):
        analyzer = build_analyzer(negative_weight=weight)
        r = r_of(lambda t, a=analyzer: a.polarity_scores(t)["compound"])
        print(f"  negative weight {weight:.1f}             r = {r:.4f}")
    for value in (-0.3, -0.6, -0.9, -1.2):
        analyzer = build_analyzer(unattached_negation=value)
        r = r_of(lambda t, a=analyzer: a.polarity_scores(t)["compound"])
        print(f"  unattached negation {value:+.1f}        r = {r:.4f}")


if __name__ == "__main__":
    main()
