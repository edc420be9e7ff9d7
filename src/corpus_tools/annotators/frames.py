"""Generic news frames for security news: a small, documented codebook of cue words.

A *frame* selects some aspects of an issue and makes them salient (Entman 1993). This annotator tags
each sentence with the frames its wording cues, from a codebook adapted to security news from two
standard sources:

- Semetko & Valkenburg (2000), "Framing European politics: a content analysis of press and television
  news", *Journal of Communication* 50(2): the generic frames *conflict*, *human interest*, *economic
  consequences* and *attribution of responsibility* (their fifth, *morality*, is left out: it is rare in
  security reporting and poorly cued by words).
- Boydstun, Gross, Resnik & Smith (2013), Policy Frames Codebook (used for the Media Frames Corpus,
  Card et al. 2015): *economic*; *capacity and resources*; *legality, constitutionality and
  jurisprudence*; *security and defense*; *external regulation and reputation*.

Codebook (``frames`` column values, in this order)
--------------------------------------------------

``conflict``
    Confrontation, escalation or disagreement between actors (S&V conflict; Boydstun security and
    defense). Seed: "Russia may view the increased NATO presence as a provocation, leading to a
    tit-for-tat response."
``military_capability``
    Forces, weapons, readiness and deterrence posture (Boydstun capacity and resources, security and
    defense). Seed: "Key measures discussed include: Deployment of advanced radar systems".
``alliance_solidarity``
    Cohesion and mutual commitment among allies; collective defence. Seed: "This solidarity among NATO
    allies is crucial for maintaining stability in the region."
``diplomacy``
    Dialogue, negotiation, restraint and de-escalation (the resolution side of S&V conflict; Boydstun
    external regulation and reputation). Seed: "Dialogue between NATO and Russia is essential for
    managing tensions and preventing misunderstandings." (also ``conflict``: tensions)
``sovereignty_law``
    Sovereignty, borders, airspace and legality (Boydstun legality, constitutionality and
    jurisprudence). Seed: "The drone incursions into Lithuanian airspace are seen as a violation of
    sovereignty and a potential prelude to more aggressive actions."
``economic``
    Costs, spending, burden-sharing, sanctions and trade (S&V economic consequences; Boydstun economic,
    capacity and resources). Seed: "The United States has long called on its European allies to increase
    their defense spending and contribute more to the collective security of the alliance."
``human_interest``
    People, civilians, victims and emotions (S&V human interest). Seed: "Raising awareness about
    airspace security among civilians to foster a more engaged public in national defense initiatives."
``responsibility``
    Who caused the problem or who must act to solve it; calls for action (S&V attribution of
    responsibility). Seed: "Considering the recent cross-border drone incidents, NATO must prioritize
    collaborative strategies to enhance airspace security."
``threat``
    Danger, risk and vulnerability: the issue presented as a security threat (securitisation; Boydstun
    security and defense). Seed: "The drones, often used for reconnaissance and intelligence gathering,
    pose a significant threat to Lithuania's national security."

Method
------
The cues are in ``corpus_tools/data/frames_codebook.tsv`` (frame, cue, weight; versioned, with its
sources). Cues match case-insensitively on word boundaries; ``stem*`` matches words starting with the
stem; a cue may be a phrase. A frame is assigned when the weights of its *distinct* cues in the sentence
add up to 2 or more: a weight-2 cue ("sovereignty", "escalation", "air defense") carries a frame alone, a
weight-1 cue ("allies", "military", "border") needs another cue of the same frame. A sentence can carry
several frames, or none. All cues are compiled into one regular expression (fast: one pass per
sentence).

Limits
------
- Lexical cues are a proxy: a frame is what a text *does*, and a sentence can frame through facts
  without any cue word, or use a cue word without the frame ("conflict of interest"). Treat the column
  as an indicator to aggregate over many sentences (share of sentences per frame and outlet), not as a
  judgement on one sentence.
- Sentence-level only: the dominant frame of an article is a document-level decision (aggregate the
  column per document).
- Negation and reported speech are not considered ("there is no threat" still cues ``threat``: the
  threat is on the agenda).
- English, and tuned to European security news; "responsibility" cues include deontic modals (must,
  should) that also occur outside calls for action.
- Not validated against human frame annotation (no such public set for security news is available here);
  the seeds illustrate it and ``tests/test_frames.py`` pins the behaviour.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any, ClassVar

import pyarrow as pa

from corpus_tools.annotators.base import AnnotatorOptions, CharacterMap, SentenceBatch
from corpus_tools.lexicons import load_lexicon

CODEBOOK_FILE = "frames_codebook.tsv"
THRESHOLD = 2
FRAMES = (
    "conflict",
    "military_capability",
    "alliance_solidarity",
    "diplomacy",
    "sovereignty_law",
    "economic",
    "human_interest",
    "responsibility",
    "threat",
)
_straighten = CharacterMap({"’": "'", "‘": "'"})
"""Typographic apostrophes made straight (the cues are written with straight ones)."""


class Codebook:
    """The cue lexicon compiled into one pattern; ``frames(text)`` returns the cued frames in order."""

    def __init__(self, rows: tuple[tuple[str, ...], ...], filename: str = CODEBOOK_FILE) -> None:
        self.exact: dict[str, list[tuple[str, int]]] = {}
        self.stems: dict[str, list[tuple[str, int]]] = {}
        for row in rows:
            if len(row) != 3:
                raise ValueError(f"lexicon {filename}: row {row!r} must be frame<TAB>cue<TAB>weight")
            frame, cue, weight = row
            if frame not in FRAMES:
                raise ValueError(f"lexicon {filename}: unknown frame {frame!r} (known: {', '.join(FRAMES)})")
            try:
                value = int(weight)
            except ValueError as exc:
                raise ValueError(
                    f"lexicon {filename}: weight {weight!r} of {cue!r} is not an integer"
                ) from exc
            cue = " ".join(cue.lower().split())
            if cue.endswith("*"):
                self.stems.setdefault(cue[:-1], []).append((frame, value))
            else:
                self.exact.setdefault(cue, []).append((frame, value))
        # one trie-shaped alternation over all cues (fast in ``re``); at each node longer cues are tried
        # first, a stem cue accepts any rest of the word
        self.pattern = re.compile(r"(?<![\w-])" + _trie(self.exact, self.stems) + r"(?![\w-])")
        self._stem_lengths = sorted({len(s) for s in self.stems}, reverse=True)
        self._entry_memo: dict[str, list[tuple[str, int]]] = {}

    def _entries(self, matched: str) -> list[tuple[str, int]]:
        """The (frame, weight) entries of a matched cue, memoised: a corpus repeats few cue spellings."""
        hit = self._entry_memo.get(matched)
        if hit is None:
            hit = self._lookup_entries(matched)
            if len(self._entry_memo) > 100_000:
                self._entry_memo.clear()
            self._entry_memo[matched] = hit
        return hit

    def _lookup_entries(self, matched: str) -> list[tuple[str, int]]:
        key = " ".join(matched.split())
        hit = self.exact.get(key)
        if hit is not None:
            return hit
        for length in self._stem_lengths:
            hit = self.stems.get(key[:length])
            if hit is not None:
                return hit
        return []

    def frames(self, text: str) -> list[str]:
        if not text:
            return []
        # the pattern has no capturing group: findall gives the matched cues, and most sentences none
        matches = self.pattern.findall(_straighten(text).lower())
        if not matches:
            return []
        scores: dict[str, int] = {}
        seen: set[str] = set()
        for matched in matches:
            for frame, weight in self._entries(matched):
                key = frame + "\t" + matched
                if key not in seen:
                    seen.add(key)
                    scores[frame] = scores.get(frame, 0) + weight
        return [frame for frame in FRAMES if scores.get(frame, 0) >= THRESHOLD]


def _trie(literals: Iterable[str], stems: Iterable[str]) -> str:
    """Regex for a set of literal cues and stem cues (``stem`` followed by any word characters)."""
    root: dict[str, Any] = {}
    for cue, kind in [(c, "literal") for c in literals] + [(c, "stem") for c in stems]:
        node = root
        for char in cue:
            node = node.setdefault(char, {})
        node[kind] = True

    def build(node: dict[str, Any]) -> str:
        branches = []
        for char in sorted(k for k in node if len(k) == 1):
            piece = r"\s+" if char == " " else re.escape(char)
            branches.append(piece + build(node[char]))
        if node.get("stem"):
            branches.append(r"[\w-]*")
        elif node.get("literal"):
            branches.append("")
        if not branches:
            return ""
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return build(root)


@cache
def default_codebook() -> Codebook:
    return Codebook(load_lexicon(CODEBOOK_FILE).rows)


def frames_of(text: str) -> list[str]:
    """Frames cued in ``text`` (codebook order)."""
    return default_codebook().frames(text)


class FramesAnnotator:
    """``frames``: the generic news frames cued in each sentence (see the module docstring)."""

    name: ClassVar[str] = "frames"
    version: ClassVar[str] = "1.0.0"
    fields: ClassVar[pa.Schema] = pa.schema(
        [
            pa.field(
                "frames",
                pa.list_(pa.string()),
                metadata={
                    "description": (
                        "generic news frames cued in the sentence, from the corpus_tools security-news codebook "
                        "(corpus_tools.annotators.frames; after Semetko & Valkenburg 2000 and Boydstun et al. "
                        "2013): " + ", ".join(FRAMES)
                    )
                },
            )
        ]
    )

    def __init__(self, options: AnnotatorOptions | None = None) -> None:
        self.codebook = default_codebook()

    def annotate(self, batch: SentenceBatch) -> dict[str, list[Any]]:
        return {"frames": [self.codebook.frames(t) if isinstance(t, str) else [] for t in batch.texts]}


__all__ = ["FRAMES", "Codebook", "FramesAnnotator", "default_codebook", "frames_of"]
