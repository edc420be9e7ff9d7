"""Incremental rebuilds: reuse the rows of documents that have not changed since the previous build.

A document is reused when the previous dataset in the output folder was built with the same schema,
package, pipeline (normalise, structure, segment) and annotator versions, lexicons and actor registry, and the article has the same raw text
checksum, source, record id and encoding (and, when the reader supplies a title, the same title). Its document row and sentence rows are read back (row group by row
group, so memory stays flat) instead of being annotated again; only its path is refreshed. The
corpus-wide columns are recomputed for every build, so they are stripped from reused rows
(``near_duplicate_of`` and the corpus-pass reasons).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus_tools.corpus_pass import sentence_signatures
from corpus_tools.pipeline import ProcessedDocument
from corpus_tools.readers import RawArticle

CORPUS_REASONS = frozenset({"repeated_across_documents", "near_duplicate"})
_COMPATIBILITY_KEYS = (
    "schema_version",
    "package_version",
    "pipeline_version",
    "annotators",
    "annotator_selection",
    "lexicons",
    "actors",
)

Key = tuple[str, str, str | None, str]


def article_key(article: RawArticle) -> Key:
    return (article.raw_sha256, article.source, article.record_id, article.encoding)


class _RowReader:
    """Random access to rows of a Parquet file, keeping the current row group as Python lists.

    Reads are mostly sequential (the new build visits documents in the previous order), so each row
    group is converted once and sliced many times; memory stays bounded by one row group.
    """

    def __init__(self, path: Path) -> None:
        self._file = pq.ParquetFile(path)
        self._names = self._file.schema_arrow.names
        meta = self._file.metadata
        self._starts = []
        total = 0
        for group in range(meta.num_row_groups):
            self._starts.append(total)
            total += meta.row_group(group).num_rows
        self._ends = [*self._starts[1:], total]
        self._group: int | None = None
        self._columns: dict[str, list[Any]] = {}

    def rows(self, start: int, count: int) -> dict[str, list[Any]]:
        """Columns of rows ``[start, start + count)`` (may span row groups)."""
        out: dict[str, list[Any]] = {name: [] for name in self._names}
        position, remaining = start, count
        while remaining > 0:
            group = bisect_right(self._starts, position) - 1
            if group != self._group:
                self._group, self._columns = group, self._file.read_row_group(group).to_pydict()
            offset = position - self._starts[group]
            take = min(remaining, self._ends[group] - position)
            for name in self._names:
                out[name].extend(self._columns[name][offset : offset + take])
            position += take
            remaining -= take
        return out


class PreviousBuild:
    """Index of the previous dataset's documents by :func:`article_key`."""

    def __init__(self, directory: Path) -> None:
        self._documents = _RowReader(directory / "documents.parquet")
        self._sentences = _RowReader(directory / "sentences.parquet")
        keys = pq.read_table(
            directory / "documents.parquet",
            columns=["raw_sha256", "source", "record_id", "encoding", "n_sentences"],
        ).to_pydict()
        self._index: dict[Key, tuple[int, int, int]] = {}
        sentence_row = 0
        for row, (sha, source, record_id, encoding, n) in enumerate(
            zip(
                keys["raw_sha256"],
                keys["source"],
                keys["record_id"],
                keys["encoding"],
                keys["n_sentences"],
                strict=True,
            )
        ):
            self._index.setdefault((sha, source, record_id, encoding), (row, sentence_row, n))
            sentence_row += n
        self.hits = 0

    @classmethod
    def open(cls, directory: Path, metadata: dict[str, Any]) -> PreviousBuild | None:
        """The previous build in ``directory`` when it is compatible with ``metadata``, else None."""
        try:
            previous = json.loads((directory / "metadata.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        if any(previous.get(key) != metadata.get(key) for key in _COMPATIBILITY_KEYS):
            return None
        try:
            return cls(directory)
        except (OSError, pa.ArrowException, KeyError):
            return None

    def lookup(self, article: RawArticle) -> ProcessedDocument | None:
        found = self._index.get(article_key(article))
        if found is None:
            return None
        doc_row, sentence_start, n_sentences = found
        document = {name: values[0] for name, values in self._documents.rows(doc_row, 1).items()}
        if article.title is not None and article.title != document["title"]:
            return None  # a reader-supplied title changes the structure: annotate again
        document["path"] = article.path
        document["doc_id"] = str(document["doc_id"]).split("-")[0]  # duplicates are renumbered by the writer
        document["warnings"] = [w for w in document["warnings"] if not w.startswith("exact duplicate of")]
        sentences = self._sentences.rows(sentence_start, n_sentences)
        sentences.pop("near_duplicate_of", None)
        sentences["doc_id"] = [document["doc_id"]] * n_sentences
        if "boilerplate_reasons" in sentences:
            reasons = [
                [r for r in cell if r not in CORPUS_REASONS] for cell in sentences["boilerplate_reasons"]
            ]
            sentences["boilerplate_reasons"] = reasons
            sentences["is_boilerplate"] = [bool(r) for r in reasons]
        self.hits += 1
        return ProcessedDocument(document, sentences, sentence_signatures(sentences["text"]))
