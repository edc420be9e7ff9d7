"""The annotator contract: small, versioned, columnar taggers (after dolma's taggers).

A *sentence annotator* receives a :class:`SentenceBatch` (the sentences of one or more documents,
with their structural context) and returns its own columns, one value per sentence. A *document
annotator* receives a :class:`DocumentView` (one document, its blocks and its already annotated
sentences) and returns one value per column for that document.

Both declare their output columns as a ``pyarrow.Schema`` (``fields``) so the Parquet writer never
has to infer types, and a ``version`` that is bumped whenever rules or lexicons change (it is stored
in the dataset's provenance and keys incremental rebuilds).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

import pyarrow as pa

from corpus_tools.structure import Block


@dataclass(frozen=True)
class SentenceBatch:
    """Columnar view of sentences to annotate; every list has the same length."""

    texts: Sequence[str]
    doc_ids: Sequence[str]
    sources: Sequence[str]
    sentence_indices: Sequence[int]
    block_types: Sequence[str]
    sections: Sequence[str | None]
    # Index (into the document's block list) of the block each sentence belongs to; lets annotators
    # look at the whole block (e.g. a list item's text) without re-parsing.
    block_indices: Sequence[int] = ()
    # Normalisation edits that fell inside each sentence, by op name (see corpus_tools.normalise:
    # "space_after_punct" is a repaired "tensions,Lithuania"); the text itself is already repaired.
    edit_ops: Sequence[tuple[str, ...]] = ()

    def __len__(self) -> int:
        return len(self.texts)

    @classmethod
    def from_texts(cls, texts: Sequence[str], *, source: str = "inline") -> SentenceBatch:
        """A batch of free-standing paragraph sentences (tests, evaluation on benchmark data)."""
        n = len(texts)
        return cls(
            texts=list(texts),
            doc_ids=["inline"] * n,
            sources=[source] * n,
            sentence_indices=list(range(n)),
            block_types=["paragraph"] * n,
            sections=[None] * n,
            block_indices=list(range(n)),
            edit_ops=[()] * n,
        )


@dataclass(frozen=True)
class DocumentView:
    """One normalised document with its blocks and its annotated sentences (column -> values)."""

    doc_id: str
    source: str
    title: str | None
    text: str
    blocks: Sequence[Block]
    sentences: Mapping[str, Sequence[Any]] = field(default_factory=dict)

    @property
    def n_sentences(self) -> int:
        return len(self.sentences.get("text", ()))


@dataclass(frozen=True)
class AnnotatorOptions:
    """Options every annotator may read; kept picklable so worker processes can rebuild annotators.

    ``actors``: path of a user actor registry (JSON), or None for the packaged default.
    """

    actors: str | None = None


@runtime_checkable
class SentenceAnnotator(Protocol):
    """Adds per-sentence columns."""

    name: ClassVar[str]
    version: ClassVar[str]
    fields: ClassVar[pa.Schema]

    def __init__(self, options: AnnotatorOptions | None = None) -> None: ...

    def annotate(self, batch: SentenceBatch) -> dict[str, list[Any]]: ...


@runtime_checkable
class DocumentAnnotator(Protocol):
    """Adds per-document columns computed from a document and its annotated sentences."""

    name: ClassVar[str]
    version: ClassVar[str]
    fields: ClassVar[pa.Schema]

    def __init__(self, options: AnnotatorOptions | None = None) -> None: ...

    def annotate_document(self, doc: DocumentView) -> dict[str, Any]: ...


_NAMES: dict[int, tuple[pa.Schema, frozenset[str]]] = {}


def _names(fields: pa.Schema) -> frozenset[str]:
    """The column names of a schema, remembered per schema object (``Schema.names`` builds a list)."""
    hit = _NAMES.get(id(fields))
    if hit is None or hit[0] is not fields:
        hit = (fields, frozenset(fields.names))
        _NAMES[id(fields)] = hit
    return hit[1]


def check_columns(
    annotator_name: str, fields: pa.Schema, columns: Mapping[str, Sequence[Any]], n: int
) -> None:
    """Fail loudly when an annotator breaks its own contract (missing column or wrong length)."""
    expected = _names(fields)
    if len(columns) != len(expected) or not expected.issuperset(columns):
        got = set(columns)
        raise RuntimeError(
            f"annotator {annotator_name!r} returned columns {sorted(got)}, declared {sorted(expected)}"
        )
    for name, values in columns.items():
        if len(values) != n:
            raise RuntimeError(
                f"annotator {annotator_name!r} returned {len(values)} values for {name!r}, expected {n}"
            )


class CharacterMap:
    """A ``str.translate`` table that is applied only to texts holding one of its characters.

    ``str.translate`` with a dict table looks every character of the text up even when none is
    mapped; most sentences hold none of the mapped characters (typographic apostrophes), and a
    substring test per mapped character is much cheaper.
    """

    def __init__(self, mapping: dict[str, str]) -> None:
        self.table = str.maketrans(mapping)
        self.chars = tuple(mapping)

    def __call__(self, text: str) -> str:
        for char in self.chars:
            if char in text:
                return text.translate(self.table)
        return text
