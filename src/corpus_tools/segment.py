"""Sentence segmentation with exact character offsets.

INTERIM implementation (a plain regex on terminal punctuation); the real rule-based segmenter
replaces it. Contract: ``split_sentences(text, start, end)`` returns ``(s, e)`` spans into ``text``,
in order, non-overlapping, within ``[start, end)``, trimmed of surrounding whitespace, covering every
non-space character of ``text[start:end]``.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` as absolute offsets into ``text``."""
    stop = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for match in _BOUNDARY.finditer(text, start, stop):
        _add(text, pos, match.start(), spans)
        pos = match.end()
    _add(text, pos, stop, spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
