"""Text quality: spun ("tortured") phrases, LLM style, spacing errors and Gopher-style document signals.

Sentence level (:class:`QualityAnnotator`, column ``quality_flags``):

- ``tortured_phrase:<phrase>-><expected>``: a paraphrasing-tool artefact from
  ``data/tortured_phrases_news.tsv`` (a curated list for news and general text: "frequently enough" for
  "often", "a more secure surroundings", "counterfeit consciousness" for "artificial intelligence" ...);
- ``llm_style_word:<word>``: one of the *marker* words of Kobak et al. (2024)'s excess style vocabulary
  (``data/llm_style_words_kobak2024.tsv``: words such as "delve", "underscores", "showcasing"). Only
  the markers, i.e. the style words that are rare in human news (at most 2 occurrences in the 216k
  words of the XSum dev human side), are flagged per sentence: "within", "their" or "despite" are on
  Kobak's list too but mean nothing in a single sentence. The document score uses the full list;
- ``spacing_error``: the normaliser repaired broken punctuation spacing inside the sentence: a
  missing space after punctuation ("tensions,Lithuania"; ``edit_ops`` contains ``space_after_punct``)
  or a space before it ("Really ?"; ``space_before_punct``).

Document level (:class:`DocumentQualityAnnotator`, ``quality_*`` columns): the Gopher quality and
repetition signals (Rae et al. 2021, appendix A; as implemented by datatrove and TextDescriptives)
with every threshold in :class:`GopherConfig`, the tortured-phrase count, the share of boilerplate
sentences, and ``quality_llm_style_score``: the probability that the text is LLM-written from a small
logistic regression over measured style signals (Kobak style-word rate, word length, long-word rate,
attribution verbs, proper nouns, quotation marks, numbers, sentence-length variation) fitted on the
XSum dev split by ``scripts/tune_quality.py`` (``data/quality_llm_style_model.json``).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import compress, filterfalse, pairwise
from operator import itemgetter
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from corpus_tools.annotators.base import AnnotatorOptions, DocumentView, SentenceBatch
from corpus_tools.annotators.boilerplate import sentence_reasons, stopwords
from corpus_tools.lexicons import LazyPattern, load_lexicon, read_data_bytes
from corpus_tools.linear import standardized_logistic
from corpus_tools.normalise import non_ascii_characters
from corpus_tools.schema import column
from corpus_tools.segment import split_sentences

TORTURED_FILE = "tortured_phrases_news.tsv"
STYLE_WORDS_FILE = "llm_style_words_kobak2024.tsv"
STYLE_MODEL_FILE = "quality_llm_style_model.json"
STOPWORDS_FILE = "stopwords_en.txt"

_TOKEN = re.compile(r"[^\W_]+")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
_BODY_BLOCKS = frozenset({"lede", "paragraph", "list_item"})


def _round(value: float) -> float:
    return round(float(value), 4)


# ---------------------------------------------------------------------------------------------
# lexicons
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TorturedRules:
    by_trigger: dict[str, tuple[tuple[str, LazyPattern], ...]]
    triggers: frozenset[str]


@cache
def _tortured_rules() -> _TorturedRules:
    by_trigger: dict[str, list[tuple[str, LazyPattern]]] = {}
    for row in load_lexicon(TORTURED_FILE).rows:
        if len(row) < 4:
            raise ValueError(f"{TORTURED_FILE}: row {row!r} needs phrase, expected, pattern and triggers")
        phrase, expected, pattern, trigger_field = row[0], row[1], row[2], row[3]
        if pattern == "-":
            words = re.split(r"[\s-]+", phrase)
            pattern = r"\b" + r"[\s-]+".join(re.escape(w) for w in words) + r"\b"
        triggers = (
            [re.split(r"[\s-]+", phrase)[0].lower()]
            if trigger_field == "-"
            else [t.strip().lower() for t in trigger_field.split(",") if t.strip()]
        )
        compiled = LazyPattern(pattern, re.IGNORECASE)  # most never run in a small rebuild
        flag = f"tortured_phrase:{phrase}->{expected}"
        for trigger in triggers:
            by_trigger.setdefault(trigger, []).append((flag, compiled))
    return _TorturedRules(
        by_trigger={k: tuple(v) for k, v in by_trigger.items()},
        triggers=frozenset(by_trigger),
    )


@cache
def style_words() -> frozenset[str]:
    """All Kobak et al. (2024) excess *style* words (lower case)."""
    return frozenset(row[0].lower() for row in load_lexicon(STYLE_WORDS_FILE).rows)


@cache
def style_markers() -> frozenset[str]:
    """The style words flagged per sentence (rare in human news; see the module docstring)."""
    return frozenset(
        row[0].lower() for row in load_lexicon(STYLE_WORDS_FILE).rows if len(row) > 1 and row[1] == "1"
    )


@cache
def gopher_stopwords() -> frozenset[str]:
    return frozenset(
        row[0].lower() for row in load_lexicon(STOPWORDS_FILE).rows if len(row) > 1 and row[1] == "gopher"
    )


@cache
def _gopher_stopwords_are_stopwords() -> bool:
    return gopher_stopwords() <= stopwords()


def tortured_phrases(text: str) -> list[str]:
    """``tortured_phrase:<phrase>-><expected>`` flags of one text, in lexicon order, without repeats."""
    rules = _tortured_rules()
    hits = rules.triggers.intersection(_TOKEN.findall(text.lower()))
    if not hits:
        return []
    found: list[str] = []
    for trigger in sorted(hits):
        for flag, pattern in rules.by_trigger[trigger]:
            if flag not in found and pattern.search(text):
                found.append(flag)
    order = {flag: i for i, flag in enumerate(_tortured_order())}
    return sorted(found, key=lambda f: order.get(f, len(order)))


@cache
def _tortured_order() -> tuple[str, ...]:
    return tuple(f"tortured_phrase:{row[0]}->{row[1]}" for row in load_lexicon(TORTURED_FILE).rows)


def style_marker_words(text: str) -> list[str]:
    """Marker style words of one text, in order of first appearance, without repeats."""
    tokens = _WORD.findall(text.lower())
    markers = style_markers()
    if markers.isdisjoint(tokens):
        return []
    return list(dict.fromkeys(t for t in tokens if t in markers))


def sentence_flags(text: str, edit_ops: Sequence[str] = ()) -> list[str]:
    """All ``quality_flags`` of one sentence."""
    if not text:
        return ["spacing_error"] if _spacing_repaired(edit_ops) else []
    flags = tortured_phrases(text)
    flags.extend(f"llm_style_word:{w}" for w in style_marker_words(text))
    if _spacing_repaired(edit_ops):
        flags.append("spacing_error")
    return flags


SPACING_OPS = ("space_after_punct", "space_before_punct")
"""Normalisation edits that repaired broken punctuation spacing (``tensions,Lithuania``, ``Really ?``)."""


def _spacing_repaired(edit_ops: Sequence[str]) -> bool:
    return any(op in edit_ops for op in SPACING_OPS)


class QualityAnnotator:
    """Per-sentence quality flags: tortured phrases, LLM style marker words, spacing errors."""

    name: ClassVar[str] = "quality"
    version: ClassVar[str] = "1.1.0"
    fields: ClassVar[pa.Schema] = pa.schema(
        [
            pa.field(
                "quality_flags",
                pa.list_(pa.string()),
                nullable=False,
                metadata={
                    "description": "tortured_phrase:<phrase>-><expected> (paraphrasing-tool artefact), "
                    "llm_style_word:<word> (Kobak et al. 2024 style word that is rare in human news), "
                    "spacing_error (a missing space after punctuation, or a space before it, was repaired in this sentence)"
                },
            ),
        ]
    )

    def __init__(self, options: AnnotatorOptions | None = None) -> None:
        self.options = options or AnnotatorOptions()
        _tortured_rules()
        style_markers()
        _lexicon_words()

    def annotate(self, batch: SentenceBatch) -> dict[str, list[Any]]:
        n = len(batch)
        ops = batch.edit_ops if len(batch.edit_ops) == n else [()] * n
        texts = [text or "" for text in batch.texts]
        lowered = [text.lower() for text in texts]
        # a sentence without a trigger or marker token can only have the spacing flag
        flags = [["spacing_error"] if _spacing_repaired(op) else [] for op in ops]
        hits = _batch_lexicon_hits(lowered)
        if hits:
            for i, low in enumerate(lowered):
                if any(word in low for word in hits):
                    flags[i] = sentence_flags(texts[i], ops[i])
        return {"quality_flags": flags}


def _batch_lexicon_hits(lowered: Sequence[str]) -> frozenset[str]:
    """Tortured-phrase triggers and style markers that may be tokens of these lower-cased sentences.

    Most batches have few or none, so one scan of the whole batch replaces two scans per sentence, and
    :func:`sentence_flags` runs only on the sentences that contain one of them as a substring (a token
    of a sentence is a substring of it). The result may hold more words than the exact tokenisers
    would find, never fewer: a trigger or marker of ASCII letters that is a ``_TOKEN`` or a ``_WORD``
    token of a lower-cased text (which has no A-Z) is a whole run of a-z letters there; the other
    lexicon words are always returned. The sentences are joined with newlines, which no pattern here
    matches, so no run spans two sentences.
    """
    runs, plain, other = _lexicon_words()
    return plain.intersection(runs.findall("\n".join(lowered))) | other


@cache
def _lexicon_words() -> tuple[re.Pattern[str], frozenset[str], frozenset[str]]:
    """For :func:`_batch_lexicon_hits`: a pattern of the a-z runs as long as the shortest lexicon word
    or longer (shorter runs cannot be one; a run that long is matched whole, from its first letter),
    the triggers and markers that are runs of a-z letters, and the others.
    """
    words = _tortured_rules().triggers | style_markers()
    plain = frozenset(w for w in words if re.fullmatch(r"[a-z]+", w))
    shortest = min(map(len, plain), default=1)
    return re.compile(f"[a-z]{{{shortest},}}"), plain, words - plain


# ---------------------------------------------------------------------------------------------
# LLM style score
# ---------------------------------------------------------------------------------------------

STYLE_FEATURES: tuple[str, ...] = (
    "style_word_rate",
    "marker_word_rate",
    "mean_word_length",
    "long_word_rate",
    "attribution_rate",
    "proper_noun_rate",
    "quote_rate",
    "number_rate",
    "sentence_length_cv",
)
_ATTRIBUTION = frozenset({"said", "says", "told", "according", "added"})
_QUOTE_CHARS = '"“”„'
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_ASCII_NUMBER = re.compile(r"[0-9]+(?:[.,:][0-9]+)*")  # = _NUMBER on ASCII text; a bitmap class is faster
# for _sentence_words (see there): ASCII characters that cannot be in a _WORD token become spaces
# (newlines, which separate the sentences, stay), then so do the apostrophes without a letter on both
# sides; a letter-apostrophe-letters-apostrophe run is where _WORD would split a token after its one
# apostrophe part
_WORD_ASCII = str.maketrans(
    {chr(c): " " for c in range(128) if not ("a" <= chr(c).lower() <= "z" or chr(c) in "'\n")}
)
_LONE_WORD_APOSTROPHE = re.compile(r"'(?:(?![A-Za-z])|(?<![A-Za-z]'))")
_TWO_APOSTROPHES = re.compile(r"'[A-Za-z]+'")


def _sentence_words(sentences: Sequence[str], joined: str) -> list[list[str]]:
    """``[_WORD.findall(s) for s in sentences]``; ``joined`` is ``"\n".join(sentences)``.

    For ASCII sentences without a newline of their own (nearly all news), one ``str.translate`` of
    ``joined``, a split at the newlines and ``str.split`` of each sentence replace a regex scan per
    sentence, about three times faster. In ASCII, a ``_WORD`` token is a maximal run of letters,
    optionally followed by one apostrophe and more letters; with every other character a space (the
    apostrophes without a letter on both sides by ``_LONE_WORD_APOSTROPHE``, which looks at the text
    before any replacement), the runs between spaces are those tokens, unless a run holds two
    apostrophes (``_TWO_APOSTROPHES``), where the regex is used instead.
    """
    if not joined.isascii() or joined.count("\n") != len(sentences) - 1:
        return [_WORD.findall(sentence) for sentence in sentences]
    kept = joined.translate(_WORD_ASCII)
    if "'" in kept:
        kept = _LONE_WORD_APOSTROPHE.sub(" ", kept)
        if _TWO_APOSTROPHES.search(kept):
            return [_WORD.findall(sentence) for sentence in sentences]
    return [sentence.split() for sentence in kept.split("\n")]


def _style_word_stats(
    sentences: Sequence[str], joined: str
) -> tuple[list[int], int, int, int, Counter[str]] | None:
    """(words per sentence, sentences whose first word is capitalised, words with a capital first
    letter, letters and apostrophes in the words, counts of the lower-cased words) of the ``_WORD``
    tokens, from one translated copy of ``joined`` (``"\n".join(sentences)``) instead of a list of
    tokens per sentence that is lower-cased word by word; None where this does not apply.

    ``joined`` is first made ASCII: its (at most 16) distinct non-ASCII characters are replaced in the
    UTF-8 bytes (UTF-8 is self-synchronising), ``’`` by ``'`` and every other one by a space (a
    ``_WORD`` token is made of ASCII letters and apostrophes of either kind). The tokens are then those
    of :func:`_sentence_words`, with ``’`` spelled ``'``, which changes no style feature: the lexicon
    words have no apostrophe (checked; otherwise None), and a length counts either the same. A token
    starts with a letter (the apostrophes without a letter on both sides became spaces), so with every
    capital marked ``U``, every other letter and apostrophe ``l``, the tokens of a sentence are its
    ``" U"`` and ``" l"`` after a leading space, and the capitalised ones its ``" U"``.
    """
    if joined.count("\n") != len(sentences) - 1 or not _lexicons_without_apostrophes():
        return None
    ascii_text = _made_ascii(joined, lambda character: b"'" if character == "’" else b" ")
    if ascii_text is None:
        return None
    kept = ascii_text.translate(_WORD_ASCII)
    if "'" in kept:
        kept = _LONE_WORD_APOSTROPHE.sub(" ", kept)
        if _TWO_APOSTROPHES.search(kept):
            return None
    lengths = []
    capitalised_first = capitalised = 0
    for line in kept.translate(_CASE_MARKS).split("\n"):
        line = " " + line
        upper = line.count(" U")
        lengths.append(upper + line.count(" l"))
        capitalised += upper
        capitalised_first += line.lstrip(" ").startswith("U")
    letters = len(kept) - kept.count(" ") - kept.count("\n")
    return lengths, capitalised_first, capitalised, letters, Counter(kept.lower().split())


_CASE_MARKS = str.maketrans(
    {chr(c): "U" if chr(c).isupper() else "l" for c in range(128) if chr(c).isalpha() or chr(c) == "'"}
)


@cache
def _style_lexicon_words() -> frozenset[str]:
    """The words of the three lexicons the style rates count (see :func:`_style_values`)."""
    return style_words() | style_markers() | _ATTRIBUTION


@cache
def _lexicons_without_apostrophes() -> bool:
    return not any("'" in w or "’" in w for w in style_words() | style_markers() | _ATTRIBUTION)


def _made_ascii(text: str, replacement: Callable[[str], bytes]) -> str | None:
    """``text`` with each of its distinct non-ASCII characters replaced by ``replacement(character)``
    (ASCII bytes), or None when it has more than :data:`_MAX_REPLACED_CHARACTERS` of them. The
    replacing is done in the UTF-8 bytes: UTF-8 is self-synchronising, so a character's encoding is
    only found where that character is (lone surrogates included)."""
    if text.isascii():
        return text
    characters = non_ascii_characters(text)
    if len(characters) > _MAX_REPLACED_CHARACTERS:
        return None
    data = text.encode("utf-8", "surrogatepass")
    for character in characters:
        data = data.replace(character.encode("utf-8", "surrogatepass"), replacement(character))
    return data.decode("ascii")


def _number_count(joined: str) -> int:
    r"""``len(_NUMBER.findall(joined))`` without building the matches, for ASCII text or text with few
    distinct non-ASCII characters (else the regex).

    Marking every decimal digit ``0`` (``\d`` is ``str.isdecimal``), every ``.``, ``,`` and ``:``
    ``.`` and everything else a space, a match is a run of ``0`` optionally joined to more runs by
    single ``.``: the matches are the runs minus the joins (``0.0``). With every ``0`` doubled, two
    joins never share a character, so ``str.count`` finds them all.
    """
    ascii_text = _made_ascii(joined, lambda character: b"0" if character.isdecimal() else b" ")
    if ascii_text is None:
        return len(_NUMBER.findall(joined))
    if not any(map(ascii_text.__contains__, "0123456789")):
        return 0
    marks = " " + ascii_text.translate(_NUMBER_MARKS)
    runs = marks.count(" 0") + marks.count(".0")
    return runs - marks.replace("0", "00").count("0.0")


_NUMBER_MARKS = str.maketrans(
    {chr(c): "0" if chr(c).isdecimal() else "." if chr(c) in ".,:" else " " for c in range(128)}
)


def llm_style_features(sentences: Sequence[str]) -> dict[str, float]:
    """Measured style signals of a text given as its sentences (rates per word)."""
    joined = "\n".join(sentences)
    stats = _style_word_stats(sentences, joined)
    if stats is None:
        return _llm_style_features_reference(sentences)
    lengths, capitalised_first, capitalised, letters, counts = stats
    n = sum(lengths)
    if n == 0:
        return dict.fromkeys(STYLE_FEATURES, 0.0)
    n_quotes = sum(map(joined.count, _QUOTE_CHARS))  # one-character marks: counting = finding them
    return _style_values(
        lengths, capitalised - capitalised_first, letters, counts, n, n_quotes, _number_count(joined)
    )


def _style_values(
    lengths: list[int], proper: int, letters: int, counts: Counter[str], n: int, n_quotes: int, n_numbers: int
) -> dict[str, float]:
    count = counts.__getitem__
    found = _style_lexicon_words().intersection(counts)  # one pass over the counts, not three
    counted = [x for x in lengths if x > 0]
    mean_len = sum(counted) / len(counted) if counted else 0.0
    cv = (
        math.sqrt(sum((x - mean_len) ** 2 for x in counted) / len(counted)) / mean_len
        if len(counted) >= 2 and mean_len
        else 0.0
    )
    return {
        "style_word_rate": sum(map(count, style_words().intersection(found))) / n,
        "marker_word_rate": sum(map(count, style_markers().intersection(found))) / n,
        "mean_word_length": letters / n,
        "long_word_rate": sum(c for w, c in counts.items() if len(w) >= 9) / n,
        "attribution_rate": sum(map(count, _ATTRIBUTION.intersection(found))) / n,
        "proper_noun_rate": proper / n,
        "quote_rate": n_quotes / n,
        "number_rate": n_numbers / n,
        "sentence_length_cv": cv,
    }


def _llm_style_features_reference(sentences: Sequence[str]) -> dict[str, float]:
    """:func:`llm_style_features` from the tokens of every sentence (the reference, and the fallback)."""
    words: list[str] = []
    lengths = []
    capitalised_first = 0  # sentences whose first word is capitalised (not counted as proper nouns)
    joined = "\n".join(sentences)
    for tokens in _sentence_words(sentences, joined):
        lengths.append(len(tokens))
        if tokens:
            capitalised_first += tokens[0][0].isupper()
            words.extend(tokens)
    n_quotes = sum(map(joined.count, _QUOTE_CHARS))  # one-character marks: counting = finding them
    n_numbers = len((_ASCII_NUMBER if joined.isascii() else _NUMBER).findall(joined))
    n = len(words)
    if n == 0:
        return dict.fromkeys(STYLE_FEATURES, 0.0)
    proper = sum(map(str.isupper, map(itemgetter(0), words))) - capitalised_first
    counts = Counter(map(str.lower, words))
    return _style_values(lengths, proper, sum(map(len, words)), counts, n, n_quotes, n_numbers)


@dataclass(frozen=True)
class StyleModel:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, values: dict[str, float]) -> float:
        row = [values[name] for name in self.features]
        return standardized_logistic(row, self.mean, self.scale, self.weights, self.bias)


@cache
def style_model() -> StyleModel:
    spec = json.loads(read_data_bytes(STYLE_MODEL_FILE))
    if tuple(spec["features"]) != STYLE_FEATURES:
        raise ValueError(f"{STYLE_MODEL_FILE} was trained on other features; rerun scripts/tune_quality.py")
    return StyleModel(
        features=tuple(spec["features"]),
        mean=tuple(spec["mean"]),
        scale=tuple(spec["scale"]),
        weights=tuple(spec["weights"]),
        bias=float(spec["bias"]),
        threshold=float(spec["threshold"]),
    )


def llm_style_score(sentences: Sequence[str]) -> float:
    """Probability (4 decimals) that the text (its body sentences) was written by an instruction-tuned LLM.

    0.0 for a text without words. Trained on news (BBC articles vs GPT-3.5/GPT-4 continuations); it
    does not detect base-model text (GPT-2/J/NeoX/OPT/davinci continuations score like human text).
    """
    values = llm_style_features(sentences)
    if not any(values.values()):
        return 0.0
    return _round(style_model().probability(values))


def plain_style_word_rate(text: str) -> float:
    """Kobak style words per word (the reference baseline of the evaluation)."""
    words = [w.lower() for w in _WORD.findall(text)]
    return sum(1 for w in words if w in style_words()) / len(words) if words else 0.0


# ---------------------------------------------------------------------------------------------
# Gopher signals
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GopherConfig:
    """Thresholds of the Gopher quality and repetition rules (Rae et al. 2021, appendix A, table A1).

    The defaults are the published values, as used by datatrove's ``GopherQualityFilter`` /
    ``GopherRepetitionFilter`` and TextDescriptives' ``quality`` component. A document *passes* when no
    rule fails; ``quality_gopher_failed_rules`` names the failed ones.
    """

    min_words: int = 50  # word count >= 50 ...
    max_words: int = 100_000  # ... and <= 100,000
    min_mean_word_length: float = 3.0  # mean word length in [3, 10] characters
    max_mean_word_length: float = 10.0
    max_symbol_word_ratio: float = 0.1  # ('#' + ellipses) per word
    max_bullet_lines: float = 0.9  # share of lines starting with a bullet
    max_ellipsis_lines: float = 0.3  # share of lines ending with an ellipsis
    min_alpha_words: float = 0.8  # share of words containing an alphabetic character
    min_gopher_stop_words: int = 2  # of the, be, to, of, and, that, have, with
    max_duplicate_line_fraction: float = 0.3
    max_duplicate_paragraph_fraction: float = 0.3
    max_duplicate_line_char_fraction: float = 0.2
    max_duplicate_paragraph_char_fraction: float = 0.2
    max_top_ngram_char_fraction: tuple[tuple[int, float], ...] = ((2, 0.20), (3, 0.18), (4, 0.16))
    max_duplicate_ngram_char_fraction: tuple[tuple[int, float], ...] = (
        (5, 0.15),
        (6, 0.14),
        (7, 0.13),
        (8, 0.12),
        (9, 0.11),
        (10, 0.10),
    )


@dataclass(frozen=True)
class QualityConfig:
    """Every threshold of the document quality annotator in one place."""

    gopher: GopherConfig = field(default_factory=GopherConfig)
    llm_style_threshold: float | None = None
    """Score at which ``quality_llm_style_flag`` is set; None = the shipped model's threshold (chosen on
    dev so that about 3 % of human news texts are flagged)."""


_BULLET = re.compile(r"^\s*(?:[-*+•●▪◦‣–—]|\d{1,3}[.)])\s")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)")  # counted as str.count("...") + str.count("…") (see _ellipses)
_PARAGRAPH_SPLIT = re.compile(r"\n\s*\n")
# a whitespace-separated word without a letter ([^\W\d_]), i.e. only of [^\w\s] and [\d_], after the
# whitespace before it (see _alpha_words); words without a letter are rare, so few matches are built
_NON_ALPHA_WORD = re.compile(r"\s(?:[^\w\s]|[\d_])+(?!\S)")
_LETTER_TOKEN = re.compile(r"[a-z]+(?:['’][a-z]+)*")
_NGRAM_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# for _ngram_words: ASCII characters that cannot be in an n-gram word become spaces, and so do the
# apostrophes without a letter or digit on both sides (the pattern opens with the apostrophe, so the
# search skips to the rare apostrophes instead of trying a lookbehind at every position)
_NGRAM_ASCII = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "'")})
_LONE_APOSTROPHE = re.compile(r"'(?:(?![^\W_])|(?<![^\W_]'))")
# the same for the texts that are not ASCII (where "’" is an apostrophe too), and the bytes version of
# the table: for UTF-8 bytes, whose non-ASCII bytes it keeps (see _ngram_words)
_LONE_APOSTROPHE_ANY = re.compile(r"['’](?:(?![^\W_])|(?<![^\W_]['’]))")
_NGRAM_ASCII_BYTES = bytes(b if chr(b).isalnum() or b == ord("'") else ord(" ") for b in range(128)) + bytes(
    range(128, 256)
)
_MAX_REPLACED_CHARACTERS = 16
"""The non-ASCII paths of _ngram_words and _word_counts replace at most this many distinct characters."""


def _duplicates(items: list[str]) -> tuple[int, int]:
    """(number of repeated items, characters in the repeats); the first occurrence is not a repeat."""
    seen: set[str] = set()
    count = chars = 0
    for item in items:
        if item in seen:
            count += 1
            chars += len(item)
        else:
            seen.add(item)
    return count, chars


def _ngram_fractions(words: list[str]) -> tuple[dict[int, float], dict[int, float]]:
    """Top n-gram (2..4) and duplicate n-gram (5..10) character fractions over word characters.

    *top*: characters of the most frequent n-gram (earliest first occurrence on ties) times its count,
    when it occurs more than once. *duplicate*: characters of the words covered by an n-gram occurrence
    that repeats an earlier one.

    Repeated n-grams are found by refinement: the start positions of each repeated (n-1)-gram are split
    by their n-th word, and the groups of two or more are the repeated n-grams (an n-gram can only
    repeat where its prefix does), seeded with the repeated bigrams (:func:`_repeated_bigrams`). The
    work shrinks with n and stops when nothing repeats. Tie-breaking and coverage depend on positions
    only, not on the order of the groups.
    """
    top = dict.fromkeys((2, 3, 4), 0.0)
    dup = dict.fromkeys(range(5, 11), 0.0)
    n_words = len(words)
    if n_words < 2:
        return top, dup
    total = float(_chars(words, 0, n_words)) or 1.0
    classes = _repeated_bigrams(words)
    for n in range(2, 11):
        if n > 2:
            classes = _refine(classes, words, n)
        if not classes:
            break  # no repeated n-gram: no longer n-gram can repeat either
        if n <= 4:
            best = max(map(len, classes))
            start = min(starts[0] for starts in classes if len(starts) == best)
            top[n] = float(_chars(words, start, start + n)) * best / total
        else:
            repeats = sorted(i for starts in classes for i in starts[1:])
            chars = 0
            run_start, run_end = repeats[0], repeats[0] + n
            for i in repeats[1:]:
                if i > run_end:
                    chars += _chars(words, run_start, run_end)
                    run_start = i
                run_end = i + n
            chars += _chars(words, run_start, run_end)
            dup[n] = float(chars) / total
    return top, dup


def _chars(words: list[str], start: int, end: int) -> int:
    """Characters in ``words[start:end]`` (summed where needed: the repeats cover few words)."""
    return sum(map(len, words[start:end]))


def _repeated_bigrams(words: list[str]) -> list[list[int]]:
    """Start positions (in text order) of every word bigram that occurs more than once.

    The seed of the refinement in :func:`_ngram_fractions`. Short texts use
    :func:`_repeated_bigrams_counted`; longer ones :func:`_repeated_bigrams_hashed`, which finds the
    candidates in numpy instead of building and counting a tuple per bigram (BBC: 0.146 -> 0.082 s).
    """
    if len(words) < _HASHED_BIGRAMS_MIN_WORDS:
        return _repeated_bigrams_counted(words)
    return _repeated_bigrams_hashed(words)


_HASHED_BIGRAMS_MIN_WORDS = 48
"""Below this many words numpy's fixed cost per call outweighs the tuples it saves."""
_BIGRAM_MIX = np.int64(0x9E3779B97F4A7C15 - 2**64)  # odd: multiplying by it is a bijection of int64
_word_hash = hash  # a module global so that a test can force hash collisions


def _repeated_bigrams_counted(words: list[str]) -> list[list[int]]:
    """:func:`_repeated_bigrams` by counting the bigram tuples (the reference for the hashed version).

    Counting the bigrams and picking the positions of the repeated ones runs in C (``pairwise``,
    ``Counter``, ``compress``); only those positions (about a seventh of the words in news) are grouped
    in Python, where grouping every word's positions and then splitting them by the next word took two
    Python steps per word.
    """
    bigrams = list(pairwise(words))
    counts = Counter(bigrams)
    repeated = set(compress(counts, map((1).__lt__, counts.values())))  # the bigrams counted twice or more
    groups: dict[tuple[str, str], list[int]] = {}
    for i in compress(range(len(bigrams)), map(repeated.__contains__, bigrams)):
        groups.setdefault(bigrams[i], []).append(i)
    return list(groups.values())


def _repeated_bigrams_hashed(words: list[str]) -> list[list[int]]:
    """:func:`_repeated_bigrams` with the candidates found in numpy from the words' hashes.

    Each bigram gets the key ``hash(first) * odd + hash(second)`` (int64, wrapping). Equal bigrams have
    equal keys, so the positions whose key occurs twice or more (one sort) include every repeated
    bigram's; they are then grouped exactly, by the bigram itself, as in the counted version, and a
    group of one (a key collision, never seen in practice) is dropped. The result is exact whatever
    the hashes: they only decide which positions are looked at.
    """
    n_bigrams = len(words) - 1
    if n_bigrams < 2:
        return []
    hashes = np.fromiter(map(_word_hash, words), dtype=np.int64, count=n_bigrams + 1)
    keys = hashes[:-1] * _BIGRAM_MIX
    keys += hashes[1:]
    order = np.argsort(keys)
    ordered = keys[order]
    same = ordered[1:] == ordered[:-1]  # same[k]: the k-th and (k+1)-th smallest keys are equal
    if not same.any():
        return []
    repeated = np.zeros(n_bigrams, dtype=bool)
    repeated[1:] = same
    repeated[:-1] |= same
    candidate = np.zeros(n_bigrams, dtype=bool)
    candidate[order[repeated]] = True
    groups: dict[tuple[str, str], list[int]] = {}
    for i in np.flatnonzero(candidate).tolist():  # ascending: each group's positions in text order
        groups.setdefault((words[i], words[i + 1]), []).append(i)
    return [group for group in groups.values() if len(group) > 1]


def _refine(classes: list[list[int]], words: list[str], n: int) -> list[list[int]]:
    """The repeated n-grams' start positions, from those of the repeated (n-1)-grams ``classes``.

    Most repeated n-grams occur just twice; such a pair stays a pair when both occurrences go on with
    the same word, which is checked without building a dictionary.
    """
    refined: list[list[int]] = []
    n_words = len(words)
    for starts in classes:
        if len(starts) == 2:
            first, second = starts  # first < second: the second one ends later
            if second + n <= n_words and words[first + n - 1] == words[second + n - 1]:
                refined.append(starts)
            continue
        split: dict[str, list[int]] = {}
        for i in starts:
            if i + n <= n_words:
                split.setdefault(words[i + n - 1], []).append(i)
        refined.extend(group for group in split.values() if len(group) > 1)
    return refined


def _ngram_words(lowered: str) -> list[str]:
    r"""``_NGRAM_WORD.findall(lowered)``, for an ASCII text by ``str.translate`` and ``str.split``.

    About twice as fast as the regex on ASCII news, where most texts are ASCII. In ASCII, ``[^\W_]`` is
    a letter or digit, and ``’`` does not occur; an n-gram word is a maximal run of letters and digits
    joined by single apostrophes with a letter or digit on both sides. Turning every other character
    into a space (other ASCII characters by the table, the other apostrophes by ``_LONE_APOSTROPHE``,
    which looks at the translated text before any replacement) leaves exactly those runs between
    spaces. Other texts use the regex (translating them needs a per-character dictionary and is slower).
    """
    if not lowered.isascii():
        return _ngram_words_non_ascii(lowered)
    kept = lowered.translate(_NGRAM_ASCII)
    if "'" in kept:
        kept = _LONE_APOSTROPHE.sub(" ", kept)
    return kept.split()


def _ngram_words_non_ascii(lowered: str) -> list[str]:
    r"""``_NGRAM_WORD.findall(lowered)`` for a text that is not ASCII but has few distinct non-ASCII
    characters (news: "£", "’", "“", "é" ...), about three times faster than the regex.

    As in the ASCII path, every character that cannot be in an n-gram word becomes a space: the ASCII
    ones by a ``bytes.translate`` of the UTF-8 text (which keeps the non-ASCII bytes, >= 0x80, as they
    are; decoding gives back the same non-ASCII characters, lone surrogates included), the non-ASCII ones (those that are not
    alphanumeric, ``[^\W_]`` being ``str.isalnum``, and not ``’``) by ``str.replace``, then the
    apostrophes (``'`` and ``’``) without a letter or digit on both sides. Every non-space character
    left is then a letter, a digit or a joining apostrophe, and there is no whitespace but spaces.
    """
    characters = non_ascii_characters(lowered)
    if len(characters) > _MAX_REPLACED_CHARACTERS:
        return _NGRAM_WORD.findall(lowered)
    kept = (
        lowered.encode("utf-8", "surrogatepass")
        .translate(_NGRAM_ASCII_BYTES)
        .decode("utf-8", "surrogatepass")
    )
    for character in characters:
        if character != "’" and not character.isalnum():
            kept = kept.replace(character, " ")
    if "'" in kept or "’" in kept:
        kept = _LONE_APOSTROPHE_ANY.sub(" ", kept)
    return kept.split()


def _token_counts(words: list[str]) -> Counter[str]:
    """Counts of the ``_LETTER_TOKEN`` tokens of a lower-cased text, from its ``_NGRAM_WORD`` tokens.

    Every letter token lies inside one n-gram word, and an n-gram word of ASCII letters only is one
    letter token, so only the other words are searched again.
    """
    tokens = Counter(words)
    other = set(filterfalse(str.isalpha, tokens))
    other.update(filterfalse(str.isascii, tokens))
    moved = [(word, tokens.pop(word)) for word in other]
    for word, count in moved:
        for token in _LETTER_TOKEN.findall(word):
            tokens[token] += count
    return tokens


def _alpha_words(text: str, n_words: int) -> int:
    """How many of the ``n_words`` whitespace-separated words of ``text`` contain a letter.

    Counted as the words minus those without a letter: with a space in front of the text, every word
    follows a whitespace character that no earlier match consumed (a match ends at a word's end), and
    ``_NON_ALPHA_WORD`` matches there exactly when the whole word is free of letters.
    """
    return n_words - len(_NON_ALPHA_WORD.findall(" " + text))


# for _word_counts: every ASCII character becomes "a" (a letter, or any non-space for _WORD_MARKS) or
# a space (whitespace), or is dropped (another character, for _LETTER_MARKS)
_WORD_MARKS = str.maketrans({chr(c): " " if chr(c).isspace() else "a" for c in range(128)})
_LETTER_MARKS = str.maketrans(
    {chr(c): " " if chr(c).isspace() else "a" if chr(c).isalpha() else None for c in range(128)}
)


def _ellipses(text: str) -> int:
    """``len(_ELLIPSIS.findall(text))``: the two alternatives share no character, so the regex's
    leftmost non-overlapping matches are those of ``str.count`` for each, which needs no list."""
    return text.count("...") + text.count("…")


def _word_counts(text: str) -> tuple[int, int, int]:
    r"""The whitespace-separated words of ``text``: how many, their characters, how many have a letter.

    For ASCII text by ``str.translate`` and ``str.count`` instead of building the list of words and
    scanning for the words without a letter (0.071 -> 0.029 s on the ASCII texts of BBC): a word is a run
    of non-space characters, so with each non-space character marked ``a`` and each whitespace
    character a space, the words are the ``" a"`` of ``" " + marks``, and their characters the
    non-spaces. With the other characters dropped instead of marked, a word with a letter still leaves
    a run of ``a``, and a word without one leaves nothing. ``str.isspace`` and ``str.isalpha`` are
    the whitespace of ``str.split`` and the letters ``[^\W\d_]`` of :func:`_alpha_words`.
    """
    if not text.isascii():
        return _word_counts_non_ascii(text)
    marks = " " + text.translate(_WORD_MARKS)
    spaces = marks.count(" ")
    return marks.count(" a"), len(marks) - spaces, (" " + text.translate(_LETTER_MARKS)).count(" a")


_WORD_MARKS_BYTES = bytes(ord(" ") if chr(b).isspace() else ord("a") for b in range(128)) + bytes(128)
_NOT_LETTER_OR_SPACE_BYTES = bytes(b for b in range(128) if not (chr(b).isspace() or chr(b).isalpha()))


def _word_counts_non_ascii(text: str) -> tuple[int, int, int]:
    r""":func:`_word_counts` of a text that is not ASCII.

    With few distinct non-ASCII characters, their UTF-8 encodings are replaced in the UTF-8 bytes by
    what the ASCII tables make of a character (a space for whitespace; ``a`` for any other character
    when counting words, and for a letter ``[^\W\d_]`` = alphanumeric but not a decimal digit when
    counting the words with a letter, nothing for the others). UTF-8 is self-synchronising, so a
    character's encoding is only found where that character is, and the result is ASCII, counted
    as in the ASCII path. Otherwise the words are split and scanned.
    """
    characters = non_ascii_characters(text)
    if len(characters) > _MAX_REPLACED_CHARACTERS:
        words = text.split()  # = the \S+ runs (str.isspace and \s agree on every code point)
        return len(words), sum(map(len, words)), _alpha_words(text, len(words))
    marks = letters = text.encode("utf-8", "surrogatepass")  # lone surrogates too
    for character in characters:
        encoded = character.encode("utf-8", "surrogatepass")
        if character.isspace():
            marks = marks.replace(encoded, b" ")
            letters = letters.replace(encoded, b" ")
        else:
            marks = marks.replace(encoded, b"a")
            letters = letters.replace(
                encoded, b"a" if character.isalnum() and not character.isdecimal() else b""
            )
    marks = b" " + marks.translate(_WORD_MARKS_BYTES)
    spaces = marks.count(b" ")
    letter_marks = b" " + letters.translate(_WORD_MARKS_BYTES, _NOT_LETTER_OR_SPACE_BYTES)
    return marks.count(b" a"), len(marks) - spaces, letter_marks.count(b" a")


def gopher_signals(text: str) -> dict[str, Any]:
    """The raw Gopher signals of a text (lines = newline-separated, paragraphs = blank-line-separated)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    paragraphs = [p.strip() for p in _PARAGRAPH_SPLIT.split(text) if p.strip()]
    n_words, n_word_chars, n_alpha_words = _word_counts(text)
    text_chars = len(text) or 1
    dup_lines, dup_line_chars = _duplicates(lines)
    dup_paras, dup_para_chars = _duplicates(paragraphs)
    lowered = text.lower()
    ngram_words = _ngram_words(lowered)
    top, dup = _ngram_fractions(ngram_words)
    stop = stopwords()
    letter_tokens = _token_counts(ngram_words)
    found_stop = stop.intersection(letter_tokens)
    n_stop = sum(map(letter_tokens.__getitem__, found_stop))
    # the Gopher stop words are (checked) among the stop words: look for them in those found only
    found_gopher = found_stop if _gopher_stopwords_are_stopwords() else letter_tokens
    return {
        "n_words": n_words,
        "mean_word_length": n_word_chars / n_words if n_words else 0.0,
        "symbol_word_ratio": (text.count("#") + _ellipses(text)) / n_words if n_words else 0.0,
        "bullet_line_fraction": sum(1 for line in lines if _BULLET.match(line)) / len(lines)
        if lines
        else 0.0,
        "ellipsis_line_fraction": sum(1 for line in lines if line.endswith(("...", "…"))) / len(lines)
        if lines
        else 0.0,
        "alpha_word_fraction": n_alpha_words / n_words if n_words else 0.0,
        "stop_word_fraction": n_stop / n_words if n_words else 0.0,
        "gopher_stop_words": len(gopher_stopwords().intersection(found_gopher)),
        "duplicate_line_fraction": dup_lines / len(lines) if lines else 0.0,
        "duplicate_line_char_fraction": dup_line_chars / text_chars,
        "duplicate_paragraph_fraction": dup_paras / len(paragraphs) if paragraphs else 0.0,
        "duplicate_paragraph_char_fraction": dup_para_chars / text_chars,
        "top_ngram": top,
        "duplicate_ngram": dup,
    }


def gopher_failed_rules(signals: dict[str, Any], config: GopherConfig) -> list[str]:
    failed = []
    if not config.min_words <= signals["n_words"] <= config.max_words:
        failed.append("word_count")
    if not config.min_mean_word_length <= signals["mean_word_length"] <= config.max_mean_word_length:
        failed.append("mean_word_length")
    if signals["symbol_word_ratio"] > config.max_symbol_word_ratio:
        failed.append("symbol_word_ratio")
    if signals["bullet_line_fraction"] > config.max_bullet_lines:
        failed.append("bullet_lines")
    if signals["ellipsis_line_fraction"] > config.max_ellipsis_lines:
        failed.append("ellipsis_lines")
    if signals["alpha_word_fraction"] < config.min_alpha_words:
        failed.append("alpha_words")
    if signals["gopher_stop_words"] < config.min_gopher_stop_words:
        failed.append("stop_words")
    if signals["duplicate_line_fraction"] > config.max_duplicate_line_fraction:
        failed.append("duplicate_lines")
    if signals["duplicate_paragraph_fraction"] > config.max_duplicate_paragraph_fraction:
        failed.append("duplicate_paragraphs")
    if signals["duplicate_line_char_fraction"] > config.max_duplicate_line_char_fraction:
        failed.append("duplicate_line_chars")
    if signals["duplicate_paragraph_char_fraction"] > config.max_duplicate_paragraph_char_fraction:
        failed.append("duplicate_paragraph_chars")
    for n, limit in config.max_top_ngram_char_fraction:
        if signals["top_ngram"][n] > limit:
            failed.append(f"top_{n}gram")
    for n, limit in config.max_duplicate_ngram_char_fraction:
        if signals["duplicate_ngram"][n] > limit:
            failed.append(f"duplicate_{n}gram")
    return failed


# ---------------------------------------------------------------------------------------------
# document annotator
# ---------------------------------------------------------------------------------------------


def _f(name: str, dtype: pa.DataType, description: str) -> pa.Field:
    return column(name, dtype, description, nullable=False)


_DOC_FIELDS = [
    _f("quality_mean_word_length", pa.float64(), "mean length of whitespace-separated words (Gopher: 3..10)"),
    _f("quality_symbol_word_ratio", pa.float64(), "('#' + ellipses) per word (Gopher: <= 0.1)"),
    _f(
        "quality_bullet_line_fraction", pa.float64(), "share of lines starting with a bullet (Gopher: <= 0.9)"
    ),
    _f(
        "quality_ellipsis_line_fraction",
        pa.float64(),
        "share of lines ending with an ellipsis (Gopher: <= 0.3)",
    ),
    _f(
        "quality_alpha_word_fraction",
        pa.float64(),
        "share of words with an alphabetic character (Gopher: >= 0.8)",
    ),
    _f(
        "quality_stop_word_fraction",
        pa.float64(),
        "share of words that are English function words (data/stopwords_en.txt)",
    ),
    _f("quality_gopher_stop_words", pa.int32(), "how many of the 8 Gopher stop words occur (Gopher: >= 2)"),
    _f(
        "quality_duplicate_line_fraction",
        pa.float64(),
        "share of lines that repeat an earlier line (Gopher: <= 0.3)",
    ),
    _f(
        "quality_duplicate_line_char_fraction",
        pa.float64(),
        "characters in repeated lines / characters (Gopher: <= 0.2)",
    ),
    _f(
        "quality_duplicate_paragraph_fraction",
        pa.float64(),
        "share of blank-line-separated paragraphs that repeat an earlier one (Gopher: <= 0.3)",
    ),
    _f(
        "quality_duplicate_paragraph_char_fraction",
        pa.float64(),
        "characters in repeated paragraphs / characters (Gopher: <= 0.2)",
    ),
    *[
        _f(
            f"quality_top_{n}gram_char_fraction",
            pa.float64(),
            f"characters covered by the most frequent word {n}-gram / word characters (Gopher: <= {limit})",
        )
        for n, limit in GopherConfig().max_top_ngram_char_fraction
    ],
    *[
        _f(
            f"quality_duplicate_{n}gram_char_fraction",
            pa.float64(),
            f"word characters inside repeated word {n}-grams / word characters (Gopher: <= {limit})",
        )
        for n, limit in GopherConfig().max_duplicate_ngram_char_fraction
    ],
    pa.field(
        "quality_gopher_failed_rules",
        pa.list_(pa.string()),
        nullable=False,
        metadata={
            "description": "Gopher rules the document fails (thresholds in annotators.quality.GopherConfig)"
        },
    ),
    _f("quality_passes_gopher", pa.bool_(), "the document fails no Gopher quality or repetition rule"),
    _f(
        "quality_tortured_phrase_count",
        pa.int32(),
        "number of tortured-phrase flags in the document's sentences",
    ),
    _f(
        "quality_spacing_error_count",
        pa.int32(),
        "number of sentences with a repaired missing space after punctuation",
    ),
    _f(
        "quality_llm_style_word_rate",
        pa.float64(),
        "Kobak et al. (2024) style words per word of the body sentences",
    ),
    _f(
        "quality_llm_style_score",
        pa.float64(),
        "probability that the body text is instruction-tuned-LLM writing (logistic model on style signals, "
        "fitted on XSum dev; AUROC in docs/evaluation.md; blind to base-model text)",
    ),
    _f("quality_llm_style_flag", pa.bool_(), "quality_llm_style_score >= the configured threshold"),
    _f(
        "quality_boilerplate_fraction",
        pa.float64(),
        "share of the document's sentences flagged is_boilerplate by the per-document rules (before the corpus pass)",
    ),
]


class DocumentQualityAnnotator:
    """Per-document quality signals (Gopher rules, spun and LLM-style text, boilerplate share)."""

    name: ClassVar[str] = "quality"
    version: ClassVar[str] = "1.0.0"
    fields: ClassVar[pa.Schema] = pa.schema(_DOC_FIELDS)

    def __init__(self, options: AnnotatorOptions | None = None, config: QualityConfig | None = None) -> None:
        self.options = options or AnnotatorOptions()
        self.config = config or QualityConfig()
        model = style_model()
        self.llm_threshold = (
            model.threshold if self.config.llm_style_threshold is None else self.config.llm_style_threshold
        )

    def annotate_document(self, doc: DocumentView) -> dict[str, Any]:
        text = doc.text or ""
        sentences = doc.sentences
        texts = [t or "" for t in sentences.get("text", ())]
        block_types = list(sentences.get("block_type", ())) or ["paragraph"] * len(texts)
        if texts:
            body = [t for t, b in zip(texts, block_types, strict=False) if b in _BODY_BLOCKS] or texts
        else:
            body = [text[s:e] for s, e in split_sentences(text)] if text.strip() else []

        if "quality_flags" in sentences:
            flags = [f for row in sentences["quality_flags"] for f in (row or ())]
            tortured = sum(1 for f in flags if f.startswith("tortured_phrase:"))
            spacing = sum(1 for f in flags if f == "spacing_error")
        else:
            tortured = sum(len(tortured_phrases(t)) for t in (texts or body))
            spacing = 0
        if "is_boilerplate" in sentences:
            flags_bp = [bool(f) for f in sentences["is_boilerplate"]]
        else:  # the boilerplate annotator was not selected: apply its rules here
            flags_bp = [bool(sentence_reasons(t, b)) for t, b in zip(texts, block_types, strict=False)]
        boilerplate_fraction = sum(flags_bp) / len(flags_bp) if flags_bp else 0.0

        signals = gopher_signals(text)
        failed = gopher_failed_rules(signals, self.config.gopher)
        style_values = llm_style_features(body)
        score = _round(style_model().probability(style_values)) if any(style_values.values()) else 0.0
        out: dict[str, Any] = {
            "quality_mean_word_length": _round(signals["mean_word_length"]),
            "quality_symbol_word_ratio": _round(signals["symbol_word_ratio"]),
            "quality_bullet_line_fraction": _round(signals["bullet_line_fraction"]),
            "quality_ellipsis_line_fraction": _round(signals["ellipsis_line_fraction"]),
            "quality_alpha_word_fraction": _round(signals["alpha_word_fraction"]),
            "quality_stop_word_fraction": _round(signals["stop_word_fraction"]),
            "quality_gopher_stop_words": int(signals["gopher_stop_words"]),
            "quality_duplicate_line_fraction": _round(signals["duplicate_line_fraction"]),
            "quality_duplicate_line_char_fraction": _round(signals["duplicate_line_char_fraction"]),
            "quality_duplicate_paragraph_fraction": _round(signals["duplicate_paragraph_fraction"]),
            "quality_duplicate_paragraph_char_fraction": _round(signals["duplicate_paragraph_char_fraction"]),
        }
        for n, value in signals["top_ngram"].items():
            out[f"quality_top_{n}gram_char_fraction"] = _round(value)
        for n, value in signals["duplicate_ngram"].items():
            out[f"quality_duplicate_{n}gram_char_fraction"] = _round(value)
        out.update(
            {
                "quality_gopher_failed_rules": failed,
                "quality_passes_gopher": not failed,
                "quality_tortured_phrase_count": int(tortured),
                "quality_spacing_error_count": int(spacing),
                "quality_llm_style_word_rate": _round(style_values["style_word_rate"]),
                "quality_llm_style_score": score,
                "quality_llm_style_flag": bool(body) and score >= self.llm_threshold,
                "quality_boilerplate_fraction": _round(boilerplate_fraction),
            }
        )
        return out


__all__ = [
    "STYLE_FEATURES",
    "DocumentQualityAnnotator",
    "GopherConfig",
    "QualityAnnotator",
    "QualityConfig",
    "gopher_failed_rules",
    "gopher_signals",
    "llm_style_features",
    "llm_style_score",
    "plain_style_word_rate",
    "sentence_flags",
    "style_marker_words",
    "style_markers",
    "style_words",
    "tortured_phrases",
]
