"""Fit the web-page block scorer (``src/corpus_tools/data/boilerplate_block_model.json``) on DEV splits only.

    .venv/bin/python scripts/tune_boilerplate.py [--bench ../shared/benchmarks] [--check]

Profiles:
- ``html_blocks``: ``boilerplate/l3s_gn1_blocks.dev.jsonl`` (label: ``is_boilerplate``);
- ``text_lines``: ``boilerplate/turku_lines.dev.jsonl`` (label: ``noise``).

For each profile: features from :func:`corpus_tools.annotators.boilerplate.block_features` (page by
page, in block order), an L2-regularised logistic regression fitted by Newton's method (numpy only;
deterministic), the regularisation strength and decision threshold chosen by 5-fold cross-validation
*grouped by page* on dev (out-of-fold F1), then a final fit on the whole dev split. Pages whose text is
identical to an earlier page are dropped first (the Turku dev file holds three such pairs), so copies
cannot leak across folds or weigh double. Test files are never read. ``--check`` only prints the cross-validated figures.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from corpus_tools.annotators.boilerplate import BLOCK_MODEL_FILE, FEATURES, block_features
from corpus_tools.evaluation.metrics import read_jsonl

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "corpus_tools" / "data" / BLOCK_MODEL_FILE
L2_GRID = (0.1, 1.0, 10.0, 100.0)
FOLDS = 5

PROFILES: dict[str, dict[str, Any]] = {
    "html_blocks": {
        "file": "boilerplate/l3s_gn1_blocks.dev.jsonl",
        "page": "page_id",
        "order": "block_index",
        "label": lambda r: bool(r["is_boilerplate"]),
        "description": "text blocks of an HTML news page (boilerpipe / L3S-GN1 segmentation)",
    },
    "text_lines": {
        "file": "boilerplate/turku_lines.dev.jsonl",
        "page": "doc_id",
        "order": "line_index",
        "label": lambda r: r["label"] == "noise",
        "description": "lines of text extracted from a web page (Turku text-quality annotation)",
    },
}


def load_pages(path: Path, spec: dict[str, Any]) -> list[tuple[str, list[str], list[bool]]]:
    pages: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in read_jsonl(path):
        pages[record[spec["page"]]].append(record)
    out = []
    seen: set[tuple[str, ...]] = set()
    for page_id in sorted(pages):
        records = sorted(pages[page_id], key=lambda r: r[spec["order"]])
        texts = tuple(r["text"] for r in records)
        if texts in seen:
            continue  # the Turku file holds identical copies of some documents: train on one copy only
        seen.add(texts)
        out.append((page_id, list(texts), [spec["label"](r) for r in records]))
    return out


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, iterations: int = 100) -> tuple[np.ndarray, float]:
    """L2-penalised logistic regression (bias unpenalised) by Newton-Raphson."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.eye(d + 1) * l2
    penalty[-1, -1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -60, 60)))
        grad = xb.T @ (p - y) + penalty @ w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w[:-1], float(w[-1])


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    best = (0.5, -1.0)
    for t in np.round(np.arange(0.05, 0.951, 0.01), 2):
        pred = p >= t
        tp = float(np.sum(pred & (y == 1)))
        fp = float(np.sum(pred & (y == 0)))
        fn = float(np.sum(~pred & (y == 1)))
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[1] + 1e-12:
            best = (float(t), f1)
    return best


def tune(bench: Path, profile: str) -> dict[str, Any]:
    spec = PROFILES[profile]
    pages = load_pages(bench / spec["file"], spec)
    rows, labels, groups = [], [], []
    for index, (_page_id, texts, page_labels) in enumerate(pages):
        rows.extend(block_features(texts))
        labels.extend(page_labels)
        groups.extend([index % FOLDS] * len(texts))
    x = np.array(rows, dtype=float)
    y = np.array(labels, dtype=float)
    fold = np.array(groups)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    baseline_pred = x[:, FEATURES.index("short")] > 0.5
    tp = float(np.sum(baseline_pred & (y == 1)))
    baseline_f1 = (
        2 * tp / (2 * tp + float(np.sum(baseline_pred & (y == 0))) + float(np.sum(~baseline_pred & (y == 1))))
    )
    results = []
    for l2 in L2_GRID:
        oof = np.zeros(len(y))
        for f in range(FOLDS):
            train = fold != f
            w, b = fit_logistic(z[train], y[train], l2)
            oof[~train] = 1.0 / (1.0 + np.exp(-np.clip(z[~train] @ w + b, -60, 60)))
        threshold, f1 = best_threshold(y, oof)
        results.append((f1, -l2, l2, threshold))
        print(f"{profile}: l2={l2:g} out-of-fold F1={f1:.4f} at threshold {threshold:.2f}")
    f1, _neg, l2, threshold = max(results)
    w, b = fit_logistic(z, y, l2)
    print(
        f"{profile}: chose l2={l2:g} threshold={threshold:.2f} (dev CV F1 {f1:.4f}; '<10 words' on dev {baseline_f1:.4f})"
    )
    return {
        "description": spec["description"],
        "trained_on": f"{spec['file']} ({len(pages)} pages, {len(y)} rows)",
        "dev_cv_f1": round(f1, 4),
        "dev_baseline_f1_fewer_than_10_words": round(baseline_f1, 4),
        "l2": l2,
        "threshold": threshold,
        "features": list(FEATURES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "weights": [round(float(v), 6) for v in w],
        "bias": round(b, 6),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--check", action="store_true", help="print the cross-validated figures only")
    args = parser.parse_args()
    profiles = {name: tune(args.bench, name) for name in PROFILES}
    if args.check:
        return
    payload = {
        "name": "boilerplate_block_model",
        "version": "1.0.0",
        "source": "fitted by scripts/tune_boilerplate.py on the dev splits of L3S-GN1 blocks (geodrome/page-signal) "
        "and Turku web-line quality annotations (TurkuNLP); only weights ship, never the data",
        "licence": "MIT (corpus_tools); weights are derived statistics, no text of the training data is included",
        "model": "logistic regression on standardised features: p = 1 / (1 + exp(-(bias + sum w_i (x_i - mean_i) / scale_i)))",
        "profiles": profiles,
    }
    OUT.write_text(json.dumps(payload, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
