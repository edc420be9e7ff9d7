"""The committed dataset, card and Croissant file are what the code builds from datasets/raw today."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import RAW_DIR, ROOT

from corpus_tools.builder import build
from corpus_tools.incremental import COMPATIBILITY_KEYS
from corpus_tools.validate import validate_dataset

COMMITTED = ROOT / "datasets" / "processed"
REBUILD_HINT = "stale: run `make dataset` and commit datasets/processed"


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fresh") / "processed"
    build([RAW_DIR], out, jobs=1, incremental=False)
    return out


def _without(document: object, key: str) -> object:
    """Drop every ``key`` entry, recursively (checksums of Parquet bytes vary with the pyarrow release)."""
    if isinstance(document, dict):
        return {k: _without(v, key) for k, v in document.items() if k != key}
    if isinstance(document, list):
        return [_without(v, key) for v in document]
    return document


def test_committed_dataset_is_valid() -> None:
    assert validate_dataset(COMMITTED) == []


@pytest.mark.parametrize("name", ["documents.parquet", "sentences.parquet"])
def test_committed_tables_match_a_fresh_build(rebuilt: Path, name: str) -> None:
    committed, fresh = pq.read_table(COMMITTED / name), pq.read_table(rebuilt / name)
    assert committed.schema.remove_metadata() == fresh.schema.remove_metadata(), (
        f"{name} schema {REBUILD_HINT}"
    )
    assert committed.schema.metadata == fresh.schema.metadata, f"{name} provenance {REBUILD_HINT}"
    assert committed.equals(fresh), f"{name} content {REBUILD_HINT}"


def test_committed_card_and_croissant_match_a_fresh_build(rebuilt: Path) -> None:
    assert (COMMITTED / "README.md").read_text(encoding="utf-8") == (rebuilt / "README.md").read_text(
        encoding="utf-8"
    ), f"card {REBUILD_HINT}"
    committed = json.loads((COMMITTED / "croissant.json").read_text(encoding="utf-8"))
    fresh = json.loads((rebuilt / "croissant.json").read_text(encoding="utf-8"))
    assert _without(committed, "sha256") == _without(fresh, "sha256"), f"croissant.json {REBUILD_HINT}"
    committed_meta = json.loads((COMMITTED / "metadata.json").read_text(encoding="utf-8"))
    fresh_meta = json.loads((rebuilt / "metadata.json").read_text(encoding="utf-8"))
    assert _without(committed_meta, "files") == _without(fresh_meta, "files"), f"metadata.json {REBUILD_HINT}"


def test_bbc_reference_was_built_with_the_current_pipeline_and_annotators() -> None:
    """Notebook 03 sets the corpus against the BBC reference: it must come from the same code."""
    reference = json.loads((ROOT / "datasets" / "reference" / "bbc_news_document_stats.json").read_text())
    committed = json.loads((COMMITTED / "metadata.json").read_text())
    stale = [key for key in COMPATIBILITY_KEYS if reference.get(key) != committed[key]]
    assert not stale, f"datasets/reference is stale ({', '.join(stale)}): run scripts/build_reference.py"
