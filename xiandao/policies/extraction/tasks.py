"""Tasks and their responsible units (LABELLING.md, Tasks).

Two ways a document names who is responsible: a bracket after the task
(（责任单位：…，配合单位：…）, 〔…等按职责分工负责〕), or running text (X牵头, 由X负责,
X会同Y, X承担…主体责任, 由X统筹/组织). Each bracket or sentence is one task; the first under a
heading takes the heading as its name, later ones the first words of their own sentence
(AMBIGUITIES.md, "Several unit groups under one heading"). Labels outside brackets
(「牵头单位：…；责任单位：…」) and task tables with 牵头单位/配合单位 columns are read too. Method version 2.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from .model import TaskProposal
from .normalise import compact, normalise
from .structure import Outline, Paragraph, paragraphs, sentences
from .tables import is_table_row, table_cells
from .units import (
    LABEL_SEARCH_RE,
    RESPONSIBILITY_END_RE,
    UnitGroup,
    clean_unit,
    is_body,
    is_generic,
    read_bracket,
    split_top_level,
)

_BRACKET_CHARS_RE = re.compile(r"[（〔）〕\n]")
_OPENERS = "（〔"
_CLOSERS = "）〕"
# Running text: the keyword after a unit, and whether the unit must follow 由 (由X统筹, 由X组织).
_RUNNING_RE = re.compile(r"牵头|负责|会同|承担|统筹|组织")
_RESPONSIBILITY_HINT_RE = re.compile(r"单位|部门|负责|牵头|配合|落实")
_NEEDS_YOU = {"统筹", "组织"}
_BOUNDARY = "，；：。、“”《》 "
_MAX_UNIT = 25
# Verbs that make the words before a keyword an encouragement, not a responsible unit.
_ENCOURAGE_RE = re.compile(r"^(?:支持|鼓励|引导|推动|积极|充分|发挥|依托|委托)")
_COOPERATE_AFTER_RE = re.compile(r"(?P<units>[^，；。]{2,80}?)(?:协同配合|配合|参与)(?=[，；。]|$)")
_TASK_LEAD_IN_RE = re.compile(r"^(?:[一二三四五六七八九十]+是|同时|此外|另外)[，、]?")


@dataclass(frozen=True, slots=True)
class _Found:
    """A unit group with the span that names it and where its own sentence starts."""

    start: int
    end: int
    group: UnitGroup
    first_words_from: int
    first_words_to: int


def extract_tasks(text: str, norm: str | None = None) -> tuple[TaskProposal, ...]:
    """Return the tasks `text` names responsible units for, in document order."""
    norm = normalise(text) if norm is None else norm
    all_brackets = _brackets(norm)
    starts = [opened for opened, _ in all_brackets]
    outline = Outline([])
    used_headings: set[int] = set()
    tasks: list[TaskProposal] = []
    rows = [p for p in paragraphs(norm) if is_table_row(text, norm, p)]
    if rows:
        tasks.extend(_in_tables(text, norm, rows))
    for paragraph in paragraphs(norm):
        if rows and is_table_row(text, norm, paragraph):
            continue
        outline.enter(paragraph)
        brackets = _within(all_brackets, starts, paragraph.start, paragraph.end)
        labelled = list(_in_labels(norm, paragraph, brackets))
        spans = [*brackets, *((f.start, f.end - 1) for f in labelled)]
        found = [
            *_in_brackets(norm, paragraph, brackets),
            *labelled,
            *_in_running_text(norm, paragraph, spans),
        ]
        for item in sorted(found, key=lambda f: f.start):
            heading = outline.innermost
            if heading is not None and heading.start not in used_headings and heading.title:
                name = heading.title
                used_headings.add(heading.start)
            else:
                name = _first_words(norm, item.first_words_from, item.first_words_to)
            start, end = _trim(norm, item.start, item.end)
            tasks.append(
                TaskProposal(
                    task=name,
                    lead=item.group.lead,
                    cooperating=item.group.cooperating,
                    quote=text[start:end],
                    start=start,
                    end=end,
                )
            )
    return tuple(sorted(tasks, key=lambda t: t.start))


# 「牵头单位：省发展改革委；责任单位：各市人民政府。」 written after the task without brackets.
_LABEL_RE = re.compile(r"(?:牵头单位|牵头部门|责任单位|责任部门|主责单位|配合单位|配合部门|协同单位)[ ]*[：]")


def _in_labels(norm: str, paragraph: Paragraph, brackets: list[tuple[int, int]]) -> Iterator[_Found]:
    """Yield the unit lists a paragraph names after a label (责任单位：…) outside any bracket."""
    body = paragraph.body_start if paragraph.title else paragraph.start
    previous_end = body
    position = paragraph.start
    while True:
        match = _LABEL_RE.search(norm, position, paragraph.end)
        if match is None:
            return
        if any(a <= match.start() <= b for a, b in brackets):
            position = match.end()
            continue
        stop = norm.find("。", match.end(), paragraph.end)
        end = paragraph.end if stop == -1 else stop
        group = read_bracket(norm[match.start() : end])
        if group is not None:
            yield _Found(match.start(), end, group, previous_end, match.start())
            previous_end = end
        position = end


_TASK_COLUMN_RE = re.compile(r"任务|工作|内容|事项|举措|措施|目标")
_LEAD_COLUMN_RE = re.compile(r"牵头|责任|主责")
_COOPERATING_COLUMN_RE = re.compile(r"配合|协同|协助|参与")


def _in_tables(text: str, norm: str, rows: list[Paragraph]) -> Iterator[TaskProposal]:
    """Tasks in a table whose header names a task column and a 牵头单位/责任单位 column."""
    columns: tuple[int, list[int], list[int]] | None = None
    for row in rows:
        cells = table_cells(text, norm, row)
        names = [c.text for c in cells]
        short = [i for i, n in enumerate(names) if len(n) <= 8]
        task_column = next((i for i in short if _TASK_COLUMN_RE.search(names[i])), None)
        # 责任单位 beside 牵头单位 is read as lead too, as in a bracket (LABELLING.md: 责任单位 names the lead).
        lead_columns = [i for i in short if _LEAD_COLUMN_RE.search(names[i])]
        if task_column is not None and lead_columns:
            cooperating_columns = [i for i in short if _COOPERATING_COLUMN_RE.search(names[i])]
            columns = (task_column, lead_columns, cooperating_columns)
            continue
        if columns is None or columns[0] >= len(cells):
            continue
        task_column, lead_columns, cooperating_columns = columns
        lead = _unique([u for i in lead_columns if i < len(cells) for u in _cell_units(cells[i].text)])
        cooperating = [
            u
            for i in cooperating_columns
            if i < len(cells)
            for u in _cell_units(cells[i].text)
            if u not in lead
        ]
        if not lead and not cooperating:
            continue
        task = re.split(r"[，。；：]", compact(cells[task_column].text), maxsplit=1)[0]
        last = min(max([*lead_columns, *cooperating_columns]), len(cells) - 1)
        start, end = cells[task_column].start, cells[last].end
        yield TaskProposal(
            task=task,
            lead=tuple(lead),
            cooperating=tuple(cooperating),
            quote=text[start:end],
            start=start,
            end=end,
        )


def _unique(names: list[str]) -> list[str]:
    """Drop repeats, keeping the first place."""
    return list(dict.fromkeys(names))


def _cell_units(cell: str) -> list[str]:
    """The units of a table cell, generic parties left out (AMBIGUITIES.md)."""
    names = [clean_unit(piece) for piece, _ in split_top_level(cell, "、，；")]
    return list(dict.fromkeys(n for n in names if n and not is_generic(n)))


def _brackets(norm: str) -> list[tuple[int, int]]:
    """Return `(open, close)` offsets of the outermost brackets, nested ones skipped."""
    spans: list[tuple[int, int]] = []
    stack: list[int] = []
    for match in _BRACKET_CHARS_RE.finditer(norm):
        index, char = match.start(), match.group()
        if char in _OPENERS:
            stack.append(index)
        elif char in _CLOSERS and stack:
            opened = stack.pop()
            if not stack:
                spans.append((opened, index))
        elif char == "\n":
            stack.clear()
    return spans


def _within(
    brackets: list[tuple[int, int]], starts: list[int], start: int, end: int
) -> list[tuple[int, int]]:
    """The brackets that open in `[start, end)`; `starts` is the sorted list of their openings."""
    return brackets[bisect_left(starts, start) : bisect_left(starts, end)]


def _in_brackets(norm: str, paragraph: Paragraph, brackets: list[tuple[int, int]]) -> Iterator[_Found]:
    """Yield the responsibility brackets that open in `paragraph`."""
    previous_end = paragraph.body_start
    for opened, closed in brackets:
        content = norm[opened + 1 : closed]
        if not _is_responsibility(content):
            continue
        group = read_bracket(content)
        if group is None:
            continue
        yield _Found(opened, closed + 1, group, previous_end, opened)
        previous_end = closed + 1


def _is_responsibility(content: str) -> bool:
    """A bracket names responsible units when it is labelled (责任单位：) or ends in 负责/牵头."""
    if not _RESPONSIBILITY_HINT_RE.search(content):
        return False
    head = compact(split_top_level(content, "。")[0][0])
    if LABEL_SEARCH_RE.match(head):
        return True
    return any(RESPONSIBILITY_END_RE.search(compact(piece)) for piece, _ in split_top_level(head, "，；"))


def _in_running_text(norm: str, paragraph: Paragraph, brackets: list[tuple[int, int]]) -> Iterator[_Found]:
    """Yield one group per sentence that names a unit as 牵头, 负责, 会同 or 承担…主体责任."""
    inside = brackets
    body = paragraph.body_start if paragraph.title else paragraph.start
    if not _RUNNING_RE.search(norm, body, paragraph.end):
        return
    for start, end in sentences(norm, body, paragraph.end):
        if any(a < end and start <= b for a, b in inside):
            continue
        group = _read_sentence(norm[start:end])
        if group is not None:
            yield _Found(start, end, group, start, end)


def _read_sentence(sentence: str) -> UnitGroup | None:
    """Read the units a sentence makes responsible (AMBIGUITIES.md, "Tasks named in running text")."""
    lead: list[str] = []
    cooperating: list[str] = []
    for match in _RUNNING_RE.finditer(sentence):
        keyword = match.group()
        unit, after_you = _unit_before(sentence, match.start())
        if unit is None or (keyword in _NEEDS_YOU and not after_you):
            continue
        if keyword == "承担" and not re.match(r"[^。；]{0,30}主体责任", sentence[match.end() :]):
            continue
        if keyword == "负责" and sentence[match.end() : match.end() + 1] in ("人", "同志"):
            continue
        lead.append(unit)
        if keyword == "会同":
            cooperating.extend(_units_after(sentence[match.end() :]))
    if not lead:
        return None
    for match in _COOPERATE_AFTER_RE.finditer(sentence):
        cooperating.extend(
            name
            for piece, _ in split_top_level(match.group("units"), "、")
            if is_body(name := clean_unit(piece))
        )
    lead = list(dict.fromkeys(lead))
    cooperating = [c for c in dict.fromkeys(cooperating) if c not in lead]
    return UnitGroup(tuple(lead), tuple(cooperating))


def _unit_before(sentence: str, position: int) -> tuple[str | None, bool]:
    """Return the unit written just before `position` and whether 由 introduces it."""
    start = position
    while start > 0 and position - start < _MAX_UNIT and sentence[start - 1] not in _BOUNDARY:
        start -= 1
    words = sentence[start:position]
    after_you = False
    you = words.rfind("由")
    if you != -1:
        words, after_you = words[you + 1 :], True
    words = re.sub(r"^(?:建立|成立|设立|实行)", "", words)
    name = clean_unit(words)
    if _ENCOURAGE_RE.match(name) or not is_body(name):
        return None, after_you
    return name, after_you


def _units_after(rest: str) -> list[str]:
    """Units named after 会同, up to the verb that follows them (「X会同Y对…开展…」)."""
    head = re.split(r"[，；。]|对|组织|开展|共同|研究|制定|推进|做好|加强|建立|按照", rest, maxsplit=1)[0]
    return [name for piece, _ in split_top_level(head, "、") if is_body(name := clean_unit(piece))]


def _first_words(norm: str, start: int, end: int) -> str:
    """The first words of the sentence before a later unit group under the same heading."""
    words = compact(norm[start:end]).lstrip("）〕。；，")
    words = _TASK_LEAD_IN_RE.sub("", words)
    return re.split(r"[，。；：]", words, maxsplit=1)[0]


def _trim(norm: str, start: int, end: int) -> tuple[int, int]:
    """Drop spaces and the final full stop from a quote (AMBIGUITIES.md: sentence without its 。)."""
    while start < end and norm[start].isspace():
        start += 1
    while end > start and (norm[end - 1].isspace() or norm[end - 1] in "。；"):
        end -= 1
    return start, end
