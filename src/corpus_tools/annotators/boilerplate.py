"""Boilerplate: sentences that carry no article-specific content.

Two levels share one set of visible rules (``data/boilerplate_patterns.tsv``):

* **Sentence annotator** (:class:`BoilerplateAnnotator`, the ``is_boilerplate`` and
  ``boilerplate_reasons`` columns). Rules only, tuned for precision on real news: a human news
  sentence is flagged only when it matches a site-chrome, signposting or stock-filler pattern.
  Reasons, in this order:

  - ``web_chrome``: navigation, sharing, subscription, legal lines, credits ("Follow us on Twitter",
    "Read more: ...", "All rights reserved", "Share this article");
  - ``byline``: a line that only names the author(s) or the date ("By Jane Doe | Updated 12:30 GMT",
    "5 March 2025, 14:02 GMT"): page metadata, not article content. Its own reason because some
    benchmarks (L3S-GN1: "supplemental") count it as content, and the block scorer's ``chrome_rule``
    feature is ``web_chrome`` only;
  - ``signposting``: the text talking about itself ("In this comprehensive article, we will delve
    into...", "So, let's dive in", "In conclusion, ...", a "The Way Forward" heading);
  - ``generic_filler``: content-free stock sentences ("Only time will tell.", "As the situation
    unfolds, ...").

  The corpus pass (:mod:`corpus_tools.corpus_pass`) later adds ``repeated_across_documents`` and
  ``near_duplicate``.

* **Block scorer** (:func:`score_blocks`, :func:`classify_blocks`) for *web pages* (text blocks of
  an HTML page or lines of extracted text), where most boilerplate is short navigation text that no
  sentence rule can name. One logistic regression per page profile, fitted on the dev splits by
  ``scripts/tune_boilerplate.py`` and shipped as ``data/boilerplate_block_model.json``:
  ``html_blocks`` uses all shape, context and rule features of :data:`FEATURES` (word counts of the
  block and its neighbours, stop-word and capitalisation ratios, punctuation, position in the page,
  the rule hits above); ``text_lines`` uses the few per-line features that cross-validation grouped by
  page chose (length, end punctuation, capitalisation, stop-word, digit and symbol ratios, the chrome
  rule) plus ``repeats_recent`` (the line repeats one of the 5 lines just before it: diff/revision
  views, text extracted twice), ``repeats_earlier`` (the same for any earlier line of the page) and
  ``truncated_end`` (the line ends in an ellipsis or a navigation arrow: teasers, "more" links),
  because page-context features (and gradient-boosted trees) did not generalise to unseen pages
  there. It is *not* used by the sentence annotator: a short
  heading of a news article is content, while a short line of a web page usually is not.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, TypeVar

import pyarrow as pa

from corpus_tools.annotators.base import AnnotatorOptions, SentenceBatch
from corpus_tools.lexicons import LazyPattern, load_lexicon, read_data_bytes
from corpus_tools.linear import standardized_logistic
from corpus_tools.schema import column

PATTERNS_FILE = "boilerplate_patterns.tsv"
STOPWORDS_FILE = "stopwords_en.txt"
BLOCK_MODEL_FILE = "boilerplate_block_model.json"

REASONS = ("web_chrome", "byline", "signposting", "generic_filler")
"""Reasons decided per sentence, in output order (the corpus pass appends its own)."""

_HEADING_TYPES = frozenset({"heading", "title"})
_TRAILING = " \t\r\n.!?:;,…-–—|·•*"


# ---------------------------------------------------------------------------------------------
# rules
# ---------------------------------------------------------------------------------------------


_TOKEN = re.compile(r"[^\W_]+|©")


@dataclass(frozen=True)
class _CompiledRules:
    """Patterns grouped so that a sentence costs a few C-level regex calls, never a loop over the lexicon.

    ``start``: one alternation per reason of the ``^``-anchored patterns (tried at position 0 only);
    ``whole`` / ``heading``: one alternation per reason, full-matched; ``triggered``: unanchored
    patterns keyed by trigger token (run only when the sentence contains one of their triggers);
    ``any_start`` / ``any_whole``: the ``start`` / ``whole`` patterns of all reasons in one alternation,
    tried first (it matches exactly when some reason's does, so one call clears nearly every sentence).
    """

    start: dict[str, LazyPattern | None]  # compiled on first use: ``any_start`` rejects nearly all sentences
    whole: dict[str, LazyPattern | None]
    heading: dict[str, re.Pattern[str] | None]
    triggered: dict[str, tuple[tuple[str, LazyPattern], ...]]
    triggers: frozenset[str]
    any_start: re.Pattern[str] | None  # the ``start`` patterns of all reasons: most sentences fail it
    any_whole: re.Pattern[str] | None  # the same for ``whole``
    ascii_triggers: frozenset[bytes]  # ``triggers`` as ASCII bytes, for :func:`_ascii_tokens`


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


_P = TypeVar("_P", re.Pattern[str], LazyPattern)


@cache
def _rules() -> _CompiledRules:
    lexicon = load_lexicon(PATTERNS_FILE)
    grouped: dict[tuple[str, str], list[str]] = {}
    triggered: dict[str, list[tuple[str, LazyPattern]]] = {}
    for row in lexicon.rows:
        if len(row) < 4:
            raise ValueError(f"{PATTERNS_FILE}: row {row!r} needs reason, scope, pattern and triggers")
        reason, scope, pattern, trigger_field = row[0], row[1], row[2], row[3]
        if reason not in REASONS or scope not in ("search", "whole", "heading"):
            raise ValueError(f"{PATTERNS_FILE}: unknown reason or scope in row {row!r}")
        if scope == "search" and pattern.startswith("^"):
            grouped.setdefault((reason, "start"), []).append(pattern[1:])
        elif scope == "search":
            words = [w.strip().lower() for w in trigger_field.split(",") if w.strip() and w.strip() != "-"]
            if not words:
                raise ValueError(f"{PATTERNS_FILE}: unanchored pattern {pattern!r} needs trigger words")
            compiled = LazyPattern(pattern, re.IGNORECASE)  # most never run in a small rebuild
            for word in words:
                triggered.setdefault(word, []).append((reason, compiled))
        else:
            grouped.setdefault((reason, scope), []).append(pattern)

    def build_any(scope: str) -> re.Pattern[str] | None:
        patterns = [p for reason in REASONS for p in grouped.get((reason, scope), [])]
        return re.compile(f"(?:{_alternation(patterns)})", re.IGNORECASE) if patterns else None

    def per_reason(scope: str, make: Callable[[str, int], _P]) -> dict[str, _P | None]:
        """One pattern per reason of ``scope``, built by ``make`` (``re.compile`` or ``LazyPattern``)."""
        out: dict[str, _P | None] = {}
        for reason in REASONS:
            patterns = grouped.get((reason, scope))
            out[reason] = make(f"(?:{_alternation(patterns)})", re.IGNORECASE) if patterns else None
        return out

    return _CompiledRules(
        start=per_reason("start", LazyPattern),
        whole=per_reason("whole", LazyPattern),
        heading=per_reason("heading", re.compile),
        triggered={word: tuple(items) for word, items in triggered.items()},
        triggers=frozenset(triggered),
        any_start=build_any("start"),
        any_whole=build_any("whole"),
        ascii_triggers=frozenset(word.encode("ascii") for word in triggered if word.isascii()),
    )


_ASCII_TOKEN_TABLE = bytes(c if chr(c).isalnum() and c < 128 else 32 for c in range(256)).lower()
"""``bytes.translate`` table: ASCII letters to lower case, digits kept, every other byte to a space."""


def _trigger_hits(stripped: str, rules: _CompiledRules) -> Set[str]:
    """The trigger words that are ``_TOKEN`` tokens of the lower-cased sentence.

    ASCII sentences (nearly all) take :func:`_ascii_tokens`, about twice as fast as the regex.
    """
    if stripped.isascii():
        return {word.decode("ascii") for word in rules.ascii_triggers.intersection(_ascii_tokens(stripped))}
    return rules.triggers.intersection(_TOKEN.findall(stripped.lower()))


def _ascii_tokens(text: str) -> list[bytes]:
    """``_TOKEN.findall(text.lower())`` for an ASCII ``text``, as bytes: on ASCII, ``[^\\W_]`` is
    ``[A-Za-z0-9]`` and ``©`` cannot occur, so the tokens are the runs of letters and digits, which
    one ``translate`` (everything else to spaces, letters to lower case) and ``split`` give at C speed."""
    return text.encode("ascii").translate(_ASCII_TOKEN_TABLE).split()


def sentence_reasons(text: str, block_type: str = "paragraph") -> list[str]:
    """Rule-based boilerplate reasons of one sentence (empty when it looks like content)."""
    stripped = text.strip()
    if not stripped:
        return []
    rules = _rules()
    core = stripped.rstrip(_TRAILING).lstrip(" \t-–—•*·|>")
    found: set[str] = set()
    if (rules.any_start is not None and rules.any_start.match(stripped)) or (
        rules.any_whole is not None and core and rules.any_whole.fullmatch(core)
    ):  # some reason's start or whole pattern matches: find which (most sentences skip this)
        for reason in REASONS:
            start = rules.start[reason]
            whole = rules.whole[reason]
            if (start is not None and start.match(stripped)) or (
                whole is not None and core and whole.fullmatch(core)
            ):
                found.add(reason)
    if block_type in _HEADING_TYPES and core:
        for reason in REASONS:
            heading = rules.heading[reason]
            if heading is not None and heading.fullmatch(core):
                found.add(reason)
    for word in sorted(_trigger_hits(stripped, rules)):
        for reason, pattern in rules.triggered[word]:
            if reason not in found and pattern.search(stripped):
                found.add(reason)
    return [reason for reason in REASONS if reason in found]


PAGE_FURNITURE = frozenset({"web_chrome", "byline"})


def is_page_furniture(line: str) -> bool:
    """The line is a byline or web chrome (share buttons, credits, "Advertisement"): the structure parser
    keeps such lines out of headings, the title and the lede (:func:`corpus_tools.structure.parse_blocks`)."""
    return not PAGE_FURNITURE.isdisjoint(sentence_reasons(line))


class BoilerplateAnnotator:
    """Per-sentence boilerplate rules (the corpus pass adds repetition reasons later)."""

    name: ClassVar[str] = "boilerplate"
    version: ClassVar[str] = "1.2.0"
    fields: ClassVar[pa.Schema] = pa.schema(
        [
            column(
                "is_boilerplate",
                pa.bool_(),
                "the sentence carries no article-specific content (any boilerplate reason; "
                "the corpus pass also sets it for repeated and near-duplicate sentences)",
                nullable=False,
            ),
            column(
                "boilerplate_reasons",
                pa.list_(pa.string()),
                "why: web_chrome (navigation, sharing, legal, credits), byline (author or date line), "
                "signposting (the text "
                "talking about itself), generic_filler (content-free stock sentence); the corpus pass "
                "appends repeated_across_documents and near_duplicate",
                nullable=False,
            ),
        ]
    )

    def __init__(self, options: AnnotatorOptions | None = None) -> None:
        self.options = options or AnnotatorOptions()
        _rules()  # compile once, fail early on a malformed pattern file

    def annotate(self, batch: SentenceBatch) -> dict[str, list[Any]]:
        n = len(batch)
        block_types = batch.block_types if len(batch.block_types) == n else ["paragraph"] * n
        reasons = [
            sentence_reasons(text or "", block_type)
            for text, block_type in zip(batch.texts, block_types, strict=True)
        ]
        return {"is_boilerplate": [bool(r) for r in reasons], "boilerplate_reasons": reasons}


# ---------------------------------------------------------------------------------------------
# block scorer for web pages
# ---------------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_DIGIT = re.compile(r"\d")
_SENT_MARK = re.compile(r"[.!?][\"'”’)]?\s+[\"'“‘(]?[A-Z]")
_SEPARATOR = re.compile(r"[|»›•·>/]")
_END_PUNCT = re.compile(r"[.!?][\"'”’)]*\s*$")
_DATE_TIME = re.compile(
    r"\b(?:\d{1,2}:\d{2}(?:\s?[ap]\.?m\.?)?|\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|"
    r"\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* \d{4})\b",
    re.IGNORECASE,
)
_URL_EMAIL = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.\w+|\.(?:com|org|net|co\.uk)\b", re.IGNORECASE
)
_PRICE = re.compile(
    r"(?:[$£€¥]\s?\d|\b(?:usd|eur|gbp|chf|aud|cad)\s?\d|\d(?:[.,]\d{2})?\s?(?:usd|eur|gbp|chf)\b)",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"[|=*#_<>{}\[\]~^\\]")
_LIST_START = re.compile(r"^\s*(?:[-*+•▪◦‣>]|\d{1,3}[.)])\s")
_SYMBOL = re.compile(r"[^\w\s]")
_TRUNCATED_ENDS = ("...", "…", "»", "›", "→", ">>")
_WHITESPACE_TOKEN = re.compile(r"\S+")
_TOKEN_ALNUM = re.compile(r"[^\W_]+")
_LONG_BLOCK = 20  # words; "main content" anchor for the position features


@cache
def stopwords() -> frozenset[str]:
    """English closed-class words (``data/stopwords_en.txt``), lower case."""
    return frozenset(row[0].lower() for row in load_lexicon(STOPWORDS_FILE).rows)


FEATURES: tuple[str, ...] = (
    "log_words",
    "log_words_sq",
    "short",
    "very_short",
    "prev_log_words",
    "next_log_words",
    "window_log_words",
    "stop_ratio",
    "alpha_ratio",
    "digit_ratio",
    "upper_ratio",
    "title_ratio",
    "end_punct",
    "sentence_marks",
    "chrome_rule",
    "text_rule",
    "date_time",
    "separators",
    "ellipsis_end",
    "url_email",
    "rel_position",
    "edge_distance",
    "inside_main",
    "dist_long",
    "page_share",
    "question_end",
    "colon_end",
    "page_stop_ratio",
    "repeated_in_page",
    "since_prev_long",
    "until_next_long",
    "window_long_share",
    "short_near_long",
    "page_short_share",
    "page_end_punct",
    "non_ascii_ratio",
    "price",
    "markup_ratio",
    "list_marker",
)
"""Features of the ``html_blocks`` profile, in model order (also the default of :func:`block_features`)."""

EXTRA_FEATURES: tuple[str, ...] = (
    "symbol_ratio",
    "rel_median",
    "repeats_earlier",
    "repeats_recent",
    "truncated_end",
)
"""Further features a profile may use: share of non-space characters that are neither letters, digits
nor ``_``; log word count minus the page's median log word count; share of the block's text already
seen in an EARLIER block of the same page (:func:`earlier_repeat_shares`: 1.0 for a verbatim or
case/spacing/punctuation-only copy, high for a lightly edited copy, 0.0 for the first occurrence); the
same within the :data:`RECENT_LINES` blocks just before the block; the block ends in an ellipsis or a
navigation arrow (``...``, ``…``, ``»``, ``›``, ``→``, ``>>``: a teaser cut short, a "more" or category
link)."""

FEATURE_CATALOG: tuple[str, ...] = FEATURES + EXTRA_FEATURES


def _own_features(text: str) -> dict[str, float]:
    words = _WORD.findall(text)
    n_words = len(words)
    stop = stopwords()
    letters = len(_LETTER.findall(text))
    chars = sum(1 for c in text if not c.isspace()) or 1
    stripped = text.rstrip()
    reasons = sentence_reasons(text, "paragraph")
    return {
        "n_words": float(n_words),
        "log_words": math.log1p(n_words),
        "short": float(n_words < 10),
        "very_short": float(n_words < 4),
        "stop_ratio": sum(1 for w in words if w.lower() in stop) / n_words if n_words else 0.0,
        "alpha_ratio": sum(1 for w in words if w[0].isalpha()) / n_words if n_words else 0.0,
        "digit_ratio": len(_DIGIT.findall(text)) / chars,
        "upper_ratio": len(_UPPER.findall(text)) / letters if letters else 0.0,
        "title_ratio": sum(1 for w in words if w[0].isupper()) / n_words if n_words else 0.0,
        "end_punct": float(bool(_END_PUNCT.search(stripped))),
        "sentence_marks": math.log1p(len(_SENT_MARK.findall(text))),
        "chrome_rule": float("web_chrome" in reasons),
        "text_rule": float("signposting" in reasons or "generic_filler" in reasons),
        "date_time": float(bool(_DATE_TIME.search(text))),
        "separators": math.log1p(len(_SEPARATOR.findall(text))),
        "ellipsis_end": float(stripped.endswith(("...", "…"))),
        "url_email": float(bool(_URL_EMAIL.search(text))),
        "question_end": float(stripped.endswith("?")),
        "colon_end": float(stripped.endswith(":")),
        "price": float(bool(_PRICE.search(text))),
        "markup_ratio": len(_MARKUP.findall(text)) / chars,
        "list_marker": float(bool(_LIST_START.match(text))),
        "non_ascii_ratio": sum(1 for c in text if ord(c) > 127 and c.isalpha()) / letters if letters else 0.0,
        "symbol_ratio": len(_SYMBOL.findall(text)) / chars,
        "truncated_end": float(stripped.endswith(_TRUNCATED_ENDS)),
    }


_SHINGLE = 3  # words
RECENT_LINES = 5
"""Window of ``repeats_recent``: the blocks just before a block (a fixed prior, not tuned)."""


def earlier_repeat_shares(texts: Sequence[str], window: int | None = None) -> list[float]:
    """Per block of one page (in page order): share of its text that an EARLIER block already holds.

    ``window``: compare with the ``window`` blocks just before each block only (``None``: all earlier
    blocks of the page). A block is compared on its casefolded letter/digit tokens (so case, spacing and
    punctuation edits do not matter): a block of fewer than 3 tokens counts as a repeat (1.0) only if an
    earlier block has exactly the same tokens; a longer block scores the share of its word 3-grams that
    occur in earlier blocks (a copy with small edits, or a line re-wrapped from two earlier ones, scores
    high). Blocks without letters or digits score 0.0. The first occurrence of a text scores 0.0 and
    every later copy 1.0 -- unlike ``repeated_in_page``, which marks all copies, this separates an
    original from its repetitions (diff and revision views, text extracted twice, repeated menus).
    """
    tokens = [tuple(t.casefold() for t in _TOKEN_ALNUM.findall(text or "")) for text in texts]
    grams = [
        [tk] if len(tk) < _SHINGLE else [tk[i : i + _SHINGLE] for i in range(len(tk) - _SHINGLE + 1)]
        for tk in tokens
    ]
    seen: Counter[tuple[str, ...]] = Counter()  # grams of the blocks in the window (all earlier ones if None)
    out = []
    for i, (tk, own) in enumerate(zip(tokens, grams, strict=True)):
        if window is not None and i > window:
            seen.subtract(set(grams[i - window - 1]))
        out.append(sum(seen[g] > 0 for g in own) / len(own) if tk else 0.0)
        seen.update(set(own))
    return out


def block_features(texts: Sequence[str], features: Sequence[str] = FEATURES) -> list[list[float]]:
    """Feature vectors (in ``features`` order, default :data:`FEATURES`) of the blocks of one page, in page order.

    ``features``: names from :data:`FEATURE_CATALOG`.
    """
    unknown = [name for name in features if name not in FEATURE_CATALOG]
    if unknown:
        raise ValueError(f"unknown block feature(s): {', '.join(unknown)}")
    own = [_own_features(t or "") for t in texts]
    n = len(own)
    if n == 0:
        return []
    logs = [f["log_words"] for f in own]
    counts = [f["n_words"] for f in own]
    total_words = sum(counts) or 1.0
    long_positions = [i for i, c in enumerate(counts) if c >= _LONG_BLOCK]
    is_long = [c >= _LONG_BLOCK for c in counts]
    page_short = sum(1 for c in counts if c < 10) / n
    page_end = sum(f["end_punct"] for f in own) / n
    worded = [f for f in own if f["n_words"] > 0]
    page_stop = sum(f["stop_ratio"] * f["n_words"] for f in worded) / total_words
    keys = Counter((t or "").strip().casefold() for t in texts)
    ordered = sorted(logs)
    half = n // 2
    median_log = ordered[half] if n % 2 else (ordered[half - 1] + ordered[half]) / 2
    earlier = earlier_repeat_shares(texts) if "repeats_earlier" in features else [0.0] * n
    recent = earlier_repeat_shares(texts, RECENT_LINES) if "repeats_recent" in features else [0.0] * n
    rows = []
    for i, f in enumerate(own):
        window = [logs[j] for j in range(max(0, i - 3), min(n, i + 4)) if j != i]
        before = [j for j in long_positions if j < i]
        after = [j for j in long_positions if j > i]
        since = i - before[-1] if before else n
        until = after[0] - i if after else n
        dist = 0 if is_long[i] else min(since, until)
        inside = float(bool(long_positions) and long_positions[0] <= i <= long_positions[-1])
        near = range(max(0, i - 5), min(n, i + 6))
        values = dict(f)
        values.update(
            log_words_sq=f["log_words"] ** 2,
            prev_log_words=logs[i - 1] if i > 0 else 0.0,
            next_log_words=logs[i + 1] if i + 1 < n else 0.0,
            window_log_words=sum(window) / len(window) if window else 0.0,
            rel_position=i / (n - 1) if n > 1 else 0.5,
            edge_distance=min(i, n - 1 - i) / n,
            inside_main=inside,
            dist_long=math.log1p(dist),
            page_share=f["n_words"] / total_words,
            page_stop_ratio=page_stop,
            repeated_in_page=float(keys[(texts[i] or "").strip().casefold()] > 1),
            since_prev_long=math.log1p(since),
            until_next_long=math.log1p(until),
            window_long_share=sum(1 for j in near if is_long[j]) / len(near),
            short_near_long=f["short"] * float(dist <= 2),
            page_short_share=page_short,
            page_end_punct=page_end,
            rel_median=f["log_words"] - median_log,
            repeats_earlier=earlier[i],
            repeats_recent=recent[i],
        )
        rows.append([values[name] for name in features])
    return rows


@dataclass(frozen=True)
class BlockModel:
    """One page profile: logistic-regression weights on standardised features, or the word-count rule.

    ``kind``: ``logistic`` or ``word_rule`` (score 1.0 when a block has fewer than ``max_words``
    whitespace-separated tokens, else 0.0; shipped only if cross-validation prefers the plain rule).
    """

    profile: str
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    kind: str = "logistic"
    max_words: int = 0

    def score_texts(self, texts: Sequence[str]) -> list[float]:
        """Probabilities for the blocks of one page, in page order."""
        if self.kind == "word_rule":
            return [float(len(_WHITESPACE_TOKEN.findall(t or "")) < self.max_words) for t in texts]
        return self.score(block_features(texts, self.features))

    def score(self, rows: Sequence[Sequence[float]]) -> list[float]:
        return [standardized_logistic(row, self.mean, self.scale, self.weights, self.bias) for row in rows]


@cache
def block_models() -> dict[str, BlockModel]:
    """The shipped block models by profile (``html_blocks``, ``text_lines``)."""
    payload = json.loads(read_data_bytes(BLOCK_MODEL_FILE))
    models = {}
    for profile, spec in payload["profiles"].items():
        kind = spec.get("kind", "logistic")
        if kind == "word_rule":
            models[profile] = BlockModel(
                profile, (), (), (), (), 0.0, 0.5, kind=kind, max_words=int(spec["max_words"])
            )
            continue
        features = tuple(spec["features"])
        unknown = [name for name in features if name not in FEATURE_CATALOG]
        if (
            kind != "logistic"
            or unknown
            or not (len(features) == len(spec["mean"]) == len(spec["scale"]) == len(spec["weights"]))
        ):
            raise ValueError(f"{BLOCK_MODEL_FILE}: profile {profile!r} does not match this code; retrain")
        models[profile] = BlockModel(
            profile=profile,
            features=features,
            mean=tuple(spec["mean"]),
            scale=tuple(spec["scale"]),
            weights=tuple(spec["weights"]),
            bias=float(spec["bias"]),
            threshold=float(spec["threshold"]),
        )
    return models


def score_blocks(texts: Sequence[str], profile: str = "html_blocks") -> list[float]:
    """Probability that each block of one web page (in page order) is boilerplate, rounded to 4 places.

    ``profile``: ``html_blocks`` (text blocks of an HTML page, as boilerpipe/L3S-GN1 segment them) or
    ``text_lines`` (lines of text extracted from a page).
    """
    models = block_models()
    if profile not in models:
        raise ValueError(f"unknown block profile {profile!r}; valid: {', '.join(sorted(models))}")
    return [round(p, 4) for p in models[profile].score_texts(texts)]


def classify_blocks(texts: Sequence[str], profile: str = "html_blocks") -> list[bool]:
    """Boilerplate decision per block at the profile's threshold (tuned for F1 on the dev split)."""
    threshold = block_models()[profile].threshold
    return [p >= threshold for p in score_blocks(texts, profile)]


__all__ = [
    "EXTRA_FEATURES",
    "FEATURES",
    "FEATURE_CATALOG",
    "REASONS",
    "BlockModel",
    "BoilerplateAnnotator",
    "block_features",
    "block_models",
    "classify_blocks",
    "earlier_repeat_shares",
    "score_blocks",
    "sentence_reasons",
    "stopwords",
]
