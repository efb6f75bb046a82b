"""Freezing what a run reads, and turning the engine's results into the rows it stores.

The snapshot holds everything an evaluation depends on: the approved report values of every
year of the window, each zone's annual targets, the registry counts, the framework and the
method as the programme's parameters stand, the engine's method version and the sha256 of
``requirements/base.lock``. :func:`stored_rows` is the one function from engine results to
stored figures (decimals rounded half-up), used by the run and by the rebuild, so a rebuild
from the snapshot gives the same rows or the test says where not.

The data comes through :class:`Sources`: the platform's (monitoring's approved values and
report states, pilot_zones' annual targets) or, in tests, values built with factories.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError

from xiandao.evaluation.engine import METHOD_VERSION, Dimension, Framework, Indicator, Method, Snapshot
from xiandao.evaluation.engine.api import Results, evaluate
from xiandao.evaluation.engine.method import Grading, Normalisation, Threshold, Uncertainty
from xiandao.monitoring import selectors as monitoring_selectors
from xiandao.pilot_zones.selectors import zone_annual_targets, zone_list_for_programme
from xiandao.programmes.selectors import framework_for_year, lifecycle_definition, target_counts

#: Zone statuses an annual evaluation covers (the zones on the creation list).
EVALUATED_STATUSES = ("creating", "observation", "national_recommended")
#: Years of values the window reads back from the evaluated year (the index's base is its first).
WINDOW_YEARS = 5
TWO = Decimal("0.01")


@dataclass(frozen=True)
class ReportState:
    """One zone's report for a year: approved, or where it stands (for “say which”)."""

    zone_id: int
    zone_name: str
    approved: bool
    label: str = ""


class Sources(Protocol):
    def values(self, programme: Any, year: int) -> Mapping[int, Mapping[str, Decimal]]: ...

    def report_states(self, programme: Any, year: int) -> list[ReportState]: ...

    def targets(self, zone: Any, year: int) -> Mapping[str, Decimal]: ...


class PlatformSources:
    """Monitoring's approved values and report states; pilot_zones' annual targets."""

    def values(self, programme: Any, year: int) -> Mapping[int, Mapping[str, Decimal]]:
        return monitoring_selectors.approved_values(programme, year)

    def report_states(self, programme: Any, year: int) -> list[ReportState]:
        return [
            ReportState(s.zone_id, s.zone_name, s.approved, s.label)
            for s in monitoring_selectors.report_states(programme, year)
        ]

    def targets(self, zone: Any, year: int) -> Mapping[str, Decimal]:
        return zone_annual_targets(zone, year)


#: The sources runs read; tests replace it with values built through factories.
SOURCES: list[Sources] = [PlatformSources()]


def sources() -> Sources:
    return SOURCES[0]


def lock_sha256() -> str:
    path = Path(settings.BASE_DIR) / "requirements" / "base.lock"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class GradeScale:
    """The programme's grades lowest first, their thresholds, and what each grade brings."""

    grades: tuple[tuple[str, str], ...]  # (code, name)
    thresholds: tuple[tuple[str, float], ...]
    consequences: dict[str, Any] = field(default_factory=dict)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _name in self.grades)

    def name(self, code: str) -> str:
        return dict(self.grades).get(code, code)


def grade_scale(programme: Any) -> GradeScale | None:
    """The graded evaluation's scale from the programme's life cycle, parameters as they stand now."""
    lifecycle = lifecycle_definition(programme)
    grades = getattr(lifecycle, "grades", None)
    if not grades:
        return None
    ordered = sorted(grades, key=lambda g: g.rank)
    thresholds = tuple(
        (g.code, float(g.threshold.value))
        for g in ordered
        if g.threshold is not None and g.threshold.value is not None
    )
    consequences = lifecycle.consequences.model_dump(mode="json")
    return GradeScale(tuple((g.code, g.name) for g in ordered), thresholds, consequences)


@dataclass
class Completeness:
    """What the run would read: per zone, the indicators with a value in the evaluated year."""

    indicators: list[tuple[str, str, str]]  # code, name, unit
    zones: list[dict[str, Any]]
    unapproved: list[ReportState]

    @property
    def complete(self) -> bool:
        return not self.unapproved and all(z["missing"] == 0 for z in self.zones)


def evaluated_zones(programme: Any) -> list[Any]:
    return [z for z in zone_list_for_programme(programme) if z.status in EVALUATED_STATUSES]


def completeness(programme: Any, year: int) -> Completeness:
    """Per zone and indicator, whether an approved value exists for ``year``; which reports are not approved."""
    data = sources()
    indicators = [
        (i.code, i.name, i.unit) for _d, items in framework_for_year(programme, year) for i in items
    ]
    values = data.values(programme, year)
    zones = []
    for zone in evaluated_zones(programme):
        present = values.get(zone.pk, {})
        cells = [(code, present.get(code)) for code, _n, _u in indicators]
        zones.append(
            {
                "zone": zone,
                "cells": cells,
                "present": sum(1 for _c, v in cells if v is not None),
                "missing": sum(1 for _c, v in cells if v is None),
            }
        )
    return Completeness(indicators, zones, unapproved_reports(programme, year))


def unapproved_reports(programme: Any, year: int) -> list[ReportState]:
    """The evaluated zones whose report for ``year`` is not approved (“say which”)."""
    evaluated = {z.pk for z in evaluated_zones(programme)}
    return [s for s in sources().report_states(programme, year) if not s.approved and s.zone_id in evaluated]


def snapshot_build(programme: Any, year: int, *, draws: int) -> dict[str, Any]:
    """Freeze the run's inputs as plain JSON-ready data (see the module's docstring)."""
    data = sources()
    scale = grade_scale(programme)
    if scale is None:
        raise ValidationError("本计划的评估不分等次，无法开展分等次的年度评估。")
    tree = framework_for_year(programme, year)
    if not tree:
        raise ValidationError("本计划尚未设置评价指标体系，无法开展年度评估。")
    zones = evaluated_zones(programme)
    if not zones:
        raise ValidationError(f"{year}年没有处于创建期的先导区，无需评估。")
    zone_ids = {z.pk for z in zones}
    dimensions = tuple(Dimension(d.code, float(d.weight), d.name) for d, items in tree if items)
    indicators = tuple(
        Indicator(i.code, d.code, float(i.weight), int(i.direction), name=i.name)
        for d, items in tree
        for i in items
    )
    codes = {i.code for i in indicators}
    rows: list[tuple[str, int, str, float]] = []
    years: list[int] = []
    for y in range(year - WINDOW_YEARS + 1, year + 1):
        found = data.values(programme, y)
        added = 0
        for zone_id, by_code in found.items():
            if zone_id not in zone_ids:
                continue
            for code, value in by_code.items():
                if code in codes and value is not None:
                    rows.append((str(zone_id), y, code, float(value)))
                    added += 1
        if added:
            years.append(y)
    if year not in years:
        raise ValidationError(f"{year}年没有任何已审核的填报数据，无法评估。")
    # A zone without any approved value for the year is not evaluated (its report is named as unapproved).
    reporting = {row[0] for row in rows if row[1] == year}
    zones = [z for z in zones if str(z.pk) in reporting]
    zone_ids = {z.pk for z in zones}
    rows = [row for row in rows if int(row[0]) in zone_ids]
    target_rows = [
        (str(z.pk), year, code, float(value))
        for z in zones
        for code, value in sorted(data.targets(z, year).items())
        if code in codes and value is not None
    ]
    framework = Framework(dimensions, indicators)
    snapshot = Snapshot(
        framework,
        pd.DataFrame(rows, columns=["zone", "year", "indicator", "value"]),
        pd.DataFrame(target_rows, columns=["zone", "year", "indicator", "target"]) if target_rows else None,
        {str(z.pk): z.field.code for z in zones},
    )
    method = Method(
        normalisation=Normalisation(window=(years[0], year)),
        grading=Grading(
            scale=scale.codes,
            thresholds=tuple(Threshold(code, minimum) for code, minimum in scale.thresholds),
        ),
        uncertainty=Uncertainty(draws=draws),
    )
    counts = {code: item.get("count") for code, item in target_counts(programme).items() if code in codes}
    units = {i.code: i.unit for _d, items in tree for i in items}
    return {
        "programme": programme.code,
        "year": year,
        "zones": {str(z.pk): z.name for z in zones},
        "zone_fields": {str(z.pk): z.field.code for z in zones},
        "units": units,
        "grades": [list(g) for g in scale.grades],
        "consequences": scale.consequences,
        "engine": json.loads(snapshot.to_json()),
        "method": json.loads(method.to_json()),
        "method_version": METHOD_VERSION,
        "lock_sha256": lock_sha256(),
        "registry_counts": counts,
    }


def snapshot_text(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def engine_inputs(data: Mapping[str, Any]) -> tuple[Snapshot, Method]:
    return Snapshot.from_json(json.dumps(data["engine"])), Method.from_json(json.dumps(data["method"]))


def compute(data: Mapping[str, Any], progress: Callable[[int], object] | None = None) -> Results:
    snapshot, method = engine_inputs(data)
    return evaluate(snapshot, method, uncertainty=True, progress=progress)


def dec(value: float | None, places: Decimal = TWO) -> Decimal | None:
    """A float as a decimal rounded half-up (as Excel rounds); None stays None."""
    if value is None:
        return None
    return Decimal(repr(float(value))).quantize(places, rounding=ROUND_HALF_UP)


def _dec_str(value: float | None, places: Decimal = TWO) -> str | None:
    found = dec(value, places)
    return None if found is None else str(found)


def stored_rows(data: Mapping[str, Any], results: Results) -> list[dict[str, Any]]:
    """The rows a run stores for its year, one per zone: figures as decimals rounded half-up."""
    year = int(data["year"])
    uncertainty = {
        (u.zone, u.year): u for u in (results.uncertainty.zone_years if results.uncertainty else ())
    }
    rows = []
    for r in results.run.zone_years:
        if r.year != year:
            continue
        u = uncertainty.get((r.zone, r.year))
        probabilities = {
            g: _dec_str(p, Decimal("0.0001")) for g, p in (u.grade_probabilities if u else {}).items()
        }
        rows.append(
            {
                "zone_id": int(r.zone),
                "zone_name": data["zones"].get(r.zone, r.zone),
                "composite": dec(r.composite),
                "index": dec(r.index),
                "rank": r.rank,
                "proposed_grade": r.grade or "",
                "reasons": [
                    {
                        "kind": x.kind,
                        "code": x.code,
                        "detail": x.detail,
                        "decisive": bool(getattr(x, "decisive", False)),
                    }
                    for x in r.reasons
                ],
                "overall_attainment": dec(r.overall_attainment, Decimal("0.0001")),
                "attainment": {k: _dec_str(v, Decimal("0.0001")) for k, v in r.attainment.items()},
                "nodes": {k: _dec_str(v) for k, v in {**r.dimension_scores, **r.aggregate_scores}.items()},
                "indicator_scores": {k: _dec_str(v) for k, v in r.indicator_scores.items()},
                "change_previous": dec(r.change_since_previous_year),
                "strengths": [
                    {"code": c, "note": n}
                    for c, n in zip(r.strengths, r.strength_notes or [""] * len(r.strengths), strict=False)
                ],
                "weaknesses": [
                    {"code": c, "note": n}
                    for c, n in zip(r.weaknesses, r.weakness_notes or [""] * len(r.weaknesses), strict=False)
                ],
                "probabilities": probabilities,
                "rank_low": dec(u.rank_low, Decimal("0.1")) if u else None,
                "rank_high": dec(u.rank_high, Decimal("0.1")) if u else None,
            }
        )
    rows.sort(key=lambda row: (row["rank"] is None, row["rank"] or 0, row["zone_name"]))
    return rows


def rows_digest(rows: list[dict[str, Any]]) -> str:
    return sha256_text(json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str))
