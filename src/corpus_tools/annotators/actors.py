"""Actor registry: who a sentence talks about, named (``Moscow`` -> Russia) or not ("potential aggressors").

The packaged registry is ``corpus_tools/data/actors_default.json``; users pass their own file with the
same format (``annotate_text(..., actors=PATH)``, ``corpus-tools build --actors FILE``), which *replaces*
the default (copy the packaged file and edit it to extend it).

Registry format (JSON, UTF-8)
-----------------------------
::

    {
      "name": "my_actors",                 # required, string
      "version": "1.0.0",                  # required, string (bump it when you edit the file)
      "source": "who wrote it, from what", # required, string
      "licence": "CC0-1.0",                # optional
      "exclude": ["Latin American", ...],  # optional: phrases that are *not* actor mentions
      "actors": [                          # required, non-empty list
        {
          "name": "Russia",                # required: canonical name, the ``target`` in the stance column
          "type": "state",                 # optional: state, organisation, group, person, office, ...
          "affiliation": "Russia",         # optional: canonical name of another actor in the file
          "role": "President of Russia",   # optional, free text
          "aliases":    ["Russia", "Russian Federation"],
          "demonyms":   ["Russian", "Russians"],
          "capitals":   ["Moscow"],
          "metonyms":   ["the Kremlin", "Kaliningrad"],
          "contextual": ["the alliance", "allies"]
        }
      ],
      "implicit": [                        # optional: unnamed references
        {"label": "potential aggressors", "phrases": ["potential aggressors", "would-be aggressors"]}
      ]
    }

``aliases``, ``demonyms``, ``capitals`` and ``metonyms`` are all names of the actor (the four lists only
document what kind of name each is). Unknown keys, a missing or empty ``name``, a non-string alias, the
same alias given to two actors, or an ``affiliation`` that names no actor in the file raise a
``ValueError`` naming the file and the problem.

Matching rules
--------------
- **Case-aware.** A name matches as written, with its first letter capitalised (``the Kremlin`` ->
  ``The Kremlin`` at a sentence start) and, when it has four characters or more, in capitals
  (``RUSSIA`` in a shouted headline). Nothing else: ``US`` never matches the pronoun "us", ``Polish`` never
  matches "polish", ``Turkey`` never matches "turkey".
- **Word boundaries** on both sides (a hyphen is a boundary: ``Russian-made``, ``pro-Russian``);
  possessives are recognised without being part of the mention (``Russia's``, ``Russia’s``,
  ``allies'``): the mention is ``Russia``.
- **Longest match wins** at a position: ``Russian President Vladimir Putin`` is one mention of the actor
  *Vladimir Putin*, not also a mention of Russia; ``NATO allies`` is one mention of NATO.
- ``exclude`` phrases are matched like names and produce nothing (``Latin American`` is not the United
  States, ``Washington Post`` is not its government, ``Minsk agreements`` is not Belarus).
- **Contextual names** (``contextual``: "the alliance", "allies", "member states", "the bloc") refer to
  an actor only in a document that also names that actor (by a non-contextual name, anywhere in the
  document). When a contextual name belongs to several actors that are named in the document
  ("member states": NATO or the EU), the actor named last before the sentence wins (or, if none is named
  before it, the first one named after it). ``find_mentions`` on a lone sentence resolves a contextual
  name only when its actor is named in the same sentence.
- **Implicit references** (``implicit``) are matched case-insensitively and reported by their ``label``
  (several phrases share a label: "would-be aggressors" -> ``potential aggressors``).

Decisions in the packaged registry (``actors_default.json``)
-----------------------------------------------------------
- Leaders are their own actors, with an ``affiliation`` (Putin -> Russia, Lukashenko -> Belarus,
  Zelensky -> Ukraine, Rutte -> NATO). The office "NATO Secretary General" / "NATO chief" is its own
  actor too; "NATO Secretary General Mark Rutte" is one mention of Mark Rutte. Roll up with
  :meth:`ActorRegistry.affiliation_of`.
- ``Brussels`` -> European Union. In news it is the usual metonym for the EU institutions; NATO is
  named by name ("NATO", "the alliance"), and "NATO headquarters" is a NATO alias.
- ``Kaliningrad`` -> Russia: a Russian exclave that security news uses for the Russian forces based
  there ("missiles in Kaliningrad"). Other contested territories (Crimea, Donbas, Transnistria) are not
  actors and are not listed.
- "the alliance", "allies", "member states/nations/countries" -> NATO, and "the bloc", "member states"
  -> EU, only as contextual names (above). "European" is not the EU (it is a continent adjective).
- Capitals are metonyms even in locative uses ("talks in Moscow" mentions Russia): telling the two apart
  needs more than a pattern, and a locative mention is almost always neutral, so the stance column is
  barely affected.
- Georgia is the country (the US state is not distinguished); office holders are as of 2025.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

from corpus_tools.lexicons import read_data_bytes

DEFAULT_REGISTRY = "actors_default.json"
NAME_KINDS = ("aliases", "demonyms", "capitals", "metonyms", "contextual")
_ACTOR_KEYS = {"name", "type", "affiliation", "role", *NAME_KINDS}
_TOP_KEYS = {
    "name",
    "version",
    "source",
    "licence",
    "license",
    "description",
    "exclude",
    "actors",
    "implicit",
}
_IMPLICIT_KEYS = {"label", "phrases"}
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
# joins the sentences of a document for one scan: not a word character, hyphen or space, in no name
_SENTENCE_JOIN = "\0"


@dataclass(frozen=True)
class Actor:
    name: str
    type: str = ""
    affiliation: str | None = None
    role: str = ""
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> names


@dataclass(frozen=True)
class Mention:
    """One named mention: ``text[start:end] == mention``; ``target`` is the canonical actor name."""

    start: int
    end: int
    mention: str
    target: str
    kind: str  # aliases, demonyms, capitals, metonyms or contextual
    possessive: bool = False


def _variants(name: str) -> list[str]:
    out = [name]
    if name[:1].islower():
        out.append(name[:1].upper() + name[1:])
    if len(name) >= 4 and name.upper() != name:
        out.append(name.upper())
    return out


def _trie_regex(words: Iterable[str], after_first: str = "") -> str:
    """One regex alternation for many literal strings, factored as a trie (fast in ``re``).

    ``after_first`` is inserted after the first character of every word. A start-of-word guard written
    there (``(?<!\\w[\\s\\S])``, "the character before the first one is not a word character") tests
    the same thing as ``(?<!\\w)`` in front of the alternation, but keeps a literal first in every
    branch, so ``re`` skips positions whose character starts no word without entering the pattern.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def build(node: dict[str, Any], guard: str = "") -> str:
        end = "" in node
        branches = []
        for char, child in sorted(node.items()):
            if char == "":
                continue
            chars = [char]
            while len(child) == 1 and "" not in child:  # a chain of single letters: one literal
                ((next_char, child),) = child.items()
                chars.append(next_char)
            literal = re.escape(chars[0]) + guard + re.escape("".join(chars[1:]))
            branches.append(literal + build(child))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            # longest match first: try the longer branches, fall back to ending here
            return "(?:" + body + ")?"
        return body

    return build(trie, after_first)


class ActorRegistry:
    """Parsed registry with one compiled pattern for names and one for implicit references."""

    def __init__(self, data: Any, origin: str, sha256: str = "") -> None:
        self.origin = origin
        self.sha256 = sha256  # of the file, for provenance
        problems = _validate(data)
        if problems:
            raise ValueError(f"actor registry {origin}: {problems[0]}")
        self.name: str = data["name"]
        self.version: str = data["version"]
        self.source: str = data["source"]
        self.actors: dict[str, Actor] = {}
        # surface form -> (canonical name or None for exclusions, kind)
        self._surface: dict[str, tuple[str | None, str]] = {}
        self._contextual: dict[str, tuple[str, ...]] = {}
        owner_of: dict[str, str] = {}
        for entry in data["actors"]:
            names = {kind: tuple(entry.get(kind, ())) for kind in NAME_KINDS if entry.get(kind)}
            actor = Actor(
                name=entry["name"],
                type=entry.get("type", ""),
                affiliation=entry.get("affiliation"),
                role=entry.get("role", ""),
                names=names,
            )
            self.actors[actor.name] = actor
            for kind, values in names.items():
                for value in values:
                    for surface in _variants(value.translate(_APOSTROPHES)):
                        if kind == "contextual":
                            prev = self._contextual.get(surface, ())
                            if actor.name not in prev:
                                self._contextual[surface] = (*prev, actor.name)
                            continue
                        other = owner_of.get(surface)
                        if other is not None and other != actor.name:
                            raise ValueError(
                                f"actor registry {origin}: name {value!r} is given to both {other!r} and {actor.name!r}"
                            )
                        owner_of[surface] = actor.name
                        self._surface[surface] = (actor.name, kind)
        for surface in list(self._contextual):
            if surface in self._surface:
                raise ValueError(
                    f"actor registry {origin}: {surface!r} is both a name of {self._surface[surface][0]!r} "
                    "and a contextual name"
                )
        for actor in self.actors.values():
            if actor.affiliation is not None and actor.affiliation not in self.actors:
                raise ValueError(
                    f"actor registry {origin}: affiliation {actor.affiliation!r} of actor {actor.name!r} "
                    "is not an actor in the file"
                )
        for phrase in data.get("exclude", ()):
            for surface in _variants(phrase.translate(_APOSTROPHES)):
                self._surface.setdefault(surface, (None, "exclude"))
        self.implicit: dict[str, str] = {}
        for entry in data.get("implicit", ()):
            for phrase in entry["phrases"]:
                self.implicit[" ".join(phrase.translate(_APOSTROPHES).lower().split())] = entry["label"]
        self.implicit_labels: tuple[str, ...] = tuple(
            dict.fromkeys(e["label"] for e in data.get("implicit", ()))
        )

        all_surfaces = list(self._surface) + list(self._contextual)
        # apostrophes inside names match either the straight or the typographic form
        body = _trie_regex(all_surfaces, after_first=r"(?<!\w[\s\S])").replace("'", "['’]")
        self._pattern = re.compile(body + r"(?![\w])" if all_surfaces else r"(?!x)x")
        # sentences can be scanned joined by NULs unless a name contains one (see _raw_document)
        self._joinable = not any(_SENTENCE_JOIN in surface for surface in all_surfaces)
        if self.implicit:
            ibody = _trie_regex(self.implicit).replace("'", "['’]").replace(r"\ ", r"\s+")
            # matched against the lower-cased text (faster than re.IGNORECASE; same offsets)
            self._implicit_pattern = re.compile(r"(?<![\w-])" + ibody + r"(?![\w-])")
        else:
            self._implicit_pattern = re.compile(r"(?!x)x")
        self._implicit_anchors = _anchor_words(self.implicit)

    # -- lookups ---------------------------------------------------------------------------------
    def affiliation_of(self, name: str) -> str:
        """The actor an actor rolls up to (itself when it has no affiliation)."""
        actor = self.actors.get(name)
        return actor.affiliation if actor is not None and actor.affiliation else name

    def _raw(self, text: str) -> list[tuple[int, int, str, str | None, str, tuple[str, ...]]]:
        out: list[tuple[int, int, str, str | None, str, tuple[str, ...]]] = []
        for match in self._pattern.finditer(text):
            self._add_raw(out, match, 0)
        return out

    def _add_raw(
        self,
        out: list[tuple[int, int, str, str | None, str, tuple[str, ...]]],
        match: re.Match[str],
        offset: int,
    ) -> None:
        """Append the raw mention of a name match (offsets minus ``offset``); exclusions add nothing."""
        surface = match.group(0).translate(_APOSTROPHES)
        target, kind = self._surface.get(surface, (None, ""))
        candidates: tuple[str, ...] = ()
        if not kind:
            candidates = self._contextual.get(surface, ())
            kind = "contextual"
        if kind == "exclude":
            return
        out.append((match.start() - offset, match.end() - offset, match.group(0), target, kind, candidates))

    def _raw_document(
        self, texts: Sequence[str]
    ) -> list[list[tuple[int, int, str, str | None, str, tuple[str, ...]]]]:
        """``_raw`` of every sentence, from one scan of the sentences joined by NUL characters.

        One regex call per document instead of one per sentence. A NUL is not a word character, so at a
        sentence's edges the pattern's boundary tests see what they see at the edges of the lone
        sentence, and no name contains one, so no match spans two sentences: the matches are those of
        the sentences one by one.
        """
        if not self._joinable:
            return [self._raw(t) if t else [] for t in texts]
        raws: list[list[tuple[int, int, str, str | None, str, tuple[str, ...]]]] = [[] for _ in texts]
        starts = []
        offset = 0
        for text in texts:
            starts.append(offset)
            offset += len(text) + 1
        index = 0
        for match in self._pattern.finditer(_SENTENCE_JOIN.join(texts)):
            position = match.start()
            while index + 1 < len(starts) and starts[index + 1] <= position:
                index += 1
            self._add_raw(raws[index], match, starts[index])
        return raws

    def find_mentions(self, text: str, context: Sequence[str] = ()) -> list[Mention]:
        """Named mentions in ``text``, left to right.

        ``context``: canonical names already named around the text (most recent last); contextual names
        ("the alliance") resolve against it and against the actors named in ``text`` itself.
        """
        if not text:
            return []
        raw = self._raw(text)
        named = [target for _, _, _, target, _, _ in raw if target is not None]
        return self._resolve(text, raw, partial(_pick, before=[*context, *named], after=()))

    def _resolve(
        self,
        text: str,
        raw: list[tuple[int, int, str, str | None, str, tuple[str, ...]]],
        pick: Callable[[tuple[str, ...]], str | None],
    ) -> list[Mention]:
        mentions = []
        for start, end, surface, target, kind, candidates in raw:
            if target is None:
                target = pick(candidates)
                if target is None:
                    continue
            tail = text[end : end + 2]
            possessive = tail[:1] in ("'", "’") and (tail[1:2] in ("s", "") or not tail[1:2].isalnum())
            mentions.append(Mention(start, end, surface, target, kind, possessive))
        return mentions

    def find_in_document(self, texts: Sequence[str]) -> list[list[Mention]]:
        """Mentions for the sentences of one document (contextual names use the whole document)."""
        raws = self._raw_document(texts)
        # where each actor is named (non-contextual names), as (sentence index, order in the document)
        named_at: dict[str, list[int]] = {}
        sentence_end: list[int] = []  # order number of the last name in or before each sentence
        order = 0
        for raw in raws:
            for r in raw:
                if r[3] is not None:
                    order += 1
                    named_at.setdefault(r[3], []).append(order)
            sentence_end.append(order)
        out: list[list[Mention]] = []
        for i, (text, raw) in enumerate(zip(texts, raws, strict=True)):
            if not raw:
                out.append([])
                continue
            out.append(self._resolve(text, raw, partial(_pick_in_document, named_at, sentence_end[i])))
        return out

    def find_implicit_in_document(self, texts: Sequence[str]) -> list[list[str]]:
        """``find_implicit`` of each sentence, after one search over the whole document.

        Implicit references are rare (a few sentences in a corpus): one search of the lower-cased
        sentences joined by NULs (not word characters or hyphens, so the phrase boundaries behave as at
        a sentence's edges) finds any sentence that has one; most documents need no per-sentence scan.
        """
        joined = _SENTENCE_JOIN.join([t.lower() for t in texts])
        anchors = self._implicit_anchors
        # the pattern starts with a look-behind, so re tries it at every position; most documents
        # contain none of the anchor words and need no search (see _anchor_words)
        if anchors is not None and not any(word in joined for word in anchors):
            return [[] for _ in texts]
        if not self._implicit_pattern.search(joined):
            return [[] for _ in texts]
        return [self.find_implicit(t) for t in texts]

    def find_implicit(self, text: str) -> list[str]:
        """Labels of the implicit references in ``text``, in order of first appearance, no repeats."""
        if not text:
            return []
        labels = []
        for match in self._implicit_pattern.finditer(text.lower()):
            key = " ".join(match.group(0).translate(_APOSTROPHES).lower().split())
            label = self.implicit.get(key)
            if label is not None and label not in labels:
                labels.append(label)
        return labels


def _anchor_words(phrases: Iterable[str]) -> tuple[str, ...] | None:
    """Words one of which every lower-cased text matching an implicit phrase contains; None if unknown.

    A match of the implicit pattern is its phrase (lower-cased, as the text it is matched against)
    with whitespace runs between the words and either apostrophe inside them, so each word without an
    apostrophe is a substring of the match: the phrase's longest such word is its anchor, and a text
    without any anchor has no match. Anchors that contain another anchor are redundant. None when a
    phrase has no word without an apostrophe (no anchor: always search).
    """
    words = set()
    for phrase in phrases:
        plain = [word for word in phrase.split() if "'" not in word]
        if not plain:
            return None
        words.add(max(plain, key=len))
    return tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))


def _pick_in_document(named_at: dict[str, list[int]], upto: int, candidates: tuple[str, ...]) -> str | None:
    """The candidate named last at or before order ``upto``, else the one named first after it."""
    best, best_order = None, 0
    for name in candidates:
        orders = named_at.get(name)
        if orders:
            k = bisect_right(orders, upto)
            if k and orders[k - 1] > best_order:
                best, best_order = name, orders[k - 1]
    if best is not None:
        return best
    first_after = None
    for name in candidates:
        orders = named_at.get(name)
        if orders:
            k = bisect_right(orders, upto)
            if k < len(orders) and (first_after is None or orders[k] < first_after[1]):
                first_after = (name, orders[k])
    return first_after[0] if first_after else None


def _pick(candidates: tuple[str, ...], before: Sequence[str], after: Sequence[str]) -> str | None:
    """Resolve a contextual name: the candidate named last before it, else the first named after it."""
    for name in reversed(before):
        if name in candidates:
            return name
    for name in after:
        if name in candidates:
            return name
    return None


def _validate(data: Any) -> list[str]:
    if not isinstance(data, dict):
        return ["top level must be a JSON object"]
    problems = []
    for key in ("name", "version", "source"):
        if not isinstance(data.get(key), str) or not data.get(key):
            problems.append(f"missing or empty string field {key!r}")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        problems.append(f"unknown top-level key(s) {', '.join(map(repr, unknown))}")
    actors = data.get("actors")
    if not isinstance(actors, list) or not actors:
        problems.append("'actors' must be a non-empty list")
        return problems
    seen: set[str] = set()
    for i, entry in enumerate(actors):
        where = f"actors[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where} must be an object")
            continue
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where} has no 'name'")
            continue
        where = f"actors[{i}] ({name!r})"
        if name in seen:
            problems.append(f"{where}: actor {name!r} is listed twice")
        seen.add(name)
        unknown = sorted(set(entry) - _ACTOR_KEYS)
        if unknown:
            problems.append(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}")
        for key in ("type", "affiliation", "role"):
            if key in entry and not isinstance(entry[key], str):
                problems.append(f"{where}: {key!r} must be a string")
        for kind in NAME_KINDS:
            values = entry.get(kind, [])
            if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                problems.append(f"{where}: {kind!r} must be a list of non-empty strings")
    for key, what in (("exclude", "phrases"),):
        values = data.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            problems.append(f"{key!r} must be a list of non-empty {what}")
    implicit = data.get("implicit", [])
    if not isinstance(implicit, list):
        problems.append("'implicit' must be a list")
    else:
        for i, entry in enumerate(implicit):
            if (
                not isinstance(entry, dict)
                or set(entry) - _IMPLICIT_KEYS
                or not isinstance(entry.get("label"), str)
                or not entry.get("label")
                or not isinstance(entry.get("phrases"), list)
                or not all(isinstance(p, str) and p.strip() for p in entry["phrases"])
            ):
                problems.append(f"implicit[{i}] must be {{'label': str, 'phrases': [str, ...]}}")
    return problems


def _parse(raw: bytes, origin: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"actor registry {origin}: not UTF-8 ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"actor registry {origin}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc


@cache
def default_registry() -> ActorRegistry:
    """The packaged registry (``corpus_tools/data/actors_default.json``), parsed once per process."""
    raw = read_data_bytes(DEFAULT_REGISTRY)
    return ActorRegistry(_parse(raw, DEFAULT_REGISTRY), DEFAULT_REGISTRY, hashlib.sha256(raw).hexdigest())


def load_registry(path: str | Path | None = None) -> ActorRegistry:
    """A user registry file (same format), or the packaged default when ``path`` is None."""
    if path is None:
        return default_registry()
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"actor registry {path}: cannot read ({exc.strerror or exc})") from exc
    return ActorRegistry(_parse(raw, str(path)), str(path), hashlib.sha256(raw).hexdigest())


__all__ = ["DEFAULT_REGISTRY", "Actor", "ActorRegistry", "Mention", "default_registry", "load_registry"]
