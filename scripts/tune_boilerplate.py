"""Fit the web-page block scorer (``src/corpus_tools/data/boilerplate_block_model.json``) on DEV splits only.

    .venv/bin/python scripts/tune_boilerplate.py [--bench ../shared/benchmarks] [--check]

Profiles:
- ``html_blocks``: ``boilerplate/l3s_gn1_blocks.dev.jsonl`` (label: ``is_boilerplate``);
- ``text_lines``: ``boilerplate/turku_lines.dev.jsonl`` (label: ``noise``).

Both profiles: features from :func:`corpus_tools.annotators.boilerplate.block_features` (page by
page, in block order), L2-regularised logistic regression fitted by Newton's method (numpy only;
deterministic). Pages whose text is identical to an earlier page are dropped first (the Turku dev file
holds three such pairs), so copies cannot leak across folds or weigh double. Test files are never read.

``html_blocks`` (329 pages): all :data:`FEATURES`; the regularisation strength and decision threshold
chosen by 5-fold cross-validation grouped by page (pooled out-of-fold F1), then a final fit on all of dev.

``text_lines`` (85 distinct pages, three of them hold a third of the lines): the all-feature model of
``html_blocks`` overfitted the few big dev pages, so the model itself is chosen for robustness across
pages. Candidates (:data:`LINE_CANDIDATES`): the plain rule "fewer than 10 words", the rule with its
word limit tuned, and logistic regressions on nested feature sets (rule + few features, per-line
features only, plus page-relative length, plus neighbour/position context, each of the last two also
with a repetition feature -- ``repeats_earlier``: share of the line already seen earlier on the page, or
``repeats_recent``: the same within the 5 lines just before --, per-line features with both repetition
features and/or ``truncated_end`` (the line ends in an ellipsis or a navigation arrow), and all
features) at several L2
strengths, each fitted with equal line weights or with page-capped weights (a line of a page with more
than :data:`PAGE_CAP` lines weighs ``PAGE_CAP / lines``, so no single page dominates the fit or the
threshold). Each candidate is scored by 5 x 5-fold cross-validation grouped by page (5 seeded page
partitions); inside every outer training set the decision threshold (or word limit) is chosen by an inner
4-fold grouped cross-validation, so the held-out fold never informs it. Criterion: mean of the mean and
the 25th percentile of the 25 held-out-fold F1 scores (rewards doing well on most groups of unseen pages,
not on the pooled big pages). The winner is refitted on all dev pages; its threshold comes from the same
inner procedure on all of dev. If a rule wins, the profile ships as ``kind: word_rule``.

Model 1.4.0 is this script's output after the web-chrome rules grew (boilerplate patterns 1.1.0: share
rows, read times, next/previous links, ...; bylines and datelines got a reason of their own, ``byline``,
which the ``chrome_rule`` feature leaves out because L3S-GN1 counts them as content, "supplemental"):
``chrome_rule`` now fires on 4,780 instead of 4,552 L3S dev blocks and on the same 138 Turku dev lines.
html_blocks: dev CV F1 0.9485 as before, threshold 0.49 (was 0.50); text_lines: the same model as 1.3.0.

``--check`` only prints the cross-validated figures. ``--trees`` also scores gradient-boosted trees
(:data:`TREE_CANDIDATES`, scikit-learn's ``GradientBoostingClassifier``: stumps and depth-2 trees, equal
or page-capped weights) by the same CV, for comparison only: they never ship. Measured (model 1.3.0): best
tree 0.6855 (depth 2, 50 trees, page-capped, 9 per-line features), best logistic regression 0.6957 (the
shipped one), the 1.2.0 model 0.6879, the plain rule 0.6432; deeper or larger ensembles scored lower still.

``--stacked`` also scores two-stage context models (:data:`STACK_CANDIDATES`, for comparison only: they
never ship): stage 1 is the shipped regression, stage 2 adds the mean stage-1 probability of the
neighbouring lines (windows of 1 to 8 lines, one side or both), of the whole page, or the run length of
short lines. Measured (96 candidates): best 0.7082 (window 5 + page + stage-1 features, l2=30), but its
mean held-out-fold F1 is lower than the shipped model's (0.7242 vs 0.7261; paired difference -0.0019 +-
0.0065, 12 folds better, 12 worse; its edge is the 25th percentile only, and it is the best of 96 whose
mean criterion is 0.6925), so it is no real gain. The dev lines are strongly autocorrelated (a line after
a noise line is noise 83 % of the time, after a clean one 15 %), but so are the model's errors (residuals
of adjacent lines correlate 0.72; page means explain 57 % of their variance): whole pages are labelled
against the model, so smoothing over neighbours spreads errors as often as it fixes them. Also tried
outside this script and no better (paired gain under 1 se): forward-backward smoothing of the stage-1
probabilities with a two-state Markov chain fitted on the training labels (0.6853 to 0.6904), a web-UI
vocabulary share (log in, account, click, ...; 0.6947 at best), a share of common non-English function
words (0.6968), log_words x stop_ratio (0.6971), and the position features (0.6932).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from corpus_tools.annotators.boilerplate import BLOCK_MODEL_FILE, FEATURE_CATALOG, FEATURES, block_features
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


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float, iterations: int = 100, sample_weight: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """L2-penalised logistic regression (bias unpenalised) by Newton-Raphson, optionally weighted."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.eye(d + 1) * l2
    penalty[-1, -1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -60, 60)))
        if sample_weight is None:
            grad = xb.T @ (p - y) + penalty @ w
            hess = (xb * (p * (1 - p))[:, None]).T @ xb + penalty
        else:
            grad = xb.T @ (sample_weight * (p - y)) + penalty @ w
            hess = (xb * (sample_weight * p * (1 - p))[:, None]).T @ xb + penalty
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


def tune_all_features(bench: Path, profile: str) -> dict[str, Any]:
    """``html_blocks``: all features, L2 and threshold by pooled grouped 5-fold CV (unchanged procedure)."""
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


# --- text_lines: model choice by repeated grouped CV -------------------------------------------------

PAGE_CAP = 50  # lines; a fixed prior, not tuned
OUTER_REPEATS, OUTER_FOLDS, INNER_FOLDS, INNER_SEED = 5, 5, 4, 99
LINE_L2_GRID = (30.0, 300.0, 1000.0, 3000.0, 10000.0)
PER_LINE = (
    "log_words",
    "log_words_sq",
    "end_punct",
    "title_ratio",
    "stop_ratio",
    "digit_ratio",
    "symbol_ratio",
)
CONTEXT = ("rel_median", "prev_log_words", "next_log_words", "rel_position", "edge_distance")
"""Page-relative length, the neighbours' lengths and the position in the page."""
OWN_LINE = (
    "log_words",
    "stop_ratio",
    "alpha_ratio",
    "digit_ratio",
    "upper_ratio",
    "title_ratio",
    "end_punct",
    "sentence_marks",
    "chrome_rule",
    "text_rule",
    "date_time",
    "separators",
    "ellipsis_end",
    "url_email",
    "question_end",
    "colon_end",
    "price",
    "markup_ratio",
    "list_marker",
    "non_ascii_ratio",
    "symbol_ratio",
)
"""Every feature of one line alone (no page context; for the tree models of ``--trees``)."""
LINE_FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "rule+few": ("short", "log_words", "end_punct", "chrome_rule"),
    "per-line": PER_LINE,
    "per-line+chrome": (*PER_LINE, "chrome_rule"),
    "per-line+chrome+page-relative": (*PER_LINE, "chrome_rule", "rel_median"),
    "per-line+chrome+context": (*PER_LINE, "chrome_rule", *CONTEXT),
    "per-line+chrome+repeat": (*PER_LINE, "chrome_rule", "repeats_earlier"),
    "per-line+chrome+recent-repeat": (*PER_LINE, "chrome_rule", "repeats_recent"),
    "per-line+chrome+context+repeat": (*PER_LINE, "chrome_rule", *CONTEXT, "repeats_earlier"),
    "per-line+chrome+context+recent-repeat": (*PER_LINE, "chrome_rule", *CONTEXT, "repeats_recent"),
    "per-line+chrome+both-repeats": (*PER_LINE, "chrome_rule", "repeats_recent", "repeats_earlier"),
    "per-line+chrome+recent-repeat+truncated": (*PER_LINE, "chrome_rule", "repeats_recent", "truncated_end"),
    "per-line+chrome+both-repeats+truncated": (
        *PER_LINE,
        "chrome_rule",
        "repeats_recent",
        "repeats_earlier",
        "truncated_end",
    ),
    "all html_blocks features": FEATURES,
}
LINE_CANDIDATES: list[dict[str, Any]] = [
    {"name": "rule: fewer than 10 words", "kind": "word_rule", "max_words": 10},
    {"name": "rule: fewer than k words (k tuned)", "kind": "word_rule", "max_words": None, "capped": False},
    {
        "name": "rule: fewer than k words (k tuned, page-capped)",
        "kind": "word_rule",
        "max_words": None,
        "capped": True,
    },
] + [
    {
        "name": f"LR {set_name} ({len(feats)}) l2={l2:g}{' page-capped' if capped else ''}",
        "kind": "logistic",
        "set": set_name,
        "features": feats,
        "l2": l2,
        "capped": capped,
    }
    for set_name, feats in LINE_FEATURE_SETS.items()
    for l2 in LINE_L2_GRID
    for capped in (False, True)
]


TREE_FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "per-line+chrome+recent-repeat+truncated": tuple(
        f for f in LINE_FEATURE_SETS["per-line+chrome+recent-repeat+truncated"] if f != "log_words_sq"
    ),
    "own-line features+recent-repeat": (*OWN_LINE, "truncated_end", "repeats_recent"),
}
TREE_CANDIDATES: list[dict[str, Any]] = [
    {
        "name": f"GBT {set_name} ({len(feats)}) depth={depth} trees={n} lr={lr:g} leaf>={leaf}"
        f"{' page-capped' if capped else ''}",
        "kind": "trees",
        "features": feats,
        "depth": depth,
        "trees": n,
        "learning_rate": lr,
        "min_leaf": leaf,
        "capped": capped,
    }
    for set_name, feats in TREE_FEATURE_SETS.items()
    for depth, n, lr, leaf in ((1, 60, 0.1, 50), (1, 200, 0.05, 50), (2, 50, 0.05, 100), (2, 100, 0.05, 20))
    for capped in (False, True)
]
"""``--trees``: gradient-boosted trees (scikit-learn, a dev dependency), scored by the same CV for
comparison only. They never ship: they lost to the logistic regressions (see the docstring)."""


STACK_STAGE1 = LINE_FEATURE_SETS["per-line+chrome+both-repeats+truncated"]
"""``--stacked``, stage 1: the features (and L2, equal weights) of the model 1.3.0 logistic regression."""
STACK_STAGE1_L2 = 300.0
STACK_CROSSFIT_FOLDS, STACK_CROSSFIT_SEED = 4, 7
STACK_CONTEXTS: dict[str, tuple[str, ...]] = {
    "window 1": ("window:1",),
    "window 2": ("window:2",),
    "window 3": ("window:3",),
    "window 5": ("window:5",),
    "window 8": ("window:8",),
    "previous 2 + next 2": ("previous:2", "next:2"),
    "window 5 + short run": ("window:5", "short_run"),
    "window 5 + page": ("window:5", "page"),
}
"""Stage-2 context features from the stage-1 probabilities p of the lines of a page: ``window:k`` mean p
of the k lines before and the k after (fewer at the page edges; the line's own p if it has no
neighbour), ``previous:k`` / ``next:k`` the same on one side only, ``page`` mean p of the page's other
lines, ``short_run`` log(1 + length of the run of consecutive short lines (< 10 words) holding the line;
0 for a longer line)."""
STACK_CANDIDATES: list[dict[str, Any]] = [
    {
        "name": f"stacked {ctx_name}{' + stage-1 features' if raw else ''} l2={l2:g}{' page-capped' if capped else ''}",
        "kind": "stacked",
        "context": ctx,
        "raw": raw,
        "l2": l2,
        "capped": capped,
    }
    for ctx_name, ctx in STACK_CONTEXTS.items()
    for raw in (False, True)
    for l2 in ((30.0, 300.0, 1000.0) if raw else (1.0, 30.0, 300.0))
    for capped in (False, True)
]
"""``--stacked``: a two-stage (stacked) context model, scored by the same CV for comparison only (never
shipped). Stage 1 is the model 1.3.0 regression; stage 2 a logistic regression on the line's stage-1
logit (optionally also its stage-1 features) and the context features of :data:`STACK_CONTEXTS`. Inside
every fit the stage-1 logits of the training lines are cross-fitted (4 folds grouped by page), so stage 2
learns from out-of-sample stage-1 scores, as at run time."""


def _page_spans(group: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of equal page ids (the rows of a page are consecutive)."""
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    return list(zip(starts.tolist(), np.r_[starts[1:], len(group)].tolist(), strict=True))


def _context_features(
    p: np.ndarray, short: np.ndarray, spans: list[tuple[int, int]], names: tuple[str, ...]
) -> np.ndarray:
    out = np.zeros((len(p), len(names)))
    for a, e in spans:
        n = e - a
        pp = p[a:e]
        cs = np.r_[0.0, np.cumsum(pp)]
        i = np.arange(n)
        for c, name in enumerate(names):
            kind, _, k_text = name.partition(":")
            k = int(k_text) if k_text else 0
            if kind == "window":
                lo, hi = np.maximum(0, i - k), np.minimum(n, i + k + 1)
                total, count = cs[hi] - cs[lo] - pp, hi - lo - 1
            elif kind == "previous":
                lo = np.maximum(0, i - k)
                total, count = cs[i] - cs[lo], i - lo
            elif kind == "next":
                hi = np.minimum(n, i + k + 1)
                total, count = cs[hi] - cs[i + 1], hi - i - 1
            elif kind == "page":
                total, count = cs[n] - pp, np.full(n, n - 1)
            elif kind == "short_run":
                run = np.zeros(n)
                for s0, e0 in _page_spans(short[a:e].astype(int)):
                    if short[a + s0]:
                        run[s0:e0] = e0 - s0
                out[a:e, c] = np.log1p(run)
                continue
            else:
                raise ValueError(f"unknown context feature {name!r}")
            out[a:e, c] = np.where(count > 0, total / np.maximum(count, 1), pp)
    return out


def _stage1_logit(model: tuple[np.ndarray, np.ndarray, np.ndarray, float], x: np.ndarray) -> np.ndarray:
    mean, scale, w, b = model
    return np.asarray(np.clip(((x - mean) / scale) @ w + b, -60, 60))


def _fit_lr(x: np.ndarray, y: np.ndarray, l2: float, weight: np.ndarray | None = None) -> Any:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    w, b = fit_logistic((x - mean) / scale, y, l2, sample_weight=weight)
    return mean, scale, w, b


def _stage2_x(data: _LineData, cand: dict[str, Any], idx: np.ndarray, logit: np.ndarray) -> np.ndarray:
    p = 1.0 / (1.0 + np.exp(-logit))
    short = data.x[idx, data.column["short"]] > 0.5
    ctx = _context_features(p, short, _page_spans(data.group[idx]), cand["context"])
    parts = [logit[:, None], ctx]
    if cand["raw"]:
        parts.insert(0, data.x[idx][:, [data.column[f] for f in STACK_STAGE1]])
    return np.hstack(parts)


def _fit_stacked(data: _LineData, cand: dict[str, Any], idx: np.ndarray) -> Any:
    def x1(rows: np.ndarray) -> np.ndarray:
        return data.x[rows][:, [data.column[f] for f in STACK_STAGE1]]

    y = data.y[idx]
    logit = np.zeros(len(idx))
    for fold_pages in _page_folds(np.unique(data.group[idx]), STACK_CROSSFIT_FOLDS, STACK_CROSSFIT_SEED):
        held = np.isin(data.group[idx], fold_pages)
        logit[held] = _stage1_logit(_fit_lr(x1(idx[~held]), y[~held], STACK_STAGE1_L2), x1(idx[held]))
    stage1 = _fit_lr(x1(idx), y, STACK_STAGE1_L2)
    stage2 = _fit_lr(_stage2_x(data, cand, idx, logit), y, cand["l2"], _weights(data, idx, cand["capped"]))
    return stage1, stage2


def _prob_stacked(data: _LineData, cand: dict[str, Any], model: Any, idx: np.ndarray) -> np.ndarray:
    stage1, stage2 = model
    logit = _stage1_logit(stage1, data.x[idx][:, [data.column[f] for f in STACK_STAGE1]])
    return 1.0 / (1.0 + np.exp(-_stage1_logit(stage2, _stage2_x(data, cand, idx, logit))))


def _fit_trees(x: np.ndarray, y: np.ndarray, cand: dict[str, Any], weight: np.ndarray | None) -> Any:
    from sklearn.ensemble import GradientBoostingClassifier  # dev dependency, only for --trees

    model = GradientBoostingClassifier(
        n_estimators=cand["trees"],
        max_depth=cand["depth"],
        learning_rate=cand["learning_rate"],
        min_samples_leaf=cand["min_leaf"],
        subsample=1.0,
        random_state=0,
    )
    return model.fit(x, y, sample_weight=weight)


def _f1(y: np.ndarray, pred: np.ndarray, weight: np.ndarray | None = None) -> float:
    w = np.ones(len(y)) if weight is None else weight
    tp = float(np.sum(w * (pred & (y == 1))))
    fp = float(np.sum(w * (pred & (y == 0))))
    fn = float(np.sum(w * (~pred & (y == 1))))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _page_folds(pages: np.ndarray, k: int, seed: int) -> list[np.ndarray]:
    perm = np.random.default_rng(seed).permutation(pages)
    return [perm[i::k] for i in range(k)]


class _LineData:
    def __init__(self, pages: list[tuple[str, list[str], list[bool]]]) -> None:
        rows, labels, groups, n_ws = [], [], [], []
        for index, (_page_id, texts, page_labels) in enumerate(pages):
            rows.extend(block_features(texts, FEATURE_CATALOG))
            labels.extend(page_labels)
            groups.extend([index] * len(texts))
            n_ws.extend(len(t.split()) for t in texts)
        self.x = np.array(rows, dtype=float)
        self.y = np.array(labels, dtype=float)
        self.group = np.array(groups)
        self.n_ws = np.array(n_ws)
        lines = np.bincount(self.group)[self.group]
        self.cap = np.minimum(1.0, PAGE_CAP / lines)
        self.column = {name: i for i, name in enumerate(FEATURE_CATALOG)}


def _weights(data: _LineData, idx: np.ndarray, capped: bool) -> np.ndarray | None:
    if not capped:
        return None
    w = data.cap[idx]
    return w * len(w) / w.sum()


def _fit_standardised(data: _LineData, cand: dict[str, Any], idx: np.ndarray) -> Any:
    if cand["kind"] == "stacked":
        return _fit_stacked(data, cand, idx)
    x = data.x[idx][:, [data.column[f] for f in cand["features"]]]
    if cand["kind"] == "trees":
        return _fit_trees(x, data.y[idx], cand, _weights(data, idx, cand["capped"]))
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    w, b = fit_logistic(
        (x - mean) / scale, data.y[idx], cand["l2"], sample_weight=_weights(data, idx, cand["capped"])
    )
    return mean, scale, w, b


def _prob(
    data: _LineData,
    cand: dict[str, Any],
    model: Any,
    idx: np.ndarray,
) -> np.ndarray:
    if cand["kind"] == "stacked":
        return _prob_stacked(data, cand, model, idx)
    x = data.x[idx][:, [data.column[f] for f in cand["features"]]]
    if cand["kind"] == "trees":
        return np.asarray(model.predict_proba(x)[:, 1])
    mean, scale, w, b = model
    return 1.0 / (1.0 + np.exp(-np.clip(((x - mean) / scale) @ w + b, -60, 60)))


def _choose_threshold(data: _LineData, cand: dict[str, Any], train: np.ndarray) -> float:
    """Decision threshold (or word limit) from an inner grouped CV on the training pages only."""
    weight = data.cap[train] if cand.get("capped") else None
    if cand["kind"] == "word_rule":
        if cand["max_words"] is not None:
            return float(cand["max_words"])
        return float(max(range(2, 25), key=lambda k: _f1(data.y[train], data.n_ws[train] < k, weight)))
    oof = np.zeros(len(train))
    for fold_pages in _page_folds(np.unique(data.group[train]), INNER_FOLDS, INNER_SEED):
        held = np.isin(data.group[train], fold_pages)
        model = _fit_standardised(data, cand, train[~held])
        oof[held] = _prob(data, cand, model, train[held])
    best = (0.5, -1.0)
    for t in np.round(np.arange(0.05, 0.951, 0.01), 2):
        f1 = _f1(data.y[train], oof >= t, weight)
        if f1 > best[1] + 1e-12:
            best = (float(t), f1)
    return best[0]


def _fit_predict(data: _LineData, cand: dict[str, Any], train: np.ndarray, test: np.ndarray) -> np.ndarray:
    threshold = _choose_threshold(data, cand, train)
    if cand["kind"] == "word_rule":
        return data.n_ws[test] < threshold
    return _prob(data, cand, _fit_standardised(data, cand, train), test) >= threshold


def cross_validate(data: _LineData, cand: dict[str, Any]) -> tuple[np.ndarray, dict[str, float]]:
    """Held-out-fold F1 scores (25, same page partitions for every candidate) and their summary."""
    fold_f1, pooled, capped = [], [], []
    all_pages = np.unique(data.group)
    for repeat in range(OUTER_REPEATS):
        pred = np.zeros(len(data.y), dtype=bool)
        for fold_pages in _page_folds(all_pages, OUTER_FOLDS, repeat):
            held = np.isin(data.group, fold_pages)
            test, train = np.flatnonzero(held), np.flatnonzero(~held)
            pred[test] = _fit_predict(data, cand, train, test)
            fold_f1.append(_f1(data.y[test], pred[test]))
        pooled.append(_f1(data.y, pred))
        capped.append(_f1(data.y, pred, data.cap))
    f = np.array(fold_f1)
    q25 = float(np.quantile(f, 0.25))
    return f, {
        "criterion": round(0.5 * float(f.mean()) + 0.5 * q25, 4),
        "fold_f1_mean": round(float(f.mean()), 4),
        "fold_f1_q25": round(q25, 4),
        "fold_f1_min": round(float(f.min()), 4),
        "pooled_f1": round(float(np.mean(pooled)), 4),
        "page_capped_f1": round(float(np.mean(capped)), 4),
    }


def tune_lines(bench: Path, profile: str, trees: bool = False, stacked: bool = False) -> dict[str, Any]:
    spec = PROFILES[profile]
    pages = load_pages(bench / spec["file"], spec)
    data = _LineData(pages)
    print(
        f"{profile}: {len(pages)} distinct dev pages, {len(data.y)} lines; "
        f"{OUTER_REPEATS}x{OUTER_FOLDS}-fold CV grouped by page"
    )
    print(f"{'candidate':68s} crit   mean   q25    min    pooled capped vs-rule-10 (paired mean +- se)")
    table = []
    rule_folds = None
    for cand in LINE_CANDIDATES + (TREE_CANDIDATES if trees else []) + (STACK_CANDIDATES if stacked else []):
        folds, cv = cross_validate(data, cand)
        rule_folds = folds if rule_folds is None else rule_folds
        diff = folds - rule_folds
        cv["paired_gain_vs_rule_10"] = round(float(diff.mean()), 4)
        cv["paired_gain_se"] = round(float(diff.std(ddof=1) / np.sqrt(len(diff))), 4)
        table.append((cv, cand))
        print(
            f"{cand['name']:68s} {cv['criterion']:.4f} {cv['fold_f1_mean']:.4f} {cv['fold_f1_q25']:.4f} "
            f"{cv['fold_f1_min']:.4f} {cv['pooled_f1']:.4f} {cv['page_capped_f1']:.4f} "
            f"{cv['paired_gain_vs_rule_10']:+.4f} +- {cv['paired_gain_se']:.4f}",
            flush=True,
        )
    # trees and stacked models: for comparison only
    shippable = [item for item in table if item[1]["kind"] in ("word_rule", "logistic")]
    # first wins ties (rules come first)
    best_cv, best = max(shippable, key=lambda item: item[0]["criterion"])
    tree_rows = [item for item in table if item[1]["kind"] == "trees"]
    if tree_rows:
        tree_cv, tree = max(tree_rows, key=lambda item: item[0]["criterion"])
        print(
            f"{profile}: best tree model {tree['name']} (criterion {tree_cv['criterion']:.4f}; not shipped)"
        )
    stack_rows = [item for item in table if item[1]["kind"] == "stacked"]
    if stack_rows:
        stack_cv, stack = max(stack_rows, key=lambda item: item[0]["criterion"])
        print(
            f"{profile}: best stacked model {stack['name']} (criterion {stack_cv['criterion']:.4f}; not shipped)"
        )
    rule_cv = table[0][0]
    everything = np.arange(len(data.y))
    threshold = _choose_threshold(data, best, everything)
    print(
        f"{profile}: chose {best['name']} (criterion {best_cv['criterion']:.4f}; plain rule {rule_cv['criterion']:.4f})"
        f", threshold {threshold:g}"
    )
    out: dict[str, Any] = {
        "description": spec["description"],
        "trained_on": f"{spec['file']} ({len(pages)} distinct pages, {len(data.y)} rows)",
        "selection": "best of the script's LINE_CANDIDATES by 5x5-fold CV grouped by page on dev; criterion = "
        "(mean + 25th percentile of held-out-fold F1) / 2; threshold by inner grouped CV",
        "chosen": best["name"],
        "dev_cv": best_cv,
        "dev_cv_rule_fewer_than_10_words": rule_cv,
        "kind": best["kind"],
    }
    if best["kind"] == "word_rule":
        out["max_words"] = int(threshold)
        return out
    mean, scale, w, b = _fit_standardised(data, best, everything)
    out.update(
        {
            "l2": best["l2"],
            "page_cap_lines": PAGE_CAP if best["capped"] else None,
            "threshold": threshold,
            "features": list(best["features"]),
            "mean": [round(float(v), 6) for v in mean],
            "scale": [round(float(v), 6) for v in scale],
            "weights": [round(float(v), 6) for v in w],
            "bias": round(b, 6),
        }
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--check", action="store_true", help="print the cross-validated figures only")
    parser.add_argument(
        "--trees",
        action="store_true",
        help="also score gradient-boosted trees (needs scikit-learn, a dev dependency; never shipped)",
    )
    parser.add_argument(
        "--out", type=Path, default=OUT, help="where to write the model (default: the shipped file)"
    )
    parser.add_argument(
        "--stacked",
        action="store_true",
        help="also score two-stage context models (neighbouring lines' stage-1 probabilities; never shipped)",
    )
    args = parser.parse_args()
    profiles = {
        "html_blocks": tune_all_features(args.bench, "html_blocks"),
        "text_lines": tune_lines(args.bench, "text_lines", trees=args.trees, stacked=args.stacked),
    }
    if args.check:
        return
    payload = {
        "name": "boilerplate_block_model",
        "version": "1.4.0",
        "source": "fitted by scripts/tune_boilerplate.py on the dev splits of L3S-GN1 blocks (geodrome/page-signal) "
        "and Turku web-line quality annotations (TurkuNLP); only weights ship, never the data",
        "licence": "MIT (corpus_tools); weights are derived statistics, no text of the training data is included",
        "model": "per profile, kind logistic (default): p = 1 / (1 + exp(-(bias + sum w_i (x_i - mean_i) / scale_i))); "
        "kind word_rule: p = 1 if fewer than max_words whitespace tokens else 0",
        "profiles": profiles,
    }
    args.out.write_text(json.dumps(payload, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
