"""The declared Parquet schemas (the public contract, DESIGN.md §2).

Base columns are declared here; each annotator declares its own columns (``fields``) and the final
schemas are the base plus every registered annotator's fields, in registry order. The dataset card,
the Croissant file and ``validate`` are all generated from these schemas, never written by hand.
"""

from __future__ import annotations

from functools import cache

import pyarrow as pa

SCHEMA_VERSION = "1.1.0"
"""Major version changes break readers: ``load()`` refuses a dataset with a newer major version."""


def column(name: str, dtype: pa.DataType, description: str, *, nullable: bool = True) -> pa.Field:
    """A declared column: its type, whether it may be null, and the description the card shows."""
    return pa.field(name, dtype, nullable=nullable, metadata={"description": description})


EDIT_TYPE = pa.struct(
    [
        pa.field("op", pa.string()),
        pa.field("start", pa.int32()),
        pa.field("end", pa.int32()),
        pa.field("original", pa.string()),
    ]
)

DOC_ID = column(
    "doc_id",
    pa.string(),
    "stable id of the document: first 16 hex digits of the sha256 of its normalised text (-k suffix for the k-th exact duplicate)",
    nullable=False,
)
SOURCE = column(
    "source",
    pa.string(),
    "who published it (sources.csv or the record's source field; file stem if unknown)",
    nullable=False,
)

BASE_SENTENCE_FIELDS = pa.schema(
    [
        DOC_ID,
        SOURCE,
        column(
            "sentence_index", pa.int32(), "0-based position of the sentence in the document", nullable=False
        ),
        column(
            "block_type",
            pa.string(),
            "title, lede, heading, paragraph, list_item or table_row",
            nullable=False,
        ),
        column(
            "section",
            pa.string(),
            "heading of the section the sentence is in (null before the first heading)",
        ),
        column("char_start", pa.int32(), "start offset into documents.text", nullable=False),
        column("char_end", pa.int32(), "end offset (exclusive) into documents.text", nullable=False),
        column(
            "text", pa.string(), "the sentence; equals documents.text[char_start:char_end]", nullable=False
        ),
    ]
)

BASE_DOCUMENT_FIELDS = pa.schema(
    [
        DOC_ID,
        SOURCE,
        column("title", pa.string(), "title of the article (reader field or detected title line)"),
        column(
            "title_source",
            pa.string(),
            "where the title comes from: 'reader' (the input's title field), 'text' (a title line found "
            "in the text) or null (no title); incremental rebuilds compare it with the input's title field",
        ),
        column(
            "path",
            pa.string(),
            "input file relative to the build input, with #line for JSONL/CSV records",
            nullable=False,
        ),
        column("record_id", pa.string(), "id field of a JSONL/CSV record, if any"),
        pa.field(
            "raw_sha256",
            pa.string(),
            nullable=False,
            metadata={
                "description": "sha256 of the raw record (bytes of a file, or the UTF-8 text of a JSONL/CSV record)"
            },
        ),
        column("raw_text", pa.string(), "decoded text before normalisation", nullable=False),
        column("text", pa.string(), "normalised text; sentence offsets point into it", nullable=False),
        column(
            "normalisation_edits",
            pa.list_(EDIT_TYPE),
            "each edit: text[start:end] replaced `original` of raw_text (applied left to right, raw_text is recoverable)",
            nullable=False,
        ),
        column("encoding", pa.string(), "encoding the raw bytes were decoded from", nullable=False),
        column(
            "warnings", pa.list_(pa.string()), "reader/normaliser warnings for this document", nullable=False
        ),
        column("n_blocks", pa.int32(), "number of structural blocks", nullable=False),
        column("n_headings", pa.int32(), "number of heading blocks (title excluded)", nullable=False),
        column("n_list_items", pa.int32(), "number of list items", nullable=False),
        column("n_table_rows", pa.int32(), "number of markdown table rows (rules excluded)", nullable=False),
        column("n_sentences", pa.int32(), "number of sentences", nullable=False),
        column("n_words", pa.int32(), "number of word tokens in the normalised text", nullable=False),
    ]
)


def _merge(base: pa.Schema, extra: list[pa.Schema]) -> pa.Schema:
    fields = list(base)
    seen = set(base.names)
    for schema in extra:
        for field in schema:
            if field.name in seen:
                raise ValueError(f"column {field.name!r} is declared twice")
            seen.add(field.name)
            fields.append(field)
    return pa.schema(fields)


@cache
def sentence_schema(annotator_names: tuple[str, ...] | None = None) -> pa.Schema:
    """Schema of ``sentences.parquet`` for the given (default: all) sentence annotators."""
    from corpus_tools.annotators import corpus_fields, sentence_annotator_classes

    classes = sentence_annotator_classes(annotator_names)
    return _merge(BASE_SENTENCE_FIELDS, [cls.fields for cls in classes] + [corpus_fields()])


@cache
def document_schema(annotator_names: tuple[str, ...] | None = None) -> pa.Schema:
    """Schema of ``documents.parquet`` for the given (default: all) document annotators."""
    from corpus_tools.annotators import document_annotator_classes

    classes = document_annotator_classes(annotator_names)
    return _merge(BASE_DOCUMENT_FIELDS, [cls.fields for cls in classes])


def describe(field: pa.Field) -> str:
    """The human description declared on a field (empty when none)."""
    meta = field.metadata or {}
    return meta.get(b"description", b"").decode("utf-8")
