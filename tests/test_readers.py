"""Readers: every format, every bad input named by file and line, nothing silently dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_tools.readers import BuildReport, FieldNames, InputError, iter_articles


def _write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_folder_of_text_files_with_sources(tmp_path: Path) -> None:
    _write(tmp_path / "b.md", "# Title\n\nBody.")
    _write(tmp_path / "a.txt", "Body of a.")
    _write(tmp_path / "sources.csv", "file,source\na.txt,Daily A\n")
    articles = list(iter_articles([tmp_path]))
    assert [(a.path, a.source) for a in articles] == [("a.txt", "Daily A"), ("b.md", "b")]


def test_seeds_are_read_byte_for_byte(seed_texts: dict[str, str]) -> None:
    root = Path(__file__).resolve().parents[1] / "datasets" / "raw"
    articles = list(iter_articles([root]))
    assert [a.path for a in articles] == sorted(seed_texts)
    assert [a.source for a in articles] == ["outlet_000", "outlet_001"]
    assert all(a.raw_text == seed_texts[a.path] for a in articles)


def test_utf8_bom_is_silent_and_other_encodings_warn(tmp_path: Path) -> None:
    _write(tmp_path / "bom.txt", b"\xef\xbb\xbfCaf\xc3\xa9 news.")
    _write(tmp_path / "cp.txt", "Caf\u00e9 \u201cquoted\u201d news.".encode("cp1252"))
    report = BuildReport()
    articles = {a.path: a for a in iter_articles([tmp_path], report=report)}
    assert articles["bom.txt"].raw_text == "Café news." and articles["bom.txt"].encoding == "utf-8-sig"
    assert articles["cp.txt"].raw_text == "Café “quoted” news." and articles["cp.txt"].encoding == "cp1252"
    assert len(report.warnings) == 1 and report.warnings[0].startswith("cp.txt: not valid UTF-8")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("binary.txt", b"PK\x03\x04\x00\x00junk", "binary.txt: binary data (NUL byte at offset 4)"),
        ("empty.txt", b"", "empty.txt: empty file"),
        ("blank.md", b"  \n\n\t", "blank.md: empty file"),
        ("bad.jsonl", b'{"text": "ok one"}\n{"text": "broken\n', "bad.jsonl:2: malformed JSON"),
        ("notobj.jsonl", b'["a list"]\n', "notobj.jsonl:1: expected a JSON object, got list"),
        ("notext.jsonl", b'{"body": "x"}\n', "notext.jsonl:1: missing text field 'text'"),
        ("emptytext.jsonl", b'{"text": "  "}\n', "emptytext.jsonl:1: text field 'text' is empty"),
        ("numtext.jsonl", b'{"text": 5}\n', "numtext.jsonl:1: text field 'text' is int, expected a string"),
        ("nocol.csv", b"title,body\nT,B\n", "nocol.csv:1: no text column 'text'; columns are: title, body"),
        ("empty.csv", b"", "empty.csv: empty CSV (no header row)"),
        ("ragged.csv", b"text\nfine\nx,extra\n", "ragged.csv:3: row 2 has more fields than the header"),
    ],
)
def test_bad_input_fails_with_file_and_line(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = _write(tmp_path / name, data)
    with pytest.raises(InputError) as caught:
        list(iter_articles([path]))
    assert str(caught.value).startswith(message)


def test_skip_records_bad_inputs_and_keeps_good_ones(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "Good article.")
    _write(tmp_path / "b.txt", b"\x00\x01")
    _write(
        tmp_path / "c.jsonl", '{"text": "first"}\nnot json\n{"text": "third", "id": 7, "source": "Wire"}\n'
    )
    _write(tmp_path / "d.bin", b"ignored")
    report = BuildReport()
    articles = list(iter_articles([tmp_path], on_error="skip", report=report))
    assert [a.path for a in articles] == ["a.txt", "c.jsonl#L1", "c.jsonl#L3"]
    assert articles[2].record_id == "7" and articles[2].source == "Wire" and articles[1].source == "c"
    assert [s.split(":")[0] for s in report.skipped] == ["b.txt", "c.jsonl"]
    assert report.skipped[1].startswith("c.jsonl:2: malformed JSON")
    assert report.ignored_files == ["d.bin"]


def test_custom_field_names_for_jsonl_and_csv(tmp_path: Path) -> None:
    records = [{"body": "Text one.", "headline": "One", "outlet": "X", "uid": "a1"}]
    _write(tmp_path / "r.jsonl", "\n".join(json.dumps(r) for r in records) + "\n")
    _write(tmp_path / "r.csv", 'uid,headline,outlet,body\na2,Two,Y,"Multi\nline text."\n')
    names = FieldNames(text="body", title="headline", source="outlet", id="uid")
    got = [
        (a.path, a.title, a.source, a.record_id, a.raw_text) for a in iter_articles([tmp_path], fields=names)
    ]
    assert got == [
        ("r.csv#row1", "Two", "Y", "a2", "Multi\nline text."),
        ("r.jsonl#L1", "One", "X", "a1", "Text one."),
    ]


def test_missing_input_and_unsupported_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        list(iter_articles([tmp_path / "nope"]))
    with pytest.raises(InputError, match=r"unsupported file type '\.pdf'"):
        list(iter_articles([_write(tmp_path / "x.pdf", b"%PDF")]))


def test_on_error_value_is_checked() -> None:
    with pytest.raises(ValueError, match="on_error"):
        list(iter_articles([], on_error="ignore"))


def test_utf16_with_bom_is_text_with_a_warning(tmp_path: Path) -> None:
    _write(tmp_path / "wide.txt", "\ufeffDrones crossed the border.".encode("utf-16-le"))
    report = BuildReport()
    (article,) = iter_articles([tmp_path], report=report)
    assert article.raw_text == "Drones crossed the border." and article.encoding == "utf-16"
    assert report.warnings == ["wide.txt: decoded as utf-16 (byte-order mark)"]


def test_unpaired_surrogate_and_non_string_ids(tmp_path: Path) -> None:
    _write(tmp_path / "s.jsonl", '{"text": "bad \\ud800 text"}\n')
    with pytest.raises(
        InputError, match=r"s\.jsonl:1: text field 'text' has an unpaired surrogate at character 4"
    ):
        list(iter_articles([tmp_path / "s.jsonl"]))
    _write(tmp_path / "i.jsonl", '{"text": "ok", "id": {"x": 1}, "source": 7}\n')
    (article,) = iter_articles([tmp_path / "i.jsonl"])
    assert article.record_id == '{"x": 1}' and article.source == "7"
