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
from xiandao.evaluation.engine.tree import Aggregate, tree_problem


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


def read_framework(path: Path, *, with_tree: bool = False) -> Framework:
    """Read indicator,dimension,dimension_weight,weight,direction[,kind,name,denominator,scale].

    ``with_tree``: the dimension weights come from tree.csv, so ``dimension_weight`` may be
    left out and is not read.
    """
    dimensions: dict[str, tuple[float, int]] = {}
    indicators = []
    seen: dict[str, int] = {}
    denominators: dict[str, int] = {}
    required: tuple[str, ...] = ("indicator", "dimension", "weight", "direction")
    if not with_tree:
        required = ("indicator", "dimension", "dimension_weight", "weight", "direction")
    for row in read_rows(path, required, ("kind", "name", "denominator", "scale", "dimension_weight")):
        code = _text(path, row, "indicator")
        if code in seen:
            raise FileError(path, f"指标{quoted(code)}已在第{seen[code]}行填写过", row.number, "indicator")
        seen[code] = row.number
        dimension = _text(path, row, "dimension")
        if with_tree:
            dimensions.setdefault(dimension, (1.0, row.number))
        else:
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
        denominator = row.cells.get("denominator", "")
        scale = 1.0
        if row.cells.get("scale", ""):
            scale = _number(path, row, "scale")
            if scale <= 0:
                raise FileError(path, "倍数须大于0（如分母以万人计时填10000）", row.number, "scale")
        if denominator:
            denominators.setdefault(denominator, row.number)
        indicators.append(
            Indicator(
                code=code,
                dimension=dimension,
                weight=weight,
                direction=int(direction),
                kind="stock" if kind == "stock" else "flow",
                name=row.cells.get("name", ""),
                denominator=denominator,
                scale=scale,
            )
        )
    if not indicators:
        raise FileError(path, "没有任何指标：表头下应每行一个指标")
    for denominator, number in denominators.items():
        if denominator in seen:
            raise FileError(
                path,
                f"分母{quoted(denominator)}是本表中的指标；分母须是 values.csv 中另列的序列"
                "（如地区生产总值、人口、用地面积），不参与评价",
                number,
                "denominator",
            )
    try:
        return Framework(
            tuple(Dimension(code, weight) for code, (weight, _) in dimensions.items()),
            tuple(indicators),
        )
    except InputError as error:
        raise FileError(path, error.problem, key=error.key) from None


def check_denominators(path: Path, framework: Framework, values_path: Path, values: pd.DataFrame) -> None:
    """Every denominator of framework.csv must be a series of values.csv: name the row if not."""
    present = set(values["indicator"])
    for indicator in framework.indicators:
        if indicator.denominator and indicator.denominator not in present:
            number = next(
                row.number
                for row in read_rows(path, ("indicator",))
                if row.cells["indicator"] == indicator.code
            )
            raise FileError(
                path,
                f"分母{quoted(indicator.denominator)}在 {values_path} 中没有任何数据行"
                f"（应以 indicator 列为{quoted(indicator.denominator)}逐年填写）",
                number,
                "denominator",
            )


def read_tree(path: Path, framework_path: Path, framework: Framework) -> Framework:
    """Read tree.csv (code,parent,weight[,name]): the levels above the dimensions.

    A malformed tree — a cycle, two roots, a dimension missing, a parent that does not exist,
    a negative weight — is refused naming the row and the column (a missing dimension is named
    at its first row in framework.csv).
    """
    nodes: list[Aggregate] = []
    rows: list[int] = []
    for row in read_rows(path, ("code", "parent", "weight"), ("name",)):
        nodes.append(
            Aggregate(
                code=_text(path, row, "code"),
                parent=row.cells["parent"],
                # An empty weight is 1, as for the root, whose weight nothing reads.
                weight=1.0 if row.cells["weight"] == "" else _number(path, row, "weight"),
                name=row.cells.get("name", ""),
            )
        )
        rows.append(row.number)
    if not nodes:
        raise FileError(path, "没有任何节点：表头下应每行一个维度或更高一级的指标")
    problem = tree_problem(nodes, framework.dimension_codes, framework.indicator_codes)
    if problem is not None:
        if problem.position is None:
            number = next(
                row.number
                for row in read_rows(framework_path, ("dimension",))
                if row.cells["dimension"] == problem.dimension
            )
            raise FileError(framework_path, f"{problem.problem}（{path} 中没有这一行）", number, "dimension")
        raise FileError(path, problem.problem, rows[problem.position], problem.column)
    try:
        return Framework(framework.dimensions, framework.indicators, tuple(nodes))
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
    """One row per zone and year; figures at full precision (the float's repr).

    After zone, year, composite, index and grade: one column per dimension and, with a tree,
    per aggregate above the dimensions up to the root (whose score is the composite).
    """
    with open_for_writing(path) as handle:
        writer = csv.writer(handle)
        columns = result.score_columns
        writer.writerow(["zone", "year", "composite", "index", "grade", *columns])
        for r in result.zone_years:
            writer.writerow(
                [
                    r.zone,
                    r.year,
                    _figure(r.composite),
                    _figure(r.index),
                    r.grade or "",
                    *(_figure(r.score_of(code)) for code in columns),
                ]
            )


def _figure(value: float | None) -> str:
    return "" if value is None else repr(float(value))
