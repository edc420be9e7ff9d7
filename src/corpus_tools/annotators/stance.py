"""Target-aware stance: favor / against / neutral toward each actor a sentence mentions.

What the label means
--------------------
The label says how the *text presents the actor*: ``against`` when the sentence portrays it
unfavourably (its actions are hostile, it is criticised, it is described negatively), ``favor`` when it
portrays it favourably (praised, supported, described positively), ``neutral`` otherwise. It is the
NewsMTSC notion of target-dependent sentiment (Hamborg & Donnay 2021), on which the model is trained and
measured, plus target-aware rules grounded in opinion-role semantics (holder / target, Wiebe et al.
2005; benefactive / malefactive events, Deng & Wiebe 2014):

1. **Agent of a hostile act -> against.** "Russia's drones threaten Lithuania": Russia is the agent of
   *threaten* (cue ``threaten``); also "incursions by Russian drones", "Lithuania was attacked by Russia".
2. **Victim of a hostile act -> not against.** Lithuania is the patient of *threaten*; being harmed is
   not an evaluation of the victim, so the model's ``against`` (if any) becomes ``neutral``; ``favor``
   (e.g. "support for Lithuania") is kept. This is the principled rule we chose for victims. (A verbal
   "attack" -- "attacked X in a statement / on Twitter" -- is criticism, rule 3.)
3. **Patient of criticism -> against; beneficiary of support or praise -> favor** ("NATO condemned
   Moscow", "solidarity with Vilnius"), unless the cue is negated; the helper is not against for helping
   ("NATO pledged to defend Lithuania against any attack": favor, not against).
4. **Opinion holders are not targets of their own opinion.** When the actor is the speaker or source
   of reported speech ("Lithuanian officials said ...", "..., Peskov said", "according to the Kremlin,
   ...") or the critic in a criticism ("NATO condemned Moscow for ..."), and the reported content is
   about someone else (it names another entity and does not refer back to the holder), the words of the
   content are removed before the model scores the holder; the targets *inside* the content are scored
   with it ("Moscow said NATO's drills were a provocation" is against NATO, neutral toward Moscow).
   When the content refers back to the holder ("X announced she will step down") it stays.

**Negation** flips the reading of what it scopes over: words after *not, never, no, without, didn't,
refused...* up to the next punctuation are distinct features for the model (``NOT_threaten``), VADER
valences in the scope are reversed (x -0.74, as VADER does), a negated cue does not fire a rule ("NATO
did not threaten Russia"), and a favor decided by a negated negative word ("Russia is not a threat")
becomes neutral: denying a fault removes the evaluation, it does not praise. "not only ... but also"
does not negate.

Method
------
A linear model over target-relative features: NBSVM-style one-vs-rest logistic regressions (Wang &
Manning 2012) whose logits are combined by a softmax, trained by ``scripts/train_stance.py`` on
``newsmtsc.train.jsonl`` (dev splits for model selection only) and shipped as
``corpus_tools/data/stance_model.json`` (0.7 MB; plain Python at run time, no download,
deterministic). Features, with the target span replaced by a placeholder so that the model learns
*where* words are, not *who* the target is: words of the sentence; words of the target's clause; words by
side and distance from the target (1, 2-3); the bigrams and trigrams that touch the target; VADER
lexicon valences summed by side/distance, over the sentence and over the target's clause
(negation-aware); target shape (pronoun, determiner, possessive, first in sentence/clause, speaker of
reported speech, inside quotation marks); and role features from the cue lexicon ``stance_cues.tsv``
(agent / patient of a hostile, critical, supportive or cooperative cue, negated or not).

``score`` is the signed strength P(favor) - P(against) in [-1, 1] (rounded to 4 decimals); ``cue`` is
the word that contributed most to a favor/against label (prefixed with ``not`` when negated), the
rule's cue word when a rule decided, and ``""`` otherwise (a neutral label decided by the model).

The ``stance`` column has **one entry per actor per sentence** (target = canonical actor name, from
:mod:`corpus_tools.annotators.actors`), in order of first mention. When an actor is mentioned several
times in a sentence the class probabilities of its mentions are averaged; ``mention`` and ``cue`` are
those of the mention that most supports the chosen label. ``implicit_actors`` lists the *labels* of
unnamed references ("neighboring states", "potential aggressors", "hostile power",
"potential adversaries", ...; see the registry's ``implicit`` section), no repeats.

Figures (``corpus-tools evaluate``, ``docs/evaluation.md``): macro-F1 0.657 on newsmtsc-rw.test (whole-
sentence VADER 0.530, published GRU-TSC 0.83) and 0.650 on newsmtsc-mt.test (VADER 0.489).

Limits: a bag-of-features model, well below neural target-dependent models; trained on US politics news
sentences (NewsMTSC), so it knows political evaluation better than military vocabulary (the cue lexicon
and rules cover the latter); no parser, so roles come from word order within a clause (passives with
"by" are handled; long-distance and coordinated roles are not); the victim rule does not cover states of
vulnerability ("Lithuania is vulnerable" can come out against); sarcasm, world knowledge and
document-level stance are out of reach.
"""

from __future__ import annotations

import base64
import json
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from corpus_tools.annotators.actors import ActorRegistry, load_registry
from corpus_tools.annotators.base import AnnotatorOptions, CharacterMap, SentenceBatch
from corpus_tools.lexicons import load_lexicon, read_data_bytes

LABELS = ("against", "neutral", "favor")
MODEL_FILE = "stance_model.json"
CUES_FILE = "stance_cues.tsv"

STANCE_TYPE = pa.struct(
    [
        pa.field("target", pa.string()),
        pa.field("mention", pa.string()),
        pa.field("label", pa.string()),
        pa.field("score", pa.float64()),
        pa.field("cue", pa.string()),
    ]
)

# -- tokenisation ------------------------------------------------------------------------------------
_straighten = CharacterMap({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
"""Typographic apostrophes (and backticks) made straight before tokenising."""
_APOSTROPHES = _straighten.table
# words (internal hyphens and apostrophes kept: "pro-Russian", "O'Reilly"), with the clitics "'s" and
# "n't" split off as their own tokens ("Russia 's", "did n't"), and single punctuation marks
_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*|'s\b|[^\s\w]|_")
_NOT_NEGATING_NEXT = frozenset({"only", "just", "merely", "simply", "least"})
_QUOTES = frozenset({'"', "“", "”"})
_NUMBER = re.compile(r"^\d[\d,.]*$")
_MATCH_GROUP = re.Match.group
_MATCH_START = re.Match.start
_MATCH_END = re.Match.end
_CLAUSE_BREAK = frozenset('.;:!?()[]"“”«»—–')
_SCOPE_BREAK = frozenset('.,;:!?()[]"“”«»—–')
_NEGATORS = frozenset(
    """not n't no never none nothing nobody nowhere neither nor without cannot hardly barely
    aint arent cant couldnt didnt doesnt dont hadnt hasnt havent isnt mightnt mustnt neednt shant
    shouldnt wasnt werent wont wouldnt refused refuses refuse declined fails failed rarely seldom""".split()
)
_PRONOUNS = frozenset(
    "he she him her his hers they them their theirs i we us our my me you your it its himself herself "
    "themselves itself ourselves".split()
)
_SPEECH = frozenset(
    """said says say saying told tells tweeted tweets wrote writes added adds argued argues claimed claims
    claim stated insisted insists noted notes explained explains declared declares announced announces
    asserted asserts alleged alleges suggested suggests stressed stresses emphasized emphasised
    emphasizes emphasises replied replies responded responds maintained maintains acknowledged
    acknowledges admitted admits believes believed thinks thought contended contends countered
    reported reports according""".split()
)
_PREPOSITIONS = frozenset(
    "against on upon into onto in of to toward towards at over for with from by about across near".split()
)
_AGENT_PREPS = frozenset({"by", "from"})
_BLOCK_AFTER = (
    frozenset(
        "and or but that which who whom whose while whereas because although though if when as than".split()
    )
    | _SPEECH
)
_BLOCK_BEFORE = (
    frozenset("that which who whom whose while whereas because although though if when".split()) | _SPEECH
)
_VERBAL = frozenset(
    """statement statements tweet tweets tweeted twitter interview interviews speech speeches remarks op-ed
    column ad ads rally debate debates comments rhetoric letter post posts video podcast""".split()
)
_SELF_REFERENCE = frozenset(
    "he she him her his hers himself herself i me my we us our they them their its it".split()
)
_BE = frozenset("is are was were be been being get gets got gotten".split())


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased tokens with their character offsets in ``text``.

    Words keep internal hyphens and apostrophes ("pro-Russian", "O'Reilly"); the clitics "'s" and "n't"
    are split off ("Russia 's", "do n't"); every other non-space symbol is a token of its own.
    """
    tokens, starts, ends = _token_columns(text)
    return list(zip(tokens, starts, ends, strict=True))


def _clitic_length(tok: str) -> int:
    """Length of the clitic split off the end of a token ("'s": 2, "n't": 3), 0 when none."""
    if "'" in tok and len(tok) > 2:
        if tok.endswith("'s"):
            return 2
        if tok.endswith("n't") and len(tok) > 3:
            return 3
    return 0


def _token_columns(text: str) -> tuple[list[str], list[int], list[int]]:
    """:func:`tokenize` as three parallel lists (tokens, starts, ends).

    :class:`Sentence` keeps the columns separately, so building them directly saves a list of tuples
    and three passes over it per sentence; a sentence without an apostrophe has no clitic to split.
    """
    straight = _straighten(text)
    norm = straight.lower()
    if len(norm) != len(text):  # a lower-casing that changes length (rare): per-token fallback
        matches = list(_TOKEN.finditer(straight))
        found = [m.group(0).lower() for m in matches]
    else:  # offsets in the lower-cased text are those in the text
        matches = list(_TOKEN.finditer(norm))
        found = list(map(_MATCH_GROUP, matches))
    # map over the unbound methods: no Python-level loop body per token
    found_starts = list(map(_MATCH_START, matches))
    found_ends = list(map(_MATCH_END, matches))
    if "'" not in norm:
        return found, found_starts, found_ends
    return _split_clitics(found, found_starts, found_ends)


def _split_clitics(
    found: list[str], found_starts: list[int], found_ends: list[int]
) -> tuple[list[str], list[int], list[int]]:
    """The token columns with "'s" and "n't" split off the words that end with them."""
    tokens: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for tok, start, end in zip(found, found_starts, found_ends, strict=True):
        cut = _clitic_length(tok) if "'" in tok else 0
        if cut:
            tokens.append(tok[:-cut])
            starts.append(start)
            ends.append(end - cut)
            start = end - cut
            tok = tok[-cut:]
        tokens.append(tok)
        starts.append(start)
        ends.append(end)
    return tokens, starts, ends


# -- lexicons ----------------------------------------------------------------------------------------
@cache
def _vader_lexicon() -> dict[str, float]:
    """VADER's word valences (vaderSentiment, MIT), read from the installed package."""
    raw = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    out: dict[str, float] = {}
    for line in raw.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            try:
                out[parts[0]] = float(parts[1])
            except ValueError:
                continue
    return out


class _Cues:
    """Cue lexicon lookup (exact words and ``stem*`` prefixes), memoised per token."""

    def __init__(self) -> None:
        lexicon = load_lexicon(CUES_FILE)
        self.exact: dict[str, str] = {}
        stems: dict[str, str] = {}
        for row in lexicon.rows:
            if len(row) < 2:
                raise ValueError(f"lexicon {CUES_FILE}: row {row!r} needs a cue and a class")
            cue, cls = row[0].lower(), row[1]
            if cue.endswith("*"):
                stems[cue[:-1]] = cls
            else:
                self.exact[cue] = cls
        ordered = sorted(stems, key=len, reverse=True)
        self._stem_classes = stems
        self._stem_re = re.compile("|".join(re.escape(s) for s in ordered)) if ordered else None
        self._memo: dict[str, str] = {}

    def lookup(self, token: str) -> str:
        hit = self._memo.get(token)
        if hit is not None:
            return hit
        cls = self.exact.get(token, "")
        if not cls and self._stem_re is not None:
            match = self._stem_re.match(token)
            if match:
                cls = self._stem_classes[match.group(0)]
        if len(self._memo) > 200_000:
            self._memo.clear()
        self._memo[token] = cls
        return cls


@cache
def _cues() -> _Cues:
    return _Cues()


_TokenInfo = tuple[float, str, int, str, bool, bool]
_token_info: dict[str, _TokenInfo] = {}


def _lookup_token(tok: str) -> _TokenInfo:
    """What :class:`Sentence` needs to know about a token, memoised (a sentence repeats few new words).

    (VADER valence, cue class, kind, feature word, is a word, is a quotation mark); kind 1 negator,
    2 clause break, 3 scope break; the feature word collapses numbers to ``<num>``.
    """
    kind = 1 if tok in _NEGATORS else 2 if tok in _CLAUSE_BREAK else 3 if tok in _SCOPE_BREAK else 0
    value = _vader_lexicon().get(tok, 0.0)
    cue_class = _cues().lookup(tok) if tok[:1].isalpha() else ""
    word = "<num>" if tok[:1].isdigit() and _NUMBER.match(tok) else tok
    if len(_token_info) > 500_000:
        _token_info.clear()
    hit = (value, cue_class, kind, word, tok[:1].isalnum(), tok in _QUOTES)
    _token_info[tok] = hit
    return hit


# -- sentence analysis -------------------------------------------------------------------------------
class Sentence:
    """Per-sentence token analysis shared by every target in the sentence."""

    __slots__ = (
        "_bag",
        "clause_id",
        "cls",
        "ends",
        "is_word",
        "neg",
        "quotes",
        "starts",
        "text",
        "tokens",
        "valence",
        "valenced",
        "words",
    )

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens, self.starts, self.ends = _token_columns(text)
        self._bag: _Bag | None = None
        self._scan()

    def _scan(self) -> None:
        """One pass over the tokens: negation scope, clauses, valences, cue classes and feature words."""
        tokens = self.tokens
        info = _token_info
        n = len(tokens)
        self.neg = neg = [False] * n
        self.valence = valence = [0.0] * n
        self.cls = cls = [""] * n
        self.clause_id = clause_id = [0] * n
        self.words = words = [""] * n
        self.is_word = is_word = [False] * n
        valenced: list[int] = []
        quotes: list[int] = []
        self.valenced = valenced
        self.quotes = quotes
        on = False
        clause = 0
        for i, tok in enumerate(tokens):
            hit = info.get(tok)
            if hit is None:
                hit = _lookup_token(tok)
            value, cue_class, kind, word, is_word[i], quote = hit
            if quote:
                quotes.append(i)
            if kind:  # 1 negator, 2 clause break (ends negation scope), 3 other scope break
                if kind >= 2:
                    on = False
                    if kind == 2:
                        clause += 1
                clause_id[i] = clause
                neg[i] = on
                words[i] = "NOT_" + word if on else word
                if kind == 1 and not (i + 1 < n and tokens[i + 1] in _NOT_NEGATING_NEXT):
                    on = True  # ("not only ... but also" does not negate)
                if value:
                    valence[i] = value
                    valenced.append(i)
                continue
            clause_id[i] = clause
            neg[i] = on
            # the token as a feature: numbers collapsed, negated words marked
            words[i] = "NOT_" + word if on else word
            if value and not (tok == "well" and 0 < i < n - 1 and tokens[i - 1] == tokens[i + 1] == "as"):
                valence[i] = -0.74 * value if on else value  # ("as well as" is not praise)
                valenced.append(i)
            if cue_class:
                cls[i] = cue_class

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Character span of each token (built on demand: the analysis reads ``starts``/``ends``)."""
        return list(zip(self.starts, self.ends, strict=True))

    def target_range(self, start: int, end: int) -> tuple[int, int]:
        """Token range [a, b) overlapping the character span; an empty range at the position if none."""
        a = bisect_right(self.ends, start)  # first token ending after the span starts
        b = bisect_left(self.starts, end)  # tokens starting before the span ends
        return (a, b) if a < b else (b, b)


@dataclass(frozen=True)
class Roles:
    """Role evidence for one target: (role, class, token index, negated) per cue."""

    items: tuple[tuple[str, str, int, bool], ...]
    speaker: tuple[int, int] | None  # token range of the reported content when the target is its source


_DETERMINERS = frozenset(
    "the a an its their his her our my your this these those some any all both each every another".split()
)
_AUX = frozenset(
    """has have had is are was were will would could can may might should shall must did does do be been
    being continues continued continue to also again repeatedly reportedly allegedly already now still just
    then further once openly increasingly""".split()
)
# prepositions that link a cue to its patient, by cue class ("aggression against", "support for")
_PATIENT_PREPS = {
    "hostile": frozenset("against on upon into onto at toward towards of over in to".split()),
    "criticism": frozenset("against on upon of over at toward towards for".split()),
    "support": frozenset("for to of with toward towards".split()),
    "cooperation": frozenset("with between among".split()),
}


def _is_capitalised(sent: Sentence, index: int) -> bool:
    first = sent.text[sent.starts[index] : sent.ends[index]][:1]
    return first.isupper()


def _roles(sent: Sentence, a: int, b: int) -> Roles:
    """Agent / patient roles of the target toward the nearest cue on each side (word-order heuristics)."""
    toks, cls = sent.tokens, sent.cls
    n = len(toks)
    items: list[tuple[str, str, int, bool]] = []
    # cue after the target: the target is the agent ("Russia's drones threaten", "Russian jets violated",
    # "Moscow has repeatedly threatened"), or the patient of a passive ("Lithuania was threatened")
    free = 0
    j = b
    while j < n and j - b < 7:
        tok = toks[j]
        if cls[j] and not (j == b and tok == "'s"):
            passive = j > b and toks[j - 1] in _BE and (tok.endswith("ed") or tok.endswith("en"))
            items.append(("patient" if passive else "agent", cls[j], j, sent.neg[j]))
            break
        if tok == "'s" or tok in _AUX or tok.endswith("ly") or tok in _NEGATORS:
            j += 1
            continue
        if tok in _SCOPE_BREAK or tok in _BLOCK_AFTER or tok in _PREPOSITIONS or tok in _DETERMINERS:
            break
        free += 1
        if free > 2:
            break
        j += 1
    # cue before the target: the target is the patient ("threaten Lithuania", "aggression against
    # Ukraine", "support for Vilnius"), or the agent after "by"/"from" ("incursions by Russian drones")
    j = a - 1
    prep = ""
    free = 0
    names_ok = True  # capitalised words only directly before the target ("attacked President Putin")
    while j >= 0 and a - j <= 6:
        tok = toks[j]
        if cls[j]:
            if prep in _AGENT_PREPS:
                items.append(("agent", cls[j], j, sent.neg[j]))
            elif not prep or prep in _PATIENT_PREPS.get(cls[j], ()):
                items.append(("patient", cls[j], j, sent.neg[j]))
            break
        if tok in _PREPOSITIONS:
            if prep:
                break
            prep = tok
            names_ok = False
        elif tok in _DETERMINERS or tok == "'s" or _NUMBER.match(tok):
            names_ok = False
        elif tok[:1].isalpha() and _is_capitalised(sent, j):
            if not names_ok:
                break
        elif tok in _SCOPE_BREAK or tok in _BLOCK_BEFORE or tok in _AUX:
            break
        else:
            free += 1
            names_ok = False
            if free > 1:
                break
        j -= 1
    if not any(role for role, _, index, _ in items if index < a):
        by_phrase = _patient_after_by_phrase(sent, a)
        if by_phrase is not None:
            items.append(by_phrase)
    # a verbal "attack" ("attacked X in a statement / on Twitter") is criticism, not force
    if any(cue_class == "hostile" for _, cue_class, _, _ in items):
        window = {toks[k] for k in range(max(0, a - 8), min(n, b + 8))}
        if window & _VERBAL:
            items = [(r, "criticism" if c == "hostile" else c, i, ng) for r, c, i, ng in items]
    speaker = _speaker(sent, a, b)
    if speaker is None:
        # the critic is the holder of the criticism, like a speaker ("NATO condemned Moscow for ...")
        for role, cue_class, index, negated in items:
            if role == "agent" and cue_class == "criticism" and not negated and index >= b:
                if _about_someone_else(sent, index + 1, n):
                    speaker = (index, n)
                break
    return Roles(tuple(items), speaker)


def _patient_after_by_phrase(sent: Sentence, a: int) -> tuple[str, str, int, bool] | None:
    """Patient after a by-phrase: "incursions by Russian drones into [Lithuanian] airspace"."""
    toks, cls = sent.tokens, sent.cls
    j = a - 1
    while j >= 0 and a - j <= 2 and (toks[j] in _DETERMINERS or _is_capitalised(sent, j)):
        j -= 1
    if j < 3 or toks[j] not in _PREPOSITIONS or toks[j] in _AGENT_PREPS:
        return None
    prep = toks[j]
    k = j - 1
    while k >= 1 and j - k <= 3:
        tok = toks[k]
        if tok in _AGENT_PREPS:
            cue = k - 1
            if cls[cue] and prep in _PATIENT_PREPS.get(cls[cue], ()):
                return ("patient", cls[cue], cue, sent.neg[cue])
            return None
        if tok in _SCOPE_BREAK or tok in _PREPOSITIONS or tok in _BLOCK_BEFORE or cls[k]:
            return None
        k -= 1
    return None


def _speaker(sent: Sentence, a: int, b: int) -> tuple[int, int] | None:
    """Token range of the reported content when the target is the source of reported speech *about
    someone else* (the content names another capitalised entity); None otherwise."""
    toks = sent.tokens
    n = len(toks)
    content: tuple[int, int] | None = None
    quote_before = a > 1 and toks[a - 1] in {",", '"', "“", "”"}
    # "T said (that) ...", "T's spokesman told reporters ...", '"...," T said'
    for j in range(b, min(n, b + 4)):
        tok = toks[j]
        if tok in _SPEECH and tok != "according":
            content = (0, a) if quote_before else (j + 1, n)
            break
        if not (tok == "'s" or tok in _AUX or tok.endswith("ly") or tok.isalpha()) or tok in _BLOCK_AFTER:
            break
        if tok in _BE or tok in _PRONOUNS or tok in _PREPOSITIONS or tok in _DETERMINERS:
            break
    if content is None:
        # '"...," said T' / "..., according to T" / "According to T, ..."
        for j in range(a - 1, max(-1, a - 4), -1):
            tok = toks[j]
            if tok in _SPEECH:
                if j > 0 and toks[j - 1] in _BE:
                    break
                content = (b, n) if tok == "according" and j <= 1 else (0, j)
                break
            if tok not in {"to", "the", "a", "'s"} and tok not in _PRONOUNS and not _is_capitalised(sent, j):
                break
    if content is None:
        return None
    return content if _about_someone_else(sent, *content) else None


def _about_someone_else(sent: Sentence, lo: int, hi: int) -> bool:
    """The reported content names another capitalised entity and does not refer back to its holder
    ("X announced she will step down" is about X)."""
    toks = sent.tokens
    if any(toks[k] in _SELF_REFERENCE for k in range(lo, hi)):
        return False
    return any(
        toks[k][:1].isalpha()
        and _is_capitalised(sent, k)
        and toks[k] != "i"
        and toks[k - 1] not in _CLAUSE_BREAK
        for k in range(max(lo, 1), hi)
    )


class Features:
    """Parallel lists: feature names, their values, and the token each comes from (-1: none)."""

    __slots__ = ("names", "owners", "values")

    def __init__(self) -> None:
        self.names: list[str] = []
        self.values: list[float] = []
        self.owners: list[int] = []

    def __len__(self) -> int:
        return len(self.names)

    def items(self) -> list[tuple[str, float, int]]:
        return list(zip(self.names, self.values, self.owners, strict=True))


def features(
    sent: Sentence,
    a: int,
    b: int,
    *,
    mask: tuple[int, int] | None = None,
    roles: Roles | None = None,
    bag: bool = True,
) -> Features:
    """Features of the target tokens [a, b) of ``sent`` (see the module docstring).

    ``mask``: token range left out (the reported content when the target is its speaker);
    ``roles``: the target's roles when already computed; ``bag=False`` leaves out the sentence and
    clause words (``w:``, ``c:``), which :class:`StanceModel` scores once per sentence instead.
    """
    toks, words, val, clause = sent.tokens, sent.words, sent.valence, sent.clause_id
    n = len(toks)
    out = Features()
    name, value_of, owner = out.names.append, out.values.append, out.owners.append
    if mask is None:
        keep = [*range(a), *range(b, n)] if bag else []
    else:
        keep = [i for i in range(n) if (i < a or i >= b) and not (mask[0] <= i < mask[1])]
    target_clause = clause[a] if a < n else (clause[n - 1] if n else 0)
    sums: dict[str, float] = {}
    strongest: dict[str, tuple[float, int]] = {}
    if bag:
        for i in keep:
            name("w:" + words[i])
            value_of(1.0)
            owner(i)
            if clause[i] == target_clause:
                name("c:" + words[i])
                value_of(1.0)
                owner(i)
    # words by side and distance: 1, 2-3
    for i in (*range(max(0, a - 3), a), *range(b, min(n, b + 3))):
        if mask is not None and mask[0] <= i < mask[1]:
            continue
        distance = a - i if i < a else i - b + 1
        name(("L" if i < a else "R") + ("1:" if distance == 1 else "2:") + words[i])
        value_of(1.0)
        owner(i)
    # VADER valences summed by zone (side and distance), over the sentence and over the target clause;
    # one feature per sum, attributed (for the cue) to the word with the largest valence in it
    for i in sent.valenced:
        if a <= i < b or (mask is not None and mask[0] <= i < mask[1]):
            continue
        value = val[i]
        left = i < a
        distance = a - i if left else i - b + 1
        zone = ("L" if left else "R") + ("n" if distance <= 3 else "m" if distance <= 8 else "f")
        for key in (zone, "all", "cl") if clause[i] == target_clause else (zone, "all"):
            sums[key] = sums.get(key, 0.0) + value
            if abs(value) > strongest.get(key, (0.0, -1))[0]:
                strongest[key] = (abs(value), i)
    for key, total in sums.items():
        name("vs:" + key)
        value_of(total / 4.0)
        owner(strongest[key][1])
    extra: list[tuple[str, int]] = []
    add = extra.append
    for key, total in sums.items():
        sign = "+" if total > 0 else "-" if total < 0 else "0"
        add((f"vsg:{key}:{sign}", strongest[key][1]))
    # bigrams and trigrams that touch the target (collapsed to <t>)
    if mask is None:
        before = list(range(max(0, a - 2), a))
        after = list(range(b, min(n, b + 2)))
    else:
        before = [i for i in keep if i < a][-2:]
        after = [i for i in keep if i >= b][:2]
    if before:
        i1 = before[-1]
        add((f"tb:{toks[i1]}_<t>", i1))
        if len(before) == 2:
            add((f"tb:{toks[before[0]]}_{toks[i1]}_<t>", before[0]))
    if after:
        i2 = after[0]
        add((f"tb:<t>_{toks[i2]}", i2 if toks[i2] not in _SCOPE_BREAK else -1))
        if len(after) == 2:
            add((f"tb:<t>_{toks[i2]}_{toks[after[1]]}", after[1]))
    # target shape and position
    target = toks[a:b]
    if a == 0:
        add(("t_first", -1))
    if a == 0 or clause[a - 1] != target_clause or toks[a - 1] in _CLAUSE_BREAK:
        add(("t_clause_first", -1))
    if b < n and toks[b] == "'s":
        add(("t_poss", -1))
    if sent.quotes and sum(1 for q in sent.quotes if q < a) % 2 == 1:
        add(("t_inquote", -1))
    for tok in target:
        if tok in _PRONOUNS:
            add(("tw:" + tok, -1))
    add((f"tlen:{min(len(target), 4)}", -1))
    if target and target[0] in ("the", "a", "an"):
        add(("tdet", -1))
    if target and target[-1] == "'s":
        add(("tposs_in", -1))
    if roles is None:
        roles = _roles(sent, a, b)
    if roles.speaker is not None:
        add(("t_speaker", -1))
    for role, cue_class, index, negated in roles.items:
        add((f"role:{role}:{cue_class}" + (":neg" if negated else ""), index))
    for feature, index in extra:
        name(feature)
        value_of(1.0)
        owner(index)
    return out


# -- model -------------------------------------------------------------------------------------------
_Row = tuple[float, float, float]


class _Bag:
    """Per-sentence word weights (the ``w:`` and ``c:`` rows of each token) and their sums, per model.

    ``rows[i]`` is the model's memoised (``w:`` row, ``c:`` row) pair of token ``i``: one list built by a
    comprehension instead of two lists grown by ``append`` per token.
    """

    __slots__ = ("_margins", "clause", "clause_sums", "model", "rows", "total")

    def __init__(self, model: StanceModel, sent: Sentence) -> None:
        self.model = model
        get, row_of = model.word_rows.get, model.word_row
        # a pair is a 2-tuple, never falsy: ``or`` only calls word_row for a word not seen yet
        rows = [get(word) or row_of(word) for word in sent.words]
        t0 = t1 = t2 = 0.0
        sums: dict[int, list[float]] = {}
        acc: list[float] = []
        acc_clause = -1  # clause ids never decrease: look the clause's sums up once per clause
        for (w_row, c_row), k in zip(rows, sent.clause_id, strict=True):
            if w_row is not None:
                t0 += w_row[0]
                t1 += w_row[1]
                t2 += w_row[2]
            if c_row is not None:
                if k != acc_clause:
                    acc = sums.setdefault(k, [0.0, 0.0, 0.0])
                    acc_clause = k
                acc[0] += c_row[0]
                acc[1] += c_row[1]
                acc[2] += c_row[2]
        self.rows = rows
        self.total = (t0, t1, t2)
        self.clause_sums = sums
        self.clause = sent.clause_id
        self._margins: dict[tuple[int, int], list[float]] = {}

    def margins(self, decision: int, target_clause: int) -> list[float]:
        """Per-token contribution of the sentence and clause words to the margin of ``decision`` over
        the mean of the other labels, for targets in ``target_clause`` (cached per sentence)."""
        key = (decision, target_clause)
        cached = self._margins.get(key)
        if cached is None:
            o1, o2 = [k for k in range(3) if k != decision]
            cached = []
            for (w_row, c_row), k in zip(self.rows, self.clause, strict=True):
                value = 0.0 if w_row is None else w_row[decision] - 0.5 * (w_row[o1] + w_row[o2])
                if c_row is not None and k == target_clause:
                    value += c_row[decision] - 0.5 * (c_row[o1] + c_row[o2])
                cached.append(value)
            self._margins[key] = cached
        return cached


class StanceModel:
    """Linear softmax model: ``features -> P(against, neutral, favor)``.

    Scoring is plain Python over a ``feature -> (w_against, w_neutral, w_favor)`` table: for the few
    dozen features of a target that is faster than numpy's per-call overhead.
    """

    def __init__(self, payload: dict[str, Any]) -> None:
        if list(payload["labels"]) != list(LABELS):
            raise ValueError(f"{MODEL_FILE}: labels {payload['labels']} != {list(LABELS)}")
        self.version: str = payload["version"]
        names = payload["features"]
        weights = decode_weights(payload["weights"])
        if len(weights) != 3 * len(names):
            raise ValueError(f"{MODEL_FILE}: {len(weights)} weights for {len(names)} features x 3 labels")
        rows = zip(weights[0::3], weights[1::3], weights[2::3], strict=True)
        self.table: dict[str, _Row] = dict(zip(names, rows, strict=True))
        self.bias = [float(x) for x in payload["bias"]]
        self.decision_bias = [float(x) for x in payload.get("decision_bias", [0.0, 0.0, 0.0])]
        # word -> (its "w:" row, its "c:" row): one lookup per token instead of two string builds
        # and two table lookups
        self.word_rows: dict[str, tuple[_Row | None, _Row | None]] = {}

    def word_row(self, word: str) -> tuple[_Row | None, _Row | None]:
        """The sentence-word and clause-word weight rows of a token feature, memoised."""
        if len(self.word_rows) > 200_000:
            self.word_rows.clear()
        pair = (self.table.get("w:" + word), self.table.get("c:" + word))
        self.word_rows[word] = pair
        return pair

    def offset(self) -> list[float]:
        return [x + y for x, y in zip(self.bias, self.decision_bias, strict=True)]

    def scores(self, feats: Features) -> tuple[list[float], list[tuple[int, _Row, float]]]:
        """Logits (decision offsets included) and (token, weight row, value) of the known features."""
        l0, l1, l2 = self.offset()
        known = []
        get = self.table.get
        for name, value, owner in zip(feats.names, feats.values, feats.owners, strict=True):
            row = get(name)
            if row is not None:
                l0 += row[0] * value
                l1 += row[1] * value
                l2 += row[2] * value
                known.append((owner, row, value))
        return [l0, l1, l2], known

    def bag(self, sent: Sentence) -> _Bag:
        """The sentence's word weights, computed once per sentence and shared by all its targets."""
        cached = sent._bag
        if cached is None or cached.model is not self:
            cached = _Bag(self, sent)
            sent._bag = cached
        return cached


WEIGHT_SCALE = 10_000
"""The model's weights are multiples of 1e-4 (the trainer rounds them to 4 decimals) and ship as
integers: ``weight = integer / WEIGHT_SCALE`` gives back the very floats (IEEE division is correctly
rounded, as is decimal parsing), and decoding 73,860 of them takes ~2 ms where JSON's float parsing
took ~17 ms in every process."""


def encode_weights(values: Sequence[float]) -> dict[str, Any]:
    """``values`` (multiples of 1 / :data:`WEIGHT_SCALE`) as little-endian int32 in base64."""
    array = np.asarray(values, dtype=np.float64)
    ints = np.rint(array * WEIGHT_SCALE)
    if not np.array_equal(ints / WEIGHT_SCALE, array) or np.abs(ints).max(initial=0) >= 2**31:
        raise ValueError(
            "stance weights must be multiples of 1e-4 below 2**31 / 1e4 (round them to 4 decimals)"
        )
    data = base64.b64encode(ints.astype("<i4").tobytes()).decode("ascii")
    return {"dtype": "<i4", "scale": WEIGHT_SCALE, "base64": data}


def decode_weights(stored: Any) -> list[float]:
    """The weights of a model file: :func:`encode_weights`' form, or a plain JSON list of numbers."""
    if isinstance(stored, list):
        return [float(x) for x in stored]
    try:
        if (stored["dtype"], stored["scale"]) != ("<i4", WEIGHT_SCALE):
            raise ValueError(
                f"dtype {stored['dtype']!r} and scale {stored['scale']!r}, expected '<i4' and {WEIGHT_SCALE}"
            )
        ints = np.frombuffer(base64.b64decode(stored["base64"], validate=True), dtype="<i4")
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{MODEL_FILE}: unreadable weights ({exc})") from exc
    values: list[float] = (ints / float(WEIGHT_SCALE)).tolist()
    return values


@cache
def default_model() -> StanceModel:
    return StanceModel(json.loads(read_data_bytes(MODEL_FILE).decode("utf-8")))


def _softmax(z: Sequence[float]) -> list[float]:
    top = max(z)
    e = [math.exp(x - top) for x in z]
    total = sum(e)
    return [x / total for x in e]


@dataclass(frozen=True)
class StanceResult:
    label: str
    score: float
    cue: str
    probs: tuple[float, float, float]  # P(against), P(neutral), P(favor), after rules


def _cue_word(sent: Sentence, index: int) -> str:
    if index < 0 or index >= len(sent.tokens):
        return ""
    word = sent.text[sent.starts[index] : sent.ends[index]].translate(_APOSTROPHES).lower()
    return "not " + word if sent.neg[index] else word


def _analyse(sent: Sentence, a: int, b: int, model: StanceModel, use_rules: bool = True) -> StanceResult:
    roles = _roles(sent, a, b)
    n = len(sent.tokens)
    clause = sent.clause_id
    target_clause = clause[a] if a < n else (clause[n - 1] if n else 0)
    bag: _Bag | None = None
    if use_rules and roles.speaker is not None:
        # opinion holders are not targets of their own opinion: score without the reported content
        logits, known = model.scores(features(sent, a, b, mask=roles.speaker, roles=roles))
    else:
        # the sentence and clause words are summed once per sentence (the same sums as the full
        # feature list), minus the target's own tokens
        logits, known = model.scores(features(sent, a, b, roles=roles, bag=False))
        bag = model.bag(sent)
        logits[0] += bag.total[0]
        logits[1] += bag.total[1]
        logits[2] += bag.total[2]
        clause_sum = bag.clause_sums.get(target_clause)
        if clause_sum is not None:
            logits[0] += clause_sum[0]
            logits[1] += clause_sum[1]
            logits[2] += clause_sum[2]
        for i in range(a, b):
            w_row, c_row = bag.rows[i]
            for row in (w_row, c_row if clause[i] == target_clause else None):
                if row is not None:
                    logits[0] -= row[0]
                    logits[1] -= row[1]
                    logits[2] -= row[2]
    probs = _softmax(logits)
    rule_cue = -1
    if use_rules:
        probs, rule_cue = _apply_rules(probs, roles)
    decision = max(range(3), key=probs.__getitem__)
    cue = ""
    if rule_cue >= 0:
        cue = _cue_word(sent, rule_cue)
    elif decision != 1 and n:
        # the word whose features push most toward the decision (margin over the mean of the others);
        # a neutral label has no cue unless a rule decided it
        o1, o2 = [k for k in range(3) if k != decision]
        small: dict[int, float] = {}
        for owner, row, value in known:
            if owner >= 0:
                small[owner] = small.get(owner, 0.0) + (row[decision] - 0.5 * (row[o1] + row[o2])) * value
        base = bag.margins(decision, target_clause) if bag is not None else None
        is_word = sent.is_word
        best, best_value = -1, 0.25
        for i in range(n) if base is not None else sorted(small):
            if a <= i < b or not is_word[i]:  # a cue is a word outside the target, not punctuation
                continue
            value = (base[i] if base is not None else 0.0) + small.get(i, 0.0)
            if value > best_value:
                best, best_value = i, value
        if best >= 0:
            cue = _cue_word(sent, best)
            if (
                use_rules
                and decision == 2
                and sent.neg[best]
                and (sent.valence[best] > 0 or sent.cls[best] in ("hostile", "criticism"))
            ):
                # negating a negative word ("not a threat") removes the evaluation; it does not
                # make the target favoured: favor on that cue alone becomes neutral
                probs = [probs[0], probs[1] + probs[2], 0.0]
                decision = 1
    return StanceResult(
        LABELS[decision], round(probs[2] - probs[0], 4) + 0.0, cue, (probs[0], probs[1], probs[2])
    )


def _apply_rules(probs: list[float], roles: Roles) -> tuple[list[float], int]:
    """Target-aware rules on the model's distribution (see the module docstring); returns the cue index."""
    p_against, p_neutral, p_favor = probs
    for role, cue_class, index, negated in roles.items:
        if negated:
            continue
        if cue_class == "hostile" and role == "agent":
            # the agent of a hostile act is presented unfavourably
            if p_against < 0.6:
                rest = p_neutral + p_favor
                scale = 0.4 / rest if rest > 0 else 0.0
                p_against, p_neutral, p_favor = 0.6, p_neutral * scale, p_favor * scale
            return [p_against, p_neutral, p_favor], index
        if cue_class == "hostile" and role == "patient":
            # the victim of a hostile act is not evaluated by it
            if p_against > max(p_neutral, p_favor):
                return [0.0, p_neutral + p_against, p_favor], index
            return probs, -1
        if cue_class == "criticism" and role == "patient" and p_against < max(p_neutral, p_favor):
            # the target of criticism is presented unfavourably
            return _promote(probs, 0), index
        if cue_class == "support" and role == "patient" and p_favor < max(p_neutral, p_against):
            # the beneficiary of support or praise is presented favourably
            return _promote(probs, 2), index
        if cue_class == "support" and role == "agent" and p_against > max(p_neutral, p_favor):
            # the helper is presented favourably by helping (the model read it as against)
            return _promote(probs, 2), index
    return probs, -1


def _promote(probs: list[float], k: int) -> list[float]:
    """Move just enough probability mass to class ``k`` for it to win (from the others, proportionally)."""
    others = [j for j in range(3) if j != k]
    need = max(probs[j] for j in others) + 0.01 - probs[k]
    rest = sum(probs[j] for j in others)
    out = list(probs)
    out[k] = probs[k] + need
    for j in others:
        out[j] = probs[j] - need * probs[j] / rest
    total = sum(out)
    return [max(0.0, x) / total for x in out]


MAX_MENTIONS_SCORED = 4
"""Mentions of one actor scored per sentence (the first ones; their probabilities are averaged)."""


def stance_detail(text: str, start: int, end: int, *, rules: bool = True) -> StanceResult:
    """Label, signed score and cue toward the span ``text[start:end]`` (see the module docstring).

    Raises ``ValueError`` unless ``0 <= start < end <= len(text)`` (integers): a label toward an
    empty or out-of-range span would be meaningless.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise ValueError(f"span [{start!r}:{end!r}] is not a non-empty span of a text of length {len(text)}")
    if not text[start:end].strip():
        return StanceResult("neutral", 0.0, "", (0.0, 1.0, 0.0))
    sent = Sentence(text)
    a, b = sent.target_range(start, end)
    return _analyse(sent, a, b, default_model(), use_rules=rules)


def stance_toward(text: str, start: int, end: int) -> str:
    """``favor``, ``against`` or ``neutral``: how ``text`` presents the span ``text[start:end]``."""
    return stance_detail(text, start, end).label


# -- annotator ---------------------------------------------------------------------------------------
class StanceAnnotator:
    """``stance`` (one entry per actor per sentence) and ``implicit_actors`` (labels)."""

    name: ClassVar[str] = "stance"
    version: ClassVar[str] = "1.0.1"
    fields: ClassVar[pa.Schema] = pa.schema(
        [
            pa.field(
                "stance",
                pa.list_(STANCE_TYPE),
                metadata={
                    "description": (
                        "one entry per actor named in the sentence (actor registry: canonical name, aliases, "
                        "demonyms, capitals, metonyms): target = canonical actor name, mention = the words "
                        "in the text, label = favor/against/neutral toward the actor as the text presents "
                        "it, score = P(favor) - P(against) in [-1, 1], cue = word that decided it"
                    )
                },
            ),
            pa.field(
                "implicit_actors",
                pa.list_(pa.string()),
                metadata={
                    "description": (
                        "labels of unnamed references to actors (e.g. 'neighboring states', "
                        "'potential aggressors', 'hostile power', 'potential adversaries')"
                    )
                },
            ),
        ]
    )

    def __init__(self, options: AnnotatorOptions | None = None) -> None:
        options = options or AnnotatorOptions()
        self.registry: ActorRegistry = load_registry(options.actors)
        self.model = default_model()

    def annotate(self, batch: SentenceBatch) -> dict[str, list[Any]]:
        texts = [t if isinstance(t, str) else "" for t in batch.texts]
        doc_ids = list(batch.doc_ids) if len(batch.doc_ids) == len(texts) else ["inline"] * len(texts)
        mentions: list[list[Any]] = []
        implicit: list[list[str]] = []
        start = 0
        while start < len(texts):  # runs of sentences of the same document
            stop = start
            while stop < len(texts) and doc_ids[stop] == doc_ids[start]:
                stop += 1
            mentions.extend(self.registry.find_in_document(texts[start:stop]))
            implicit.extend(self.registry.find_implicit_in_document(texts[start:stop]))
            start = stop
        stance = [self._sentence(text, found) for text, found in zip(texts, mentions, strict=True)]
        return {"stance": stance, "implicit_actors": implicit}

    def _sentence(self, text: str, found: Sequence[Any]) -> list[dict[str, Any]]:
        if not found:
            return []
        sent = Sentence(text)
        per_actor: dict[str, list[tuple[str, StanceResult]]] = {}
        for mention in found:
            if len(per_actor.get(mention.target, ())) >= MAX_MENTIONS_SCORED:
                continue  # each analysis reads the whole sentence: bound the work on lists of names
            a, b = sent.target_range(mention.start, mention.end)
            per_actor.setdefault(mention.target, []).append(
                (mention.mention, _analyse(sent, a, b, self.model))
            )
        entries = []
        for target, results in per_actor.items():
            if len(results) == 1:
                surface, best = results[0]
                label, score = best.label, best.score
            else:
                probs = [sum(r.probs[k] for _, r in results) / len(results) for k in range(3)]
                decision = max(range(3), key=probs.__getitem__)
                label = LABELS[decision]
                score = round(float(probs[2] - probs[0]), 4) + 0.0
                surface, best = max(results, key=lambda item: item[1].probs[decision])
            entries.append(
                {"target": target, "mention": surface, "label": label, "score": score, "cue": best.cue}
            )
        return entries


__all__ = [
    "LABELS",
    "STANCE_TYPE",
    "Sentence",
    "StanceAnnotator",
    "StanceModel",
    "StanceResult",
    "features",
    "stance_detail",
    "stance_toward",
    "tokenize",
]
