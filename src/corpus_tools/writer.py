"""Parquet writing with declared schemas, streamed in row groups, made atomic by a directory swap.

Sentences are first streamed to a staging file; once every document has been seen, the corpus-wide
updates (repeated / near-duplicate sentences) are applied while the staging file is copied, row
group by row group, to ``sentences.parquet``. Memory stays bounded by one row group.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from corpus_tools.corpus_pass import SentenceUpdate
from corpus_tools.dataset import METADATA_KEY, to_frame
from corpus_tools.pipeline import ProcessedDocument
from corpus_tools.schema import document_schema, sentence_schema

SENTENCE_ROW_GROUP = 50_000
DOCUMENT_ROW_GROUP = 2_000
COMPRESSION = "zstd"


def record_batch(rows: Sequence[Mapping[str, Sequence[Any]]], schema: pa.Schema) -> pa.RecordBatch:
    """Concatenate column dicts into one batch typed by ``schema`` (a missing column is an error)."""
    arrays = []
    for field in schema:
        values: list[Any] = []
        for columns in rows:
            if field.name not in columns:
                raise KeyError(f"column {field.name!r} missing from annotated output")
            values.extend(columns[field.name])
        arrays.append(pa.array(values, type=field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def apply_updates(batch: pa.RecordBatch, updates: Mapping[tuple[str, int], SentenceUpdate]) -> pa.RecordBatch:
    """Apply corpus-pass updates to the rows of ``batch`` they name (untouched batches are returned as is)."""
    if not updates or "near_duplicate_of" not in batch.schema.names:
        return batch
    doc_ids = batch.column("doc_id").to_pylist()
    indices = batch.column("sentence_index").to_pylist()
    hits = [
        (row, updates[key]) for row, key in enumerate(zip(doc_ids, indices, strict=True)) if key in updates
    ]
    if not hits:
        return batch
    columns = {
        name: batch.column(name).to_pylist()
        for name in ("near_duplicate_of", "is_boilerplate", "boilerplate_reasons")
        if name in batch.schema.names
    }
    for row, update in hits:
        if update.near_duplicate_of is not None:
            columns["near_duplicate_of"][row] = update.near_duplicate_of
        if "boilerplate_reasons" in columns:
            reasons = list(columns["boilerplate_reasons"][row] or [])
            reasons.extend(r for r in update.reasons if r not in reasons)
            columns["boilerplate_reasons"][row] = reasons
            columns["is_boilerplate"][row] = bool(reasons)
    arrays = [
        pa.array(columns[field.name], type=field.type) if field.name in columns else batch.column(i)
        for i, field in enumerate(batch.schema)
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=batch.schema)


def _with_null_corpus_columns(columns: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    n = len(columns["text"])
    return {"near_duplicate_of": [None] * n, **columns}


def sentences_frame(
    docs: Sequence[ProcessedDocument],
    updates: Mapping[tuple[str, int], SentenceUpdate],
    annotators: Sequence[str] | None = None,
) -> pd.DataFrame:
    """In-memory sentences table (for :func:`corpus_tools.annotate_text`)."""
    schema = sentence_schema(None if annotators is None else tuple(annotators))
    batch = record_batch([_with_null_corpus_columns(d.sentences) for d in docs], schema)
    return to_frame(pa.Table.from_batches([apply_updates(batch, updates)]))


class DatasetWriter:
    """Streams documents and (staged) sentences into ``directory`` with declared schemas."""

    def __init__(
        self, directory: Path, annotators: Sequence[str] | None, metadata: Mapping[str, Any]
    ) -> None:
        self.directory = directory
        names = None if annotators is None else tuple(annotators)
        self.document_schema = document_schema(names).with_metadata(
            {METADATA_KEY: json.dumps(metadata, sort_keys=True)}
        )
        self.sentence_schema = sentence_schema(names).with_metadata(
            {METADATA_KEY: json.dumps(metadata, sort_keys=True)}
        )
        self._stage_path = directory / "sentences.stage.parquet"
        self._documents = pq.ParquetWriter(
            directory / "documents.parquet", self.document_schema, compression=COMPRESSION
        )
        self._stage = pq.ParquetWriter(self._stage_path, self.sentence_schema, compression=COMPRESSION)
        self._doc_buffer: list[dict[str, list[Any]]] = []
        self._sentence_buffer: list[dict[str, list[Any]]] = []
        self._buffered_sentences = 0
        self.n_documents = 0
        self.n_sentences = 0

    def write(self, doc: ProcessedDocument) -> None:
        self._doc_buffer.append({k: [v] for k, v in doc.document.items()})
        self._sentence_buffer.append(_with_null_corpus_columns(doc.sentences))
        self._buffered_sentences += len(doc.sentences["text"])
        self.n_documents += 1
        self.n_sentences += len(doc.sentences["text"])
        if len(self._doc_buffer) >= DOCUMENT_ROW_GROUP:
            self._flush_documents()
        if self._buffered_sentences >= SENTENCE_ROW_GROUP:
            self._flush_sentences()

    def _flush_documents(self) -> None:
        if self._doc_buffer:
            self._documents.write_batch(record_batch(self._doc_buffer, self.document_schema))
            self._doc_buffer = []

    def _flush_sentences(self) -> None:
        if self._sentence_buffer:
            self._stage.write_batch(record_batch(self._sentence_buffer, self.sentence_schema))
            self._sentence_buffer = []
            self._buffered_sentences = 0

    def finish(self, updates: Mapping[tuple[str, int], SentenceUpdate]) -> None:
        """Flush, then copy the staged sentences to ``sentences.parquet`` applying the corpus updates."""
        self._flush_documents()
        self._flush_sentences()
        self._documents.close()
        self._stage.close()
        staged = pq.ParquetFile(self._stage_path)
        with pq.ParquetWriter(
            self.directory / "sentences.parquet", self.sentence_schema, compression=COMPRESSION
        ) as out:
            for group in range(staged.num_row_groups):
                for batch in staged.read_row_group(group).to_batches():
                    out.write_batch(apply_updates(batch, updates), row_group_size=SENTENCE_ROW_GROUP)
        self._stage_path.unlink()

    def abort(self) -> None:
        for writer in (self._documents, self._stage):
            with contextlib.suppress(Exception):
                writer.close()


def temp_dir_for(out_dir: Path) -> Path:
    """A fresh sibling of ``out_dir`` (same filesystem, so the final rename is atomic)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    path = out_dir.parent / f".{out_dir.name}.tmp-{uuid.uuid4().hex[:12]}"
    path.mkdir()
    return path


def replace_dir(tmp_dir: Path, out_dir: Path) -> None:
    """Move ``tmp_dir`` into place of ``out_dir``; the old dataset survives until the new one is in place."""
    backup = out_dir.parent / f".{out_dir.name}.old-{uuid.uuid4().hex[:12]}"
    had_old = out_dir.exists()
    if had_old:
        os.replace(out_dir, backup)
    try:
        os.replace(tmp_dir, out_dir)
    except OSError:
        if had_old:
            os.replace(backup, out_dir)
        raise
    if had_old:
        shutil.rmtree(backup, ignore_errors=True)
