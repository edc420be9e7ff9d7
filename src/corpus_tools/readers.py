"""Readers: one per input format, each a generator of :class:`RawArticle` (streaming, flat memory).

Formats: a folder (searched recursively, in sorted path order) or single files of ``.txt``/``.md``
(one article per file), ``.jsonl`` (one article per line) and ``.csv`` (one article per row).
``sources.csv`` in an input folder says which file came from which source; it is metadata, not an
article.

Bad input never surfaces as a traceback from deep inside a library: every problem is an
:class:`InputError` naming the file (and line) and what is wrong. With ``on_error="skip"`` the
problem is recorded in the :class:`BuildReport` and reading continues.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
RECORD_SUFFIXES = (".jsonl", ".csv")
SOURCES_FILE = "sources.csv"


class InputError(Exception):
    """A problem with one input: ``str(err)`` is ``path[:line]: message``."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


OnBadRecord = Callable[[InputError], None]


@dataclass(frozen=True)
class FieldNames:
    """Which JSONL/CSV fields hold the text, title, source and id (``--text-field`` etc.)."""

    text: str = "text"
    title: str = "title"
    source: str = "source"
    id: str = "id"


@dataclass(frozen=True)
class RawArticle:
    path: str  # relative display path; "file.jsonl#L3" / "file.csv#row2" for records
    source: str
    raw_text: str
    raw_sha256: str
    encoding: str
    title: str | None = None
    record_id: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass
class BuildReport:
    """What the readers skipped or warned about; printed in the build summary and saved with the dataset."""

    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "skipped": list(self.skipped),
            "warnings": list(self.warnings),
            "ignored_files": list(self.ignored_files),
        }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    """sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


_CHUNK = 1 << 20


def detect_encoding(path: Path, display: str) -> tuple[str, list[str]]:
    """Encoding of a file, scanned in chunks (flat memory), and the warnings to record.

    UTF-8 (with or without BOM) is silent; anything else is read as Windows-1252 (or Latin-1 when
    that fails) with a recorded warning. NUL bytes mean binary data: an error.
    """
    wide = _wide_unicode(path)
    if wide is not None:
        return wide, [f"{display}: decoded as {wide} (byte-order mark)"]
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    bad: int | None = None
    with path.open("rb") as handle:
        first = handle.read(3)
        bom = first == b"\xef\xbb\xbf"
        handle.seek(0)
        while chunk := handle.read(_CHUNK):
            nul = chunk.find(b"\x00")
            if nul >= 0:
                raise InputError(display, f"binary data (NUL byte at offset {offset + nul}); not a text file")
            if bad is None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as err:
                    bad = offset + err.start
            offset += len(chunk)
    if bad is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            bad = offset
    if bad is None:
        return ("utf-8-sig" if bom else "utf-8"), []
    encoding = "cp1252" if _decodes(path, "cp1252") else "latin-1"
    return encoding, [f"{display}: not valid UTF-8 (first bad byte at offset {bad}); decoded as {encoding}"]


_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _wide_unicode(path: Path) -> str | None:
    """``utf-16``/``utf-32`` when the file starts with their byte-order mark and decodes as such
    (their NUL bytes are text, not binary data)."""
    with path.open("rb") as handle:
        head = handle.read(4)
    for bom, encoding in _WIDE_BOMS:
        if head.startswith(bom) and _decodes(path, encoding):
            return encoding
    return None


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
        except UnicodeDecodeError:
            return False
    return True


def _require_text(text: object, path: str, line: int | None, field_name: str) -> tuple[str, bytes]:
    """The text field and its UTF-8 bytes (for the checksum); strict UTF-8 encoding fails exactly at
    the first surrogate code point (``LONE_SURROGATE``), so no separate scan is needed."""
    if text is None:
        raise InputError(path, f"missing text field {field_name!r}", line)
    if not isinstance(text, str):
        raise InputError(path, f"text field {field_name!r} is {type(text).__name__}, expected a string", line)
    if not text.strip():
        raise InputError(path, f"text field {field_name!r} is empty", line)
    try:
        return text, text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise InputError(
            path,
            f"text field {field_name!r} has an unpaired surrogate at character {err.start} (invalid Unicode)",
            line,
        ) from None


def _optional_str(value: object) -> str | None:
    """A field as text: strings stripped, other JSON values as compact JSON (never a Python repr)."""
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.strip() or None


def read_sources(path: Path) -> dict[str, str]:
    """``file -> source`` from a ``sources.csv`` with at least the columns ``file`` and ``source``."""
    display = path.name
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (UnicodeDecodeError, csv.Error) as err:
        raise InputError(display, f"cannot read sources table: {err}") from err
    if rows and not {"file", "source"} <= set(rows[0]):
        raise InputError(display, "sources table needs the columns 'file' and 'source'")
    return {
        row["file"].strip(): row["source"].strip() for row in rows if row.get("file") and row.get("source")
    }


def read_text_file(path: Path, display: str, source: str) -> RawArticle:
    """One article per .txt/.md file."""
    encoding, warnings = detect_encoding(path, display)
    data = path.read_bytes()
    if not data.strip():
        raise InputError(display, "empty file")
    text = data.decode(encoding)
    if not text.strip():
        raise InputError(display, "file has no visible text")
    return RawArticle(display, source, text, _sha256(data), encoding, warnings=tuple(warnings))


def _record_article(
    record: dict[str, object],
    display: str,
    where: str,
    line: int,
    source: str,
    fields: FieldNames,
    encoding: str,
) -> RawArticle:
    body, data = _require_text(record.get(fields.text), display, line, fields.text)
    return RawArticle(
        path=f"{display}#{where}",
        source=_optional_str(record.get(fields.source)) or source,
        raw_text=body,
        raw_sha256=_sha256(data),
        encoding=encoding,
        title=_optional_str(record.get(fields.title)),
        record_id=_optional_str(record.get(fields.id)),
    )


def read_jsonl(
    path: Path, display: str, source: str, fields: FieldNames, encoding: str, on_bad_record: OnBadRecord
) -> Iterator[RawArticle]:
    """One article per JSON object line, streamed; a bad line goes to ``on_bad_record``."""
    with path.open(encoding=encoding, newline="") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as err:
                    raise InputError(
                        display, f"malformed JSON ({err.msg} at column {err.colno})", line_no
                    ) from err
                if not isinstance(record, dict):
                    raise InputError(display, f"expected a JSON object, got {type(record).__name__}", line_no)
                yield _record_article(record, display, f"L{line_no}", line_no, source, fields, encoding)
            except InputError as err:
                on_bad_record(err)


def read_csv(
    path: Path, display: str, source: str, fields: FieldNames, encoding: str, on_bad_record: OnBadRecord
) -> Iterator[RawArticle]:
    """One article per CSV row (header required), streamed; a bad row goes to ``on_bad_record``."""
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames
        except csv.Error as err:
            raise InputError(display, f"malformed CSV header: {err}", 1) from err
        if not header:
            raise InputError(display, "empty CSV (no header row)")
        if fields.text not in header:
            raise InputError(display, f"no text column {fields.text!r}; columns are: {', '.join(header)}", 1)
        row_no = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                raise InputError(display, f"malformed CSV: {err}", reader.line_num) from err
            row_no += 1
            try:
                if None in row:
                    raise InputError(
                        display, f"row {row_no} has more fields than the header", reader.line_num
                    )
                yield _record_article(row, display, f"row{row_no}", reader.line_num, source, fields, encoding)
            except InputError as err:
                on_bad_record(err)


def _expand(inputs: Iterable[Path], report: BuildReport) -> Iterator[tuple[Path, str, dict[str, str]]]:
    """(file, display path, sources table) for every article file, folders walked in sorted order."""
    for item in inputs:
        if item.is_dir():
            sources_path = item / SOURCES_FILE
            sources = read_sources(sources_path) if sources_path.is_file() else {}
            for path in sorted(p for p in item.rglob("*") if p.is_file()):
                rel = path.relative_to(item).as_posix()
                if path.name == SOURCES_FILE or path.name.startswith("."):
                    continue
                if path.suffix.lower() not in TEXT_SUFFIXES + RECORD_SUFFIXES:
                    report.ignored_files.append(rel)
                    continue
                yield path, rel, sources
        elif item.is_file():
            if item.suffix.lower() not in TEXT_SUFFIXES + RECORD_SUFFIXES:
                raise InputError(
                    item.name,
                    f"unsupported file type {item.suffix!r}; expected one of {TEXT_SUFFIXES + RECORD_SUFFIXES}",
                )
            sources_path = item.parent / SOURCES_FILE
            sources = read_sources(sources_path) if sources_path.is_file() else {}
            yield item, item.name, sources
        else:
            raise InputError(str(item), "no such file or folder")


def iter_articles(
    inputs: Iterable[Path | str],
    *,
    fields: FieldNames | None = None,
    on_error: str = "fail",
    report: BuildReport | None = None,
) -> Iterator[RawArticle]:
    """Every article of ``inputs`` in a deterministic order; see the module docstring for formats.

    ``on_error``: ``"fail"`` raises the first :class:`InputError`; ``"skip"`` records it in
    ``report.skipped`` and goes on with the next record (JSONL/CSV) or file.
    """
    if on_error not in ("fail", "skip"):
        raise ValueError(f"on_error must be 'fail' or 'skip', not {on_error!r}")
    names = fields or FieldNames()
    rep = report if report is not None else BuildReport()

    def on_bad_record(err: InputError) -> None:
        if on_error == "fail":
            raise err
        rep.skipped.append(str(err))

    for path, display, sources in _expand([Path(p) for p in inputs], rep):
        source = sources.get(display) or sources.get(path.name) or path.stem
        try:
            suffix = path.suffix.lower()
            if suffix in TEXT_SUFFIXES:
                article = read_text_file(path, display, source)
                rep.warnings.extend(article.warnings)
                yield article
                continue
            encoding, warnings = detect_encoding(path, display)
            rep.warnings.extend(warnings)
            reader = read_jsonl if suffix == ".jsonl" else read_csv
            for article in reader(path, display, source, names, encoding, on_bad_record):
                yield replace(article, warnings=tuple(warnings)) if warnings else article
        except InputError as err:
            on_bad_record(err)
        except OSError as err:
            on_bad_record(InputError(display, f"cannot read: {err.strerror or err}"))


def input_checksums(inputs: Iterable[Path | str]) -> dict[str, str]:
    """sha256 of every article file the build will read (display path -> hex), for provenance.

    Computed before the build starts so the Parquet files can carry it in their schema metadata.
    A file that cannot be read is listed with the reason instead of a checksum.
    """
    out: dict[str, str] = {}
    for path, display, _sources in _expand([Path(p) for p in inputs], BuildReport()):
        try:
            out[display] = file_sha256(path)
        except OSError as err:
            out[display] = f"unreadable: {err.strerror or err}"
    return dict(sorted(out.items()))
