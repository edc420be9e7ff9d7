"""Build the LLM-style lexicon and fit the LLM-style document model on DEV data only.

    .venv/bin/python scripts/tune_quality.py [--bench ../shared/benchmarks] [--check]

1. ``src/corpus_tools/data/llm_style_words_kobak2024.tsv``: the 434 excess *style* words of Kobak et al.
   (2024) (``lexicons/llm_excess_words_style.txt``, MIT) with a ``marker`` column: 1 when the word occurs
   at most MARKER_MAX_COUNT times in the human side of ``ai_text/xsum_human_vs_ai.dev.jsonl`` (unique
   texts, about 216k words of BBC news), i.e. when one occurrence in a news sentence means something.
2. ``src/corpus_tools/data/quality_llm_style_model.json``: an L2 logistic regression over
   :data:`corpus_tools.annotators.quality.STYLE_FEATURES`, fitted on the dev pairs of the
   instruction-tuned generators (gpt-3.5-turbo, gpt-4); regularisation chosen by 5-fold
   cross-validation grouped by pair; decision threshold = the score that flags FLAG_RATE of the dev
   human texts. Newlines are deliberately NOT a feature: in this data every AI continuation has
   paragraph breaks and no human text has any, an artefact of how the set was built.

Test files are never read.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "corpus_tools" / "data"
sys.path.insert(0, str(ROOT / "scripts"))

from tune_boilerplate import fit_logistic  # noqa: E402

from corpus_tools.evaluation.metrics import auroc, read_jsonl  # noqa: E402

MARKER_MAX_COUNT = 2
TRAIN_GENERATORS = ("gpt-3.5-turbo", "gpt-4")
FLAG_RATE = 0.03
L2_GRID = (0.1, 1.0, 10.0, 100.0)


def build_lexicon(bench: Path) -> None:
    words = [
        w.strip()
        for w in (bench / "lexicons" / "llm_excess_words_style.txt").read_text().splitlines()
        if w.strip()
    ]
    counts: Counter[str] = Counter()
    seen: set[str] = set()
    n_tokens = 0
    for record in read_jsonl(bench / "ai_text" / "xsum_human_vs_ai.dev.jsonl"):
        if record["label"] != "human" or record["text"] in seen:
            continue
        seen.add(record["text"])
        tokens = re.findall(r"[a-z]+", record["text"].lower())
        counts.update(tokens)
        n_tokens += len(tokens)
    lines = [
        "# name: llm_style_words_kobak2024",
        "# version: 1.0.0",
        "# source: Kobak, González-Márquez, Horvát & Lause (2024), Delving into LLM-assisted writing in biomedical "
        "publications through excess vocabulary, arXiv:2406.07016; words of type 'style' in results/excess_words.csv "
        "of https://github.com/berenslab/llm-excess-vocab (434 words)",
        "# licence: MIT (berenslab/llm-excess-vocab)",
        f"# marker: 1 = at most {MARKER_MAX_COUNT} occurrences in the human side of the XSum dev split "
        f"({len(seen)} BBC texts, {n_tokens:,} words), computed by scripts/tune_quality.py; only markers are "
        "flagged per sentence",
        "# columns: word<TAB>marker",
    ]
    markers = 0
    for word in sorted(set(words)):
        marker = int(counts[word] <= MARKER_MAX_COUNT)
        markers += marker
        lines.append(f"{word}\t{marker}")
    (DATA / "llm_style_words_kobak2024.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"lexicon: {len(set(words))} style words, {markers} markers")


def sentences_of(text: str) -> list[str]:
    from corpus_tools.segment import split_sentences

    out = []
    for para in re.finditer(r"[^\n]+", text):
        out.extend(text[s:e] for s, e in split_sentences(text, para.start(), para.end()))
    return out


def fit_model(bench: Path, write: bool) -> None:
    from corpus_tools.annotators import quality

    quality.style_words.cache_clear()
    quality.style_markers.cache_clear()
    records = list(read_jsonl(bench / "ai_text" / "xsum_human_vs_ai.dev.jsonl"))
    train = [r for r in records if r["generator"] in TRAIN_GENERATORS]
    names = quality.STYLE_FEATURES

    def matrix(rows: list[dict[str, Any]]) -> np.ndarray:
        return np.array(
            [[quality.llm_style_features(sentences_of(r["text"]))[k] for k in names] for r in rows]
        )

    x = matrix(train)
    y = np.array([r["label"] == "ai" for r in train], dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    pairs = sorted({r["pair_id"] for r in train})
    fold_of = {p: i % 5 for i, p in enumerate(pairs)}
    folds = np.array([fold_of[r["pair_id"]] for r in train])
    best = None
    for l2 in L2_GRID:
        oof = np.zeros(len(y))
        for f in range(5):
            tr = folds != f
            w, b = fit_logistic(z[tr], y[tr], l2)
            oof[~tr] = z[~tr] @ w + b
        per_gen = {
            g: auroc(
                [bool(y[i]) for i, r in enumerate(train) if r["generator"] == g],
                [float(oof[i]) for i, r in enumerate(train) if r["generator"] == g],
            )
            for g in TRAIN_GENERATORS
        }
        worst = min(per_gen.values())
        print(f"l2={l2:g}: dev CV AUROC " + ", ".join(f"{g} {v:.4f}" for g, v in per_gen.items()))
        if best is None or worst > best[0] + 1e-9:
            best = (worst, l2)
    assert best is not None
    l2 = best[1]
    w, b = fit_logistic(z, y, l2)

    # threshold: flag FLAG_RATE of the unique human dev texts (all generators' pairs)
    humans = list({r["text"]: r for r in records if r["label"] == "human"}.values())
    hz = (matrix(humans) - mean) / scale
    human_scores = 1.0 / (1.0 + np.exp(-(hz @ w + b)))
    threshold = float(np.round(np.quantile(human_scores, 1 - FLAG_RATE), 4))
    print(
        f"chose l2={l2:g}; threshold {threshold} flags {np.mean(human_scores >= threshold):.3f} of dev human texts"
    )
    for name, weight in sorted(zip(names, w, strict=True), key=lambda item: -abs(item[1])):
        print(f"  {name:22s} {weight:+.3f}")
    if not write:
        return
    payload = {
        "name": "quality_llm_style_model",
        "version": "1.0.0",
        "source": "fitted by scripts/tune_quality.py on ai_text/xsum_human_vs_ai.dev.jsonl "
        f"(generators {', '.join(TRAIN_GENERATORS)}: {len(train)} texts); XSum human side: BBC (Narayan et al. 2018); "
        "AI side: baoguangsheng/fast-detect-gpt (MIT)",
        "licence": "MIT (corpus_tools); weights are derived statistics, no text of the training data is included",
        "model": "logistic regression on standardised features: p = 1 / (1 + exp(-(bias + sum w_i (x_i - mean_i) / scale_i)))",
        "l2": l2,
        "threshold": threshold,
        "threshold_rule": f"flags {FLAG_RATE:.0%} of the unique human texts of the dev split",
        "features": list(names),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "weights": [round(float(v), 6) for v in w],
        "bias": round(float(b), 6),
    }
    (DATA / "quality_llm_style_model.json").write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print("wrote src/corpus_tools/data/quality_llm_style_model.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--check", action="store_true", help="print the cross-validated figures only")
    args = parser.parse_args()
    if not args.check:
        build_lexicon(args.bench)
    fit_model(args.bench, write=not args.check)


if __name__ == "__main__":
    main()
