"""Where things are in a template: sheet names, columns, the marker's keys (writer and reader share them)."""

from __future__ import annotations

from dataclasses import dataclass

INSTRUCTIONS_SHEET = "填报说明"
DATA_SHEET = "填报数据"
MARKER_SHEET = "_xiandao"
#: The marker's first cell: a template of this platform's monitoring reports.
MARKER_FORMAT = "xiandao-monitoring-report"

TITLE_ROW = 1
HEADER_ROW = 2
FIRST_DATA_ROW = 3


@dataclass(frozen=True)
class Col:
    letter: str
    header: str
    width: float


ZONE_ID = Col("A", "先导区编号", 11)
ZONE_NAME = Col("B", "先导区名称", 26)
INDICATOR_CODE = Col("C", "指标代码", 14)
INDICATOR_NAME = Col("D", "指标名称", 30)
DISAGGREGATION_CODE = Col("E", "分类代码", 11)
DISAGGREGATION_NAME = Col("F", "分类", 12)
UNIT = Col("G", "单位", 8)
PREVIOUS = Col("H", "上期值", 12)
TARGET = Col("I", "本年度目标", 12)
VALUE = Col("J", "本期值", 14)
COMMENT = Col("K", "说明（缺报或异常时填写）", 30)

COLUMNS: tuple[Col, ...] = (
    ZONE_ID,
    ZONE_NAME,
    INDICATOR_CODE,
    INDICATOR_NAME,
    DISAGGREGATION_CODE,
    DISAGGREGATION_NAME,
    UNIT,
    PREVIOUS,
    TARGET,
    VALUE,
    COMMENT,
)
HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)


def index_of(col: Col) -> int:
    """0-based position of a column."""
    return COLUMNS.index(col)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
