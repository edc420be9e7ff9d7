"""Corpus-wide pass: sentences repeated across documents and near-duplicate sentences.

Runs after per-document annotation, with compact signatures only (never the texts), so memory stays
flat on large corpora:

1. ``sentence_signatures(texts)`` runs in the worker with the rest of a document's annotation and
   returns one small picklable :class:`Signature` per sentence (an 8-byte hash of the normalised
   sentence and a 128-byte MinHash sketch).
2. ``CorpusIndex.add(doc_id, source, signatures)`` is called in the main process, in the final
   (deterministic) document order; it appends the signatures to flat arrays (about 150 bytes per
   sentence).
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
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

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


def _canonicals(texts: Sequence[str]) -> list[str]:
    """``_canonical`` of every text, with one NFKC/case-fold/regex pass over the whole document.

    The texts are joined with NUL, which NFKC and case folding leave alone and never combine with a
    neighbour, and which the token pattern returns as a token of its own; texts containing NUL fall
    back to one call per text.
    """
    joined = "\0".join(texts)
    if joined.count("\0") != len(texts) - 1:
        return [_canonical(t) for t in texts]
    folded = unicodedata.normalize("NFKC", joined).casefold()
    return [part.strip(" ") for part in " ".join(_TOKEN_OR_NUL.findall(folded)).split("\0")]


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
    eligible = [i for i, c in enumerate(canon_texts) if c and c.count(" ") + 1 >= MIN_WORDS]
    encoded = [canon_texts[i].encode("utf-8") for i in eligible]
    sketch_bytes = _minhashes(encoded).astype("<u2", copy=False).tobytes()
    width = 2 * N_HASHES
    out = [_EMPTY] * len(texts)
    blake2b = hashlib.blake2b
    for row, i in enumerate(eligible):
        digest = blake2b(encoded[row], digest_size=8).digest()
        out[i] = Signature(
            exact=int.from_bytes(digest, "big") or 1,
            minhash=sketch_bytes[row * width : (row + 1) * width],
        )
    return out


def _runs(order: np.ndarray, sorted_keys: np.ndarray) -> list[np.ndarray]:
    """Members (from ``order``) of each run of equal ``sorted_keys`` with two or more members."""
    if len(order) < 2:
        return []
    new = np.empty(len(order), dtype=bool)
    new[0] = True
    new[1:] = sorted_keys[1:] != sorted_keys[:-1]
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], len(order))
    return [order[a:b] for a, b in zip(starts, ends, strict=True) if b - a > 1]


@dataclass
class CorpusIndex:
    """Accumulates signatures in row order and decides which sentences repeat earlier ones."""

    threshold: float = NEAR_DUPLICATE_THRESHOLD
    _doc_ids: list[str] = field(default_factory=list)
    _sources: dict[str, int] = field(default_factory=dict)
    _exact: array = field(default_factory=lambda: array("Q"))
    _doc: array = field(default_factory=lambda: array("I"))
    _sentence: array = field(default_factory=lambda: array("I"))
    _source: array = field(default_factory=lambda: array("I"))
    _sketches: bytearray = field(default_factory=bytearray)

    def add(self, doc_id: str, source: str, signatures: Sequence[Signature]) -> None:
        doc = len(self._doc_ids)
        self._doc_ids.append(doc_id)
        src = self._sources.setdefault(source, len(self._sources))
        for index, sig in enumerate(signatures):
            if not sig.exact or len(sig.minhash) != 2 * N_HASHES:
                continue
            self._exact.append(sig.exact)
            self._doc.append(doc)
            self._sentence.append(index)
            self._source.append(src)
            self._sketches.extend(sig.minhash)

    def __len__(self) -> int:
        return len(self._exact)

    def _pointer(self, row: int) -> str:
        return f"{self._doc_ids[self._doc[row]]}:{self._sentence[row]}"

    def resolve(self) -> dict[tuple[str, int], SentenceUpdate]:
        n = len(self._exact)
        if n == 0:
            return {}
        exact = np.frombuffer(self._exact, dtype=np.uint64).copy()
        doc = np.frombuffer(self._doc, dtype=np.uint32).copy()
        source = np.frombuffer(self._source, dtype=np.uint32).copy()
        sketches = np.frombuffer(bytes(self._sketches), dtype="<u2").reshape(n, N_HASHES)

        # exact repeats: first occurrence of each normalised sentence
        _unique, first_row, group = np.unique(exact, return_index=True, return_inverse=True)
        first_of = first_row[group]
        pointer: dict[int, int] = {int(r): int(first_of[r]) for r in np.nonzero(first_of != np.arange(n))[0]}

        # repeated across documents of one source: (hash, source) groups spanning >= 2 documents; the
        # first occurrence too when the line is a template (>= TEMPLATE_MIN_DOCUMENTS documents)
        repeated: set[int] = set()
        order = np.lexsort((doc, source, group))
        for members in _runs(order, group[order].astype(np.int64) * (len(self._sources) + 1) + source[order]):
            first_doc = doc[members[0]]  # members are in row order, so this is the earliest document
            n_docs = len(np.unique(doc[members]))
            if n_docs >= TEMPLATE_MIN_DOCUMENTS:
                repeated.update(int(r) for r in members)
            elif n_docs >= 2:
                repeated.update(int(r) for r in members if doc[r] != first_doc)

        # near duplicates among first occurrences, via banded LSH on the sketches
        representatives = np.sort(first_row)
        best: dict[int, int] = {}
        rep_sketches = sketches[representatives]
        for band in range(BANDS):
            cols = rep_sketches[:, band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND].astype(np.uint64)
            band_key = (
                cols[:, 0]
                | (cols[:, 1] << np.uint64(16))
                | (cols[:, 2] << np.uint64(32))
                | (cols[:, 3] << np.uint64(48))
            )
            order = np.argsort(band_key, kind="stable")  # stable: row order within a bucket
            for bucket in _runs(order, band_key[order]):
                rows = representatives[bucket]
                for j in range(1, len(rows)):
                    later = int(rows[j])
                    for earlier in rows[max(0, j - MAX_CANDIDATES) : j]:
                        earlier = int(earlier)
                        if earlier >= best.get(later, n):
                            break  # buckets are in row order: an earlier match is already known
                        if float(np.mean(sketches[earlier] == sketches[later])) >= self.threshold:
                            best[later] = earlier
                            break
        pointer.update({row: target for row, target in best.items() if row not in pointer})

        updates: dict[tuple[str, int], SentenceUpdate] = {}
        for row in sorted(set(pointer) | repeated):
            reasons = []
            if row in repeated:
                reasons.append("repeated_across_documents")
            target = pointer.get(row)
            if target is not None:
                reasons.append("near_duplicate")
            updates[(self._doc_ids[doc[row]], int(self._sentence[row]))] = SentenceUpdate(
                tuple(reasons), self._pointer(target) if target is not None else None
            )
        return updates


__all__ = [
    "CORPUS_FIELDS",
    "MIN_WORDS",
    "NEAR_DUPLICATE_THRESHOLD",
    "TEMPLATE_MIN_DOCUMENTS",
    "CorpusIndex",
    "SentenceUpdate",
    "Signature",
    "sentence_signatures",
]
