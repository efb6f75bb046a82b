"""Outputs of a run: frozen per zone-year results and the run-wide diagnostics.

A missing figure is None, never NaN, so the JSON is plain and a template can test it.
Codes (``kind``, ``code``, ``method``, ``treatment``, ``action``) are English and stable, for
the platform to filter on; what a person reads (``detail``, ``note``, ``*_notes``) is Chinese,
worded in texts.py. A note added after a field existed has a default, so a run stored before
it still loads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from xiandao.evaluation.engine.method import Method
from xiandao.evaluation.engine.serialise import from_data, to_data


@dataclass(frozen=True)
class ScreeningFinding:
    """A zone or indicator under an availability threshold, and what was done about it."""

    kind: Literal["zone", "indicator"]
    code: str
    availability: float
    action: Literal["drop", "flag"]
    # 指标“b”数据完整率 25.00%，低于要求的 50%，已剔除，不参与评价
    note: str = ""


@dataclass(frozen=True)
class ImputedValue:
    """A value the engine filled in; it is always shown as imputed."""

    zone: str
    year: int
    indicator: str
    value: float
    # mean, median or carry; peer_group_mean or peer_group_median when taken over a peer group.
    method: str
    # 未报送，按当年同类先导区（新材料）的均值填补为 12.50
    note: str = ""
    # Why all zones were used although peer groups were asked for: ``no_group`` (the zone has
    # none) or ``empty_group`` (its group had no value that year); empty otherwise.
    fallback: str = ""


@dataclass(frozen=True)
class DenominatorFinding:
    """A per-unit value left missing because its denominator is missing or zero."""

    zone: str
    year: int
    indicator: str
    denominator: str
    reason: Literal["missing", "zero"]
    # 先导区“Z1”2023年指标“亩均税收”的分母“用地面积”为0，该值按缺失处理
    note: str = ""


@dataclass(frozen=True)
class TreatedValue:
    """A value changed by outlier treatment: winsorised or log-transformed."""

    zone: str
    year: int
    indicator: str
    original: float
    treated: float
    treatment: Literal["winsorised", "log"]
    # 异常值缩尾处理：由 1000.00 调整为 17.00
    note: str = ""


@dataclass(frozen=True)
class EffectiveWeight:
    """An indicator's weight inside its dimension and in the composite."""

    indicator: str
    dimension: str
    # The dimension's weight in the composite (the product along its path in the tree).
    dimension_weight: float
    within_dimension: float
    effective: float


@dataclass(frozen=True)
class AggregateWeight:
    """A node of the tree: its weight among its siblings and in the composite."""

    code: str
    parent: str
    within_parent: float
    in_composite: float


@dataclass(frozen=True)
class GradeReason:
    """What decided a grade: a threshold met or missed, a gate, a veto.

    ``kind`` and ``code`` are for filtering: ``threshold`` with the grade whose threshold was
    met or missed (``no_figure`` when there is no figure), ``gate`` with the gate's measure
    (``attainment``, ``dimension:D1``), ``veto`` with the veto's code. ``detail`` is the
    Chinese a committee reads: 绩效指数 125.00 ≥ AAA 门槛 125，评为 AAA. ``decisive`` marks
    the one reason that set the grade: the threshold met (or, when none was, the lowest one
    missed), or the gate or veto that capped it lowest.
    """

    kind: Literal["threshold", "gate", "veto"]
    code: str
    detail: str
    decisive: bool = False


@dataclass(frozen=True)
class ZoneYearResult:
    """Everything the run says about one zone in one year."""

    zone: str
    year: int
    composite: float | None
    index: float | None
    # The figure the grade was decided on, as shown: rounded half-up (a decimal string).
    figure_shown: str | None
    rank: int | None
    grade: str | None
    reasons: tuple[GradeReason, ...]
    dimension_scores: Mapping[str, float | None]
    indicator_scores: Mapping[str, float | None]
    attainment: Mapping[str, float]
    overall_attainment: float | None
    itemised_score: float | None
    # Change of the composite, in score points, since the window's first year and the year before.
    change_since_first_year: float | None
    change_since_previous_year: float | None
    # Indicator codes, best (or worst) first; the notes say the same for a reader, in the same
    # order: 优势指标“a”：得分 100.00，在 3 个先导区中排第 1.
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    strength_notes: tuple[str, ...] = ()
    weakness_notes: tuple[str, ...] = ()
    # The score of every aggregate above the dimensions (the levels of the tree, the root too).
    aggregate_scores: Mapping[str, float | None] = field(default_factory=dict)

    def decided_by(self) -> GradeReason | None:
        """The reason that set the grade (None when there is no threshold at all)."""
        return next((reason for reason in self.reasons if reason.decisive), None)

    def score_of(self, code: str) -> float | None:
        """The score of a dimension or of an aggregate above the dimensions."""
        if code in self.dimension_scores:
            return self.dimension_scores[code]
        return self.aggregate_scores.get(code)


@dataclass(frozen=True)
class RunResult:
    """A whole run: the method it used, every zone-year, and what a reviewer checks."""

    method: Method
    method_version: str
    zones: tuple[str, ...]
    years: tuple[int, ...]
    dimensions: tuple[str, ...]
    indicators: tuple[str, ...]
    # The composite that the index calls 100.
    reference: float | None
    zone_years: tuple[ZoneYearResult, ...]
    effective_weights: tuple[EffectiveWeight, ...]
    zone_availability: Mapping[str, float]
    indicator_availability: Mapping[str, float]
    correlations: Mapping[str, Mapping[str, float | None]]
    indicator_dimension_correlations: Mapping[str, float | None]
    cronbach_alpha: Mapping[str, float | None]
    screening: tuple[ScreeningFinding, ...]
    imputed: tuple[ImputedValue, ...]
    treated: tuple[TreatedValue, ...]
    # The aggregates above the dimensions, children before parents, the root last (none when
    # the framework has no tree), and every node's weight.
    aggregates: tuple[str, ...] = ()
    aggregate_weights: tuple[AggregateWeight, ...] = ()
    denominator_findings: tuple[DenominatorFinding, ...] = ()

    @property
    def score_columns(self) -> tuple[str, ...]:
        """The aggregate codes results.csv shows: the dimensions, then every level above."""
        return (*self.dimensions, *self.aggregates)

    def result(self, zone: str, year: int) -> ZoneYearResult:
        for zone_year in self.zone_years:
            if zone_year.zone == zone and zone_year.year == year:
                return zone_year
        raise KeyError((zone, year))

    def to_frame(self) -> pd.DataFrame:
        """One row per zone and year: zone, year, composite, index, grade, then each aggregate."""
        rows = [
            {
                "zone": r.zone,
                "year": r.year,
                "composite": r.composite,
                "index": r.index,
                "grade": r.grade,
                **{code: r.score_of(code) for code in self.score_columns},
            }
            for r in self.zone_years
        ]
        return pd.DataFrame(
            rows, columns=["zone", "year", "composite", "index", "grade", *self.score_columns]
        )

    def to_json(self) -> str:
        return json.dumps(to_data(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> RunResult:
        return from_data(cls, json.loads(text))
