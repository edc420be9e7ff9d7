"""Versioned data files (lexicons, registries, small models) shipped inside the package.

Every lexicon is a UTF-8 text file under ``corpus_tools/data/`` that starts with ``#`` header lines::

    # name: hedge_cues
    # version: 1.0.0
    # source: Hyland (1998); wooorm/hedges (MIT); curated for news by corpus_tools
    # licence: MIT
    # columns: cue<TAB>kind
    likely<TAB>word
    ...

Header keys ``name``, ``version`` and ``source`` are required, so a lexicon can never be shipped
without saying where it came from. Blank lines and other ``#`` lines are ignored. Entries are split on
TAB into tuples. Lexicons are read with :mod:`importlib.resources`, cached, and their sha256 is
recorded in the dataset provenance (:func:`lexicon_checksums`).
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

REQUIRED_HEADERS = ("name", "version", "source")


@dataclass(frozen=True)
class Lexicon:
    """A parsed lexicon file: its header metadata and its rows (tuples of TAB-separated fields)."""

    filename: str
    name: str
    version: str
    source: str
    headers: dict[str, str]
    rows: tuple[tuple[str, ...], ...]
    sha256: str

    def first_column(self) -> list[str]:
        return [row[0] for row in self.rows]


def _data_dir() -> resources.abc.Traversable:
    return resources.files("corpus_tools").joinpath("data")


def read_data_bytes(filename: str) -> bytes:
    """Raw bytes of a packaged data file (for JSON models and registries)."""
    return _data_dir().joinpath(filename).read_bytes()


@cache
def load_lexicon(filename: str) -> Lexicon:
    """Parse ``corpus_tools/data/<filename>``; raises ``ValueError`` naming the file when malformed."""
    raw = read_data_bytes(filename)
    text = raw.decode("utf-8")
    headers: dict[str, str] = {}
    rows: list[tuple[str, ...]] = []
    strip = str.strip
    for line_no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped[0] == "#":
            key, sep, value = stripped.lstrip("#").partition(":")
            if sep and key.strip().isidentifier() and key.strip().lower() == key.strip():
                headers.setdefault(key.strip(), value.strip())
            continue
        row = tuple(map(strip, line.split("\t")))  # (splitlines has removed the line end)
        if not row[0]:
            raise ValueError(f"lexicon {filename}: line {line_no} has an empty first field")
        rows.append(row)
    missing = [key for key in REQUIRED_HEADERS if key not in headers]
    if missing:
        raise ValueError(f"lexicon {filename}: missing header line(s) {', '.join(missing)}")
    return Lexicon(
        filename=filename,
        name=headers["name"],
        version=headers["version"],
        source=headers["source"],
        headers=headers,
        rows=tuple(rows),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


class LazyPattern:
    """A regex compiled when it is first used (``search``/``match``/``finditer``...).

    For the many rarely needed patterns of the lexicons (phrases tried only when a trigger word
    occurs): an incremental rebuild that annotates one document does not compile them all. The
    packaged patterns are compiled by the tests, so a malformed one cannot ship.
    """

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled().findall(string, pos, endpos)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"


def data_files() -> list[str]:
    """Names of every shipped data file, sorted (lexicons, registries, models)."""
    return sorted(
        entry.name
        for entry in _data_dir().iterdir()
        if entry.is_file() and not entry.name.startswith((".", "_"))
    )


def lexicon_checksums() -> dict[str, str]:
    """sha256 of every shipped data file, for provenance metadata."""
    return {name: hashlib.sha256(read_data_bytes(name)).hexdigest() for name in data_files()}
