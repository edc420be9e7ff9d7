"""Hedging and boosting: lexicon cues with context rules for the classic false friends.

A sentence is *hedged* (``is_hedged``) when it expresses uncertainty about its claim: an epistemic
modal ("may", "might", "could"), an epistemic adverb or adjective ("probably", "likely", "unclear"),
a doxastic or reporting verb that leaves the claim open ("is thought to", "believed", "allegedly"),
a condition ("if", "whether", "unless") or an uncertainty phrase ("it remains to be seen"). This is
the "uncertain" class of the Szeged Uncertainty Corpus (Vincze et al. 2008, Szarvas et al. 2012), on
which the annotator is evaluated (``corpus_tools.evaluation.hedging``). *Boosters* express certainty
("clearly", "undoubtedly", "no doubt", "unwavering"; Hyland 1998, 2005); they do not change
``is_hedged``.

Lexicons: ``data/hedge_cues.tsv`` (with per-cue dev statistics and an active/inactive status set by
``scripts/tune_hedging.py`` on the dev splits) and ``data/booster_cues.tsv``. Cues are reported as
their **lower-case canonical form** from the lexicon ("may", "it remains to be seen", "not clear"),
each cue once per sentence, in order of first appearance.

Context rules (``RULES``; named in the lexicon's ``rule`` column):

- "May" capitalised inside a sentence is the month or a name ("in May", "Theresa May"); a
  sentence-initial "May" followed by a number, a comma or a capitalised word is the month too.
- "might" after a determiner or "military/economic..." is the noun ("military might").
- "could not" / "couldn't" is past inability ("he could not attend"), not a hedge.
- "can" is not a cue (ability, permission); only "cannot be ruled out", "can be argued"... are.
- "possible" in "as soon as possible", "made possible", "the best possible" is not epistemic.
- "potential" as a noun ("its full potential", "the potential of") or a technical term ("membrane
  potential", "potential energy") is not a hedge; before a noun ("a potential buyer") it is.
- "appear" needs an epistemic frame ("appears to", "it appears", "appears likely"), not "appeared
  in court"; "indicate" needs "that"; "thought" is not the noun ("the thought of", "school of
  thought"); "considered" needs a passive or evaluative frame ("is considered", "considered to be",
  "considered the best"), not "the board considered the proposal"; "regarded" needs "as";
  "expected" after "as"/"than" ("higher than expected") reports a fact.
- Negated boosters are hedges: "not clear", "not certain", "not sure", "not necessarily" (reported
  as "not <booster>"); "no doubt", "without a doubt", "little doubt" are boosters.
- "will likely" is hedged by "likely" ("will" itself is not a cue: on the dev data only 9 % of its
  uses were annotated as uncertainty cues).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import compress, count
from typing import Any, ClassVar, overload

import pyarrow as pa

from corpus_tools.annotators.base import AnnotatorOptions, SentenceBatch
from corpus_tools.lexicons import load_lexicon
from corpus_tools.schema import column

HEDGE_FILE = "hedge_cues.tsv"
BOOSTER_FILE = "booster_cues.tsv"

# words (with "n't" split off: "couldn't" -> "could" "n't"), numbers, single punctuation marks
_TOKEN = re.compile(
    r"[A-Za-z]+(?=n['’]t\b)|n['’]t\b|[A-Za-z]+(?:[-'’][A-Za-z]+)*|\d+(?:[.,:]\d+)*|[^\sA-Za-z\d]"
)
# the same without the two "n't" alternatives, which can only match where a text contains "n't" or
# "n’t": it gives the same tokens for every other text, about a fifth faster
_TOKEN_NO_NT = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*|\d+(?:[.,:]\d+)*|[^\sA-Za-z\d]")
_CONTRACTED_STEMS = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}

_BE = frozenset("is are was were be been being am 's 're 'm".split())
_NEGATORS = frozenset("not never no hardly scarcely nor neither".split())
_NEGATION_GAP = frozenset(
    "yet entirely completely altogether always immediately so too very quite even all at fully".split()
)
_DETERMINERS = frozenset(
    "the a an this that these those his her its their our my your whose some any no every each".split()
)
_EVALUATIVE_ADVERBS = frozenset(
    "widely generally commonly often long once largely previously originally traditionally sometimes "
    "frequently popularly usually increasingly mistakenly wrongly falsely erroneously universally broadly "
    "mostly highly variously locally".split()
)
_PASSIVE_ADVERBS = _EVALUATIVE_ADVERBS | frozenset("not never always still also now".split())
_MIGHT_NOUN_BEFORE = frozenset(
    "military economic naval industrial financial nuclear political sheer full all with the its his her their "
    "our your american soviet russian chinese british german imperial".split()
)
_POSSIBLE_NOT_BEFORE = frozenset(
    "best highest lowest largest greatest smallest worst maximum minimum fullest earliest latest fastest "
    "shortest longest widest broadest every all everything whenever wherever total any each only two three "
    "four five several many".split()
)
_MAKE_FORMS = frozenset("made make makes making become became becomes".split())
_POTENTIAL_TECH_BEFORE = frozenset(
    "action membrane resting electrical electric redox electrochemical chemical osmotic evoked field zeta water "
    "reduction oxidation gravitational kinetic synaptic postsynaptic presynaptic transmembrane mitochondrial "
    "full untapped enormous huge great tremendous considerable real growth earning earnings commercial "
    "economic market human creative own".split()
)
_POTENTIAL_TECH_AFTER = frozenset(
    "energy energies difference differences gradient gradients well wells barrier surface".split()
)
_POTENTIAL_NOUN_AFTER = frozenset(". , ; : ) ! ? of and is was in as that which".split())
_APPEAR_AFTER = frozenset(
    "to that likely unlikely certain clear inevitable doubtful possible unclear uncertain imminent".split()
)
_APPEAR_BEFORE = frozenset("it would there might may could".split())
_THOUGHT_NOUN_BEFORE = _DETERMINERS | frozenset(
    "of school second after without much little deep careful serious political economic more further free "
    "original independent conventional current modern western contemporary religious scientific".split()
)
_THOUGHT_NOUN_AFTER = frozenset(
    "-provoking process processes experiment experiments leader leaders police".split()
)
_OPINION_HOLDERS = frozenset(
    "many some most others critics experts scholars historians people fans i we analysts observers scientists".split()
)
_CONSIDERED_AFTER = frozenset(
    "to as one among by likely unlikely possible important essential necessary safe unsafe dangerous "
    "valuable worthy best most more less too".split()
)
_SUPERLATIVE_AFTER_THE = frozenset(
    "best most greatest first finest largest worst leading father founder top".split()
)
_PRONOUN_SUBJECTS = frozenset(
    "i we they you he she it who police officials investigators experts many some".split()
)
_CLEAR_BEFORE = _BE | frozenset(
    "made make makes making became become becomes abundantly crystal perfectly very absolutely quite entirely "
    "remains remained seems seemed".split()
)
_CERTAIN_BEFORE = _BE | frozenset(
    "for feel feels felt seems seemed fairly reasonably absolutely quite remain remains remained become "
    "became made make".split()
)
_SURE_BEFORE = _BE | frozenset("for feel feels felt pretty quite very fairly absolutely to".split())
# boosters whose negation does not turn them into hedges
_NOT_NEGATABLE = frozenset(
    "no doubt|without doubt|without a doubt|beyond doubt|beyond any doubt|beyond a doubt|little doubt|"
    "of course|in fact|indeed|no question that|without question|beyond question|make no mistake".split("|")
)

Rule = Callable[[Sequence[str], Sequence[str], int, int], bool]


def _prev(low: Sequence[str], i: int, k: int = 1) -> str:
    return low[i - k] if i - k >= 0 else ""


def _next(low: Sequence[str], i: int, k: int = 1) -> str:
    return low[i + k] if i + k < len(low) else ""


def _prev_content(low: Sequence[str], i: int) -> str:
    """The previous token, looking through negation and degree words ("is not yet clear" -> "is")."""
    j = i - 1
    while j >= 0 and (low[j] in _NEGATORS or low[j] in _NEGATION_GAP):
        j -= 1
    return low[j] if j >= 0 else ""


def _title_case(toks: Sequence[str]) -> bool:
    words = [t for t in toks if t[:1].isalpha()]
    return bool(words) and sum(1 for t in words if t[0].isupper()) / len(words) > 0.6


def _rule_modal_may(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    token = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else ""
    if nxt[:1].isdigit():
        return False  # "May 5", "may 2004"
    if token == "may":
        return True
    if token == "MAY":
        return True
    # capitalised "May"
    prev = _prev(low, i)
    sentence_start = i == 0 or prev in ('"', "'", "(", "-", ":", "“", "‘")
    if sentence_start:
        if not nxt or nxt in (",", ".", ";", ":", "-", ")", "and", "or", "to", "through", "'s"):
            return False  # "May", "May, June", "May-June"
        return not (nxt[:1].isupper() and nxt != "I")
    if _title_case(toks):  # a Title Case headline: "Prices May Rise"
        return prev not in (
            "in",
            "on",
            "of",
            "since",
            "until",
            "by",
            "from",
            "early",
            "late",
            "mid",
            "last",
            "next",
        )
    return False  # "in May", "Theresa May"


def _rule_modal_might(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    prev = _prev(low, i)
    return not (prev in _MIGHT_NOUN_BEFORE or prev.endswith("'s"))


def _rule_would(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    return _next(low, i) not in ("not", "never")  # "would not identify": refusal


def _rule_could(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    return _next(low, i) not in ("not", "never", "hardly", "barely", "scarcely")


def _rule_either_or(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    if _prev(low, i) in ("on", "in", "of", "at", "from", "to", "by"):
        return False
    return "or" in low[i + 1 : i + 13]


def _rule_possible(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    """Epistemic "possible" ("a possible link", "it is possible that"), not feasibility ("possible to
    enforce", "made possible", "as soon as possible") or range ("the best possible", "all possible")."""
    prev = _prev(low, i)
    nxt = _next(low, i)
    if nxt == "that":
        return True
    if nxt in ("to", "for") or "as" in low[max(0, i - 3) : i]:
        return False
    if prev in _MAKE_FORMS or (
        prev in ("it", "this", "that", "them", "these") and _prev(low, i, 2) in _MAKE_FORMS
    ):
        return False
    return not (prev in _POSSIBLE_NOT_BEFORE or prev.endswith("est") or prev[:1].isdigit())


def _rule_potential(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    nxt = _next(low, i)
    if _prev(low, i) in _POTENTIAL_TECH_BEFORE or nxt in _POTENTIAL_TECH_AFTER:
        return False
    return bool(nxt) and nxt not in _POTENTIAL_NOUN_AFTER


def _rule_appear(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    return _next(low, i) in _APPEAR_AFTER or _prev(low, i) in _APPEAR_BEFORE


def _rule_indicate_that(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    return _next(low, i) == "that"


def _rule_thought(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    return _prev(low, i) not in _THOUGHT_NOUN_BEFORE and _next(low, i) not in _THOUGHT_NOUN_AFTER


def _rule_thinking_that(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    return _next(low, i) in ("that", "it", "he", "she", "they", "we", "i")


def _rule_suspect_that(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    return _next(low, i) == "that" or _prev(low, i) in _PRONOUN_SUBJECTS


def _rule_expect(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    return _prev(low, i) not in ("as", "than")


def _rule_consider_opinion(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    window = low[i + 1 : i + 6]
    if "as" in window:
        return True
    if any(window[k] == "to" and window[k + 1] == "be" for k in range(len(window) - 1)):
        return True
    return _prev(low, i) in _OPINION_HOLDERS


def _passive_frame(low: Sequence[str], i: int) -> bool:
    """A form of "be" before ``i`` (through adverbs), or an evaluative adverb ("widely considered")."""
    j = i - 1
    evaluative = False
    while j >= 0 and low[j] in _PASSIVE_ADVERBS:
        evaluative = evaluative or low[j] in _EVALUATIVE_ADVERBS
        j -= 1
    return evaluative or (j >= 0 and low[j] in _BE)


def _rule_considered(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    nxt = _next(low, i)
    if nxt in _CONSIDERED_AFTER:
        return True
    if nxt == "the" and _next(low, i, 2) in _SUPERLATIVE_AFTER_THE:
        return True
    return _passive_frame(low, i)


def _rule_regarded_as(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    return "as" in low[i + 1 : i + 5] or _prev(low, i) in ("highly", "well", "widely", "generally")


def _rule_propose_that(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    return _next(low, i) == "that" or _prev(low, i) in ("we", "i")


def _rule_feel_that(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    nxt = _next(low, i)
    return nxt in ("that", "like") or (nxt == "as" and _next(low, i, 2) in ("if", "though"))


def _rule_fear_that(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    return _next(low, i) in ("that", "it", "he", "she", "they", "for")


def _rule_clear_pred(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    return _prev_content(low, i) in _CLEAR_BEFORE


def _rule_predicative(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    if _next(low, i) in ("that", "to", "of", "whether", "about"):
        return _prev(low, i) not in _DETERMINERS
    return _prev_content(low, i) in _CERTAIN_BEFORE


def _rule_sure_pred(toks: Sequence[str], low: Sequence[str], i: int, n: int) -> bool:
    if _prev(low, i) in _MAKE_FORMS:
        return False  # "make sure" = ensure
    return _next(low, i) in ("that", "of", "about", "whether") or _prev_content(low, i) in _SURE_BEFORE


RULES: dict[str, Rule] = {
    "modal_may": _rule_modal_may,
    "modal_might": _rule_modal_might,
    "could": _rule_could,
    "would": _rule_would,
    "either_or": _rule_either_or,
    "possible": _rule_possible,
    "potential": _rule_potential,
    "appear": _rule_appear,
    "indicate_that": _rule_indicate_that,
    "thought": _rule_thought,
    "thinking_that": _rule_thinking_that,
    "suspect_that": _rule_suspect_that,
    "expect": _rule_expect,
    "consider_opinion": _rule_consider_opinion,
    "considered": _rule_considered,
    "regarded_as": _rule_regarded_as,
    "propose_that": _rule_propose_that,
    "feel_that": _rule_feel_that,
    "fear_that": _rule_fear_that,
    "clear_pred": _rule_clear_pred,
    "predicative": _rule_predicative,
    "sure_pred": _rule_sure_pred,
}


@dataclass(frozen=True)
class Cue:
    text: str  # canonical lower-case form
    tokens: tuple[str, ...]
    kind: str  # "hedge" or "booster"
    rule: Rule | None
    rule_name: str


@dataclass(frozen=True)
class Match:
    cue: str  # reported form ("not clear" for a negated booster)
    kind: str  # "hedge" or "booster"
    entry: str  # the lexicon entry that matched
    start: int  # character span in the sentence
    end: int


def tokenize(text: str) -> tuple[list[str], list[str], list[tuple[int, int]]]:
    """(original tokens, normalised lower-case tokens, character spans)."""
    spans = [m.span() for m in _TOKEN.finditer(text)]
    toks, low = _tokens(text)
    return list(toks), low, spans


def _tokens(text: str) -> tuple[Sequence[str], list[str]]:
    """(original tokens, normalised lower-case tokens): :func:`tokenize` without the spans, which
    only reported matches need (``findall`` avoids a match object per token).

    An ASCII text without "n't" (most sentences) is tokenised once, lower-cased: lower-casing ASCII
    changes no character class of the tokenizer, so the tokens are the same, and the original-case
    ones, which only the "May" rule reads, are found on first use (:class:`_CasedTokens`).
    """
    toks: Sequence[str]
    if text.isascii() and "n't" not in text:
        toks = _CasedTokens(text)
        low = _TOKEN_NO_NT.findall(text.lower())
    else:
        toks = (_TOKEN if "n't" in text or "n’t" in text else _TOKEN_NO_NT).findall(text)
        low = list(map(str.lower, toks))
        if "’" in text:
            low = [t.replace("’", "'") for t in low]
    if "n't" in low:  # also "N'T" of an ASCII text, lower-cased
        for k, t in enumerate(low):
            if t == "n't":
                low[k] = "not"
                if k and low[k - 1] in _CONTRACTED_STEMS:
                    low[k - 1] = _CONTRACTED_STEMS[low[k - 1]]
    return toks, low


class _CasedTokens(Sequence[str]):
    """The original-case tokens of an ASCII text without "n't", tokenised on first use."""

    __slots__ = ("_text", "_tokens")

    def __init__(self, text: str) -> None:
        self._text = text
        self._tokens: list[str] | None = None

    def _list(self) -> list[str]:
        if self._tokens is None:
            self._tokens = _TOKEN_NO_NT.findall(self._text)
        return self._tokens

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self._list()[index]

    def __len__(self) -> int:
        return len(self._list())

    def __iter__(self) -> Iterator[str]:
        return iter(self._list())


class CueMatcher:
    """Longest-match lookup of hedge and booster cues over tokens, with context rules."""

    def __init__(self, cues: Sequence[Cue]) -> None:
        index: dict[str, list[Cue]] = {}
        for cue in cues:
            index.setdefault(cue.tokens[0], []).append(cue)
        for entries in index.values():
            entries.sort(key=lambda c: -len(c.tokens))
        self.index = index
        self.first_tokens = frozenset(index)  # a sentence without any of them has no match
        self._by_pair, self._singles = _pair_index(index)
        self._anchors = _anchors(cues)

    def matches(self, text: str) -> list[Match]:
        if not text:
            return []
        toks, low, spans = tokenize(text)
        return [
            Match(reported, kind, entry, spans[i][0], spans[i + size - 1][1])
            for reported, kind, entry, i, size in self._match(toks, low)
        ]

    def _match(self, toks: Sequence[str], low: list[str]) -> list[tuple[str, str, str, int, int]]:
        """(reported cue, kind, lexicon entry, first token, number of tokens) of every match."""
        found: list[tuple[str, str, str, int, int]] = []
        by_pair, singles = self._by_pair, self._singles
        n = len(low)
        resume = 0  # first token not covered by the last match
        for i in self._candidates(low):
            if i < resume:
                continue
            first = low[i]
            pair = (first, low[i + 1] if i + 1 < n else None)
            for cue in by_pair.get(pair) or singles[first]:
                size = len(cue.tokens)
                if size > 1 and tuple(low[i : i + size]) != cue.tokens:
                    continue
                if cue.rule is not None and not cue.rule(toks, low, i, size):
                    continue
                kind, reported = cue.kind, cue.text
                if kind == "booster" and cue.text not in _NOT_NEGATABLE and _negated(low, i):
                    kind, reported = "hedge", "not " + cue.text.removesuffix(" that")
                found.append((reported, kind, cue.text, i, size))
                resume = i + size
                break
        return found

    def _candidates(self, low: list[str]) -> Iterator[int]:
        """Positions of the tokens that start some cue, in order: found at C level (``compress``), as
        most tokens of a sentence start none, so the match loop only visits the few that do."""
        return compress(count(), map(self.first_tokens.__contains__, low))

    def _no_cue_possible(self, text: str) -> bool:
        """True when no cue can match ``text``, found without tokenising it (most sentences).

        A cue matches only where each of its tokens is a token of the text, and a word token of an
        ASCII text is, lower-cased, maximal runs of letters joined by "-" or "'"; so a cue can only
        match if its anchor (:func:`_anchors`) is a run of letters of the lower-cased text. Texts
        with "n't" are never rejected: the contraction rewrites tokens ("couldn't" -> "could" "not").
        """
        anchors = self._anchors
        if anchors is None or not text.isascii():
            return False
        lowered = text.lower()
        return "n't" not in lowered and anchors.isdisjoint(
            lowered.encode("ascii").translate(_LETTER_RUNS).split()
        )

    def cues(self, text: str) -> tuple[list[str], list[str]]:
        """(hedge cues, booster cues) of one sentence, unique, in order of first appearance."""
        hedges: list[str] = []
        boosters: list[str] = []
        if not text:
            return hedges, boosters
        if self._no_cue_possible(text):
            return hedges, boosters
        toks, low = _tokens(text)
        if self.first_tokens.isdisjoint(low):
            return hedges, boosters
        for reported, kind, _entry, _i, _size in self._match(toks, low):
            target = hedges if kind == "hedge" else boosters
            if reported not in target:
                target.append(reported)
        return hedges, boosters


def _pair_index(
    index: dict[str, list[Cue]],
) -> tuple[dict[tuple[str, str | None], list[Cue]], dict[str, list[Cue]]]:
    """The cues of ``index`` that can match given a first AND second token, in ``index`` order.

    (first, second) -> the multi-token cues with that second token and the one-token cues of
    ``first``; first -> its one-token cues (for any other second token). Why: most cue-starting
    tokens are function words ("of", "in", "is") that start only multi-token cues, so the match loop
    would otherwise slice and compare the sentence for every one of them.
    """
    singles = {first: [c for c in cues if len(c.tokens) == 1] for first, cues in index.items()}
    by_pair: dict[tuple[str, str | None], list[Cue]] = {}
    for first, cues in index.items():
        for second in {c.tokens[1] for c in cues if len(c.tokens) > 1}:
            by_pair[(first, second)] = [c for c in cues if len(c.tokens) == 1 or c.tokens[1] == second]
    return by_pair, singles


_LETTER_RUNS = bytes(c if 97 <= c <= 122 else 32 for c in range(256))
"""``bytes.translate`` table: lower-case ASCII letters kept, every other byte to a space."""
_LETTER_RUN = re.compile(r"[a-z]+")


def _anchors(cues: Sequence[Cue]) -> frozenset[bytes] | None:
    """One run of letters per cue that any text it matches must contain as a run of letters: the
    longest one of its tokens (long words are rare, so most sentences contain no anchor). ``None``
    when some cue has no letters (no anchor: every text must then be tokenised)."""
    anchors = set()
    for cue in cues:
        runs = [run for token in cue.tokens for run in _LETTER_RUN.findall(token)]
        if not runs:
            return None
        anchors.add(max(runs, key=len).encode("ascii"))
    return frozenset(anchors)


def _negated(low: Sequence[str], i: int) -> bool:
    prev = _prev(low, i)
    if prev in _NEGATORS:
        return True
    return prev in _NEGATION_GAP and _prev(low, i, 2) in _NEGATORS


def _make_cue(text: str, kind: str, rule_name: str) -> Cue:
    rule = None if rule_name in ("", "-") else RULES[rule_name]
    return Cue(text=text, tokens=tuple(text.split(" ")), kind=kind, rule=rule, rule_name=rule_name)


def hedge_entries(include_inactive: bool = False) -> list[Cue]:
    """Hedge cues of the packaged lexicon (active ones unless ``include_inactive``)."""
    out = []
    for row in load_lexicon(HEDGE_FILE).rows:
        cue, rule_name, _origin, _n, _precision, status = row
        if status == "active" or include_inactive:
            out.append(_make_cue(cue, "hedge", rule_name))
    return out


def booster_entries() -> list[Cue]:
    return [_make_cue(row[0], "booster", row[1]) for row in load_lexicon(BOOSTER_FILE).rows]


@cache
def default_matcher() -> CueMatcher:
    return CueMatcher(hedge_entries() + booster_entries())


class HedgingAnnotator:
    """Hedge and booster cues per sentence; ``is_hedged`` = at least one hedge cue."""

    name: ClassVar[str] = "hedging"
    version: ClassVar[str] = "1.0.0"
    fields: ClassVar[pa.Schema] = pa.schema(
        [
            column(
                "hedge_cues",
                pa.list_(pa.string()),
                "hedging cues found in the sentence, as the lower-case canonical form of the "
                "data/hedge_cues.tsv entry (e.g. 'may', 'likely', 'it remains to be seen'; a negated booster "
                "is reported as 'not clear', 'not certain'), each once, in order of first appearance",
                nullable=False,
            ),
            column(
                "is_hedged",
                pa.bool_(),
                "the sentence expresses uncertainty about its claim (at least one hedge cue: "
                "epistemic modal, adverb or adjective, doxastic verb, condition, uncertainty phrase)",
                nullable=False,
            ),
            column(
                "booster_cues",
                pa.list_(pa.string()),
                "certainty boosters found in the sentence (e.g. 'clearly', 'undoubtedly', "
                "'no doubt', 'unwavering'), lower-case canonical form from data/booster_cues.tsv, each once",
                nullable=False,
            ),
        ]
    )

    def __init__(self, options: AnnotatorOptions | None = None) -> None:
        self.options = options or AnnotatorOptions()
        self.matcher = default_matcher()

    def annotate(self, batch: SentenceBatch) -> dict[str, list[Any]]:
        hedge_cues: list[list[str]] = []
        boosters: list[list[str]] = []
        hedged: list[bool] = []
        cues = self.matcher.cues
        for text in batch.texts:
            h, b = cues(text) if isinstance(text, str) else ([], [])
            hedge_cues.append(h)
            boosters.append(b)
            hedged.append(bool(h))
        return {"hedge_cues": hedge_cues, "is_hedged": hedged, "booster_cues": boosters}
