"""Shared fixtures: paths to the repository's data and to the public benchmarks (skip when absent)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from corpus_tools.annotators.base import DocumentView, SentenceBatch
from corpus_tools.schema import describe

# The tests never reach a hub: Hugging Face `datasets` reads local Parquet only.
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

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


def check_sentence_contract(annotator: Any, texts: Sequence[str] | SentenceBatch) -> dict[str, list[Any]]:
    """Annotate, then check what every sentence annotator owes the writer: exactly its declared
    columns, each described, one value per sentence, every value of the declared type."""
    batch = texts if isinstance(texts, SentenceBatch) else SentenceBatch.from_texts(list(texts))
    out = annotator.annotate(batch)
    assert set(out) == set(annotator.fields.names)
    for field in annotator.fields:
        assert describe(field), f"{field.name} has no description"
        assert len(out[field.name]) == len(batch), field.name
        pa.array(out[field.name], type=field.type)  # raises if a value does not fit the declared type
    return out  # type: ignore[no-any-return]


def check_document_contract(annotator: Any, view: DocumentView) -> dict[str, Any]:
    """The document-level counterpart: declared columns, described, values of the declared type."""
    out = annotator.annotate_document(view)
    assert set(out) == set(annotator.fields.names)
    for field in annotator.fields:
        assert describe(field), f"{field.name} has no description"
        pa.array([out[field.name]], type=field.type)
    return out  # type: ignore[no-any-return]
