"""Split a normalised article into typed blocks: title, lede, heading, paragraph, list_item, table_row.

Articles arrive as plain text or light markdown, one block per line. The rules are deliberately
simple and visible:

- ``#``-prefixed lines are headings (markdown ATX); so are short title-case lines without final
  punctuation that stand between paragraphs (the seeds' style), and short lines wrapped whole in bold
  markers (``**Background**``), whose markers stay outside the content like ``## ``.
- ``> `` lines are quoted passages: paragraphs whose content starts after the marker. A line wrapped
  whole in italics (``*Vilnius, 5 March 2025*``) is a paragraph, its markers outside the content.
- The title is the first heading-like line (or ``# `` level-1 heading) of the document when it comes
  within the first two blocks (seed 000 opens with a lede paragraph *before* its title); a ``title`` supplied by the
  reader (JSONL/CSV field) wins.
- The first paragraph of the document (before or right after the title, before any other heading)
  is the ``lede``.
- ``- ``, ``* ``, ``+ ``, ``• `` and ``1. `` lines are list items.
- ``|``-delimited lines are table rows; the ``|---|`` rule is structure, not content, and is
  skipped (it is not a block, so no sentence can come from it).
- Page furniture is never a heading, title or lede: with an ``is_chrome`` rule (the pipeline passes
  the boilerplate annotator's byline and web-chrome rules), a short line it flags ("By Jane Doe | Updated 12:30
  GMT", "Advertisement", "Share this article") stays a paragraph that opens no section, and the title
  and lede are looked for past it. Without this a byline under the title became a heading and the
  ``section`` of the whole article.

Markup-only lines (table rules, setext underlines, a lone ``|``) are structure, not content: they
stay in the normalised text but produce no block and so no sentence.

Every block records its exact span in the normalised text (``text[start:end] == block.text``)
and the heading of the section it sits under. The *content span* (``content_start``) skips
markers such as ``- `` or ``## `` so that sentences never start with a bullet.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

BLOCK_TYPES = ("title", "lede", "heading", "paragraph", "list_item", "table_row")

_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+•▪◦‣]|\d{1,3}[.)])[ \t]+")
_ATX_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_SETEXT_RULE = re.compile(r"^[ \t]*(?:=+|-{3,})[ \t]*$")
_BLOCKQUOTE = re.compile(r"^(?:>[ \t]?)+(?=\S)")
_EMPHASIS_LINE = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1$")
"""A line wrapped whole in bold or italic markers: ``**Background**``, ``*Vilnius, 5 March 2025*``."""
_FINAL_PUNCT = tuple(".!?:;,\"'”’)…")
_MAX_HEADING_WORDS = 14
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or over per the to up upon via vs with amid amidst "
    "about across after against along among around before behind below beneath beside between beyond "
    "during except inside near off onto out outside since than through throughout till toward towards "
    "under until within without its their his her our".split()
)


@dataclass(frozen=True)
class Block:
    """A structural unit of a document with its exact span in the normalised text."""

    index: int
    block_type: str
    start: int  # span of the whole line (markers included)
    end: int
    content_start: int  # where the content starts after list/heading/quote/emphasis markers
    section: str | None  # text of the heading this block sits under or opens (None before the first heading)
    cells: tuple[tuple[int, int], ...] = ()  # table rows: (start, end) of each non-empty cell
    content_end: int | None = None  # where the content ends before closing emphasis markers (None: ``end``)

    @property
    def content_stop(self) -> int:
        """End of the content: ``end`` unless closing markers (``**``) follow it."""
        return self.end if self.content_end is None else self.content_end

    def content(self, text: str) -> str:
        return text[self.content_start : self.content_stop]


class _Raw(NamedTuple):
    """A block before the title, lede and sections are assigned."""

    kind: str
    start: int
    end: int
    content_start: int
    content_end: int
    cells: tuple[tuple[int, int], ...] = ()


_TITLE_MARKERS = ("", "#", "**", "__")
"""What may stand before a title's text on its line: nothing, ``# `` or bold markers."""


def _is_bold_heading(content: str) -> bool:
    """A bold line is a heading when it is heading length and does not end like a sentence."""
    stripped = content.strip()
    return (
        bool(stripped) and len(stripped.split()) <= _MAX_HEADING_WORDS and not stripped.endswith(tuple(".!?"))
    )


_CHROME = "chrome"
"""Internal kind of a page-furniture line: a paragraph that the title and lede search passes over."""


def _is_chrome_line(line: str, is_chrome: Callable[[str], bool]) -> bool:
    """A short line (heading length) that the rule flags; longer lines are left to the annotator."""
    return len(line.split()) <= _MAX_HEADING_WORDS and is_chrome(line)


def _looks_like_heading(line: str) -> bool:
    """A short line in title case with no sentence-final punctuation."""
    stripped = line.strip()
    if not stripped or stripped.endswith(_FINAL_PUNCT):
        return False
    words = re.findall(r"[A-Za-z][A-Za-z'’\-]*", stripped)
    if not words or len(stripped.split()) > _MAX_HEADING_WORDS:
        return False
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not significant:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised / len(significant) >= 0.75 and stripped[0].isupper()


def _table_cells(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    cells = []
    pos = start
    for part in re.finditer(r"[^|]+", text[start:end]):
        cell_start = start + part.start()
        cell_end = start + part.end()
        while cell_start < cell_end and text[cell_start].isspace():
            cell_start += 1
        while cell_end > cell_start and text[cell_end - 1].isspace():
            cell_end -= 1
        if cell_end > cell_start:
            cells.append((cell_start, cell_end))
        pos = cell_end
    del pos
    return tuple(cells)


def _lines(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        if match.group().strip():
            spans.append((match.start(), match.end()))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def parse_blocks(
    text: str, *, title: str | None = None, is_chrome: Callable[[str], bool] | None = None
) -> list[Block]:
    """Blocks of ``text`` in document order; ``title`` is a title supplied by the reader, if any;
    ``is_chrome`` tells page furniture (bylines, share buttons) from headings and ledes."""
    raw: list[_Raw] = []
    before_lede = True  # no content paragraph yet: a short line here may be taken for the title or lede
    for line_start, line_end in _lines(text):
        start, end = _trim(text, line_start, line_end)
        line = text[start:end]
        if _TABLE_RULE.match(line) and "|" in line:
            continue  # markdown table rule: structure, not content
        if _SETEXT_RULE.match(line):
            continue  # setext underline; the line above is treated as a heading by its shape
        if line.startswith("|") or (line.count("|") >= 2 and line.endswith("|")):
            cells = _table_cells(text, start, end)
            if cells:
                raw.append(_Raw("table_row", start, end, cells[0][0], end, cells))
            continue
        atx = _ATX_HEADING.match(line)
        item = None if atx else _LIST_MARKER.match(line)
        if item and item.end() < len(line):
            raw.append(_Raw("list_item", start, end, start + item.end(), end))
            continue
        quote = None if atx else _BLOCKQUOTE.match(line)
        marker = atx or quote
        content_start = start + marker.end() if marker else start
        content_end = end
        emphasis = _EMPHASIS_LINE.match(text, content_start, end)
        if emphasis and emphasis.group(1) in emphasis.group(2):
            emphasis = None  # "**a** and **b**": emphasis inside the line, not around it
        if emphasis:
            content_start, content_end = emphasis.span(2)
        content = text[content_start:content_end]
        if atx:
            kind = "heading"
        elif quote or (emphasis and len(emphasis.group(1)) == 1):
            kind = "paragraph"  # a quoted passage or an italic line (caption, dateline), never a heading
        elif emphasis:
            # "**Background**": markdown's common stand-in for a heading
            kind = "heading" if _is_bold_heading(content) else "paragraph"
        else:
            kind = "heading" if _looks_like_heading(content) else "paragraph"
        if (
            is_chrome is not None
            and (kind == "heading" or before_lede)
            and _is_chrome_line(content, is_chrome)
        ):
            kind = _CHROME
        before_lede = before_lede and kind != "paragraph"
        raw.append(_Raw(kind, start, end, content_start, content_end))

    raw = _assign_title_and_lede(text, raw, title)

    blocks: list[Block] = []
    section: str | None = None
    for index, entry in enumerate(raw):
        kind = entry.kind
        if kind == _CHROME:
            kind = "paragraph"
        elif kind == "heading":  # a heading belongs to the section it opens
            section = text[entry.content_start : entry.content_end]
        blocks.append(
            Block(
                index=index,
                block_type=kind,
                start=entry.start,
                end=entry.end,
                content_start=entry.content_start,
                section=None if kind == "title" else section,
                cells=entry.cells,
                content_end=None if entry.content_end == entry.end else entry.content_end,
            )
        )
    return blocks


def _assign_title_and_lede(text: str, raw: list[_Raw], title: str | None) -> list[_Raw]:
    """Mark the title (first heading among the first two blocks, or the reader's title) and the lede."""
    out = list(raw)
    title_index: int | None = None
    if title:
        wanted = title.strip()
        for i, item in enumerate(out[:3]):
            if text[item.content_start : item.content_end].strip() == wanted:
                title_index = i
                break
    if title_index is None and not title:
        candidates = [i for i, item in enumerate(out) if item.kind != _CHROME][:2]
        for i in candidates:
            item = out[i]
            # a plain heading-shaped line, a bold line or a level-1 "# " heading; "## " opens a section
            if item.kind == "heading" and text[item.start : item.content_start].strip() in _TITLE_MARKERS:
                title_index = i
                break
    if title_index is not None:
        out[title_index] = out[title_index]._replace(kind="title")
    # the lede: the first paragraph, if nothing but the title (and page furniture) precedes it or it
    # precedes the title
    for i, item in enumerate(out):
        if item.kind == "paragraph":
            out[i] = item._replace(kind="lede")
            break
        if item.kind not in ("title", _CHROME):
            break
    return out


def find_title(text: str, blocks: list[Block]) -> str | None:
    """The title text, if the document has one."""
    for block in blocks:
        if block.block_type == "title":
            return block.content(text)
    return None
