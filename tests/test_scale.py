"""Scale features: incremental rebuilds reuse unchanged documents; Dask gives the same dataset."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import RAW_DIR

from corpus_tools.builder import build
from corpus_tools.executor import chunks, ordered_results

FAST: list[str] = []


def _corpus(tmp_path: Path, n: int = 20) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw)
    lines = [
        json.dumps({"id": f"r{i}", "text": f"Report {i}. Drones crossed into Lithuania again."})
        for i in range(n)
    ]
    (raw / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return raw


def _same(a: Path, b: Path) -> None:
    for name in ("documents.parquet", "sentences.parquet"):
        assert pq.read_table(a / name).equals(pq.read_table(b / name)), name


def test_incremental_rebuild_reuses_unchanged_documents(tmp_path: Path) -> None:
    raw = _corpus(tmp_path)
    out = tmp_path / "out"
    assert build([raw], out, annotators=FAST, jobs=1).reused == 0
    lines = (raw / "wire.jsonl").read_text(encoding="utf-8").splitlines()
    lines[3] = json.dumps({"id": "r3", "text": "Report 3 was corrected. Drones crossed into Latvia."})
    (raw / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    second = build([raw], out, annotators=FAST, jobs=1)
    assert second.reused == 21 and second.n_documents == 22
    build([raw], tmp_path / "fresh", annotators=FAST, jobs=1, incremental=False)
    _same(out, tmp_path / "fresh")


def test_changed_annotator_selection_disables_reuse(tmp_path: Path) -> None:
    raw = _corpus(tmp_path, n=2)
    out = tmp_path / "out"
    build([raw], out, annotators=FAST, jobs=1)
    meta = json.loads((out / "metadata.json").read_text())
    meta["annotators"] = {"sentence:tone": "0.0.0-old"}
    (out / "metadata.json").write_text(json.dumps(meta))
    assert build([raw], out, annotators=FAST, jobs=1).reused == 0


def test_ordered_results_keeps_input_order_with_cache_hits() -> None:
    from corpus_tools.readers import RawArticle

    articles = [RawArticle(f"a{i}", "s", f"text {i}", str(i), "utf-8") for i in range(30)]

    class Done:
        def __init__(self, value: list[object]) -> None:
            self.value = value

        def result(self) -> list[object]:
            return self.value

    def lookup(article: RawArticle) -> object | None:
        return f"cached:{article.path}" if int(article.path[1:]) % 3 == 0 else None

    got = list(ordered_results(articles, lambda chunk: Done([f"fresh:{a.path}" for a in chunk]), 2, lookup))  # type: ignore[arg-type,misc]
    assert got == [f"{'cached' if i % 3 == 0 else 'fresh'}:a{i}" for i in range(30)]
    assert [len(c) for c in chunks(articles, 8)] == [8, 8, 8, 6]


def test_dask_engine_matches_local_engine(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    raw = _corpus(tmp_path)
    build([raw], tmp_path / "local", annotators=FAST, jobs=1)
    build([raw], tmp_path / "dask", annotators=FAST, jobs=2, engine="dask")
    _same(tmp_path / "local", tmp_path / "dask")


def test_scheduler_without_dask_engine_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="--scheduler needs --engine dask"):
        build([_corpus(tmp_path, 1)], tmp_path / "o", annotators=FAST, scheduler="tcp://127.0.0.1:1")
