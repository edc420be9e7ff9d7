"""scripts/tune_boilerplate.py: the context features of the ``--stacked`` comparison models."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "tune_boilerplate.py"


@pytest.fixture(scope="module")
def tuner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tune_boilerplate", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("tune_boilerplate", module)
    spec.loader.exec_module(module)
    return module


def test_page_spans(tuner: ModuleType) -> None:
    assert tuner._page_spans(np.array([3, 3, 5, 7, 7, 7])) == [(0, 2), (2, 3), (3, 6)]


def test_context_features_stay_inside_each_page(tuner: ModuleType) -> None:
    p = np.array([0.1, 0.3, 0.5, 0.9, 0.2, 0.4])
    short = np.array([True, True, False, True, True, True])
    spans = [(0, 4), (4, 6)]  # two pages: 4 lines, then 2
    names = ("window:1", "previous:2", "next:2", "page", "short_run")
    out = tuner._context_features(p, short, spans, names)
    assert out[:, 0] == pytest.approx([0.3, 0.3, 0.6, 0.5, 0.4, 0.2])  # the second page never sees the first
    assert out[:, 1] == pytest.approx([0.1, 0.1, 0.2, 0.4, 0.2, 0.2])  # no line before: the line's own p
    assert out[:, 2] == pytest.approx([0.4, 0.7, 0.9, 0.9, 0.4, 0.4])
    assert out[:, 3] == pytest.approx([1.7 / 3, 1.5 / 3, 1.3 / 3, 0.3, 0.4, 0.2])
    assert out[:, 4] == pytest.approx([math.log(3)] * 2 + [0.0, math.log(2)] + [math.log(3)] * 2)
