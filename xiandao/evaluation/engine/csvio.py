"""Reading the command line's files, with errors that name the file, the row and the column.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first value row 2.
CSV files saved by Chinese Excel are often GB18030 rather than UTF-8; both are read.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from xiandao.evaluation.engine.method import Method, MethodError
from xiandao.evaluation.engine.model import Dimension, Framework, Indicator, InputError
from xiandao.evaluation.engine.results import RunResult


class FileError(ValueError):
    """A file that cannot be read as it should be; the message says where."""

    def __init__(self, path: Path, message: str, row: int | None = None, column: str | None = None) -> None:
        where = [path.name]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}")


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
        raise FileError(path, "the file is empty") from None
    for column in required:
        if column not in header:
            raise FileError(path, f"missing column (found: {', '.join(header) or 'none'})", 1, column)
    wanted = [c for c in (*required, *optional) if c in header]
    positions = {column: header.index(column) for column in wanted}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise FileError(path, f"{len(cells)} cells where the header has {len(header)}", number)
        yield Row(number, {column: cells[position].strip() for column, position in positions.items()})


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FileError(path, f"cannot read the file ({error.strerror})") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(path, "the file is neither UTF-8 nor GB18030 text")


def _number(path: Path, row: Row, column: str, *, allow_empty: bool = False) -> float:
    text = row.cells[column]
    if text == "" and allow_empty:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        raise FileError(path, f"{text!r} is not a number", row.number, column) from None
    if not math.isfinite(value):
        raise FileError(path, f"{text!r} is not a finite number", row.number, column)
    return value


def _integer(path: Path, row: Row, column: str) -> int:
    text = row.cells[column]
    try:
        return int(text)
    except ValueError:
        raise FileError(path, f"{text!r} is not a whole number", row.number, column) from None


def _text(path: Path, row: Row, column: str) -> str:
    text = row.cells[column]
    if not text:
        raise FileError(path, "empty", row.number, column)
    return text


def read_long_table(path: Path, value_column: str, *, allow_empty: bool) -> pd.DataFrame:
    """Read zone,year,indicator,<value_column>; an empty value is a missing value."""
    seen: dict[tuple[str, int, str], int] = {}
    records = []
    for row in read_rows(path, ("zone", "year", "indicator", value_column)):
        key = (_text(path, row, "zone"), _integer(path, row, "year"), _text(path, row, "indicator"))
        if key in seen:
            raise FileError(
                path, f"{key[0]}, {key[1]}, {key[2]} already given in row {seen[key]}", row.number
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
            raise FileError(
                path, f"indicator {code!r} already given in row {seen[code]}", row.number, "indicator"
            )
        seen[code] = row.number
        dimension = _text(path, row, "dimension")
        dimension_weight = _number(path, row, "dimension_weight")
        if dimension_weight < 0:
            raise FileError(path, "a weight cannot be negative", row.number, "dimension_weight")
        if dimension in dimensions and dimensions[dimension][0] != dimension_weight:
            first = dimensions[dimension][1]
            raise FileError(
                path,
                f"dimension {dimension!r} has weight {dimensions[dimension][0]:g} in row {first}",
                row.number,
                "dimension_weight",
            )
        dimensions.setdefault(dimension, (dimension_weight, row.number))
        weight = _number(path, row, "weight")
        if weight < 0:
            raise FileError(path, "a weight cannot be negative", row.number, "weight")
        direction = row.cells["direction"]
        if direction not in ("1", "-1", "+1"):
            raise FileError(path, f"{direction!r}: direction is 1 or -1", row.number, "direction")
        kind = row.cells.get("kind") or "stock"
        if kind not in ("stock", "flow"):
            raise FileError(path, f"{kind!r}: kind is stock or flow", row.number, "kind")
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
        raise FileError(path, "no indicator")
    try:
        return Framework(
            tuple(Dimension(code, weight) for code, (weight, _) in dimensions.items()),
            tuple(indicators),
        )
    except InputError as error:
        raise FileError(path, str(error)) from None


def read_method(path: Path) -> Method:
    try:
        return Method.from_json(_read_text(path))
    except MethodError as error:
        raise FileError(path, str(error)) from None


def write_results(path: Path, result: RunResult) -> None:
    """One row per zone and year; figures at full precision (the float's repr)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
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
