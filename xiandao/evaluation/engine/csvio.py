"""Reading the command line's files, with Chinese errors that name the file, the row and the column.

``values.csv 第3行 value 列：“abc”不是数字``: the people who prepare these files are programme
staff, so every message is Chinese and says what to fix. Rows are numbered as a spreadsheet
shows them: the header is row 1, the first value row 2. Columns are named by their header.
CSV files saved by Chinese Excel are often GB18030 rather than UTF-8; both are read.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pandas as pd

from xiandao.evaluation.engine.errors import EngineError, listed, os_reason, quoted
from xiandao.evaluation.engine.method import Method, MethodError
from xiandao.evaluation.engine.model import Dimension, Framework, Indicator, InputError
from xiandao.evaluation.engine.results import RunResult


class FileError(EngineError):
    """A file that cannot be read or written as it should be; the message says where.

    ``values.csv 第3行 value 列：…``, the file named as the user gave it; ``key`` is a place
    inside a JSON file (``grading.decimals``, ``第1行第14列``).
    """

    def __init__(
        self,
        path: Path,
        problem: str,
        row: int | None = None,
        column: str | None = None,
        *,
        key: str = "",
    ) -> None:
        where = str(path)
        if row is not None:
            where += f" 第{row}行"
        if column is not None:
            where += f" {column} 列"
        if key:
            where += f" {key}"
        self.path = path
        self.row = row
        self.column = column
        super().__init__(problem, where)


@dataclass(frozen=True)
class Row:
    number: int
    cells: dict[str, str]


def read_rows(path: Path, required: Sequence[str], optional: Sequence[str] = ()) -> Iterator[Row]:
    """Yield each data row of a CSV file as a mapping of the known columns, stripped."""
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise FileError(path, "文件是空的，第1行应为表头（" + listed(required) + "）") from None
    for column in required:
        if column not in header:
            found = f"表头现有：{listed(cell for cell in header if cell)}" if any(header) else "表头是空的"
            raise FileError(path, f"缺少这一列（{found}）", 1, column)
    wanted = [c for c in (*required, *optional) if c in header]
    positions = {column: header.index(column) for column in wanted}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise FileError(path, f"本行有{len(cells)}个单元格，而表头有{len(header)}列，二者应一致", number)
        yield Row(number, {column: cells[position].strip() for column, position in positions.items()})


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FileError(path, f"无法读取（{os_reason(error)}）") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(path, "文件不是 UTF-8 或 GB18030 编码的文本，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”")


def _number(path: Path, row: Row, column: str, *, allow_empty: bool = False) -> float:
    text = row.cells[column]
    if text == "" and allow_empty:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        problem = "不能为空" if text == "" else f"{quoted(text)}不是数字"
        raise FileError(path, problem, row.number, column) from None
    if not math.isfinite(value):
        raise FileError(path, f"{quoted(text)}不是有效的数字（不能是无穷大或 NaN）", row.number, column)
    return value


def _integer(path: Path, row: Row, column: str) -> int:
    text = row.cells[column]
    try:
        return int(text)
    except ValueError:
        problem = "不能为空" if text == "" else f"{quoted(text)}不是整数"
        raise FileError(path, problem, row.number, column) from None


def _text(path: Path, row: Row, column: str) -> str:
    text = row.cells[column]
    if not text:
        raise FileError(path, "不能为空", row.number, column)
    return text


def read_long_table(path: Path, value_column: str, *, allow_empty: bool) -> pd.DataFrame:
    """Read zone,year,indicator,<value_column>; an empty value is a missing value."""
    seen: dict[tuple[str, int, str], int] = {}
    records = []
    for row in read_rows(path, ("zone", "year", "indicator", value_column)):
        key = (_text(path, row, "zone"), _integer(path, row, "year"), _text(path, row, "indicator"))
        if key in seen:
            raise FileError(
                path,
                f"先导区{quoted(key[0])}、{key[1]}年、指标{quoted(key[2])}的数据已在第{seen[key]}行填写过",
                row.number,
            )
        seen[key] = row.number
        records.append((*key, _number(path, row, value_column, allow_empty=allow_empty)))
    return pd.DataFrame(records, columns=["zone", "year", "indicator", value_column])


def read_values(path: Path) -> pd.DataFrame:
    return read_long_table(path, "value", allow_empty=True)


def read_targets(path: Path) -> pd.DataFrame:
    return read_long_table(path, "target", allow_empty=False)


def read_peer_groups(path: Path) -> dict[str, str]:
    return {_text(path, row, "zone"): _text(path, row, "group") for row in read_rows(path, ("zone", "group"))}


def read_framework(path: Path) -> Framework:
    """Read indicator,dimension,dimension_weight,weight,direction[,kind,name]."""
    dimensions: dict[str, tuple[float, int]] = {}
    indicators = []
    seen: dict[str, int] = {}
    required = ("indicator", "dimension", "dimension_weight", "weight", "direction")
    for row in read_rows(path, required, ("kind", "name")):
        code = _text(path, row, "indicator")
        if code in seen:
            raise FileError(path, f"指标{quoted(code)}已在第{seen[code]}行填写过", row.number, "indicator")
        seen[code] = row.number
        dimension = _text(path, row, "dimension")
        dimension_weight = _number(path, row, "dimension_weight")
        if dimension_weight < 0:
            raise FileError(path, "权重不能为负数", row.number, "dimension_weight")
        if dimension in dimensions and dimensions[dimension][0] != dimension_weight:
            first = dimensions[dimension][1]
            raise FileError(
                path,
                f"维度{quoted(dimension)}在第{first}行的权重是{dimensions[dimension][0]:g}，"
                "同一维度各行的权重应相同",
                row.number,
                "dimension_weight",
            )
        dimensions.setdefault(dimension, (dimension_weight, row.number))
        weight = _number(path, row, "weight")
        if weight < 0:
            raise FileError(path, "权重不能为负数", row.number, "weight")
        direction = row.cells["direction"]
        if direction not in ("1", "-1", "+1"):
            raise FileError(
                path,
                f"{quoted(direction)}无法识别，方向应为1（越大越好）或-1（越小越好）",
                row.number,
                "direction",
            )
        kind = row.cells.get("kind") or "stock"
        if kind not in ("stock", "flow"):
            raise FileError(
                path, f"{quoted(kind)}无法识别，类型应为 stock（存量）或 flow（流量）", row.number, "kind"
            )
        indicators.append(
            Indicator(
                code=code,
                dimension=dimension,
                weight=weight,
                direction=int(direction),
                kind="stock" if kind == "stock" else "flow",
                name=row.cells.get("name", ""),
            )
        )
    if not indicators:
        raise FileError(path, "没有任何指标：表头下应每行一个指标")
    try:
        return Framework(
            tuple(Dimension(code, weight) for code, (weight, _) in dimensions.items()),
            tuple(indicators),
        )
    except InputError as error:
        raise FileError(path, error.problem, key=error.key) from None


def read_method(path: Path) -> Method:
    try:
        return Method.from_json(_read_text(path))
    except MethodError as error:
        raise FileError(path, error.problem, key=error.key) from None


def open_for_writing(path: Path) -> TextIO:
    """Open an output file, with a Chinese error naming it if that cannot be done."""
    try:
        return path.open("w", newline="", encoding="utf-8")
    except OSError as error:
        raise FileError(path, f"无法写入（{os_reason(error)}）") from None


def write_results(path: Path, result: RunResult) -> None:
    """One row per zone and year; figures at full precision (the float's repr)."""
    with open_for_writing(path) as handle:
        writer = csv.writer(handle)
        writer.writerow(["zone", "year", "composite", "index", "grade", *result.dimensions])
        for r in result.zone_years:
            writer.writerow(
                [
                    r.zone,
                    r.year,
                    _figure(r.composite),
                    _figure(r.index),
                    r.grade or "",
                    *(_figure(r.dimension_scores.get(code)) for code in result.dimensions),
                ]
            )


def _figure(value: float | None) -> str:
    return "" if value is None else repr(float(value))
