"""Paragraphs, headings and sentences of a normalised policy document, with offsets.

Chinese policy documents number their sections 一、 / （一） / 1. / （1） / ①; a heading is
either a line of its own or the first sentence of its paragraph (「1.构建创新策源体系。…」).
Tasks take their name from the innermost heading, and a goal section's heading (发展目标)
lends its year to the list of goals below it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

HEADING_MARKER_RE = re.compile(
    r"\s*(?:"
    r"(?P<l0>第[一二三四五六七八九十]+[章部分篇])"
    r"|(?P<l1>[一二三四五六七八九十]+、)"
    r"|(?P<l2>[（(][一二三四五六七八九十]+[）)])"
    r"|(?P<l3>\d{1,2}[.、](?!\d))"
    r"|(?P<l4>[（(]\d{1,2}[）)])"
    r"|(?P<l5>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])"
    r")\s*"
)
_LEVELS = {"l0": 0, "l1": 1, "l2": 2, "l3": 3, "l4": 2, "l5": 5}
# A title longer than this is the start of running text, not a heading.
MAX_TITLE = 40
_SENTENCE_RE = re.compile(r"[^。！？]+[。！？]?")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One hard paragraph; `title` is set when it opens with a numbered heading."""

    start: int
    end: int
    level: int | None
    title: str | None
    title_start: int
    title_end: int
    body_start: int


def paragraphs(norm: str) -> tuple[Paragraph, ...]:
    """Return the non-empty lines of the normalised text (soft breaks are already spaces).

    Cached: targets, tasks and fields all walk the same paragraphs of one document.
    """
    return _paragraphs(norm)


@lru_cache(maxsize=8)
def _paragraphs(norm: str) -> tuple[Paragraph, ...]:
    """Split and read headings once per text."""
    found = []
    position = 0
    for line in norm.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if line.strip():
            found.append(_paragraph(norm, start, end))
    return tuple(found)


def _paragraph(norm: str, start: int, end: int) -> Paragraph:
    """Build a `Paragraph`, reading a heading marker and title if there is one."""
    line = norm[start:end]
    match = HEADING_MARKER_RE.match(line)
    if match is None or match.end() >= len(line.rstrip()):
        return Paragraph(start, end, None, None, start, start, start)
    level = next(_LEVELS[name] for name, value in match.groupdict().items() if value)
    rest_start = start + match.end()
    rest = norm[rest_start:end]
    stop = rest.find("。")
    if 0 < stop <= MAX_TITLE:
        title_end = rest_start + stop
        body_start = title_end + 1
    elif stop == -1 and len(rest.strip()) <= MAX_TITLE:
        title_end = rest_start + len(rest.rstrip())
        body_start = end
    else:
        comma = re.search(r"[，；]", rest)
        if comma is None or comma.start() > MAX_TITLE:
            return Paragraph(start, end, level, None, rest_start, rest_start, rest_start)
        title_end = rest_start + comma.start()
        body_start = rest_start
    title = _clean_title(norm[rest_start:title_end])
    return Paragraph(start, end, level, title or None, rest_start, title_end, body_start)


def _clean_title(text: str) -> str:
    """Strip layout spaces and a trailing full stop from a heading."""
    return re.sub(r"\s+", "", text).rstrip("。.")


@dataclass(slots=True)
class Outline:
    """The headings open at the current paragraph, outermost first."""

    stack: list[Paragraph]

    def enter(self, paragraph: Paragraph) -> None:
        """Open `paragraph`'s heading, closing the headings at its level and below."""
        if paragraph.level is None or paragraph.title is None:
            return
        level = paragraph.level
        self.stack = [p for p in self.stack if p.level is not None and p.level < level]
        self.stack.append(paragraph)

    @property
    def innermost(self) -> Paragraph | None:
        """The heading the current paragraph belongs to."""
        return self.stack[-1] if self.stack else None

    def titles(self) -> list[str]:
        """The open headings' titles, outermost first."""
        return [p.title for p in self.stack if p.title]


def sentences(norm: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield `(start, end)` of each sentence in `norm[start:end]`, full stop included."""
    for match in _SENTENCE_RE.finditer(norm, start, end):
        if norm[match.start() : match.end()].strip(" 。"):
            yield match.start(), match.end()
