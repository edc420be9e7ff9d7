"""Normalise raw article text without losing anything: every change is recorded as an edit.

Rules (each edit records its ``op``):

- ``line_break``: ``\\r\\n``/``\\r``/U+2028/U+2029/U+0085 become ``\\n``; runs of line breaks (with
  any spaces between them) become one ``\\n`` (a line) or ``\\n\\n`` (a blank line: paragraph break);
  leading and trailing blank lines are removed.
- ``whitespace``: NBSP, tabs and the other Unicode spaces become a plain space; runs of spaces
  collapse to one; spaces at the start or end of a line are removed.
- ``invisible``: zero-width spaces, word joiners, soft hyphens and stray BOMs are removed; so are C0
  control characters other than tab and newline.
- ``space_after_punct``: a missing space after ``,`` ``;`` ``:`` between two letters
  (``tensions,Lithuania`` -> ``tensions, Lithuania``) and after ``.`` between a lower-case word and
  a capitalised word (``conflict.The``). Never inside numbers (``1,000``, ``3.5``, ``12:30``),
  abbreviations (``e.g.``, ``U.S.``), URLs, e-mail addresses or domains (``nato.int``).
- ``html_entity``: HTML character references left in scraped text (``&amp;``, ``&quot;``, ``&#39;``,
  ``&#x2019;``, ``&nbsp;``) become the character they name (a space for ``&nbsp;`` and the other
  spaces and line breaks, nothing for invisible ones). Unknown names (``&foo;``) stay as they are;
  one level only (``&amp;lt;`` becomes ``&lt;``).
- ``space_before_punct``: spaces between a letter and a following ``,`` ``;`` ``:`` ``!`` ``?`` or
  ``.`` that ends a word (``tensions , Lithuania``, ``Really ?``) are removed. Never before a number
  (``ratio 3 : 1``), an ellipsis (``wait ...``) or punctuation that starts a token (``.com``, ``:)``).
- ``unicode_nfc``: characters followed by combining marks are composed (Unicode NFC).

The ``html_entity`` and ``space_before_punct`` rules run on the text the other rules made; where one
of their rewrites overlaps an earlier edit, the two become one edit whose ``original`` is the raw text
of the whole span. A text whose references were decoded (or whose invisible characters were removed, or
characters composed) is normalised once more and the edits folded together, so that normalising is
idempotent (``A&nbsp;&nbsp;B``, ``x&#44;y``).

Typographic quotes and apostrophes are kept as they are: annotators match them as ASCII.

Each :class:`Edit` says that ``text[start:end]`` (normalised) replaced ``original`` (raw), so
:func:`restore_raw` rebuilds the raw text exactly, and offsets can be mapped back.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

_LINE_BREAK = "\r\n\u2028\u2029\u0085\x0b\x0c"
_HSPACE = (
    " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
_INVISIBLE = "\u200b\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f"
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"

_REFERENCE_BODY = r"(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
"""An HTML character reference after its ``&``: ``#39;``, ``#x2019;``, ``amp;``."""

# A token that must never be touched by the punctuation rules: URLs, e-mails, domains, paths.
_PROTECTED_TOKEN = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S+"
    r"|\S+@\S+\.\S+"
    r"|(?<![\w.])(?:[a-z0-9-]+\.)+(?:com|org|net|int|gov|edu|mil|eu|uk|de|fr|lt|lv|ee|pl|ru|ua|by|io|ai|co|info|news|tv)\b\S*"
    r"|&" + _REFERENCE_BODY,  # HTML references: see html_entity
    re.IGNORECASE,
)

_RULE_BRANCHES = [
    rf"(?P<linebreak>[{_HSPACE}{_INVISIBLE}]*[{_LINE_BREAK}][{_HSPACE}{_LINE_BREAK}{_INVISIBLE}]*)",
    # (a single plain space inside the text, followed by an ordinary character, is left alone
    # without a match: most characters of a text are such spaces)
    rf"(?P<hspace>(?!(?<=[\s\S]) (?=[^{_HSPACE}{_INVISIBLE}{_LINE_BREAK}{_COMBINING}]))"
    rf"[{_HSPACE}][{_HSPACE}{_INVISIBLE}]*)",
    rf"(?P<invisible>[{_INVISIBLE}]+)",
    r"(?P<comma>(?<=[^\W\d_])[,;:](?=[^\W\d_]))",
    r"(?P<period>(?<=[a-z][a-z])\.(?=[A-Z][a-z]))",
]
_COMBINING_BRANCH = rf"(?P<combining>.[{_COMBINING}]+)"
_RULES = re.compile("|".join([*_RULE_BRANCHES, _COMBINING_BRANCH]))
"""Every rule; the pattern for a text that holds a combining mark."""
_RULES_WITHOUT_COMBINING = re.compile(
    rf"(?=[{_HSPACE}{_INVISIBLE}{_LINE_BREAK},;:.])(?:{'|'.join(_RULE_BRANCHES)})"
)
"""The same rules for a text without combining marks (nearly all): every other rule's match starts with
one of these characters. :func:`_rule_matches` tries it only where a match can start; with
``finditer`` (the reference its tests compare with) the leading class already lets the regex engine
skip ordinary characters (~3x faster than the plain alternation, the same matches)."""
_HAS_COMBINING = re.compile(f"[{_COMBINING}]")

_SPECIAL = "".join(c for c in _HSPACE if c != " ") + _INVISIBLE + _LINE_BREAK
_TRIGGER = re.compile(
    rf"[{_SPECIAL},;:.]"
    r"(?:(?<=[,;:])(?<=[^\W\d_].)(?=[^\W\d_])"
    r"|(?<=\.)(?<=[a-z][a-z].)(?=[A-Z][a-z])"
    rf"|(?<=[{_SPECIAL}]))"
)
"""Where a rule match can start (see :func:`_rule_matches`): a line break, a space other than U+0020,
an invisible character, or a ``comma``/``period`` rule match; one character class first, so the regex
engine skips the ordinary characters, plain spaces included, without entering the pattern."""


def _rule_matches(raw: str) -> list[re.Match[str]]:
    """``list(_RULES_WITHOUT_COMBINING.finditer(raw))``, about 5x faster (BBC news: 0.167 -> 0.035 s).

    ``finditer`` enters the rules at every space (about one character in six) only to find, nearly
    always, a single plain space between two words, which no rule touches. A match can only start at a
    *trigger* (:data:`_TRIGGER`), at a plain space followed by a plain space or a trigger character, or
    at a space that opens or closes the text: the rules are tried there only (``match`` at a position
    sees the characters before it, as ``finditer`` does), in order, skipping the positions that an
    earlier match covered. Same matches, proven by a property test against ``finditer``.
    """
    rules = _RULES_WITHOUT_COMBINING
    starts = [m.start() for m in _TRIGGER.finditer(raw)]
    double = raw.find("  ")
    if double >= 0 or raw[:1] == " " or raw[-1:] == " ":
        extra = set(starts)
        while double >= 0:
            extra.add(double)
            double = raw.find("  ", double + 1)
        if raw[:1] == " ":
            extra.add(0)
        if raw[-1:] == " ":
            extra.add(len(raw) - 1)
        starts = sorted(extra)
    out: list[re.Match[str]] = []
    pos = 0  # end of the last match
    tried = 0  # positions before this one have been tried (or cannot start a match)
    for trigger in starts:
        if trigger < pos:
            continue
        first = trigger
        while first > max(pos, tried) and raw[first - 1] == " ":  # "word \n", "word \u00a0"
            first -= 1
        for at in range(first, trigger + 1):
            match = rules.match(raw, at)
            if match is not None:
                out.append(match)
                pos = match.end()
                break
        tried = trigger + 1
    return out


_ENTITY = re.compile("&" + _REFERENCE_BODY)
_SPACE_BEFORE_PUNCT = re.compile(r" +(?=(?:[,;:!?]|\.(?!\.))(?:\s|$))")
"""Spaces before punctuation that ends a word; :func:`_spaces_before_punctuation` keeps those after a
letter, and runs it only on texts that hold one of :data:`_SPACE_PUNCT_PAIRS`."""
_SPACE_PUNCT_PAIRS = (" ,", " .", " ;", " :", " !", " ?")
_REFERENCE_AFTER_AMP = re.compile(_REFERENCE_BODY)
_ENTITY_SPACE = re.compile(f"[{_HSPACE}{_LINE_BREAK}]")
_ENTITY_INVISIBLE = re.compile(f"[{_INVISIBLE}]")


def _entity_replacement(reference: str) -> str | None:
    """The text an HTML character reference stands for, as normalised text; None for an unknown name."""
    decoded = html.unescape(reference)
    if decoded == reference:
        return None
    return _ENTITY_INVISIBLE.sub("", _ENTITY_SPACE.sub(" ", decoded))


def _spaces_before_punctuation(text: str) -> list[tuple[int, int, str, str]]:
    """``(start, end, "", "space_before_punct")`` of the spaces between a letter and word-final punctuation."""
    if not any(pair in text for pair in _SPACE_PUNCT_PAIRS):  # substring scans: most texts stop here
        return []
    return [
        (m.start(), m.end(), "", "space_before_punct")
        for m in _SPACE_BEFORE_PUNCT.finditer(text)
        if m.start() and text[m.start() - 1].isalpha()
    ]


def _html_references(text: str) -> list[tuple[int, int, str, str]]:
    """``(start, end, replacement, "html_entity")`` of the HTML character references in ``text``, in order.
    ``&amp;`` that escapes another reference (``&amp;lt;``: the text shows a reference) is kept."""
    found: list[tuple[int, int, str, str]] = []
    for match in _ENTITY.finditer(text):
        replacement = _entity_replacement(match.group())
        start, end = match.span()
        if replacement is None or (replacement == "&" and _REFERENCE_AFTER_AMP.match(text, end)):
            continue
        if replacement == " " and text[start - 1 : start] in ("", " ", "\n"):
            replacement = ""  # a space (or a line's start) is there already
            if text[end : end + 1] == " ":
                end += 1  # "word &nbsp; word": one space stays
        elif replacement == " " and text[end : end + 1] in ("", " ", "\n"):
            replacement = ""
        found.append((start, end, replacement, "html_entity"))
    return found


_ASCII_BYTES = bytes(range(128))


def non_ascii_characters(text: str) -> set[str]:
    """The distinct non-ASCII characters of ``text`` (``set(text)`` without ASCII, ~8x faster): its
    UTF-8 bytes without the ASCII ones are the encodings of those characters, one after the other.
    Lone surrogates are kept (``surrogatepass``). Used by the fast paths that replace a document's
    few distinct non-ASCII characters before an ASCII-only tokenisation."""
    encoded = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    return set(encoded.decode("utf-8", "surrogatepass"))


@dataclass(frozen=True)
class Edit:
    """``text[start:end]`` of the normalised text replaced ``original`` of the raw text."""

    op: str
    start: int
    end: int
    original: str

    def as_dict(self) -> dict[str, object]:
        return {"op": self.op, "start": self.start, "end": self.end, "original": self.original}


@dataclass(frozen=True)
class Normalised:
    text: str
    edits: tuple[Edit, ...]

    def ops_between(self, start: int, end: int) -> tuple[str, ...]:
        """Sorted distinct ops of the edits that start inside ``[start, end)`` of the normalised text."""
        return self.ops_in_spans([(start, end)])[0]

    def ops_in_spans(self, spans: Iterable[tuple[int, int]]) -> list[tuple[str, ...]]:
        """:meth:`ops_between` of each span (the edit offsets are listed once for all of them)."""
        edits = self.edits
        if not edits:
            return [() for _ in spans]
        starts = [e.start for e in edits]
        out: list[tuple[str, ...]] = []
        for start, end in spans:
            lo, hi = bisect_left(starts, start), bisect_left(starts, end)
            out.append(tuple(sorted({e.op for e in edits[lo:hi]})) if lo < hi else ())
        return out


def _protected_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PROTECTED_TOKEN.finditer(text)]


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    """Whether ``pos`` falls in one of the sorted, non-overlapping ``spans`` (binary search)."""
    i = bisect_right(starts, pos) - 1
    return i >= 0 and pos < spans[i][1]


def _line_break_replacement(match: re.Match[str], at_start: bool, at_end: bool) -> str:
    if at_start or at_end:
        return ""
    breaks = len(re.findall(r"\r\n|[\r\n\u2028\u2029\u0085\x0b\x0c]", match.group()))
    paragraph = breaks >= 2 or any(c in "\u2029\x0c" for c in match.group())
    return "\n\n" if paragraph else "\n"


def normalise(raw: str) -> Normalised:
    """Normalised text of ``raw`` with the edits that turn one into the other."""
    text, edits = _normalise_once(raw)
    for _ in range(3):
        if not any(edit.op in _UNSETTLED_OPS for edit in edits):
            break
        # a decoded reference, a removed invisible character or a composed one can make work for the rules
        # ("A&nbsp;&nbsp;B", "x&#44;y", "\u200b a", "e\u0301,a"): normalise the result again and fold its edits in
        again, more = _normalise_once(text)
        if not more:
            break
        text, edits = _compose(text, edits, again, more)
    return Normalised(text=text, edits=tuple(edits))


_UNSETTLED_OPS = frozenset({"html_entity", "invisible", "unicode_nfc"})
"""Edits after which another pass may find more to do (rare: most texts have none of them)."""


def _compose(text: str, edits: list[Edit], again: str, more: list[Edit]) -> tuple[str, list[Edit]]:
    """Edits from the raw text to ``again``, given ``edits`` (raw -> ``text``) and ``more`` (``text`` ->
    ``again``): each of ``more`` is a rewrite of ``text``, merged with the edits it overlaps."""
    rewrites = []
    shift = 0
    for edit in more:
        start = edit.start - shift
        rewrites.append((start, start + len(edit.original), again[edit.start : edit.end], edit.op))
        shift += (edit.end - edit.start) - len(edit.original)
    composed_text, composed = _rewrite(text, edits, rewrites, merge=True)
    assert composed_text == again
    return composed_text, composed


def _normalise_once(raw: str) -> tuple[str, list[Edit]]:
    """One pass of every rule (:func:`normalise` repeats it after decoding HTML references)."""
    protected: list[tuple[int, int]] | None = None
    protected_starts: list[int] = []
    pieces: list[str] = []
    edits: list[Edit] = []
    out_len = 0
    pos = 0
    n = len(raw)
    combining = not raw.isascii() and _HAS_COMBINING.search(raw) is not None  # isascii: no scan
    matches = _RULES.finditer(raw) if combining else _rule_matches(raw)
    for match in matches:
        kind = match.lastgroup
        original = match.group()
        start, end = match.span()
        if kind == "linebreak":
            if (original == "\n" or original == "\n\n") and start and end != n:
                continue  # already a line or a paragraph break (nearly all line-break matches)
            replacement, op = _line_break_replacement(match, start == 0, end == n), "line_break"
        elif kind == "hspace":
            at_edge = start == 0 or end == n
            replacement, op = ("" if at_edge else " "), "whitespace"
        elif kind == "invisible":
            replacement, op = "", "invisible"
        elif kind in ("comma", "period"):
            if protected is None:
                protected = _protected_spans(raw)
                protected_starts = [s for s, _ in protected]
            if _inside(protected, protected_starts, start):
                continue
            replacement, op = original + " ", "space_after_punct"
        else:
            replacement, op = unicodedata.normalize("NFC", original), "unicode_nfc"
        if replacement == original:
            continue
        pieces.append(raw[pos:start])
        out_len += start - pos
        if op == "space_after_punct":
            # record only the inserted space, so the punctuation itself stays unedited
            pieces.append(replacement)
            edits.append(Edit(op, out_len + 1, out_len + 2, ""))
        else:
            pieces.append(replacement)
            edits.append(Edit(op, out_len, out_len + len(replacement), original))
        out_len += len(replacement)
        pos = end
    pieces.append(raw[pos:])
    text = "".join(pieces)
    if "&" in text:
        references = _html_references(text)
        if references:
            text, edits = _rewrite(text, edits, references, merge=True)
    if " " in text:
        spaces = _spaces_before_punctuation(text)
        if spaces:
            text, edits = _rewrite(text, edits, spaces, merge=True)
    if not unicodedata.is_normalized("NFC", text):
        text, edits = _nfc_fallback(text, edits)
    return text, edits


_NON_ASCII_RUN = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")


def _nfc_fallback(text: str, edits: list[Edit]) -> tuple[str, list[Edit]]:
    """Rare path (Hangul jamo, compatibility singletons): compose each run of non-ASCII characters
    (with the character before it) that is not NFC yet."""
    runs = []
    for match in _NON_ASCII_RUN.finditer(text):
        composed = unicodedata.normalize("NFC", match.group())
        if composed != match.group():
            runs.append((match.start(), match.end(), composed, "unicode_nfc"))
    return _rewrite(text, edits, runs)


def _touches(edit: Edit, start: int, end: int) -> bool:
    """``edit`` shares text with ``[start, end)``, or sits at ``start`` (an insertion or removal there)."""
    return edit.start < end and (edit.end > start or edit.start == start)


def _rewrite(
    text: str, edits: list[Edit], rewrites: list[tuple[int, int, str, str]], *, merge: bool = False
) -> tuple[str, list[Edit]]:
    """Apply ``(start, end, replacement, op)`` rewrites (sorted, non-empty, not overlapping each other) to ``text``,
    which ``edits`` already describe, shifting the later edits. A rewrite that overlaps earlier edits
    is left out, or with ``merge`` becomes one edit with them (its ``original`` is the raw text of
    the whole span), so every edit still maps back to the raw text."""
    pieces: list[str] = []
    new_edits: list[Edit] = []
    pending = sorted(edits, key=lambda e: e.start)
    k = 0
    shift = 0
    pos = 0
    for start, end, replacement, op in rewrites:
        while k < len(pending) and pending[k].end <= start and pending[k].start < start:  # wholly before
            e = pending[k]
            new_edits.append(Edit(e.op, e.start + shift, e.end + shift, e.original))
            k += 1
        overlapping = []
        j = k
        while j < len(pending) and _touches(pending[j], start, end):
            overlapping.append(pending[j])
            j += 1
        if start < pos or (overlapping and not merge):
            continue
        span_start = min([start, *(e.start for e in overlapping)])
        span_end = max([end, *(e.end for e in overlapping)])
        local = [Edit(e.op, e.start - span_start, e.end - span_start, e.original) for e in overlapping]
        original = restore_raw(text[span_start:span_end], local)
        new_text = text[span_start:start] + replacement + text[end:span_end]
        k = j
        pieces.append(text[pos:span_start])
        new_edits.append(Edit(op, span_start + shift, span_start + shift + len(new_text), original))
        pieces.append(new_text)
        shift += len(new_text) - (span_end - span_start)
        pos = span_end
    pieces.append(text[pos:])
    new_edits.extend(Edit(e.op, e.start + shift, e.end + shift, e.original) for e in pending[k:])
    return "".join(pieces), new_edits


def restore_raw(text: str, edits: tuple[Edit, ...] | list[Edit]) -> str:
    """Undo the edits: the exact raw text that :func:`normalise` was given."""
    pieces: list[str] = []
    pos = 0
    for edit in edits:
        pieces.append(text[pos : edit.start])
        pieces.append(edit.original)
        pos = edit.end
    pieces.append(text[pos:])
    return "".join(pieces)
