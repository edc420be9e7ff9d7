"""Corpus-wide pass: sentences repeated across documents and near-duplicate sentences.

Runs after per-document annotation, with compact signatures only (never the texts), so memory stays
flat on large corpora:

1. ``sentence_signatures(texts)`` runs in the worker with the rest of a document's annotation and
   returns one small picklable :class:`Signature` per sentence (an 8-byte hash of the normalised
   sentence and a 128-byte MinHash sketch).
2. ``CorpusIndex.add(doc_id, source, signatures)`` is called in the main process, in the final
   (deterministic) document order; it appends the signatures to flat arrays (136 bytes per
   sentence), whose full blocks the builder spills to disk, so its memory does not grow with the corpus.
3. ``CorpusIndex.resolve()`` returns the updates for the affected sentences only:
   ``{(doc_id, sentence_index): SentenceUpdate}``. The writer applies them while streaming the
   sentences to their final file: the reasons are appended to ``boilerplate_reasons``,
   ``is_boilerplate`` becomes true and ``near_duplicate_of`` is set.

The rules (see :data:`NEAR_DUPLICATE_THRESHOLD`):

- a sentence is *normalised* by NFKC, case folding and keeping word characters only, so
  punctuation, quotes and spacing do not matter; sentences of fewer than :data:`MIN_WORDS`
  normalised words are ignored (short lines such as "Read more." are web chrome, handled by rules,
  and "He said no." repeating is not boilerplate);
- ``near_duplicate``: the sentence repeats exactly, or nearly (estimated Jaccard similarity of the
  character 5-gram sets of the normalised texts >= :data:`NEAR_DUPLICATE_THRESHOLD`), a sentence that
  comes *earlier in add() order*, in the same document or anywhere in the corpus. ``near_duplicate_of``
  points to that earlier sentence as ``doc_id:sentence_index``: the first exact occurrence for exact
  repeats, otherwise the earliest earlier sentence above the threshold. The first occurrence is never
  ``near_duplicate``.
- ``repeated_across_documents``: the same normalised sentence occurs in two or more documents of the
  same source (site template lines, recycled paragraphs). The copies in later documents get this
  reason (with ``near_duplicate`` and the pointer); when the sentence is in at least
  :data:`TEMPLATE_MIN_DOCUMENTS` documents of the source it is a template line and *every* occurrence
  gets the reason, the first one included (its ``near_duplicate_of`` stays null).

Near duplicates are found with MinHash (64 min-wise hashes, 16 bits kept of each) and banded LSH (16
bands of 4 hashes): a pair above the threshold becomes a candidate with probability >= 0.999 at
similarity 0.8 and about 0.95 at 0.6; every candidate is then checked against the threshold on the
sketches. Everything is deterministic (fixed hash seeds, ties broken by add() order).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from corpus_tools.normalise import non_ascii_characters
from corpus_tools.schema import column

VERSION = "1.0.0"

CORPUS_FIELDS = pa.schema(
    [
        column(
            "near_duplicate_of",
            pa.string(),
            "doc_id:sentence_index of the earlier sentence (same document or corpus, in row order) "
            "this one repeats exactly or nearly (MinHash Jaccard of character 5-grams >= 0.7); null otherwise",
        ),
    ]
)

MIN_WORDS = 6
"""Sentences with fewer normalised words take no part in the corpus pass."""

NEAR_DUPLICATE_THRESHOLD = 0.7
"""Minimum estimated Jaccard similarity of the character 5-gram sets of two normalised sentences."""

TEMPLATE_MIN_DOCUMENTS = 3
"""A normalised sentence found in this many documents of one source is a template line: all its
occurrences are ``repeated_across_documents``, the first one included. Below that (two documents),
only the later copies are flagged and the first occurrence stays content."""

COPY_MIN_FRACTION = 0.5
"""A document at least this share of whose sentences repeat sentences of one earlier document is a copy
of it (a re-edit, an update or a syndicated version): see :func:`copied_documents`."""

SHINGLE = 5
N_HASHES = 64
BANDS = 16
ROWS_PER_BAND = N_HASHES // BANDS
MAX_CANDIDATES = 64
"""At most this many earlier sentences of one LSH bucket are checked per sentence (bounds the cost)."""

_MASK32 = np.uint64(0xFFFFFFFF)
_RNG = np.random.default_rng(20240604)
_HASH_A = (_RNG.integers(1, 2**31, size=N_HASHES, dtype=np.uint64) * 2 + 1).astype(
    np.uint64
)  # odd multipliers
_HASH_B = _RNG.integers(0, 2**32, size=N_HASHES, dtype=np.uint64)
_HASH_A32 = _HASH_A.astype(np.uint32)
_HASH_B32 = _HASH_B.astype(np.uint32)
_SHINGLE_WEIGHTS = np.array([31**k for k in range(SHINGLE)], dtype=np.uint64)
_SHINGLE_WEIGHTS32 = _SHINGLE_WEIGHTS.astype(np.uint32)  # 31**4 < 2**32
_ALNUM_RUN = re.compile(r"[^\W_]+")
_TOKEN_OR_NUL = re.compile(r"[^\W_]+|\0")
_ASCII_FOLD_AND_SPACE = bytes(
    ord(chr(b).lower()) if chr(b).isalnum() or b == 0 else ord(" ") for b in range(128)
) + bytes(range(128, 256))
r"""bytes.translate table doing ``_canonical``'s work on ASCII text: letters lowered, NUL kept, every
other non-alphanumeric byte (what ``[^\W_]+`` does not match, "_" included) turned into a space."""
_MAX_REPLACED_SEPARATORS = 16
"""``_canonicals`` turns at most this many distinct non-ASCII separators into spaces by str.replace."""


@dataclass(frozen=True)
class Signature:
    """Compact fingerprint of one sentence (picklable; about 150 bytes)."""

    exact: int  # 64-bit hash of the normalised sentence; 0 when the sentence is too short to count
    minhash: bytes = b""  # N_HASHES little-endian uint16 min-wise hashes of its character 5-grams


_EMPTY = Signature(exact=0)


@dataclass(frozen=True)
class SentenceUpdate:
    reasons: tuple[str, ...]
    near_duplicate_of: str | None


def _canonical(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_ALNUM_RUN.findall(folded))  # = non-word characters and "_" as spaces, collapsed


def _canonicals(texts: Sequence[str]) -> list[bytes]:
    """``_canonical`` of every text as UTF-8 (what the hashes take), with one NFKC/case-fold/tokenising
    pass over the whole document; the fast path tokenises bytes, so this skips a decode and re-encode.

    The texts are joined with NUL, which NFKC and case folding leave alone and never combine with a
    neighbour, and which the tokeniser keeps as a separator of its own; texts containing NUL fall
    back to one call per text.

    Tokenising is a bytes.translate plus split rather than the ``[^\\W_]+`` regex (~5x cheaper on
    ASCII documents, ~1.6x on the others):

    * ASCII documents (most of them) skip NFKC, the identity on ASCII (no ASCII character
      decomposes or composes); the table lowers letters, which is what case folding does on ASCII.
    * Otherwise the few distinct non-ASCII non-alphanumeric characters (curly quotes, dashes, ...)
      are first replaced by spaces. Every non-ASCII character left is then alphanumeric, i.e. part
      of a token, and its UTF-8 bytes (all >= 0x80) are kept by the table and never split on.
      Documents with many distinct such characters use the regex (one replace per character).

    The table turns every ASCII character the regex does not match ("_" included) into a space, and
    ``str.isalnum`` is the regex's test for non-ASCII characters, so the tokens are the same.
    """
    joined = "\0".join(texts)
    if joined.count("\0") != len(texts) - 1:
        return [_canonical(t).encode("utf-8") for t in texts]
    if joined.isascii():
        folded = joined
    else:
        folded = unicodedata.normalize("NFKC", joined).casefold()
        separators = [c for c in non_ascii_characters(folded) if not c.isalnum()]
        if len(separators) > _MAX_REPLACED_SEPARATORS:
            tokens = _TOKEN_OR_NUL.findall(folded)
            return [part.strip(" ").encode("utf-8") for part in " ".join(tokens).split("\0")]
        for separator in separators:
            folded = folded.replace(separator, " ")
    spaced = folded.encode("utf-8").translate(_ASCII_FOLD_AND_SPACE)
    collapsed = b" ".join(spaced.split())  # NUL is not whitespace: it stays, with at most a space around
    return [part.strip(b" ") for part in collapsed.split(b"\0")]


def _minhashes_slow(canonicals: list[bytes]) -> np.ndarray:
    """The reference implementation of :func:`_minhashes` (also used when a text has < SHINGLE bytes)."""
    if not canonicals:
        return np.zeros((0, N_HASHES), dtype=np.uint16)
    starts: list[int] = []
    pos = 0
    buffer = bytearray()
    for canon in canonicals:
        starts.append(pos)
        buffer.extend(canon)
        pos += len(canon)
    data = np.frombuffer(bytes(buffer), dtype=np.uint8).astype(np.uint64)
    n_windows = len(data) - SHINGLE + 1
    window = np.zeros(max(n_windows, 0), dtype=np.uint64)
    for k in range(SHINGLE):
        window += data[k : k + n_windows] * _SHINGLE_WEIGHTS[k]
    window &= _MASK32
    # keep windows that lie inside one text
    bounds = np.array([*starts, pos], dtype=np.int64)
    owner = np.searchsorted(bounds, np.arange(n_windows), side="right") - 1
    inside = np.arange(n_windows) + SHINGLE <= bounds[owner + 1]
    window = window[inside]
    owner = owner[inside]
    first = np.searchsorted(owner, np.arange(len(canonicals)))
    # (a * x + b) mod 2**32 with odd a: a permutation of the 32-bit space (uint32 arithmetic wraps)
    hashed = (window.astype(np.uint32)[:, None] * _HASH_A32[None, :] + _HASH_B32[None, :]) >> np.uint32(16)
    values = np.minimum.reduceat(hashed, first, axis=0).astype(np.uint16)
    return values


def _minhashes(canonicals: list[bytes]) -> np.ndarray:
    """(len(canonicals), N_HASHES) uint16 MinHash sketches of the byte 5-grams of each text.

    Shingle value: sum(byte[i + k] * 31**k) mod 2**32; hash j: (a_j * value + b_j) mod 2**32, of which
    the high 16 bits are kept. Computed in uint32 (wrapping arithmetic is the mod), as a
    (N_HASHES, windows) array, and the shift is applied after the minimum (it is monotonic).
    """
    lengths = np.fromiter(map(len, canonicals), dtype=np.int64, count=len(canonicals))
    if not canonicals or int(lengths.min()) < SHINGLE:
        return _minhashes_slow(canonicals)
    data = np.frombuffer(b"".join(canonicals), dtype=np.uint8).astype(np.uint32)
    n_windows = len(data) - SHINGLE + 1
    window = data[:n_windows].copy()
    for k in range(1, SHINGLE):
        window += data[k : k + n_windows] * _SHINGLE_WEIGHTS32[k]
    if len(canonicals) > 1:  # drop the windows that cross into the next text (the last SHINGLE-1 starts)
        keep = np.ones(n_windows, dtype=bool)
        ends = np.cumsum(lengths[:-1])
        keep[(ends[:, None] - np.arange(1, SHINGLE)).ravel()] = False
        window = window[keep]
    per_text = lengths - (SHINGLE - 1)
    first = np.concatenate(([0], np.cumsum(per_text[:-1])))
    hashed = np.multiply.outer(_HASH_A32, window)
    hashed += _HASH_B32[:, None]
    values = np.minimum.reduceat(hashed, first, axis=1) >> np.uint32(16)
    return np.ascontiguousarray(values.T, dtype=np.uint16)


def sentence_signatures(texts: Sequence[str]) -> list[Signature]:
    """One signature per sentence, in order (vectorised over the whole document)."""
    canon_texts = _canonicals([t or "" for t in texts])
    eligible = [i for i, c in enumerate(canon_texts) if c and c.count(b" ") + 1 >= MIN_WORDS]
    encoded = [canon_texts[i] for i in eligible]
    sketch_bytes = _minhashes(encoded).astype("<u2", copy=False).tobytes()
    width = 2 * N_HASHES
    out = [_EMPTY] * len(texts)
    blake2b = hashlib.blake2b
    from_bytes = int.from_bytes
    # Signature(exact, minhash) positionally: keywords make the frozen dataclass __init__ ~30 % slower
    for i, canon, start in zip(eligible, encoded, range(0, len(sketch_bytes), width), strict=True):
        exact = from_bytes(blake2b(canon, digest_size=8).digest(), "big") or 1
        out[i] = Signature(exact, sketch_bytes[start : start + width])
    return out


SIGNATURE_SCHEMA = pa.schema(
    [
        pa.field("exact", pa.uint64(), nullable=False),
        pa.field("minhash", pa.binary(2 * N_HASHES), nullable=False),
    ]
)
"""One row per sentence, row-aligned with ``sentences.parquet`` (``exact`` 0: the sentence takes no part)."""

REPEATED = 1
NEAR_DUPLICATE = 2
_NO_SKETCH = bytes(2 * N_HASHES)


@dataclass(frozen=True)
class RowUpdates:
    """The corpus pass's verdicts by global sentence row (the order sentences were added)."""

    rows: np.ndarray  # int64, ascending
    flags: np.ndarray  # uint8: REPEATED | NEAR_DUPLICATE
    pointers: list[str | None]  # near_duplicate_of of each row in ``rows``

    def reasons(self, k: int) -> tuple[str, ...]:
        flag = int(self.flags[k])
        return tuple(
            name
            for bit, name in ((REPEATED, "repeated_across_documents"), (NEAR_DUPLICATE, "near_duplicate"))
            if flag & bit
        )


def signature_arrays(signatures: Sequence[Signature]) -> tuple[np.ndarray, np.ndarray]:
    """(exact uint64, sketches (n, N_HASHES) uint16) of a document's signatures; unusable ones get exact 0."""
    exact = np.fromiter(
        (s.exact if s.exact and len(s.minhash) == 2 * N_HASHES else 0 for s in signatures),
        dtype=np.uint64,
        count=len(signatures),
    )
    joined = b"".join(s.minhash if e else _NO_SKETCH for s, e in zip(signatures, exact, strict=True))
    return exact, np.frombuffer(joined, dtype="<u2").reshape(len(signatures), N_HASHES)


def _candidate_pairs(sketches: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(earlier, later) positions sharing an LSH bucket, ``later`` at most MAX_CANDIDATES members after.

    A band key is the band's ROWS_PER_BAND uint16 hashes read as one little-endian uint64.
    """
    import pandas as pd  # here, not at module level: workers import this module for signatures only

    keys = np.ascontiguousarray(sketches, dtype="<u2").view("<u8").reshape(len(sketches), BANDS)
    members: list[np.ndarray] = []
    buckets: list[np.ndarray] = []
    next_bucket = 0
    for band in range(BANDS):
        key = keys[:, band]
        shared = np.flatnonzero(pd.Series(key).duplicated(keep=False).to_numpy())
        order = shared[np.argsort(key[shared], kind="stable")]  # stable: ascending position in a bucket
        if len(order) == 0:
            continue
        sorted_keys = key[order]
        new = np.ones(len(order), dtype=bool)
        new[1:] = sorted_keys[1:] != sorted_keys[:-1]
        bucket = np.cumsum(new) - 1 + next_bucket
        next_bucket = int(bucket[-1]) + 1
        members.append(order)
        buckets.append(bucket)
    if not members:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    member = np.concatenate(members)
    bucket = np.concatenate(buckets)
    earlier: list[np.ndarray] = []
    later: list[np.ndarray] = []
    for distance in range(1, MAX_CANDIDATES + 1):
        same = bucket[distance:] == bucket[:-distance]
        if not same.any():
            break
        earlier.append(member[:-distance][same])
        later.append(member[distance:][same])
    if not earlier:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(earlier), np.concatenate(later)


def _repeated_across_documents(
    group: np.ndarray, source: np.ndarray, doc: np.ndarray, n_sources: int
) -> np.ndarray:
    """Rows whose (normalised sentence, source) occurs in two or more documents (see module doc)."""
    order = np.lexsort((doc, source, group))  # by group, then source, then document (rows in order)
    key = group[order].astype(np.int64) * (n_sources + 1) + source[order]
    docs = doc[order]
    new_run = np.ones(len(order), dtype=bool)
    new_run[1:] = key[1:] != key[:-1]
    new_doc = new_run.copy()
    new_doc[1:] |= docs[1:] != docs[:-1]
    run = np.cumsum(new_run) - 1
    n_docs = np.bincount(run, weights=new_doc)[run]
    first_doc = docs[np.flatnonzero(new_run)][run]
    flagged = (n_docs >= TEMPLATE_MIN_DOCUMENTS) | ((n_docs >= 2) & (docs != first_doc))
    repeated = np.zeros(len(order), dtype=bool)
    repeated[order[flagged]] = True
    return repeated


INDEX_BLOCK_ROWS = 65_536
"""Rows per block of the corpus index (~8.9 MB: 8 + 2 * N_HASHES bytes a row)."""


@dataclass
class CorpusIndex:
    """Accumulates the signatures of every sentence in row order and decides which repeat earlier ones.

    Rows are copied into blocks of :data:`INDEX_BLOCK_ROWS` (a rebuild adds a reused document's stored
    signatures with :meth:`add_arrays`, without a Python object per sentence). Large blocks instead of
    two small arrays per document: tens of thousands of small arrays stay resident in a fragmented
    heap, where freed large blocks go back to the operating system, and the pass reads the blocks as
    they are, without a concatenated copy of the whole index.

    With ``spill_dir`` every full block is written there and dropped from memory, so the index holds
    one block however long the corpus (it grew by ~136 bytes a sentence while the workers were still
    running, the build's memory peak); the pass maps the blocks back once the annotation is done.
    """

    threshold: float = NEAR_DUPLICATE_THRESHOLD
    _doc_ids: list[str] = field(default_factory=list)
    _doc_sources: list[int] = field(default_factory=list)
    _sources: dict[str, int] = field(default_factory=dict)
    _counts: list[int] = field(default_factory=list)
    _exact: list[np.ndarray] = field(default_factory=list)  # blocks of INDEX_BLOCK_ROWS rows
    _sketches: list[np.ndarray] = field(default_factory=list)
    _filled: int = 0  # rows used in the last block
    spill_dir: Path | None = None
    _spilled: list[Path] = field(default_factory=list)  # files of the blocks no longer in memory

    def add(self, doc_id: str, source: str, signatures: Sequence[Signature]) -> None:
        self.add_arrays(doc_id, source, *signature_arrays(signatures))

    def add_arrays(self, doc_id: str, source: str, exact: np.ndarray, sketches: np.ndarray) -> None:
        """Add one document's sentences: ``exact`` (n,) uint64 and ``sketches`` (n, N_HASHES) uint16."""
        self._doc_ids.append(doc_id)
        self._doc_sources.append(self._sources.setdefault(source, len(self._sources)))
        self._counts.append(len(exact))
        done = 0
        while done < len(exact):
            if not self._exact or self._filled == INDEX_BLOCK_ROWS:
                self._spill_full_block()
                self._exact.append(np.empty(INDEX_BLOCK_ROWS, dtype=np.uint64))
                self._sketches.append(np.empty((INDEX_BLOCK_ROWS, N_HASHES), dtype=np.uint16))
                self._filled = 0
            take = min(len(exact) - done, INDEX_BLOCK_ROWS - self._filled)
            self._exact[-1][self._filled : self._filled + take] = exact[done : done + take]
            self._sketches[-1][self._filled : self._filled + take] = sketches[done : done + take]
            self._filled += take
            done += take

    def _spill_full_block(self) -> None:
        """Write the last (full) block to ``spill_dir`` and keep it only as a read-only memory map."""
        if self.spill_dir is None or not self._exact or isinstance(self._exact[-1], np.memmap):
            return
        self.spill_dir.mkdir(parents=True, exist_ok=True)
        for blocks, kind in ((self._exact, "exact"), (self._sketches, "sketches")):
            path = self.spill_dir / f"block-{len(blocks) - 1:06d}.{kind}.npy"
            np.save(path, blocks[-1])
            self._spilled.append(path)
            blocks[-1] = np.load(path, mmap_mode="r")

    def release_signatures(self) -> None:
        """Drop the stored rows (after :meth:`resolve_rows` and :meth:`signature_table`): frees the
        index's memory, and its spilled blocks, before the rest of the build."""
        self._exact, self._sketches, self._filled = [], [], 0
        for path in self._spilled:
            path.unlink(missing_ok=True)
        self._spilled = []
        if self.spill_dir is not None and self.spill_dir.is_dir() and not any(self.spill_dir.iterdir()):
            self.spill_dir.rmdir()

    def _blocks(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(exact, sketches) of every block in row order, the last one cut to its filled rows."""
        blocks = list(zip(self._exact, self._sketches, strict=True))
        if blocks:
            exact, sketches = blocks[-1]
            blocks[-1] = (exact[: self._filled], sketches[: self._filled])
        return blocks

    def __len__(self) -> int:
        """Number of sentences that take part in the pass."""
        return sum(int(np.count_nonzero(exact)) for exact, _ in self._blocks())

    def signature_table(self) -> pa.Table:
        """Every added sentence's signature, in row order (:data:`SIGNATURE_SCHEMA`), to store with the
        build: one record batch per block, sharing the blocks' memory."""
        batches = [
            pa.record_batch(
                [
                    pa.array(exact, pa.uint64()),
                    pa.FixedSizeBinaryArray.from_buffers(
                        pa.binary(2 * N_HASHES),
                        len(exact),
                        [None, pa.py_buffer(np.ascontiguousarray(sketches))],
                    ),
                ],
                schema=SIGNATURE_SCHEMA,
            )
            for exact, sketches in self._blocks()
        ]
        return pa.Table.from_batches(batches, schema=SIGNATURE_SCHEMA)

    def resolve(self) -> dict[tuple[str, int], SentenceUpdate]:
        """The updates keyed by (doc_id, sentence_index)."""
        result = self.resolve_rows()
        counts = np.asarray(self._counts, dtype=np.int64)
        doc = np.repeat(np.arange(len(counts)), counts)
        first = np.concatenate(([0], np.cumsum(counts)[:-1])) if len(counts) else counts
        return {
            (self._doc_ids[doc[row]], int(row - first[doc[row]])): SentenceUpdate(result.reasons(k), pointer)
            for k, (row, pointer) in enumerate(zip(result.rows.tolist(), result.pointers, strict=True))
        }

    def resolve_rows(self) -> RowUpdates:
        """The updates keyed by global sentence row (see :class:`RowUpdates`)."""
        blocks = self._blocks()
        all_exact = np.concatenate([e for e, _ in blocks]) if blocks else np.zeros(0, dtype=np.uint64)
        counts = np.asarray(self._counts, dtype=np.int64)
        all_doc = np.repeat(np.arange(len(counts), dtype=np.uint32), counts)
        eligible = np.flatnonzero(all_exact)
        n = len(eligible)
        if n == 0:
            return RowUpdates(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint8), [])
        exact = all_exact[eligible]
        doc = all_doc[eligible]
        source = np.asarray(self._doc_sources, dtype=np.uint32)[doc]
        sketches = np.concatenate([sk[e != 0] for e, sk in blocks])  # = the eligible rows, in order

        # exact repeats: first occurrence of each normalised sentence
        _unique, first_row, group = np.unique(exact, return_index=True, return_inverse=True)
        first_of = first_row[group]
        target = np.full(n, -1, dtype=np.int64)
        repeats = np.flatnonzero(first_of != np.arange(n))
        target[repeats] = first_of[repeats]

        # repeated across documents of one source: (hash, source) groups spanning >= 2 documents; the
        # first occurrence too when the line is a template (>= TEMPLATE_MIN_DOCUMENTS documents)
        repeated = _repeated_across_documents(group, source, doc, len(self._sources))

        # near duplicates among first occurrences, via banded LSH on the sketches: the earliest
        # candidate (an earlier sentence within MAX_CANDIDATES places in one of its buckets) that passes
        representatives = np.sort(first_row)
        earlier, later = _candidate_pairs(sketches[representatives])
        earlier, later = representatives[earlier], representatives[later]
        similar = np.count_nonzero(sketches[earlier] == sketches[later], axis=1) / N_HASHES >= self.threshold
        earlier, later = earlier[similar], later[similar]
        order = np.lexsort((earlier, later))
        earlier, later = earlier[order], later[order]
        first = np.ones(len(later), dtype=bool)
        first[1:] = later[1:] != later[:-1]
        best_earlier, best_later = earlier[first], later[first]
        unset = target[best_later] < 0  # an exact repeat keeps its pointer to the first occurrence
        target[best_later[unset]] = best_earlier[unset]

        flagged = np.flatnonzero(repeated | (target >= 0))
        flags = np.where(repeated[flagged], REPEATED, 0) | np.where(target[flagged] >= 0, NEAR_DUPLICATE, 0)
        counts_start = np.concatenate(([0], np.cumsum(counts)[:-1]))
        global_rows = eligible[flagged].astype(np.int64)
        pointers: list[str | None] = []
        for t in target[flagged].tolist():
            if t < 0:
                pointers.append(None)
                continue
            row = int(eligible[t])
            d = int(all_doc[row])
            pointers.append(f"{self._doc_ids[d]}:{row - int(counts_start[d])}")
        return RowUpdates(global_rows, flags.astype(np.uint8), pointers)


@dataclass(frozen=True)
class DocumentCopy:
    """A document most of whose sentences repeat one earlier document."""

    doc_id: str
    copy_of: str  # the earlier document it repeats most
    fraction: float  # share of this document's sentences whose near_duplicate_of points into copy_of


def copied_documents(
    pointers: Iterable[tuple[str, str | None]],
    sentence_counts: Mapping[str, int],
    min_fraction: float = COPY_MIN_FRACTION,
) -> list[DocumentCopy]:
    """Documents that copy an earlier document, from the sentences' ``near_duplicate_of`` pointers.

    ``pointers`` holds ``(doc_id, near_duplicate_of)`` of sentences (others may be included with None);
    ``sentence_counts`` the number of sentences of every document. Sentence flags say *which* text
    repeats; this says *which documents* are re-edits or syndicated copies, so an analysis can keep one
    version of each story instead of the novel remainder of every version. Ties go to the document
    pointed to first; the result is in the order of ``pointers``.
    """
    shared: dict[str, Counter[str]] = {}
    for doc_id, pointer in pointers:
        if not pointer:
            continue
        target = pointer.rsplit(":", 1)[0]
        if target != doc_id:
            shared.setdefault(doc_id, Counter())[target] += 1
    copies = []
    for doc_id, targets in shared.items():
        target = max(targets, key=targets.__getitem__)  # first maximum in insertion order
        fraction = targets[target] / max(sentence_counts.get(doc_id, 0), 1)
        if fraction >= min_fraction:
            copies.append(DocumentCopy(doc_id, target, round(fraction, 4)))
    return copies


__all__ = [
    "COPY_MIN_FRACTION",
    "CORPUS_FIELDS",
    "MIN_WORDS",
    "NEAR_DUPLICATE",
    "NEAR_DUPLICATE_THRESHOLD",
    "REPEATED",
    "SIGNATURE_SCHEMA",
    "TEMPLATE_MIN_DOCUMENTS",
    "CorpusIndex",
    "DocumentCopy",
    "RowUpdates",
    "SentenceUpdate",
    "Signature",
    "copied_documents",
    "sentence_signatures",
]
