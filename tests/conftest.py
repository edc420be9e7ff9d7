"""Shared fixtures: paths to the repository's data and to the public benchmarks (skip when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW_DIR = ROOT / "datasets" / "raw"
BENCH_DIR = ROOT.parent / "shared" / "benchmarks"


@pytest.fixture(scope="session")
def bench_dir() -> Path:
    """``../shared/benchmarks``; tests that need it are skipped (with a reason) when it is absent."""
    if not BENCH_DIR.is_dir():
        pytest.skip(f"public benchmarks not found at {BENCH_DIR}")
    return BENCH_DIR


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(RAW_DIR.glob("*.txt"))}
