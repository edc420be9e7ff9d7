"""Corpus-wide pass: sentences repeated across documents and near-duplicate sentences.

Runs after per-document annotation, with compact signatures only (never all texts), so memory stays
flat on large corpora:

1. ``sentence_signatures(texts)`` runs in the worker with the rest of a document's annotation and
   returns one small picklable signature per sentence.
2. ``CorpusIndex.add(doc_id, source, signatures)`` is called in the main process, in the final
   (deterministic) document order.
3. ``CorpusIndex.resolve()`` returns the updates for the affected sentences only:
   ``{(doc_id, sentence_index): SentenceUpdate}``. The writer applies them while streaming the
   sentences to their final file: the reasons are appended to ``boilerplate_reasons``,
   ``is_boilerplate`` becomes true and ``near_duplicate_of`` is set.

"Earlier" means earlier in the dataset's row order, so the first occurrence is never flagged.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyarrow as pa

VERSION = "0.1.0"

CORPUS_FIELDS = pa.schema(
    [
        pa.field(
            "near_duplicate_of",
            pa.string(),
            metadata={"description": "doc_id:sentence_index of the earlier sentence this one (nearly) repeats"},
        ),
    ]
)

_MIN_WORDS = 6  # shorter sentences ("Read more.") are web chrome, not repetition


@dataclass(frozen=True)
class Signature:
    """Compact fingerprint of one sentence."""

    exact: int  # 64-bit hash of the normalised sentence; 0 when the sentence is too short to count


@dataclass(frozen=True)
class SentenceUpdate:
    reasons: tuple[str, ...]
    near_duplicate_of: str | None


def _canonical(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", folded))


def sentence_signatures(texts: Sequence[str]) -> list[Signature]:
    out = []
    for text in texts:
        canon = _canonical(text)
        if len(canon.split()) < _MIN_WORDS:
            out.append(Signature(exact=0))
            continue
        digest = hashlib.blake2b(canon.encode("utf-8"), digest_size=8).digest()
        out.append(Signature(exact=int.from_bytes(digest, "big") or 1))
    return out


@dataclass
class CorpusIndex:
    """Accumulates signatures in row order and decides which sentences repeat earlier ones."""

    _first_seen: dict[int, tuple[str, str, int]] = field(default_factory=dict)
    _updates: dict[tuple[str, int], SentenceUpdate] = field(default_factory=dict)

    def add(self, doc_id: str, source: str, signatures: Sequence[Signature]) -> None:
        for index, sig in enumerate(signatures):
            if not sig.exact:
                continue
            first = self._first_seen.get(sig.exact)
            if first is None:
                self._first_seen[sig.exact] = (doc_id, source, index)
                continue
            first_doc, _first_source, first_index = first
            reason = "near_duplicate" if first_doc == doc_id else "repeated_across_documents"
            self._updates[(doc_id, index)] = SentenceUpdate((reason,), f"{first_doc}:{first_index}")

    def resolve(self) -> dict[tuple[str, int], SentenceUpdate]:
        return dict(self._updates)
