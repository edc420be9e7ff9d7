"""Annotated documents in Arrow form: what a task hands back to the process that writes the dataset.

A worker turns its task's documents into two record batches (document rows, sentence rows) and two
signature arrays (:class:`PackedDocuments`) before they cross between processes. Pickling Arrow costs
a copy of a few buffers where the Python columns cost ~40 objects per sentence to pickle and unpickle,
and the writer no longer converts Python values itself: the one process that receives every result
did ~18 µs of work per sentence (BBC x10), which capped a build at ~55,000 sentences/s, about 6-7
workers, whatever the number of cores.

:func:`unpack` gives one :class:`ArrowDocument` per document: row ranges of the task's batches, so the
builder, the corpus index and the writer still see documents one by one, in input order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from corpus_tools.corpus_pass import N_HASHES, signature_arrays
from corpus_tools.pipeline import ProcessedDocument
from corpus_tools.schema import document_schema, sentence_schema

PYTHON_FIELDS = ("doc_id", "source", "path", "warnings")
"""Document fields also kept as Python values next to the batches: the builder reads doc_id and source
(ids are renumbered for duplicate texts), and the writer sets doc_id, path and warnings from them
(:data:`corpus_tools.writer.REFRESHED`), as it does for reused documents."""


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


def rows_batch(rows: Sequence[Mapping[str, Any]], schema: pa.Schema) -> pa.RecordBatch:
    """One batch typed by ``schema`` from row dicts (one value per column; a missing column is an
    error), without first making a one-value column list of every value of every row."""
    arrays = []
    for field in schema:
        try:
            values = [row[field.name] for row in rows]
        except KeyError:
            raise KeyError(f"column {field.name!r} missing from annotated output") from None
        arrays.append(pa.array(values, type=field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def with_null_corpus_columns(columns: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    """A document's sentence columns with the corpus pass's own column, set later by the writer."""
    n = len(columns["text"])
    return {"near_duplicate_of": [None] * n, **columns}


@dataclasses.dataclass(frozen=True)
class PackedDocuments:
    """The documents of one task: document rows, sentence rows and corpus signatures, in input order."""

    refreshed: list[dict[str, Any]]  # per document, the fields of PYTHON_FIELDS
    documents: pa.RecordBatch
    sentences: pa.RecordBatch
    starts: np.ndarray  # (documents + 1,) int64: document k's sentences are rows starts[k]:starts[k+1]
    exact: np.ndarray  # (sentences,) uint64
    sketches: np.ndarray  # (sentences, N_HASHES) uint16


def pack(docs: Sequence[ProcessedDocument], annotators: tuple[str, ...] | None) -> PackedDocuments:
    """``docs`` (annotated with the ``annotators`` selection) as Arrow batches and signature arrays."""
    counts = [len(doc.sentences["text"]) for doc in docs]
    signatures = [signature_arrays(doc.signatures) for doc in docs]
    return PackedDocuments(
        refreshed=[{name: doc.document[name] for name in PYTHON_FIELDS} for doc in docs],
        documents=rows_batch([doc.document for doc in docs], document_schema(annotators)),
        sentences=record_batch(
            [with_null_corpus_columns(doc.sentences) for doc in docs], sentence_schema(annotators)
        ),
        starts=np.concatenate(([0], np.cumsum(counts, dtype=np.int64))).astype(np.int64),
        exact=np.concatenate([e for e, _ in signatures]) if docs else np.zeros(0, dtype=np.uint64),
        sketches=(
            np.concatenate([s for _, s in signatures]) if docs else np.zeros((0, N_HASHES), dtype=np.uint16)
        ),
    )


@dataclasses.dataclass(frozen=True)
class ArrowDocument(ProcessedDocument):
    """One newly annotated document, as rows of its task's :class:`PackedDocuments`.

    ``document`` holds only the fields of :data:`PYTHON_FIELDS`; ``sentences`` and ``signatures`` are empty
    (the rows and signature arrays are in ``packed``).
    """

    packed: PackedDocuments | None = None
    position: int = 0  # row of the document in packed.documents

    @property
    def sentence_start(self) -> int:
        return int(self._packed.starts[self.position])

    @property
    def n_sentences(self) -> int:
        return int(self._packed.starts[self.position + 1] - self._packed.starts[self.position])

    @property
    def document_rows(self) -> pa.RecordBatch:
        """The task's document rows (this document's is row ``position``)."""
        return self._packed.documents

    @property
    def sentence_rows(self) -> pa.RecordBatch:
        """The task's sentence rows (this document's start at ``sentence_start``)."""
        return self._packed.sentences

    @property
    def _packed(self) -> PackedDocuments:
        if self.packed is None:
            raise ValueError("an ArrowDocument needs its packed task")
        return self.packed

    def signature_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.sentence_start, self.sentence_start + self.n_sentences
        return self._packed.exact[start:end], self._packed.sketches[start:end]


def unpack(packed: PackedDocuments) -> list[ArrowDocument]:
    """The documents of ``packed``, in order."""
    return [
        ArrowDocument(document, {}, [], packed, position)
        for position, document in enumerate(packed.refreshed)
    ]
