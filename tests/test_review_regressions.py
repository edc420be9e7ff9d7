"""Reviewer's regressions for the incremental rebuild and the output folder (each failed on main as of
22d96c3, before the fixes; each docstring describes the bug as found).

Each test states the full-build result the incremental build should equal, or the failure mode a
user hit.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpus_tools.builder import build
from corpus_tools.validate import validate_dataset

BOILER = ["boilerplate"]


def _write_jsonl(path: Path, records: list[dict[str, str]]) -> None:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")


def _differences(a: Path, b: Path) -> dict[str, list[str]]:
    """Columns whose values differ between two datasets, per table."""
    out: dict[str, list[str]] = {}
    for name in ("documents.parquet", "sentences.parquet"):
        left, right = pq.read_table(a / name), pq.read_table(b / name)
        cols = [c for c in left.column_names if not left.column(c).equals(right.column(c))]
        if cols:
            out[name] = cols
    return out


def _incremental_vs_full(tmp_path: Path, raw: Path, out: Path) -> dict[str, list[str]]:
    build([raw], out, annotators=BOILER, jobs=1)
    fresh = tmp_path / "fresh"
    build([raw], fresh, annotators=BOILER, jobs=1, incremental=False)
    return _differences(out, fresh)


# A third block that is the reader's title with the title field, but only a heading without it.
TEXT = (
    "Officials met on Monday to talk.\n\nThey agreed nothing at all.\n\n"
    "Budget Talks Resume\n\nThe minister said the deal would pass."
)


def test_removing_the_reader_title_is_not_served_from_the_previous_build(tmp_path: Path) -> None:
    """incremental.PreviousBuild.lookup only compares titles when the reader supplies one, so a record
    whose title field was removed (or a new --title-field) keeps the old title, block types and
    sections; a full build finds no title and a heading."""
    raw = tmp_path / "raw"
    raw.mkdir()
    out = tmp_path / "out"
    _write_jsonl(raw / "w.jsonl", [{"id": "a", "source": "w", "title": "Budget Talks Resume", "text": TEXT}])
    build([raw], out, annotators=BOILER, jobs=1)
    _write_jsonl(raw / "w.jsonl", [{"id": "a", "source": "w", "text": TEXT}])
    assert _incremental_vs_full(tmp_path, raw, out) == {}


def _cp1252_jsonl(path: Path, first_text: str) -> None:
    """Two records; the second is cp1252, so the file's warning names the offset of its first bad byte."""
    lines = [
        json.dumps({"id": "a", "source": "w", "text": first_text}).encode(),
        json.dumps(
            {"id": "b", "source": "w", "text": "Café owners said prices rose."}, ensure_ascii=False
        ).encode("cp1252"),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")


def test_reused_documents_carry_this_builds_reader_warnings(tmp_path: Path) -> None:
    """lookup() copies the previous row's warnings instead of the article's: after editing record a,
    record b (unchanged, reused) still says the bad byte is at the old offset, a full build the new one.
    (Same cause: a cp1252 .txt moved to another sub-folder keeps its old path in the warning.)"""
    raw = tmp_path / "raw"
    raw.mkdir()
    out = tmp_path / "out"
    _cp1252_jsonl(raw / "w.jsonl", "The minister resigned on Tuesday.")
    build([raw], out, annotators=BOILER, jobs=1)
    _cp1252_jsonl(raw / "w.jsonl", "The minister resigned on Tuesday after a long and bitter debate.")
    assert _incremental_vs_full(tmp_path, raw, out) == {}


def _built_with_metadata(tmp_path: Path, content: bytes) -> tuple[Path, Path]:
    """(input folder, dataset) of a one-record build whose metadata.json is then replaced by ``content``."""
    raw = tmp_path / "raw"
    raw.mkdir()
    _write_jsonl(raw / "w.jsonl", [{"id": "a", "text": "The minister resigned on Tuesday after the vote."}])
    out = tmp_path / "out"
    build([raw], out, annotators=BOILER, jobs=1)
    (out / "metadata.json").write_bytes(content)
    return raw, out


@pytest.mark.parametrize("content", [b"[]", b"null", b"\xff\xfe{}"])
def test_unreadable_previous_metadata_means_a_full_build_not_a_crash(tmp_path: Path, content: bytes) -> None:
    """PreviousBuild.open catches OSError/JSONDecodeError only: a metadata.json that is JSON but not an
    object raises AttributeError, one that is not UTF-8 raises UnicodeDecodeError, and build() fails
    instead of ignoring the unusable previous dataset (as it does for other damage)."""
    raw, out = _built_with_metadata(tmp_path, content)
    assert build([raw], out, annotators=BOILER, jobs=1).reused == 0


@pytest.mark.parametrize("content", [b"[]", b"null"])
def test_validate_reports_non_object_metadata_instead_of_raising(tmp_path: Path, content: bytes) -> None:
    """validate_dataset() calls metadata.get(...) on whatever json.loads returned (AttributeError)."""
    _raw, out = _built_with_metadata(tmp_path, content)
    problems = validate_dataset(out)
    assert any(p.startswith("metadata.json") for p in problems)


def _one_record(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    _write_jsonl(raw / "w.jsonl", [{"id": "a", "text": "The minister resigned on Tuesday after the vote."}])
    return raw


def test_out_folder_that_is_not_a_dataset_is_not_wiped(tmp_path: Path) -> None:
    """writer.replace_dir() (older than today's merge) swaps any existing ``out`` away and deletes it:
    ``--out ~/Documents`` (or ``--out`` = the input folder) silently deletes every file in it.
    Expected: refuse (or keep) a non-empty folder that holds no corpus_tools dataset."""
    raw = _one_record(tmp_path)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("precious", encoding="utf-8")
    with contextlib.suppress(Exception):  # refusing is fine; today the build succeeds
        build([raw], mine, annotators=BOILER, jobs=1)
    assert (mine / "thesis.txt").read_text(encoding="utf-8") == "precious"


def test_symlinked_out_folder_is_updated_not_replaced(tmp_path: Path) -> None:
    """replace_dir() renames the symlink itself: ``out`` becomes a real folder next to the link, the
    link's target keeps the old dataset, and a dangling ``.out.old-*`` symlink is left behind
    (rmtree refuses symlinks; the error is ignored)."""
    raw = _one_record(tmp_path)
    target = tmp_path / "disk" / "dataset"
    build([raw], target, annotators=BOILER, jobs=1)
    link = tmp_path / "out"
    link.symlink_to(target, target_is_directory=True)
    _write_jsonl(raw / "w.jsonl", [{"id": "b", "text": "A different article about the budget vote today."}])
    build([raw], link, annotators=BOILER, jobs=1)
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert link.is_symlink() and leftovers == []
    assert pq.read_table(target / "documents.parquet").column("record_id").to_pylist() == ["b"]


def test_failed_parallel_build_does_not_keep_its_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """builder.build()'s except branch never closes the ``processed`` generator, whose ``with
    ProcessPoolExecutor`` stays suspended: while the exception is referenced (a notebook keeps
    sys.last_traceback) the annotator worker processes stay alive."""
    import multiprocessing

    from corpus_tools.corpus_pass import CorpusIndex

    raw = tmp_path / "raw"
    raw.mkdir()
    records = [{"id": f"r{i}", "text": f"Report {i} says the drones crossed the border."} for i in range(40)]
    _write_jsonl(raw / "w.jsonl", records)

    def fail(*_args: object) -> None:
        raise RuntimeError("writer side failed")

    monkeypatch.setattr(CorpusIndex, "add_arrays", fail)
    with pytest.raises(RuntimeError) as caught:
        build([raw], tmp_path / "out", annotators=[], jobs=2)
    assert caught.value is not None
    assert multiprocessing.active_children() == []
