"""Targets in a table or 专栏: rows of indicator / 2025年 / 2027年 / 2030年 columns (issue 11).

Web copies write a table row as one line with its cells between `|` (or tabs, or runs of spaces).
A header row with two or more year cells names the columns; every later row of the same table
gives one target per year cell: the row's indicator is the metric, the column's year the year, and
the unit comes from the cell, from the indicator's brackets (「未来产业规模（亿元）」) or from a 单位
column. Columns for the base year or the present (基期, 现状, 2023年实际, a year before the
document's own) are not goals.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .model import Qualifier, Scope, TargetProposal
from .numerals import QUANTITY_RE, parse_value
from .structure import Paragraph

_CELL_SPLIT_RE = re.compile(r"[ \u3000]*[|\t][ \t\u3000]*|[ \u3000]{2,}")
_YEAR_CELL_RE = re.compile(r"^(?P<year>(?:19|20)\d{2})[ ]*年?(?:底|末)?(?P<rest>.{0,8})$")
_PAST_COLUMN_RE = re.compile(r"基期|基数|现状|实际|完成|现值|基准")
_UNIT_IN_NAME_RE = re.compile(r"[（(](?P<unit>[^（）()]{1,6})[）)]\s*$")
_VALUE_CELL_RE = re.compile(
    r"^(?P<before>≥|>|＞|不少于|不低于|超过|达到|约|力争)?[ ]*(?P<number>\d+(?:,\d{3})*(?:\.\d+)?)[ ]*"
    r"(?P<unit>[^\d\s≥>＞左右以上]{0,6}?)[ ]*(?P<after>左右|以上|以内|以下)?$"
)
_SERIAL_RE = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3})$")


@dataclass(frozen=True, slots=True)
class _Cell:
    text: str
    start: int
    end: int


def is_table_row(text: str, norm: str, paragraph: Paragraph) -> bool:
    """True for a line that splits into three or more cells (a table row, not running text).

    Cells are split in the text as given, where tabs are still tabs."""
    if paragraph.start not in table_row_starts(text, norm):
        return False
    line = text[paragraph.start : paragraph.end]
    if "|" in line:
        return len([c for c in line.split("|") if c.strip()]) >= 2
    return len(_cells(text, norm, paragraph.start, paragraph.end)) >= 3 and "。" not in line


_CELL_GAP_RE = re.compile(r"[|\t]|\S[ \u3000]{2,}\S")


@lru_cache(maxsize=8)
def table_row_starts(text: str, norm: str) -> frozenset[int]:
    """Starts of the lines that may be table rows (a `|`, a tab or a run of spaces between words).

    Computed once per document: targets and tasks both ask for every paragraph."""
    starts = set()
    position = 0
    for line in text.split("\n"):
        if _CELL_GAP_RE.search(line):
            starts.add(position)
        position += len(line) + 1
    return frozenset(starts)


def _cells(text: str, norm: str, start: int, end: int) -> list[_Cell]:
    """The non-empty cells of one line, with offsets; their words are read from `norm`."""
    cells = []
    position = start
    for separator in [*_CELL_SPLIT_RE.finditer(text, start, end), None]:
        stop = separator.start() if separator is not None else end
        words = norm[position:stop].strip()
        if words:
            offset = norm.find(words, position, stop)
            cells.append(_Cell(words, offset, offset + len(words)))
        if separator is not None:
            position = separator.end()
    return cells


@dataclass(frozen=True, slots=True)
class _Header:
    """The columns of a table: the goal year of each year column, the indicator and unit columns."""

    years: dict[int, int]
    metric_column: int | None
    unit_column: int | None
    width: int


def table_targets(
    text: str, norm: str, rows: list[Paragraph], ref_year: int | None, scope: Scope
) -> Iterator[TargetProposal]:
    """Yield the targets of the table rows among `rows` (consecutive table rows form one table)."""
    header: _Header | None = None
    previous_end = -2
    for row in rows:
        if not is_table_row(text, norm, row):
            header, previous_end = None, -2
            continue
        cells = table_cells(text, norm, row)
        found = _header(cells, ref_year, _latest_period_start(norm))
        if found is not None:
            header, previous_end = found, row.end
            continue
        if header is None or row.start - previous_end > 3:
            header = None
            continue
        previous_end = row.end
        yield from _row_targets(text, _aligned(cells, header), header, scope)


_HEADER_LABEL_RE = re.compile(
    r"(?:序号|类别|类型|领域|(?:主要)?指标(?:名称)?|名称|项目|内容|单位|计量单位|属性|指标属性)"
)
_SHORT_CELL_MAX = 30


def flat_table_targets(
    text: str, norm: str, rows: list[Paragraph], ref_year: int | None, scope: Scope
) -> Iterator[TargetProposal]:
    """Targets of a table flattened to one cell per line: label lines (指标, 单位), then two or more
    year lines make the header, and the lines after it are read in rows of the header's width."""
    index = 0
    period_start = _latest_period_start(norm)
    while index < len(rows):
        header_rows = _flat_header(norm, rows, index)
        if header_rows is None:
            index += 1
            continue
        first, width = header_rows
        cells = [_line_cell(norm, rows[first + k]) for k in range(width)]
        header = _header(cells, ref_year, period_start)
        index = first + width
        if header is None:
            continue
        while index + width <= len(rows):
            group = [_line_cell(norm, rows[index + k]) for k in range(width)]
            if any(len(c.text) > _SHORT_CELL_MAX or "。" in c.text for c in group):
                break
            if sum(bool(_VALUE_CELL_RE.match(group[i].text)) for i in header.years if i < width) == 0:
                break
            yield from _row_targets(text, list(group), header, scope)
            index += width


def _flat_header(norm: str, rows: list[Paragraph], index: int) -> tuple[int, int] | None:
    """Where a flattened header starts and how many lines it has, when the label at `index` opens one."""
    if not _HEADER_LABEL_RE.fullmatch(_line_cell(norm, rows[index]).text):
        return None
    end = index
    while end < len(rows) and _HEADER_LABEL_RE.fullmatch(_line_cell(norm, rows[end]).text):
        end += 1
    years = 0
    while end < len(rows) and _YEAR_CELL_RE.match(_line_cell(norm, rows[end]).text):
        years += 1
        end += 1
    while end < len(rows) and _HEADER_LABEL_RE.fullmatch(_line_cell(norm, rows[end]).text):
        end += 1  # 属性 after the years
    return (index, end - index) if years >= 2 else None


def _line_cell(norm: str, row: Paragraph) -> _Cell:
    """A whole line as one cell."""
    words = norm[row.start : row.end].strip()
    offset = norm.find(words, row.start, row.end) if words else row.start
    return _Cell(words, offset, offset + len(words))


def _aligned(cells: list[_Cell], header: _Header) -> list[_Cell | None]:
    """A row's cells under the header's columns; a row short of cells lost its first ones to a
    cell merged over several rows (「类别」), so it is aligned on the right."""
    missing = header.width - len(cells)
    if missing <= 0:
        return list(cells)
    return [None] * missing + list(cells)


_PERIOD_START = {"十三五": 2016, "十四五": 2021, "十五五": 2026}


def _latest_period_start(norm: str) -> int | None:
    """The first year of the latest plan period the text names (a 十四五 plan starts in 2021)."""
    return max((year for name, year in _PERIOD_START.items() if name in norm), default=None)


def table_cells(text: str, norm: str, row: Paragraph) -> list[_Cell]:
    """The cells of a table row, empty `|` cells kept so that columns stay aligned."""
    if "|" in norm[row.start : row.end]:
        return _pipe_cells(norm, row)
    return _cells(text, norm, row.start, row.end)


def _pipe_cells(norm: str, row: Paragraph) -> list[_Cell]:
    """Cells of a `|` row, keeping empty cells so columns stay aligned."""
    cells = []
    position = row.start
    line = norm[row.start : row.end]
    parts = line.split("|")
    if parts and not parts[0].strip():
        position += len(parts[0]) + 1
        parts = parts[1:]
    for part in parts:
        stripped = part.strip()
        offset = norm.find(stripped, position, position + len(part)) if stripped else position
        cells.append(_Cell(stripped, offset, offset + len(stripped)))
        position += len(part) + 1
    while cells and not cells[-1].text:
        cells.pop()
    return cells


def _header(cells: list[_Cell], ref_year: int | None, period_start: int | None) -> _Header | None:
    """The header of a table: two or more year cells, of which the goal columns are kept."""
    years: dict[int, int] = {}
    seen_years = 0
    unit_column = metric_column = None
    first_year_column = None
    floor = ref_year if ref_year is not None else period_start
    for index, cell in enumerate(cells):
        if cell.text in ("单位", "计量单位"):
            unit_column = index
        elif _METRIC_HEADER_RE.fullmatch(cell.text):
            metric_column = index
        match = _YEAR_CELL_RE.match(cell.text)
        if match is None:
            continue
        seen_years += 1
        first_year_column = index if first_year_column is None else first_year_column
        year = int(match.group("year"))
        if _PAST_COLUMN_RE.search(match.group("rest")) or (floor is not None and year < floor):
            continue  # the base year or the present, not a goal
        years[index] = year
    if seen_years < 2 or not years:
        return None
    if metric_column is None and first_year_column:
        metric_column = first_year_column - 1  # the indicator stands just before the years
    return _Header(years, metric_column, unit_column, len(cells))


_METRIC_HEADER_RE = re.compile(r"(?:主要)?(?:指标|指标名称|名称|项目|内容)")


def _row_targets(
    text: str, cells: list[_Cell | None], header: _Header, scope: Scope
) -> Iterator[TargetProposal]:
    """One target per year cell of a data row."""
    columns, unit_column = header.years, header.unit_column
    name_cell = None
    if header.metric_column is not None and header.metric_column < len(cells):
        name_cell = cells[header.metric_column]
    if name_cell is None or not name_cell.text or _SERIAL_RE.match(name_cell.text):
        name_cell = next(
            (
                c
                for i, c in enumerate(cells)
                if c is not None
                and c.text
                and i not in columns
                and i != unit_column
                and not _SERIAL_RE.match(c.text)
            ),
            None,
        )
    if name_cell is None:
        return
    metric = name_cell.text
    unit_from_name = None
    bracket = _UNIT_IN_NAME_RE.search(metric)
    if bracket is not None:
        unit_from_name = bracket.group("unit")
        metric = metric[: bracket.start()].strip()
    unit_cell = cells[unit_column] if unit_column is not None and unit_column < len(cells) else None
    if unit_cell is not None and unit_cell.text:
        unit_from_name = unit_cell.text
    metric = re.sub(r"\s+", "", metric)
    if len(re.findall(r"[\u4e00-\u9fff]", metric)) < 2:
        return
    for index, year in columns.items():
        if index >= len(cells):
            continue
        cell = cells[index]
        if cell is None:
            continue
        match = _VALUE_CELL_RE.match(cell.text)
        if match is None:
            continue
        value = parse_value(match.group("number"), None)
        unit = match.group("unit") or unit_from_name
        if value is None or (unit and not QUANTITY_RE.fullmatch("1" + unit) and unit not in ("%", "‰")):
            unit = unit or None
        qualifier: Qualifier = "exactly"
        before, after = match.group("before"), match.group("after")
        if after == "左右" or before == "约":
            qualifier = "about"
        elif after == "以上" or before in ("≥", ">", "＞", "不少于", "不低于", "超过"):
            qualifier = "at_least"
        elif after in ("以内", "以下"):
            qualifier = "at_most"
        elif before == "力争":
            qualifier = "strive"
        start, end = name_cell.start, cell.end
        if value is None:
            continue
        yield TargetProposal(
            year=year,
            metric=metric,
            value=value,
            unit=unit or None,
            qualifier=qualifier,
            strive=before == "力争",
            cumulative="累计" in metric,
            scope=scope,
            quote=text[start:end],
            start=start,
            end=end,
        )
