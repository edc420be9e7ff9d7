"""``corpus-tools validate``: does a dataset folder still defend itself?

Checks, each reported as one line naming the file and the problem:
files present and readable; file checksums equal to those in ``metadata.json``; schema version
readable; columns and types equal to the declared schema; unique document ids; every sentence's
``doc_id`` exists; ``text == documents.text[char_start:char_end]``; sentence indices contiguous and
equal to ``n_sentences``; ``near_duplicate_of`` points to an earlier sentence; categorical columns
hold only their documented values; the optional build cache ``corpus_signatures.arrow`` has one
signature per sentence.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus_tools.dataset import METADATA_KEY, SchemaVersionError, check_schema_version
from corpus_tools.schema import document_schema, sentence_schema
from corpus_tools.structure import BLOCK_TYPES

REQUIRED_FILES = ("documents.parquet", "sentences.parquet", "metadata.json", "README.md", "croissant.json")
MAX_EXAMPLES = 5
CATEGORIES: dict[str, frozenset[str]] = {
    "block_type": frozenset(BLOCK_TYPES),
    "tone_label": frozenset({"positive", "neutral", "negative"}),
}
STANCE_LABELS = frozenset({"favor", "against", "neutral"})


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _examples(items: list[str], total: int) -> str:
    more = f" (+{total - len(items)} more)" if total > len(items) else ""
    return "; ".join(items) + more


def _check_schema(name: str, actual: pa.Schema, expected: pa.Schema) -> list[str]:
    problems = []
    actual_types = {f.name: f.type for f in actual}
    expected_types = {f.name: f.type for f in expected}
    missing = [n for n in expected_types if n not in actual_types]
    extra = [n for n in actual_types if n not in expected_types]
    wrong = [
        f"{n} is {actual_types[n]}, declared {t}"
        for n, t in expected_types.items()
        if n in actual_types and actual_types[n] != t
    ]
    if missing:
        problems.append(f"{name}: missing column(s) {', '.join(missing)}")
    if extra:
        problems.append(f"{name}: undeclared column(s) {', '.join(extra)}")
    if wrong:
        problems.append(f"{name}: wrong type(s): {'; '.join(wrong)}")
    return problems


def _read(path: Path) -> tuple[pa.Table | None, str | None]:
    try:
        return pq.read_table(path), None
    except (pa.ArrowException, OSError) as err:
        return None, f"{path.name}: unreadable Parquet ({err})"


def _selection(metadata: dict[str, Any]) -> tuple[str, ...] | None:
    selection = metadata.get("annotator_selection")
    return None if selection is None else tuple(selection)


def _check_documents(docs: pa.Table) -> list[str]:
    ids = docs.column("doc_id").to_pylist()
    dupes = [i for i, c in Counter(ids).items() if c > 1]
    problems = []
    if None in ids:
        problems.append("documents.parquet: null doc_id")
    if dupes:
        problems.append(f"documents.parquet: duplicate doc_id: {_examples(dupes[:MAX_EXAMPLES], len(dupes))}")
    return problems


def _sentence_rows(sentences: pa.Table) -> Iterator[dict[str, Any]]:
    wanted = [
        c
        for c in ("doc_id", "sentence_index", "char_start", "char_end", "text", "near_duplicate_of")
        if c in sentences.column_names
    ]
    for batch in sentences.select(wanted).to_batches(max_chunksize=50_000):
        yield from batch.to_pylist()


def _check_sentences(docs: pa.Table, sentences: pa.Table) -> list[str]:
    texts = dict(zip(docs.column("doc_id").to_pylist(), docs.column("text").to_pylist(), strict=True))
    expected_counts = dict(
        zip(docs.column("doc_id").to_pylist(), docs.column("n_sentences").to_pylist(), strict=True)
    )
    orphans: list[str] = []
    offsets: list[str] = []
    order: list[str] = []
    pointers: list[str] = []
    next_index: dict[str, int] = {}
    seen_keys: set[str] = set()
    for row in _sentence_rows(sentences):
        doc_id, index = row["doc_id"], row["sentence_index"]
        key = f"{doc_id}:{index}"
        if doc_id not in texts:
            orphans.append(key)
            continue
        if index != next_index.get(doc_id, 0):
            order.append(f"{key} (expected index {next_index.get(doc_id, 0)})")
        next_index[doc_id] = index + 1
        start, end = row["char_start"], row["char_end"]
        if not (0 <= start < end <= len(texts[doc_id])) or texts[doc_id][start:end] != row["text"]:
            offsets.append(f"{key} [{start}:{end}]")
        pointer = row.get("near_duplicate_of")
        if pointer is not None and pointer not in seen_keys:
            pointers.append(f"{key} -> {pointer}")
        seen_keys.add(key)
    counts = [
        f"{d} has {next_index.get(d, 0)} sentences, n_sentences says {n}"
        for d, n in expected_counts.items()
        if next_index.get(d, 0) != n
    ]
    problems = []
    for label, items in (
        ("sentence(s) whose doc_id is not in documents.parquet", orphans),
        ("sentence(s) whose text does not equal documents.text[char_start:char_end]", offsets),
        ("sentence(s) out of order or with gaps in sentence_index", order),
        ("near_duplicate_of pointing to no earlier sentence", pointers),
        ("document(s) whose n_sentences does not match", counts),
    ):
        if items:
            problems.append(
                f"sentences.parquet: {len(items)} {label}: {_examples(items[:MAX_EXAMPLES], len(items))}"
            )
    return problems


def _check_categories(sentences: pa.Table) -> list[str]:
    problems = []
    for column, allowed in CATEGORIES.items():
        if column in sentences.column_names:
            bad = sorted({v for v in sentences.column(column).to_pylist() if v not in allowed}, key=str)
            if bad:
                problems.append(f"sentences.parquet: {column} has undocumented value(s) {bad[:MAX_EXAMPLES]}")
    if "stance" in sentences.column_names:
        labels = {entry["label"] for cell in sentences.column("stance").to_pylist() for entry in (cell or [])}
        if labels - STANCE_LABELS:
            problems.append(
                f"sentences.parquet: stance has undocumented label(s) {sorted(labels - STANCE_LABELS)}"
            )
    return problems


def _read_metadata(path: Path) -> tuple[dict[str, Any], str | None]:
    """metadata.json as a dict, or (the provenance stored in documents.parquet, the problem): the
    annotator selection is still known when metadata.json is damaged, so no spurious column errors."""
    if not path.is_file():
        return _parquet_provenance(path.parent / "documents.parquet"), None
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        return _parquet_provenance(
            path.parent / "documents.parquet"
        ), f"metadata.json: not valid JSON ({err})"
    if not isinstance(metadata, dict) or not isinstance(metadata.get("files", {}), dict):
        problem = "metadata.json: not a JSON object with a 'files' object"
        return _parquet_provenance(path.parent / "documents.parquet"), problem
    return metadata, None


def _parquet_provenance(path: Path) -> dict[str, Any]:
    """The build provenance stored in a Parquet file's schema metadata, without file checksums."""
    try:
        stored = (pq.read_schema(path).metadata or {}).get(METADATA_KEY)
        provenance = json.loads(stored) if stored else {}
    except (OSError, ValueError, pa.ArrowException):
        return {}
    if not isinstance(provenance, dict):
        return {}
    provenance.pop("files", None)
    return provenance


def validate_dataset(directory: str | Path) -> list[str]:
    """Every problem found in the dataset folder (empty list: valid)."""
    root = Path(directory)
    if not root.is_dir():
        return [f"{root}: no such folder"]
    problems = [f"{name}: missing" for name in REQUIRED_FILES if not (root / name).is_file()]
    metadata, problem = _read_metadata(root / "metadata.json")
    if problem:
        problems.append(problem)
    for name, recorded in sorted(metadata.get("files", {}).items()):
        path = root / name
        if path.is_file() and sha256_file(path) != recorded:
            problems.append(f"{name}: sha256 does not match metadata.json (file changed after the build)")
    tables: dict[str, pa.Table] = {}
    for name in ("documents.parquet", "sentences.parquet"):
        path = root / name
        if not path.is_file():
            continue
        table, error = _read(path)
        if error:
            problems.append(error)
            continue
        try:
            check_schema_version(path)
        except (SchemaVersionError, ValueError) as err:
            problems.append(str(err))
            continue
        tables[name] = table
    selection = _selection(metadata)
    if "documents.parquet" in tables:
        problems += _check_schema(
            "documents.parquet", tables["documents.parquet"].schema, document_schema(selection)
        )
        problems += _check_documents(tables["documents.parquet"])
    if "sentences.parquet" in tables:
        problems += _check_schema(
            "sentences.parquet", tables["sentences.parquet"].schema, sentence_schema(selection)
        )
        problems += _check_categories(tables["sentences.parquet"])
    if len(tables) == 2 and not any("missing column" in p for p in problems):
        problems += _check_sentences(tables["documents.parquet"], tables["sentences.parquet"])
    if "sentences.parquet" in tables:
        problems += _check_signatures(root, tables["sentences.parquet"].num_rows)
    return problems


def _check_signatures(root: Path, n_sentences: int) -> list[str]:
    """The build cache, when present, must match the sentences (a stale one would mislead a rebuild)."""
    from corpus_tools.incremental import SIGNATURES_FILE, read_signatures

    path = root / SIGNATURES_FILE
    if not path.is_file() or read_signatures(path, n_sentences) is not None:
        return []
    return [f"{SIGNATURES_FILE}: unreadable, or not one signature per row of sentences.parquet"]
