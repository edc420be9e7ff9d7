"""Incremental rebuilds: reuse the rows of documents that have not changed since the previous build.

A document is reused when the previous dataset in the output folder was built with the same schema,
package, pipeline (normalise, structure, segment) and annotator versions, lexicons and actor
registry, its files still have the checksums recorded in its ``metadata.json``, and the article has
the same raw text checksum, source, record id and encoding (and, when the reader supplies a title,
the same title).

A reused document is never converted to Python rows: :meth:`PreviousBuild.lookup` returns a
:class:`ReusedDocument` that names its row ranges in the previous files, and the writer copies
those ranges as Arrow slices (refreshing ``doc_id``, ``path`` and ``warnings``, and recomputing the
corpus-wide columns, ``near_duplicate_of`` and the corpus-pass reasons, for every row). The corpus
pass gets the reused sentences' signatures from the previous build's
:data:`~corpus_tools.writer.SIGNATURES_FILE`, so no reused text is read or hashed again.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from bisect import bisect_right
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from corpus_tools.corpus_pass import N_HASHES, SIGNATURE_SCHEMA, sentence_signatures
from corpus_tools.pipeline import ProcessedDocument
from corpus_tools.readers import RawArticle
from corpus_tools.validate import sha256_file

SIGNATURES_FILE = "corpus_signatures.arrow"
"""Build cache stored with the dataset: the corpus-pass signature of every sentence, in row order."""

CORPUS_REASONS = frozenset({"repeated_across_documents", "near_duplicate"})
COMPATIBILITY_KEYS = (
    "schema_version",
    "package_version",
    "pipeline_version",
    "annotators",
    "annotator_selection",
    "lexicons",
    "actors",
)
"""Provenance keys that must match for a previous build to be reused (also what the BBC reference
records, so a test can tell when it is stale)."""

Key = tuple[str, str, str | None, str]
_KEY_COLUMNS = (
    "doc_id",
    "raw_sha256",
    "source",
    "record_id",
    "encoding",
    "n_sentences",
    "title",
    "title_source",
)
"""Columns of the previous documents table that index it (see :class:`PreviousBuild`)."""


def article_key(article: RawArticle) -> Key:
    return (article.raw_sha256, article.source, article.record_id, article.encoding)


@dataclasses.dataclass(frozen=True)
class ReusedDocument(ProcessedDocument):
    """A document taken from the previous build: row ranges there, plus its stored signatures.

    ``document`` holds only the fields that are refreshed (doc_id, source, path, title, warnings);
    ``sentences`` is empty; ``exact``/``sketches`` are None when the previous build stored no
    signatures (then ``signatures`` holds recomputed ones).
    """

    doc_row: int = 0
    sentence_start: int = 0
    n_sentences: int = 0
    exact: np.ndarray | None = None
    sketches: np.ndarray | None = None

    def signature_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        if self.exact is not None and self.sketches is not None:
            return self.exact, self.sketches
        return super().signature_arrays()


class ArrowRows:
    """Row ranges of a Parquet file as Arrow tables, keeping the current row group in memory.

    Reads are mostly sequential (the new build visits documents in the previous order), so each row
    group is read once; memory stays bounded by one row group (two while prefetching).

    After :meth:`start_prefetch` the next row group (the first, then the one after each row group
    taken) is decoded in a background thread. Decoding (zstd, Parquet) releases the GIL, so in an
    incremental rebuild it runs on another core while this thread sets up the annotators and reads
    the inputs.
    """

    def __init__(self, path: Path) -> None:
        self._file = pq.ParquetFile(path)
        meta = self._file.metadata
        self._starts: list[int] = []
        total = 0
        for group in range(meta.num_row_groups):
            self._starts.append(total)
            total += meta.row_group(group).num_rows
        self.num_rows = total
        self._group: int | None = None
        self._table: pa.Table | None = None
        self._prefetch = False
        self._ahead: _Prefetch | None = None

    def start_prefetch(self) -> None:
        self._prefetch = True
        self._read_ahead(0 if self._group is None else self._group + 1)

    def _read_ahead(self, group: int) -> None:
        if self._prefetch and self._ahead is None and group < len(self._starts):
            self._ahead = _Prefetch(self._file, group)

    def _read(self, group: int) -> pa.Table:
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            table = ahead.result()  # also when it is another group: never two reads of one file at once
            if ahead.group == group:
                return table
        return self._file.read_row_group(group)

    def slice(self, start: int, count: int) -> list[pa.Table]:
        """Rows ``[start, start + count)`` as one table per row group they span."""
        out = []
        position, end = start, start + count
        while position < end:
            group = bisect_right(self._starts, position) - 1
            if group != self._group or self._table is None:
                self._group, self._table = group, self._read(group)
                self._read_ahead(group + 1)
            offset = position - self._starts[group]
            take = min(end - position, self._table.num_rows - offset)
            out.append(self._table.slice(offset, take))
            position += take
        return out


class _Prefetch:
    """One row group being read in a daemon thread; ``result()`` waits for it (and re-raises)."""

    def __init__(self, file: pq.ParquetFile, group: int) -> None:
        self.group = group
        self._table: pa.Table | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(file,), name="corpus-prefetch", daemon=True)
        self._thread.start()

    def _run(self, file: pq.ParquetFile) -> None:
        try:
            self._table = file.read_row_group(self.group)
        except BaseException as err:  # handed to the reading thread
            self._error = err

    def result(self) -> pa.Table:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._table is not None
        return self._table


def read_signatures(path: Path, n_rows: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(exact, sketches) stored in ``path`` when it has the expected schema and ``n_rows`` rows."""
    try:
        with pa.OSFile(str(path)) as handle:
            table = pa.ipc.open_file(handle).read_all()
    except (OSError, pa.ArrowException):
        return None
    if table.schema != SIGNATURE_SCHEMA or table.num_rows != n_rows:
        return None
    table = table.combine_chunks()
    exact = table.column("exact").to_numpy()
    minhash = table.column("minhash").chunk(0) if n_rows else None
    if minhash is None:
        return exact, np.zeros((0, N_HASHES), dtype=np.uint16)
    data = np.frombuffer(minhash.buffers()[1], dtype="<u2")
    offset = minhash.offset * N_HASHES
    return exact, data[offset : offset + n_rows * N_HASHES].reshape(n_rows, N_HASHES)


class PreviousBuild:
    """Index of the previous dataset's documents by :func:`article_key`."""

    def __init__(self, directory: Path) -> None:
        # ParquetFile.read, not read_table: the latter imports pyarrow.dataset (~8 ms per process)
        keys = pq.ParquetFile(directory / "documents.parquet").read(columns=list(_KEY_COLUMNS)).to_pydict()
        self._doc_ids: list[str] = [str(d).split("-")[0] for d in keys["doc_id"]]
        self._titles: list[str | None] = keys["title"]
        self._title_sources: list[str | None] = keys["title_source"]
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
        self.sentences = ArrowRows(directory / "sentences.parquet")
        if sentence_row != self.sentences.num_rows:
            raise KeyError("n_sentences does not add up to the rows of sentences.parquet")
        self.documents = ArrowRows(directory / "documents.parquet")
        self._signatures = read_signatures(directory / SIGNATURES_FILE, sentence_row)
        self.hits = 0

    @classmethod
    def open(cls, directory: Path, metadata: dict[str, Any]) -> PreviousBuild | None:
        """The previous build in ``directory`` when it is compatible with ``metadata`` and intact, else None."""
        try:
            previous = json.loads((directory / "metadata.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):  # unreadable, not UTF-8 or not JSON: build everything
            return None
        if not isinstance(previous, dict) or not isinstance(previous.get("files", {}), dict):
            return None
        if any(previous.get(key) != metadata.get(key) for key in COMPATIBILITY_KEYS):
            return None
        files = previous.get("files", {})
        names = [
            name
            for name in ("documents.parquet", "sentences.parquet", SIGNATURES_FILE)
            if name in files and (directory / name).is_file()  # a missing cache is fine
        ]
        # the files are hashed in threads (hashlib releases the GIL) while the index is read
        with ThreadPoolExecutor(max_workers=max(1, len(names)), thread_name_prefix="corpus-sha") as pool:
            digests = {name: pool.submit(sha256_file, directory / name) for name in names}
            try:
                found = cls(directory)
                if any(digests[name].result() != files[name] for name in names):
                    return None  # edited after the build: do not copy its rows
            except (OSError, pa.ArrowException, KeyError):
                return None
        found.sentences.start_prefetch()
        found.documents.start_prefetch()
        return found

    def lookup(self, article: RawArticle) -> ProcessedDocument | None:
        found = self._index.get(article_key(article))
        if found is None:
            return None
        doc_row, sentence_start, n_sentences = found
        title = self._titles[doc_row]
        previous_reader_title = title if self._title_sources[doc_row] == "reader" else None
        if (article.title or None) != previous_reader_title:
            return None  # a reader-supplied title (or its absence) changes the structure: annotate again
        document = {
            "doc_id": self._doc_ids[doc_row],  # duplicates are renumbered by the builder
            "source": article.source,
            "path": article.path,
            "title": title,
            "title_source": self._title_sources[doc_row],
            "warnings": list(article.warnings),  # this build's reader warnings (offsets, paths)
        }
        self.hits += 1
        if self._signatures is None:
            texts = pa.concat_tables(self.sentences.slice(sentence_start, n_sentences)).column("text")
            return ReusedDocument(
                document, {}, sentence_signatures(texts.to_pylist()), doc_row, sentence_start, n_sentences
            )
        exact, sketches = self._signatures
        end = sentence_start + n_sentences
        return ReusedDocument(
            document,
            {},
            [],
            doc_row,
            sentence_start,
            n_sentences,
            exact[sentence_start:end],
            sketches[sentence_start:end],
        )
