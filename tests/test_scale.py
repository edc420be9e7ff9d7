"""Scale features: incremental rebuilds reuse unchanged documents; Dask gives the same dataset."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import RAW_DIR

from corpus_tools.builder import build
from corpus_tools.corpus_pass import sentence_signatures, signature_arrays
from corpus_tools.executor import chunks, ordered_results
from corpus_tools.incremental import SIGNATURES_FILE, read_signatures
from corpus_tools.validate import validate_dataset

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


def test_worker_pool_starts_only_when_enough_documents_need_annotating(tmp_path: Path) -> None:
    """jobs=2: a full build annotates in worker processes; a rebuild that changed fewer documents than
    POOL_AFTER_MISSES annotates them in this process (no pool start-up), and equals a full build."""
    import corpus_tools.executor as executor

    pools: list[int] = []
    real_pool = executor.ProcessPoolExecutor

    def counting_pool(*args: object, **kwargs: object) -> object:
        pools.append(1)
        return real_pool(*args, **kwargs)  # type: ignore[arg-type]

    raw = _corpus(tmp_path)
    out = tmp_path / "out"
    changed = 3  # documents edited below
    assert changed < executor.POOL_AFTER_MISSES
    patch = pytest.MonkeyPatch()
    try:
        patch.setattr(executor, "ProcessPoolExecutor", counting_pool)
        build([raw], out, annotators=FAST, jobs=2)
        assert pools == [1]
        lines = (raw / "wire.jsonl").read_text(encoding="utf-8").splitlines()
        for k in range(changed):
            lines[k] = json.dumps(
                {"id": f"r{k}", "text": f"Report {k} was corrected. Drones crossed into Latvia."}
            )
        (raw / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        rebuilt = build([raw], out, annotators=FAST, jobs=2)
        assert pools == [1]  # no second pool
    finally:
        patch.undo()
    assert rebuilt.reused == rebuilt.n_documents - changed
    build([raw], tmp_path / "fresh", annotators=FAST, jobs=1, incremental=False)
    _same(out, tmp_path / "fresh")


def test_our_workers_annotate_and_pack_without_importing_pandas() -> None:
    """pyarrow imports pandas on its first list conversion (0.17 s and ~50 MB per worker) unless pandas
    is unimportable; our worker initializer makes it so, and packing still works."""
    import subprocess
    import sys

    code = f"""
import sys
from corpus_tools.executor import _mark_own_worker, process_chunk
from corpus_tools.annotators import AnnotatorOptions
from corpus_tools.readers import iter_articles
_mark_own_worker()
packed = process_chunk(list(iter_articles([{str(RAW_DIR)!r}])), None, AnnotatorOptions())
assert packed.sentences.num_rows > 0 and packed.documents.num_rows == len(packed.refreshed) > 0
print("pandas" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


SHARED = "The alliance said the drones crossed the border twice during the night, officials confirmed."
NEAR = "The alliance said the drones crossed the border twice during the night, officials confirmed today."
BOILER = ["boilerplate"]  # the annotator whose reasons the corpus pass extends


def _near_duplicate_corpus(tmp_path: Path) -> Path:
    """Documents whose sentences repeat (exactly, nearly, as template lines) across documents."""
    raw = tmp_path / "dup"
    raw.mkdir()
    records = []
    for i in range(8):
        body = [f"Report {i} opened with a sentence about nothing else in particular at all."]
        if i in (1, 3, 4):
            body.append(SHARED)  # a template line: in 3 documents of the source
        if i == 2:
            body.append(NEAR)
        if i in (5, 6):
            body.append(f"Sentence {i} repeats within the document twice over here today.")
            body.append(f"Sentence {i} repeats within the document twice over here today.")
        records.append({"id": f"d{i}", "source": "wire", "text": " ".join(body)})
    _write(raw, records)
    return raw


def _write(raw: Path, records: list[dict[str, str]]) -> None:
    (raw / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")


def _records(raw: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in (raw / "wire.jsonl").read_text(encoding="utf-8").splitlines()]


def _rebuild_equals_full(tmp_path: Path, raw: Path, out: Path, reused: int) -> None:
    """The incremental build in ``out`` is byte-identical to a fresh full build of the same input."""
    result = build([raw], out, annotators=BOILER, jobs=1)
    assert result.reused == reused
    fresh = tmp_path / f"fresh-{uuid.uuid4().hex[:6]}"
    build([raw], fresh, annotators=BOILER, jobs=1, incremental=False)
    for name in ("documents.parquet", "sentences.parquet", SIGNATURES_FILE, "metadata.json", "README.md"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
    assert validate_dataset(out) == []


@pytest.mark.parametrize(
    "edit",
    [
        "change_template_document",  # the first occurrence of a template line changes: pointers move
        "change_near_duplicate",
        "delete_first",
        "delete_template_document",
        "add_at_front",
        "add_copy_of_template",  # a new 4th occurrence of the template line
        "duplicate_document",  # a copy ahead of a reused document: the reused one is renumbered
        "reorder",
        "no_change",
    ],
)
def test_incremental_rebuild_equals_full_build(tmp_path: Path, edit: str) -> None:
    raw = _near_duplicate_corpus(tmp_path)
    out = tmp_path / "out"
    build([raw], out, annotators=BOILER, jobs=1)
    before = pq.read_table(out / "sentences.parquet").column("near_duplicate_of").to_pylist()
    assert sum(p is not None for p in before) >= 3  # the corpus pass did flag something
    records = _records(raw)
    reused = len(records) - 1
    if edit == "change_template_document":
        records[1]["text"] = "Report 1 was rewritten entirely and keeps nothing of the old text."
    elif edit == "change_near_duplicate":
        records[2]["text"] = records[2]["text"].replace("today", "this morning, they said")
    elif edit == "delete_first":
        del records[0]
    elif edit == "delete_template_document":
        del records[3]
    elif edit == "add_at_front":
        records.insert(0, {"id": "new", "source": "wire", "text": f"A new report came in. {SHARED}"})
        reused = len(records) - 1
    elif edit == "add_copy_of_template":
        records.append({"id": "new", "source": "wire", "text": f"{SHARED} Nothing more was said."})
        reused = len(records) - 1
    elif edit == "duplicate_document":
        records.insert(0, dict(records[3], id="copy"))
        reused = len(records) - 1
    elif edit == "reorder":
        records.reverse()
        reused = len(records)
    else:
        reused = len(records)
    _write(raw, records)
    _rebuild_equals_full(tmp_path, raw, out, reused)


def test_rebuild_without_stored_signatures_still_equals_full_build(tmp_path: Path) -> None:
    raw = _near_duplicate_corpus(tmp_path)
    out = tmp_path / "out"
    build([raw], out, annotators=BOILER, jobs=1)
    (out / SIGNATURES_FILE).unlink()  # e.g. a dataset committed without its build cache
    records = _records(raw)
    records[0]["text"] += " A correction was appended."
    _write(raw, records)
    _rebuild_equals_full(tmp_path, raw, out, len(records) - 1)


def test_previous_files_changed_after_the_build_are_not_reused(tmp_path: Path) -> None:
    raw = _near_duplicate_corpus(tmp_path)
    out = tmp_path / "out"
    build([raw], out, annotators=BOILER, jobs=1)
    signatures = out / SIGNATURES_FILE
    data = bytearray(signatures.read_bytes())
    data[-100] ^= 0xFF
    signatures.write_bytes(bytes(data))
    assert build([raw], out, annotators=BOILER, jobs=1).reused == 0


def test_signatures_file_is_row_aligned_with_sentences(tmp_path: Path) -> None:
    raw = _near_duplicate_corpus(tmp_path)
    out = tmp_path / "out"
    build([raw], out, annotators=BOILER, jobs=1)
    stored = read_signatures(out / SIGNATURES_FILE, pq.read_metadata(out / "sentences.parquet").num_rows)
    assert stored is not None
    texts = pq.read_table(out / "sentences.parquet").column("text").to_pylist()
    exact, sketches = signature_arrays(sentence_signatures(texts))
    assert np.array_equal(stored[0], exact) and np.array_equal(stored[1], sketches)


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


def test_task_sizes_warm_up_then_full() -> None:
    from corpus_tools.executor import DOCS_PER_TASK, FIRST_TASK_DOCS, warm_up
    from corpus_tools.readers import RawArticle

    n = 2 * FIRST_TASK_DOCS + DOCS_PER_TASK + 3
    articles = [RawArticle(f"a{i}", "s", f"text {i}", str(i), "utf-8") for i in range(n)]
    got = list(chunks(articles, DOCS_PER_TASK, warm_up(2)))
    assert [len(c) for c in got] == [FIRST_TASK_DOCS, FIRST_TASK_DOCS, DOCS_PER_TASK, 3]
    assert [a for c in got for a in c] == articles  # nothing lost, order kept
    # a small input (fewer documents than the first tasks hold) still reaches both workers
    small = articles[: FIRST_TASK_DOCS + 2]
    assert [len(c) for c in chunks(small, DOCS_PER_TASK, warm_up(2))] == [FIRST_TASK_DOCS, 2]


def test_dask_engine_matches_local_engine(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    raw = _corpus(tmp_path)
    build([raw], tmp_path / "local", annotators=FAST, jobs=1)
    build([raw], tmp_path / "dask", annotators=FAST, jobs=2, engine="dask")
    _same(tmp_path / "local", tmp_path / "dask")


def test_scheduler_without_dask_engine_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="--scheduler needs --engine dask"):
        build([_corpus(tmp_path, 1)], tmp_path / "o", annotators=FAST, scheduler="tcp://127.0.0.1:1")


def test_validate_reports_a_signature_cache_that_does_not_match(tmp_path: Path) -> None:
    raw = _near_duplicate_corpus(tmp_path)
    out = tmp_path / "out"
    build([raw], out, annotators=BOILER, jobs=1)
    assert "corpus_signatures.arrow" in (out / "README.md").read_text(encoding="utf-8")
    table = pa.ipc.open_file(pa.memory_map(str(out / SIGNATURES_FILE))).read_all()
    with pa.OSFile(str(out / SIGNATURES_FILE), "wb") as sink, pa.ipc.new_file(sink, table.schema) as ipc:
        ipc.write_table(table.slice(1))
    problems = validate_dataset(out)
    assert f"{SIGNATURES_FILE}: unreadable, or not one signature per row of sentences.parquet" in problems
    assert (
        f"{SIGNATURES_FILE}: sha256 does not match metadata.json (file changed after the build)" in problems
    )


def test_output_is_identical_for_jobs_1_2_3_on_a_corpus_of_many_tasks(tmp_path: Path) -> None:
    """Enough documents that the window of tasks fills and drains many times."""
    raw = _corpus(tmp_path, 300)
    build([raw], tmp_path / "j1", annotators=FAST, jobs=1)
    for jobs in (2, 3):
        build([raw], tmp_path / f"j{jobs}", annotators=FAST, jobs=jobs)
        _same(tmp_path / "j1", tmp_path / f"j{jobs}")


def test_staging_file_and_in_memory_paths_write_the_same_tables(tmp_path: Path) -> None:
    """Below one sentence row group the staged rows stay in memory; above it they go through the
    staging file. Below one index block the corpus index stays in memory; above it its blocks are
    spilled to disk. Both must give the same dataset (row groups aside) and leave nothing else behind."""
    import corpus_tools.corpus_pass as corpus_pass
    import corpus_tools.writer as writer
    from corpus_tools.builder import DATASET_FILES

    raw = _near_duplicate_corpus(tmp_path)
    build([raw], tmp_path / "memory", annotators=BOILER, jobs=1)
    patch = pytest.MonkeyPatch()
    try:
        patch.setattr(writer, "SENTENCE_ROW_GROUP", 3)  # every few documents reach the staging file
        patch.setattr(corpus_pass, "INDEX_BLOCK_ROWS", 2)  # and the index spills a block every 2 rows
        build([raw], tmp_path / "file", annotators=BOILER, jobs=1)
    finally:
        patch.undo()
    assert {p.name for p in (tmp_path / "file").iterdir()} == DATASET_FILES
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary folder left
    assert pq.ParquetFile(tmp_path / "file" / "sentences.parquet").num_row_groups > 1
    assert pq.ParquetFile(tmp_path / "memory" / "sentences.parquet").num_row_groups == 1
    for name in ("documents.parquet", "sentences.parquet"):
        assert pq.read_table(tmp_path / "memory" / name).equals(pq.read_table(tmp_path / "file" / name))
