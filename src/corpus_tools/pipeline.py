"""The pipeline: raw article -> normalised text -> blocks -> sentences -> annotations.

:func:`process_article` is the per-document unit of work (pure: same input, same output), run in
the main process (``jobs=1``), in worker processes (``jobs>1``) or on a Dask cluster. Everything
that needs the whole corpus (repeated and near-duplicate sentences) happens afterwards in the
writer, from compact signatures (:mod:`corpus_tools.corpus_pass`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from corpus_tools.annotators import ANNOTATION_LOCK, AnnotatorOptions, AnnotatorSet
from corpus_tools.annotators.base import DocumentView, SentenceBatch
from corpus_tools.annotators.boilerplate import is_page_furniture
from corpus_tools.corpus_pass import CorpusIndex, Signature, sentence_signatures, signature_arrays
from corpus_tools.normalise import Normalised, normalise
from corpus_tools.readers import LONE_SURROGATE, RawArticle
from corpus_tools.segment import split_sentences
from corpus_tools.structure import Block, find_title, parse_blocks

if TYPE_CHECKING:  # pandas is imported by annotate_text only: worker processes never need it (~0.16 s each)
    import pandas as pd

PIPELINE_VERSION = "1.1.1"
"""Version of normalise + structure + segment: bump when they change what a document becomes
(it is recorded in the provenance and keys incremental rebuilds, like the annotator versions)."""

D = TypeVar("D", bound="ProcessedDocument")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class ProcessedDocument:
    """One annotated document: its documents row, its sentence columns and corpus signatures."""

    document: dict[str, Any]
    sentences: dict[str, list[Any]]
    signatures: list[Signature]

    @property
    def doc_id(self) -> str:
        return str(self.document["doc_id"])

    def with_doc_id(self: D, doc_id: str, duplicate_note: str | None = None) -> D:
        """The same document under another id (an exact duplicate of an earlier document's text); also
        for the subclasses whose rows are held elsewhere (their ``sentences`` are empty)."""
        document = dict(self.document, doc_id=doc_id)
        if duplicate_note:
            document["warnings"] = [*document["warnings"], duplicate_note]
        if not self.sentences:
            return dataclasses.replace(self, document=document)
        sentences = dict(self.sentences, doc_id=[doc_id] * len(self.sentences["doc_id"]))
        return dataclasses.replace(self, document=document, sentences=sentences)

    def signature_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The corpus signatures of the sentences as arrays (see :func:`corpus_pass.signature_arrays`)."""
        return signature_arrays(self.signatures)


def content_id(text: str) -> str:
    """Stable document id: first 16 hex digits of the sha256 of the normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def sentence_spans(text: str, blocks: Sequence[Block]) -> list[tuple[Block, int, int]]:
    """(block, start, end) of every sentence, in document order; table rows are split by cell."""
    out: list[tuple[Block, int, int]] = []
    for block in blocks:
        if block.block_type == "table_row":
            for cell_start, cell_end in block.cells:
                out.extend((block, s, e) for s, e in split_sentences(text, cell_start, cell_end))
        else:
            out.extend((block, s, e) for s, e in split_sentences(text, block.content_start, block.content_stop))
    return out


def _base_columns(
    doc_id: str, source: str, norm: Normalised, blocks: Sequence[Block]
) -> tuple[dict[str, list[Any]], SentenceBatch]:
    text = norm.text
    spans = sentence_spans(text, blocks)
    texts = [text[s:e] for _, s, e in spans]
    n = len(spans)
    columns: dict[str, list[Any]] = {
        "doc_id": [doc_id] * n,
        "source": [source] * n,
        "sentence_index": list(range(n)),
        "block_type": [b.block_type for b, _, _ in spans],
        "section": [b.section for b, _, _ in spans],
        "char_start": [s for _, s, _ in spans],
        "char_end": [e for _, _, e in spans],
        "text": texts,
    }
    batch = SentenceBatch(
        texts=texts,
        doc_ids=columns["doc_id"],
        sources=columns["source"],
        sentence_indices=columns["sentence_index"],
        block_types=columns["block_type"],
        sections=columns["section"],
        block_indices=[b.index for b, _, _ in spans],
        edit_ops=norm.ops_in_spans([(s, e) for _, s, e in spans]),
    )
    return columns, batch


def process_article(article: RawArticle, annotators: AnnotatorSet) -> ProcessedDocument:
    """Normalise, structure, segment and annotate one article."""
    return process_articles([article], annotators)[0]


@dataclass(frozen=True)
class _Prepared:
    """An article normalised, split into blocks and sentences, not yet annotated."""

    article: RawArticle
    norm: Normalised
    blocks: list[Block]
    doc_id: str
    columns: dict[str, list[Any]]
    batch: SentenceBatch


def _prepare(article: RawArticle) -> _Prepared:
    norm = normalise(article.raw_text)
    blocks = parse_blocks(norm.text, title=article.title, is_chrome=is_page_furniture)
    doc_id = content_id(norm.text)
    columns, batch = _base_columns(doc_id, article.source, norm, blocks)
    return _Prepared(article, norm, blocks, doc_id, columns, batch)


def process_articles(articles: Sequence[RawArticle], annotators: AnnotatorSet) -> list[ProcessedDocument]:
    """:func:`process_article` for each article (the same documents): each annotator runs over all the
    articles in turn rather than all annotators over each article, which keeps its tables in the CPU
    caches. Holds :data:`~corpus_tools.annotators.ANNOTATION_LOCK` (one chunk at a time per process)."""
    with ANNOTATION_LOCK:
        prepared = [_prepare(article) for article in articles]
        annotated = annotators.annotate_sentence_batches([p.batch for p in prepared])
        views = []
        for p, sentence_columns in zip(prepared, annotated, strict=True):
            p.columns.update(sentence_columns)
            title = p.article.title or find_title(p.norm.text, p.blocks)
            views.append(
                DocumentView(
                    doc_id=p.doc_id,
                    source=p.article.source,
                    title=title,
                    text=p.norm.text,
                    blocks=p.blocks,
                    sentences=p.columns,
                )
            )
        document_values = annotators.annotate_documents(views)
        return [
            _finish(p, view, values) for p, view, values in zip(prepared, views, document_values, strict=True)
        ]


def title_source(reader_title: str | None, title: str | None) -> str | None:
    """'reader' when the input named the title, 'text' when it was found in the text, else None."""
    if reader_title:
        return "reader"
    return "text" if title else None


def _finish(p: _Prepared, view: DocumentView, values: dict[str, Any]) -> ProcessedDocument:
    article, norm, blocks = p.article, p.norm, p.blocks
    counts = {
        kind: sum(1 for b in blocks if b.block_type == kind) for kind in ("heading", "list_item", "table_row")
    }
    document: dict[str, Any] = {
        "doc_id": p.doc_id,
        "source": article.source,
        "title": view.title,
        "title_source": title_source(article.title, view.title),
        "path": article.path,
        "record_id": article.record_id,
        "raw_sha256": article.raw_sha256,
        "raw_text": article.raw_text,
        "text": norm.text,
        "normalisation_edits": [edit.as_dict() for edit in norm.edits],
        "encoding": article.encoding,
        "warnings": list(article.warnings),
        "n_blocks": len(blocks),
        "n_headings": counts["heading"],
        "n_list_items": counts["list_item"],
        "n_table_rows": counts["table_row"],
        "n_sentences": len(p.batch),
        "n_words": len(_WORD.findall(norm.text)),
    }
    document.update(values)
    return ProcessedDocument(document, p.columns, sentence_signatures(p.columns["text"]))


def assign_unique_ids(documents: Iterable[ProcessedDocument]) -> Iterator[ProcessedDocument]:
    """Keep ids unique in input order: the k-th repeat of the same text gets ``<id>-k``."""
    seen: dict[str, int] = {}
    for doc in documents:
        count = seen.get(doc.doc_id, 0)
        seen[doc.doc_id] = count + 1
        if count == 0:
            yield doc
        else:
            yield doc.with_doc_id(
                f"{doc.doc_id}-{count + 1}", f"exact duplicate of the text of document {doc.doc_id}"
            )


def apply_corpus_pass(docs: Sequence[ProcessedDocument]) -> dict[tuple[str, int], Any]:
    """Corpus-wide updates for documents that are all in memory (annotate_text, tests)."""
    index = CorpusIndex()
    for doc in docs:
        index.add(doc.doc_id, str(doc.document["source"]), doc.signatures)
    return index.resolve()


def annotate_text(
    text: str,
    *,
    source: str = "inline",
    title: str | None = None,
    actors: str | Path | None = None,
    annotators: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per sentence of one article, with the same columns as ``sentences.parquet``.

    The quickest way to see what the pipeline does to a text::

        >>> from corpus_tools import annotate_text
        >>> annotate_text("NATO condemned the incursion. It may respond.")[["text", "is_hedged"]]
    """
    if not isinstance(text, str):
        raise TypeError(f"annotate_text expects a str, got {type(text).__name__}")
    surrogate = LONE_SURROGATE.search(text)
    if surrogate:
        raise ValueError(f"text has an unpaired surrogate at character {surrogate.start()} (invalid Unicode)")
    from corpus_tools.writer import sentences_frame

    annotator_set = AnnotatorSet.shared(annotators, AnnotatorOptions(actors=str(actors) if actors else None))
    article = RawArticle(
        path="inline",
        source=source,
        raw_text=text,
        raw_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        encoding="utf-8",
        title=title,
    )
    doc = process_article(article, annotator_set)
    return sentences_frame([doc], apply_corpus_pass([doc]), annotators)
