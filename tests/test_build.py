"""build(): complete, deterministic, identical for every --jobs, atomic on failure; CLI exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import RAW_DIR

from corpus_tools.builder import BuildError, build
from corpus_tools.cli import main
from corpus_tools.readers import InputError

FAST: list[str] = []  # structural build only; annotator columns are covered by their own tests


def _corpus(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw)
    (raw / "wire.jsonl").write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"w{i}",
                    "source": "Wire",
                    "title": f"Story {i}",
                    "text": f"Story {i % 3} text. Drones flew again over Vilnius.",
                }
            )
            for i in range(12)
        )
        + "\n",
        encoding="utf-8",
    )
    return raw


def _tables(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_parquet(out / "documents.parquet"), pd.read_parquet(out / "sentences.parquet")


def test_build_writes_declared_tables_and_provenance(tmp_path: Path) -> None:
    out = tmp_path / "processed"
    result = build([_corpus(tmp_path)], out, annotators=FAST, jobs=1)
    docs, sents = _tables(out)
    assert result.n_documents == len(docs) == 14 and result.n_sentences == len(sents)
    assert docs["doc_id"].is_unique
    assert list(docs["path"][:2]) == ["000_70c5a0cbd7b10381.txt", "001_232eaf21b8eea81a.txt"]
    # duplicated texts (12 records, 3 distinct texts) keep unique ids pointing back to the first copy
    wire = docs[docs["source"] == "Wire"]
    assert wire["doc_id"].str.contains("-").sum() == 9
    text_by_id = dict(zip(docs["doc_id"], docs["text"], strict=True))
    assert all(
        text_by_id[d][s:e] == t
        for d, s, e, t in zip(
            sents["doc_id"], sents["char_start"], sents["char_end"], sents["text"], strict=True
        )
    )
    meta = json.loads(pq.read_schema(out / "sentences.parquet").metadata[b"corpus_tools"])
    assert meta["schema_version"] == "1.1.0" and "000_70c5a0cbd7b10381.txt" in meta["inputs"]
    on_disk = json.loads((out / "metadata.json").read_text())
    assert on_disk["counts"] == {"documents": 14, "sentences": len(sents)}
    assert not list(tmp_path.glob(".processed.*")), "temporary folders must not be left behind"


def test_output_is_identical_for_every_jobs(tmp_path: Path) -> None:
    raw = _corpus(tmp_path)
    build([raw], tmp_path / "j1", annotators=FAST, jobs=1)
    build([raw], tmp_path / "j2", annotators=FAST, jobs=2)
    for name in ("documents.parquet", "sentences.parquet"):
        assert pq.read_table(tmp_path / "j1" / name).equals(pq.read_table(tmp_path / "j2" / name))
    assert (tmp_path / "j1" / "metadata.json").read_text() == (tmp_path / "j2" / "metadata.json").read_text()


def test_failed_build_leaves_previous_dataset_intact(tmp_path: Path) -> None:
    raw = _corpus(tmp_path)
    out = tmp_path / "processed"
    build([raw], out, annotators=FAST, jobs=1)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (raw / "zz_broken.jsonl").write_text('{"text": "fine"}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"zz_broken.jsonl:2: malformed JSON"):
        build([raw], out, annotators=FAST, jobs=1)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed", "raw"]


def test_failed_sentences_write_leaves_previous_dataset_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last sentences row group is compressed in a thread while the card is written; a failure
    there still fails the build and leaves the previous dataset and no temporary folder behind."""
    raw = _corpus(tmp_path)
    out = tmp_path / "processed"
    build([raw], out, annotators=FAST, jobs=1)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    write_table = pq.ParquetWriter.write_table

    def failing(self: pq.ParquetWriter, table: object, *args: object, **kwargs: object) -> None:
        if "sentences.parquet" in str(self.where):
            raise OSError("disk full")
        write_table(self, table, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", failing)
    with pytest.raises(OSError, match="disk full"):
        build([raw], out, annotators=FAST, jobs=1, incremental=False)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed", "raw"]


def test_skip_mode_builds_and_reports(tmp_path: Path) -> None:
    raw = _corpus(tmp_path)
    (raw / "zz_broken.jsonl").write_text('{"text": "A fine record."}\n{oops\n', encoding="utf-8")
    result = build([raw], tmp_path / "out", annotators=FAST, jobs=1, on_error="skip")
    assert result.n_documents == 15
    assert result.report.skipped == [
        "zz_broken.jsonl:2: malformed JSON (Expecting property name enclosed in double quotes at column 2)"
    ]
    assert "skipped:   1" in result.summary()


def test_files_of_other_types_are_listed_in_the_summary(tmp_path: Path) -> None:
    raw = _corpus(tmp_path)
    (raw / "notes.pdf").write_bytes(b"%PDF-1.4")
    (raw / ".DS_Store").write_bytes(b"\x00")  # hidden files are not inputs
    result = build([raw], tmp_path / "out", annotators=FAST, jobs=1)
    assert result.report.ignored_files == ["notes.pdf"]
    assert "ignored:   1 file(s)" in result.summary() and "    ignored: notes.pdf" in result.summary()
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "a.txt").write_text("One sentence here.", encoding="utf-8")
    assert "ignored" not in build([clean], tmp_path / "o2", annotators=FAST, jobs=1).summary()


def test_nothing_to_build_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(BuildError, match="no articles to build"):
        build([tmp_path / "empty"], tmp_path / "out", annotators=FAST)


def test_cli_exit_codes_and_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = _corpus(tmp_path)
    assert main(["build", str(raw), "--out", str(tmp_path / "out"), "--annotators", "", "--jobs", "1"]) == 0
    assert "documents: 14" in capsys.readouterr().out
    (tmp_path / "bad.txt").write_bytes(b"\x00")
    assert (
        main(["build", str(tmp_path / "bad.txt"), "--out", str(tmp_path / "out2"), "--annotators", ""]) == 1
    )
    assert "error: bad.txt: binary data" in capsys.readouterr().err
    assert main(["build", str(raw), "--annotators", "nonsense", "--out", str(tmp_path / "o3")]) == 1
    assert "unknown annotator(s) nonsense; valid" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["build", "--jobs", "x"])
    assert caught.value.code == 2


def test_in_process_build_gives_the_callers_heap_back_to_the_collector(tmp_path: Path) -> None:
    """jobs=1 freezes the heap while annotating (a GC saving) and must unfreeze it afterwards, also when
    the caller stops early; a caller's own freeze is left alone."""
    import gc

    assert gc.get_freeze_count() == 0
    build([RAW_DIR], tmp_path / "a", jobs=1)
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        build([RAW_DIR], tmp_path / "b", jobs=1)
        assert gc.get_freeze_count() > frozen // 2  # still frozen (a few frozen objects may be freed)
    finally:
        gc.unfreeze()


def test_output_inside_or_around_the_input_is_refused(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw)
    for out in (raw, raw / "processed", tmp_path):
        with pytest.raises(BuildError, match="must not be, contain or lie inside the input"):
            build([raw], out, jobs=1)
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    with pytest.raises(BuildError, match="is not a folder"):
        build([raw], tmp_path / "file.txt", jobs=1)
    assert sorted(p.name for p in raw.iterdir()) == sorted(p.name for p in RAW_DIR.iterdir())


def test_cli_full_flag_annotates_everything_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", str(RAW_DIR), "--out", str(out), "--jobs", "1", "--no-progress"]) == 0
    assert main(["build", str(RAW_DIR), "--out", str(out), "--jobs", "1", "--no-progress"]) == 0
    assert "reused:    2 unchanged" in capsys.readouterr().out
    assert main(["build", str(RAW_DIR), "--out", str(out), "--jobs", "1", "--no-progress", "--full"]) == 0
    assert "reused:    0 unchanged" in capsys.readouterr().out


def test_title_source_says_where_the_title_came_from(tmp_path: Path) -> None:
    records = [
        {"id": "a", "title": "Given Title", "text": "Body sentence one here.\n\nBody sentence two here."},
        {"id": "b", "text": "# A Heading Title\n\nBody sentence one here."},
        {"id": "c", "text": "just a plain line of text without any title at all."},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    build([src], tmp_path / "out", jobs=1)
    docs = pd.read_parquet(tmp_path / "out" / "documents.parquet").set_index("record_id")
    assert docs.loc["a", "title_source"] == "reader" and docs.loc["a", "title"] == "Given Title"
    assert docs.loc["b", "title_source"] == "text" and docs.loc["b", "title"] == "A Heading Title"
    assert pd.isna(docs.loc["c", "title"]) and pd.isna(docs.loc["c", "title_source"])


def test_evaluate_without_benchmarks_skips_cleanly_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from corpus_tools.evaluation import RESULTS_FILE

    before = RESULTS_FILE.read_bytes()
    out = tmp_path / "evaluation.md"
    missing = tmp_path / "no-benchmarks-here"
    assert main(["evaluate", "--benchmarks", str(missing), "--out", str(out)]) == 0
    assert f"benchmarks not found at {missing}: nothing to evaluate (skipped)" in capsys.readouterr().out
    assert not out.exists()
    assert RESULTS_FILE.read_bytes() == before  # the packaged results the card quotes are left alone


def test_evaluate_elsewhere_keeps_its_figures_beside_the_report(tmp_path: Path) -> None:
    """``evaluate --out X`` writes X and X's figures next to it; the packaged figures (quoted by the
    dataset card) change only with the project's own report."""
    from corpus_tools.evaluation import RESULTS_FILE, default_bench_dir

    if not (default_bench_dir() / "hedging").is_dir():
        pytest.skip("needs ../shared/benchmarks")
    before = RESULTS_FILE.read_bytes()
    out = tmp_path / "report" / "evaluation.md"
    assert main(["evaluate", "--only", "hedging", "--out", str(out)]) == 0
    assert RESULTS_FILE.read_bytes() == before
    figures = json.loads((tmp_path / "report" / "evaluation.results.json").read_text(encoding="utf-8"))
    families = {row["family"] for row in figures}
    assert "hedging" in families and len(families) > 1  # the other families come from the packaged file
    assert "hedging/factbank.test.jsonl" in out.read_text(encoding="utf-8")


def test_in_process_build_restores_the_callers_gc_thresholds(tmp_path: Path) -> None:
    """A build raises the young-generation threshold while it runs and puts the caller's back (jobs
    1 and 2), also when the caller stops reading the processed documents early."""
    import gc

    from corpus_tools.annotators import AnnotatorOptions
    from corpus_tools.executor import GC_YOUNG_THRESHOLD, process_local
    from corpus_tools.readers import iter_articles

    before = gc.get_threshold()
    assert before[0] < GC_YOUNG_THRESHOLD  # CPython's default (700): the test would prove nothing else
    build([RAW_DIR], tmp_path / "a", jobs=1)
    assert gc.get_threshold() == before
    build([RAW_DIR], tmp_path / "b", jobs=2)
    assert gc.get_threshold() == before
    documents = process_local(iter_articles([RAW_DIR]), None, AnnotatorOptions(), jobs=1)
    next(documents)
    assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD  # raised while the build runs
    documents.close()
    assert gc.get_threshold() == before
