"""The declared Parquet schemas (the public contract, DESIGN.md §2).

Base columns are declared here; each annotator declares its own columns (``fields``) and the final
schemas are the base plus every registered annotator's fields, in registry order. The dataset card,
the Croissant file and ``validate`` are all generated from these schemas, never written by hand.
"""

from __future__ import annotations

from functools import cache

import pyarrow as pa

SCHEMA_VERSION = "1.0.0"
"""Major version changes break readers: ``load()`` refuses a dataset with a newer major version."""

EDIT_TYPE = pa.struct(
    [
        pa.field("op", pa.string()),
        pa.field("start", pa.int32()),
        pa.field("end", pa.int32()),
        pa.field("original", pa.string()),
    ]
)

BASE_SENTENCE_FIELDS = pa.schema(
    [
        pa.field(
            "doc_id",
            pa.string(),
            nullable=False,
            metadata={"description": "stable id of the document (sha256 of its normalised text, 16 hex)"},
        ),
        pa.field(
            "source",
            pa.string(),
            nullable=False,
            metadata={"description": "who published it (sources.csv; file stem if unknown)"},
        ),
        pa.field(
            "sentence_index",
            pa.int32(),
            nullable=False,
            metadata={"description": "0-based position of the sentence in the document"},
        ),
        pa.field(
            "block_type",
            pa.string(),
            nullable=False,
            metadata={"description": "title, lede, heading, paragraph, list_item or table_row"},
        ),
        pa.field(
            "section",
            pa.string(),
            metadata={
                "description": "heading of the section the sentence is in (null before the first heading)"
            },
        ),
        pa.field(
            "char_start",
            pa.int32(),
            nullable=False,
            metadata={"description": "start offset into documents.text"},
        ),
        pa.field(
            "char_end",
            pa.int32(),
            nullable=False,
            metadata={"description": "end offset (exclusive) into documents.text"},
        ),
        pa.field(
            "text",
            pa.string(),
            nullable=False,
            metadata={"description": "the sentence; equals documents.text[char_start:char_end]"},
        ),
    ]
)

BASE_DOCUMENT_FIELDS = pa.schema(
    [
        pa.field(
            "doc_id",
            pa.string(),
            nullable=False,
            metadata={"description": "stable id: first 16 hex of sha256 of the normalised text"},
        ),
        pa.field(
            "source",
            pa.string(),
            nullable=False,
            metadata={"description": "who published it (sources.csv; file stem if unknown)"},
        ),
        pa.field(
            "title",
            pa.string(),
            metadata={"description": "title of the article (reader field or detected title line)"},
        ),
        pa.field(
            "path",
            pa.string(),
            nullable=False,
            metadata={
                "description": "input file relative to the build input, with #line for JSONL/CSV records"
            },
        ),
        pa.field(
            "record_id", pa.string(), metadata={"description": "id field of a JSONL/CSV record, if any"}
        ),
        pa.field(
            "raw_sha256",
            pa.string(),
            nullable=False,
            metadata={
                "description": "sha256 of the raw record (bytes of a file, or the UTF-8 text of a JSONL/CSV record)"
            },
        ),
        pa.field(
            "raw_text",
            pa.string(),
            nullable=False,
            metadata={"description": "decoded text before normalisation"},
        ),
        pa.field(
            "text",
            pa.string(),
            nullable=False,
            metadata={"description": "normalised text; sentence offsets point into it"},
        ),
        pa.field(
            "normalisation_edits",
            pa.list_(EDIT_TYPE),
            nullable=False,
            metadata={
                "description": "each edit: text[start:end] replaced `original` of raw_text (applied left to right, raw_text is recoverable)"
            },
        ),
        pa.field(
            "encoding",
            pa.string(),
            nullable=False,
            metadata={"description": "encoding the raw bytes were decoded from"},
        ),
        pa.field(
            "warnings",
            pa.list_(pa.string()),
            nullable=False,
            metadata={"description": "reader/normaliser warnings for this document"},
        ),
        pa.field(
            "n_blocks", pa.int32(), nullable=False, metadata={"description": "number of structural blocks"}
        ),
        pa.field(
            "n_headings",
            pa.int32(),
            nullable=False,
            metadata={"description": "number of heading blocks (title excluded)"},
        ),
        pa.field(
            "n_list_items", pa.int32(), nullable=False, metadata={"description": "number of list items"}
        ),
        pa.field(
            "n_table_rows",
            pa.int32(),
            nullable=False,
            metadata={"description": "number of markdown table rows (rules excluded)"},
        ),
        pa.field("n_sentences", pa.int32(), nullable=False, metadata={"description": "number of sentences"}),
        pa.field(
            "n_words",
            pa.int32(),
            nullable=False,
            metadata={"description": "number of word tokens in the normalised text"},
        ),
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
