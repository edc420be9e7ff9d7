"""The scoring step shared by the small shipped logistic models (boilerplate blocks, LLM style)."""

from __future__ import annotations

import math
from collections.abc import Iterable


def standardized_logistic(
    values: Iterable[float],
    mean: Iterable[float],
    scale: Iterable[float],
    weights: Iterable[float],
    bias: float,
) -> float:
    """sigmoid(bias + sum(w * (x - m) / s)), the logit clamped to [-60, 60] so exp never overflows."""
    z = bias
    for x, m, s, w in zip(values, mean, scale, weights, strict=True):
        z += w * (x - m) / s
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))
