"""Inputs of an evaluation: the indicator framework and a frozen snapshot of the data.

The snapshot is what a published result is rebuilt from, so it is immutable and round-trips
through JSON. Inside the engine the long table of values becomes a dense cube, ``Panel``,
indexed zone × year × indicator, with NaN for a missing value.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from xiandao.evaluation.engine.errors import EngineError, quoted
from xiandao.evaluation.engine.serialise import from_data, to_data
from xiandao.evaluation.engine.tree import Aggregate, Hierarchy, build_hierarchy, tree_problem
from xiandao.evaluation.engine.types import FloatArray, IntArray

IndicatorKind = Literal["stock", "flow"]

VALUE_COLUMNS = ("zone", "year", "indicator", "value")
TARGET_COLUMNS = ("zone", "year", "indicator", "target")


class InputError(EngineError):
    """The framework or the snapshot is inconsistent; the message says where."""


@dataclass(frozen=True)
class Dimension:
    """A first-level dimension of the framework (e.g. 创新能力, innovation capability)."""

    code: str
    # As the framework writes it (20 for 20 %); the engine rescales dimension weights to sum to 1.
    weight: float = 1.0
    name: str = ""


@dataclass(frozen=True)
class Indicator:
    """A key indicator, its dimension, its weight inside the dimension and its direction."""

    code: str
    dimension: str
    # A relative multiplier inside the dimension, as Chinese systems write it (0.8 / 1.0 / 1.2).
    weight: float = 1.0
    # 1 when higher is better, -1 when lower is better (energy use, incidents).
    direction: int = 1
    kind: IndicatorKind = "stock"
    name: str = ""
    # A per-unit indicator (亩均税收, R&D intensity): the value is divided by the series of this
    # code in the values (GDP, population, land, employees…) and multiplied by ``scale``.
    denominator: str = ""
    scale: float = 1.0


@dataclass(frozen=True)
class Framework:
    """The evaluation framework: dimensions and the indicators inside them, in display order.

    ``aggregates`` is the tree above the dimensions (every dimension once, the higher levels,
    one root); empty, every dimension sits under the root with its ``Dimension.weight``. With a
    tree, the dimension weights are the tree's and ``Dimension.weight`` is not used.
    """

    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    aggregates: tuple[Aggregate, ...] = ()

    def __post_init__(self) -> None:
        dimension_codes = [dimension.code for dimension in self.dimensions]
        _require_unique("维度", dimension_codes)
        _require_unique("指标", [indicator.code for indicator in self.indicators])
        if not self.indicators:
            raise InputError("指标体系中没有任何指标")
        if self.aggregates:
            problem = tree_problem(self.aggregates, dimension_codes, self.indicator_codes)
            if problem is not None:
                where = (
                    f"第{problem.position + 1}个节点（{quoted(self.aggregates[problem.position].code)}）的 {problem.column}"
                    if problem.position is not None
                    else ""
                )
                raise InputError(problem.problem, f"指标树{where}")
        else:
            for dimension in self.dimensions:
                if not (math.isfinite(dimension.weight) and dimension.weight >= 0):
                    raise InputError(f"维度{quoted(dimension.code)}的权重须为不小于0的数字")
            if sum(dimension.weight for dimension in self.dimensions) <= 0:
                raise InputError("各维度权重之和为0，至少一个维度的权重须大于0")
        indicator_codes = set(self.indicator_codes)
        for indicator in self.indicators:
            if indicator.denominator in indicator_codes:
                raise InputError(
                    f"指标{quoted(indicator.code)}的分母{quoted(indicator.denominator)}是指标体系中的指标；"
                    "分母须是数据中另列的序列（如地区生产总值、人口、用地面积）"
                )
            if not (math.isfinite(indicator.scale) and indicator.scale > 0):
                raise InputError(f"指标{quoted(indicator.code)}的倍数（scale）须为大于0的数字")
        for indicator in self.indicators:
            if indicator.dimension not in dimension_codes:
                raise InputError(f"指标{quoted(indicator.code)}所属的维度{quoted(indicator.dimension)}不存在")
            if indicator.direction not in (1, -1):
                raise InputError(f"指标{quoted(indicator.code)}的方向须为1（越大越好）或-1（越小越好）")
            if not (math.isfinite(indicator.weight) and indicator.weight >= 0):
                raise InputError(f"指标{quoted(indicator.code)}的权重须为不小于0的数字")
        for dimension in self.dimensions:
            members = [i for i in self.indicators if i.dimension == dimension.code]
            if not members:
                raise InputError(f"维度{quoted(dimension.code)}下没有任何指标")
            if sum(i.weight for i in members) <= 0:
                raise InputError(f"维度{quoted(dimension.code)}下各指标的权重之和为0，至少一个须大于0")

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(indicator.code for indicator in self.indicators)

    @property
    def dimension_codes(self) -> tuple[str, ...]:
        return tuple(dimension.code for dimension in self.dimensions)

    def dimension_of(self) -> IntArray:
        """Position of each indicator's dimension, in indicator order."""
        position = {code: n for n, code in enumerate(self.dimension_codes)}
        return np.array([position[i.dimension] for i in self.indicators], dtype=np.int64)

    def directions(self) -> FloatArray:
        return np.array([float(i.direction) for i in self.indicators], dtype=np.float64)

    @functools.cached_property
    def hierarchy(self) -> Hierarchy:
        """The tree above the indicators as arrays (the two-level one when there is no tree)."""
        return build_hierarchy([(d.code, d.weight, d.name) for d in self.dimensions], self.aggregates)

    @property
    def denominators(self) -> tuple[str, ...]:
        """The codes of the denominator series the indicators are divided by, in order of use."""
        return tuple(dict.fromkeys(i.denominator for i in self.indicators if i.denominator))

    def without(self, codes: Sequence[str]) -> Framework:
        """The framework less some indicators, less any dimension left empty, less any
        aggregate of the tree left without children."""
        indicators = tuple(i for i in self.indicators if i.code not in set(codes))
        used = {i.dimension for i in indicators}
        aggregates = tuple(a for a in self.aggregates if a.code in used or a.code not in self.dimension_codes)
        while True:
            parents = {a.parent for a in aggregates}
            kept = tuple(a for a in aggregates if a.code in used or a.code in parents)
            if len(kept) == len(aggregates):
                break
            aggregates = kept
        return Framework(tuple(d for d in self.dimensions if d.code in used), indicators, aggregates)


def _require_unique(kind: str, codes: Sequence[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise InputError(f"{kind}{quoted(code)}出现了两次")
        seen.add(code)


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The frozen data an evaluation run reads: values, the zones' own targets, peer groups.

    ``values`` has the columns zone, year, indicator, value (NaN for a value not reported) and
    may hold indicators outside the framework: itemised scoring rules and vetoes read them.
    ``targets`` has zone, year, indicator, target. ``peer_groups`` maps a zone to its group
    (its field or zone type) for peer-group imputation.
    """

    framework: Framework
    values: pd.DataFrame
    targets: pd.DataFrame | None = None
    peer_groups: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _clean_table(self.values, VALUE_COLUMNS, "values"))
        if self.targets is not None:
            object.__setattr__(self, "targets", _clean_table(self.targets, TARGET_COLUMNS, "targets"))

    @functools.cached_property
    def coded_values(self) -> CodedTable:
        """The values with zones and indicators factorised, for the engine's pivots."""
        return CodedTable.of(self.values, "value")

    @functools.cached_property
    def coded_targets(self) -> CodedTable | None:
        return None if self.targets is None else CodedTable.of(self.targets, "target")

    def to_json(self) -> str:
        return json.dumps(
            {
                "framework": to_data(self.framework),
                "values": _records(self.values, VALUE_COLUMNS),
                "targets": None if self.targets is None else _records(self.targets, TARGET_COLUMNS),
                "peer_groups": dict(self.peer_groups),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        data: dict[str, Any] = json.loads(text)
        targets = data.get("targets")
        return cls(
            framework=from_data(Framework, data["framework"], "framework"),
            values=pd.DataFrame(data["values"], columns=list(VALUE_COLUMNS)),
            targets=None if targets is None else pd.DataFrame(targets, columns=list(TARGET_COLUMNS)),
            peer_groups=dict(data.get("peer_groups") or {}),
        )


def _clean_table(table: pd.DataFrame, columns: tuple[str, ...], name: str) -> pd.DataFrame:
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise InputError(f"缺少 {missing[0]} 列", name)
    clean = pd.DataFrame(
        {
            "zone": table["zone"].astype(str).to_numpy(dtype=object),
            "year": table["year"].astype(np.int64).to_numpy(),
            "indicator": table["indicator"].astype(str).to_numpy(dtype=object),
            columns[3]: pd.to_numeric(table[columns[3]]).astype(np.float64).to_numpy(),
        }
    )
    duplicated = clean.duplicated(["zone", "year", "indicator"])
    if duplicated.any():
        row = clean[duplicated].iloc[0]
        raise InputError(
            f"先导区{quoted(row.zone)}、{row.year}年、指标{quoted(row.indicator)}的数据出现了两次", name
        )
    return clean


def _records(table: pd.DataFrame, columns: tuple[str, ...]) -> list[list[Any]]:
    return [
        [zone, int(year), indicator, None if math.isnan(value) else float(value)]
        for zone, year, indicator, value in zip(*(table[c].tolist() for c in columns), strict=True)
    ]


@dataclass(frozen=True, eq=False)
class Panel:
    """Values as a dense cube: ``values[zone, year, indicator]``, NaN where missing."""

    zones: tuple[str, ...]
    years: tuple[int, ...]
    indicators: tuple[str, ...]
    values: FloatArray

    def take(self, zones: IntArray | None = None, indicators: IntArray | None = None) -> Panel:
        """A sub-panel keeping some zones and indicators (positions), in their order."""
        zone_positions = np.arange(len(self.zones)) if zones is None else zones
        indicator_positions = np.arange(len(self.indicators)) if indicators is None else indicators
        return Panel(
            zones=tuple(self.zones[z] for z in zone_positions),
            years=self.years,
            indicators=tuple(self.indicators[i] for i in indicator_positions),
            values=self.values[np.ix_(zone_positions, np.arange(len(self.years)), indicator_positions)],
        )


@dataclass(frozen=True, eq=False)
class CodedTable:
    """A long table with its zone and indicator columns factorised once, for fast pivots.

    Hashing hundreds of thousands of codes is the costliest part of pivoting a large snapshot,
    and a run pivots the same table several times (indicators, denominators, rule indicators,
    then again for the Monte Carlo): the snapshot factorises it once.
    """

    zone_codes: IntArray
    zones: pd.Index
    year_codes: IntArray
    years: pd.Index
    indicator_codes: IntArray
    indicators: pd.Index
    values: FloatArray

    @classmethod
    def of(cls, table: pd.DataFrame, column: str) -> CodedTable:
        zone_codes, zones = pd.factorize(table["zone"])
        year_codes, years = pd.factorize(table["year"])
        indicator_codes, indicators = pd.factorize(table["indicator"])
        return cls(
            zone_codes.astype(np.int64),
            pd.Index(zones),
            year_codes.astype(np.int64),
            pd.Index(years),
            indicator_codes.astype(np.int64),
            pd.Index(indicators),
            table[column].to_numpy(dtype=np.float64),
        )


def build_panel(
    table: pd.DataFrame | CodedTable,
    zones: Sequence[str],
    years: Sequence[int],
    indicators: Sequence[str],
    column: str = "value",
) -> Panel:
    """Pivot a long table into a cube over the given zones, years and indicators.

    Rows outside those (another indicator, a year outside the window) are ignored.
    """
    coded = table if isinstance(table, CodedTable) else CodedTable.of(table, column)
    cube = np.full((len(zones), len(years), len(indicators)), np.nan)
    z = pd.Index(zones).get_indexer(coded.zones)[coded.zone_codes]
    t = pd.Index(years).get_indexer(coded.years)[coded.year_codes]
    i = pd.Index(indicators).get_indexer(coded.indicators)[coded.indicator_codes]
    keep = (z >= 0) & (t >= 0) & (i >= 0)
    cube[z[keep], t[keep], i[keep]] = coded.values[keep]
    return Panel(tuple(zones), tuple(int(y) for y in years), tuple(indicators), cube)
