"""Outputs of a run: frozen per zone-year results and the run-wide diagnostics.

A missing figure is None, never NaN, so the JSON is plain and a template can test it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ImputedValue:
    """A value the engine filled in; it is always shown as imputed."""

    zone: str
    year: int
    indicator: str
    value: float
    method: str


@dataclass(frozen=True)
class TreatedValue:
    """A value changed by outlier treatment: winsorised or log-transformed."""

    zone: str
    year: int
    indicator: str
    original: float
    treated: float
    treatment: Literal["winsorised", "log"]


@dataclass(frozen=True)
class EffectiveWeight:
    """An indicator's weight inside its dimension and in the composite."""

    indicator: str
    dimension: str
    dimension_weight: float
    within_dimension: float
    effective: float


@dataclass(frozen=True)
class GradeReason:
    """What decided a grade: a threshold met or missed, a gate, a veto."""

    kind: Literal["threshold", "gate", "veto"]
    code: str
    detail: str


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
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]


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

    def result(self, zone: str, year: int) -> ZoneYearResult:
        for zone_year in self.zone_years:
            if zone_year.zone == zone and zone_year.year == year:
                return zone_year
        raise KeyError((zone, year))

    def to_frame(self) -> pd.DataFrame:
        """One row per zone and year: zone, year, composite, index, grade, then each dimension."""
        rows = [
            {
                "zone": r.zone,
                "year": r.year,
                "composite": r.composite,
                "index": r.index,
                "grade": r.grade,
                **{code: r.dimension_scores.get(code) for code in self.dimensions},
            }
            for r in self.zone_years
        ]
        return pd.DataFrame(rows, columns=["zone", "year", "composite", "index", "grade", *self.dimensions])

    def to_json(self) -> str:
        return json.dumps(to_data(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> RunResult:
        return from_data(cls, json.loads(text))
