"""The dataset defends itself: validate catches damage, load guards versions, other readers agree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from conftest import RAW_DIR

from corpus_tools.builder import build
from corpus_tools.cli import main
from corpus_tools.dataset import SchemaVersionError, load
from corpus_tools.validate import validate_dataset


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("product") / "processed"
    build([RAW_DIR], out, jobs=1)
    return out


@pytest.fixture
def copy(built: Path, tmp_path: Path) -> Path:
    target = tmp_path / "processed"
    shutil.copytree(built, target)
    return target


def _rewrite(path: Path, table: pa.Table) -> None:
    pq.write_table(table.replace_schema_metadata(pq.read_schema(path).metadata), path)


def test_fresh_build_is_valid(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert validate_dataset(built) == []
    assert main(["validate", str(built)]) == 0
    assert "valid" in capsys.readouterr().out


def test_validate_catches_a_corrupted_file(copy: Path) -> None:
    data = (copy / "sentences.parquet").read_bytes()
    (copy / "sentences.parquet").write_bytes(data[: len(data) // 2])
    problems = validate_dataset(copy)
    assert any(p.startswith("sentences.parquet: unreadable Parquet") for p in problems)
    assert "sentences.parquet: sha256 does not match metadata.json (file changed after the build)" in problems


def test_validate_catches_a_broken_offset(copy: Path) -> None:
    path = copy / "sentences.parquet"
    table = pq.read_table(path)
    shifted = pc.add(table.column("char_start"), pa.scalar(1, pa.int32())).cast(pa.int32())
    _rewrite(
        path,
        table.set_column(
            table.schema.get_field_index("char_start"), table.schema.field("char_start"), shifted
        ),
    )
    problems = validate_dataset(copy)
    assert any("whose text does not equal documents.text[char_start:char_end]" in p for p in problems)


def test_validate_catches_an_orphan_sentence(copy: Path) -> None:
    path = copy / "documents.parquet"
    _rewrite(path, pq.read_table(path).slice(1))
    problems = validate_dataset(copy)
    assert any("sentence(s) whose doc_id is not in documents.parquet" in p for p in problems)


def test_validate_catches_a_checksum_mismatch(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (copy / "README.md").open("a", encoding="utf-8") as handle:
        handle.write("\nhand edit\n")
    assert validate_dataset(copy) == [
        "README.md: sha256 does not match metadata.json (file changed after the build)"
    ]
    assert main(["validate", str(copy)]) == 1
    assert "1 problem(s)" in capsys.readouterr().out


def test_load_returns_frames_and_refuses_newer_major_schema(copy: Path) -> None:
    documents, sentences = load(copy)
    assert len(documents) == 2 and len(sentences) == documents["n_sentences"].sum()
    path = copy / "sentences.parquet"
    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[b"corpus_tools"])
    meta["schema_version"] = "2.0.0"
    pq.write_table(table.replace_schema_metadata({b"corpus_tools": json.dumps(meta)}), path)
    with pytest.raises(SchemaVersionError, match=r"schema version 2\.0\.0, newer than"):
        load(copy)


def _kind(dtype: pa.DataType) -> str:
    """Arrow type with string/list width variants folded (readers pick different physical variants)."""
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype) or pa.types.is_string_view(dtype):
        return "string"
    if pa.types.is_list(dtype) or pa.types.is_large_list(dtype) or pa.types.is_list_view(dtype):
        return f"list<{_kind(dtype.value_type)}>"
    if pa.types.is_struct(dtype):
        return "struct<" + ",".join(f"{f.name}:{_kind(f.type)}" for f in dtype) + ">"
    return str(dtype)


def test_other_readers_agree_on_rows_and_types(built: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    polars = pytest.importorskip("polars")
    datasets = pytest.importorskip("datasets")
    import pandas as pd

    for name in ("documents", "sentences"):
        path = built / f"{name}.parquet"
        arrow = pq.read_table(path)
        frame = pd.read_parquet(path)
        relation = duckdb.sql(f"SELECT * FROM read_parquet('{path}')")
        duck = (
            relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.fetch_arrow_table()
        )
        pl = polars.read_parquet(path)
        hf = datasets.load_dataset(
            "parquet",
            data_files={"train": str(path)},
            split="train",
            cache_dir=str(built.parent / "hf-cache"),
        )
        assert arrow.num_rows == len(frame) == duck.num_rows == pl.height == hf.num_rows
        assert arrow.column_names == list(frame.columns) == duck.column_names == pl.columns == hf.column_names
        assert hf.features == datasets.Features.from_arrow_schema(arrow.schema)
        expected = [_kind(t) for t in arrow.schema.types]
        assert [_kind(t) for t in duck.schema.types] == expected
        assert [_kind(t) for t in pl.to_arrow().schema.types] == expected
        assert [_kind(t) for t in hf.data.table.schema.types] == expected


def test_card_front_matter_matches_the_files(built: Path) -> None:
    datasets = pytest.importorskip("datasets")
    import yaml

    text = (built / "README.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["annotations_creators"] == ["machine-generated"]
    info = {entry["config_name"]: entry for entry in front["dataset_info"]}
    for name in ("documents", "sentences"):
        declared = datasets.Features._from_yaml_list(info[name]["features"])
        assert declared == datasets.Features.from_arrow_schema(pq.read_schema(built / f"{name}.parquet"))
    assert {c["config_name"] for c in front["configs"]} == {"documents", "sentences"}


def test_croissant_describes_the_files(built: Path) -> None:
    document = json.loads((built / "croissant.json").read_text(encoding="utf-8"))
    files = {d["name"]: d for d in document["distribution"]}
    from corpus_tools.validate import sha256_file

    for name in ("documents.parquet", "sentences.parquet"):
        assert files[name]["sha256"] == sha256_file(built / name)
    fields = {rs["name"]: [f["name"] for f in rs["field"]] for rs in document["recordSet"]}
    assert fields["sentences"] == pq.read_schema(built / "sentences.parquet").names
    mlc = pytest.importorskip("mlcroissant")
    dataset = mlc.Dataset(jsonld=str(built / "croissant.json"))
    first = next(iter(dataset.records(record_set="sentences")))
    assert first["sentences/sentence_index"] == 0
    expected = pq.read_table(built / "sentences.parquet").slice(0, 1).to_pylist()[0]
    assert first["sentences/text"].decode("utf-8") == expected["text"]
    assert [
        {k.rsplit("/", 1)[-1]: v.decode() if isinstance(v, bytes) else v for k, v in e.items()}
        for e in first["sentences/stance"]
    ] == expected["stance"]
