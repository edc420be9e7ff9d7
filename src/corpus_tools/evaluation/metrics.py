"""Shared metrics and benchmark-file reading for the evaluation modules (no sklearn needed)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a JSON Lines file (blank lines skipped)."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def binary_f1(gold: Sequence[bool], predicted: Sequence[bool]) -> float:
    """F1 of the positive class."""
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p and not g)
    fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g and not p)
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def macro_f1(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] | None = None) -> float:
    """Unweighted mean of per-label F1 over ``labels`` (default: labels present in gold)."""
    label_set = list(labels) if labels is not None else sorted(set(gold))
    scores = [binary_f1([g == lab for g in gold], [p == lab for p in predicted]) for lab in label_set]
    return sum(scores) / len(scores) if scores else 0.0


def accuracy(gold: Sequence[Any], predicted: Sequence[Any]) -> float:
    return sum(1 for g, p in zip(gold, predicted, strict=True) if g == p) / len(gold) if gold else 0.0


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    n = len(x)
    if n != len(y) or n < 2:
        raise ValueError("pearson needs two sequences of equal length >= 2")
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return 0.0 if sxx == 0 or syy == 0 else sxy / math.sqrt(sxx * syy)


def auroc(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """Area under the ROC curve (probability a positive outscores a negative; ties count half)."""
    pairs = sorted(zip(scores, labels, strict=True), key=lambda item: item[0])
    n_pos = sum(1 for label in labels if label)
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("auroc needs both classes")
    rank_sum = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        mean_rank = (i + 1 + j) / 2  # ranks are 1-based
        rank_sum += mean_rank * sum(1 for _, label in pairs[i:j] if label)
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
