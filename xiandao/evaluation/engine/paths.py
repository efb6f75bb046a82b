"""The path to the next grade: the smallest set of indicator improvements that lifts a zone's
grade one level under the method, each stated in the indicator's own unit.

For a zone graded A in a year, the path says, for instance, 研发投入强度由3.1%提高到3.6%，
并省级以上平台增加4个，达到10个. It is computed on the same arithmetic as the run
(``pipeline.figures``) with only that zone's values of that year changed:

* **Assumption.** Every other zone's values, and the zone's own other years, are held fixed;
  each result says so (``assumptions``). Values move only in the better direction (up where
  higher is better, down where lower is better), never beyond a bound: the best value any
  other zone or year reached in the window for relative normalisations (min-max, z-score,
  rank, percentile) — so with min-max the window's minimum and maximum stay as they are — the
  best goalpost for goalposts, the value that meets the zone's own target for distance to
  target, and the caller's bounds (``IndicatorUnit.minimum`` / ``maximum``). An indicator the
  zone did not report that year is not a candidate.
* **Smallest** means fewest indicators first, then the least *normalised effort*: the sum over
  the indicators changed of |change| ÷ the indicator's range over the window (max − min of all
  zones and years). With min-max that is the score points gained ÷ 100. It is minimised before
  the values are put on their display grid (which adds at most one display step each).
* **Exact** (``mode="exact"``) when the zone's figure is linear in its indicators: arithmetic
  aggregation, expert or equal weights, no outlier treatment, min-max, goalposts or
  distance-to-target normalisation — and each candidate is checked to be linear up to its
  bound (its midpoint gives the mean of both ends, the index's reference moves as predicted).
  Then the requirements are linear constraints: the figure (or, when the year is the index's
  reference year, the composite, solved through the reference's own change) must pass the
  point where its rounding half-up shows the next grade's threshold, and each gate failing at
  or below that grade must pass too. Subsets are enumerated by size; a subset's least effort
  is a fractional knapsack (one constraint) or a linear programme (gates too). Integer
  (count) indicators try the integer below and above the continuous optimum, the others
  absorbing the rest.
* **Searched** (``mode="searched"``) otherwise (geometric mean, z-scores, ranks, entropy or
  PCA weights, outlier treatment, a non-linear indicator): subsets by size among the
  indicators that gain most, each at its bounds to see whether it can reach the grade, then
  a common share of every headroom by bisection and each indicator lowered in turn by
  bisection (local refinement). Not guaranteed minimal; the result says so.

Every suggested value is put on the indicator's display grid (its decimals, or integers),
moved in the better direction, and the whole change is evaluated again before it is returned:
the zone then reaches the next grade. A veto (一票否决) capping the grade cannot be made up by
other indicators, and the result says so; a gate no improvable indicator can lift, or a
threshold out of reach even with every indicator at its bound, gives ``unreachable`` with the
reason. A zone already at the top grade gets no path.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Literal

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from xiandao.evaluation.engine import grading, texts
from xiandao.evaluation.engine.errors import quoted
from xiandao.evaluation.engine.method import Gate, Method
from xiandao.evaluation.engine.model import InputError, Panel, Snapshot
from xiandao.evaluation.engine.pipeline import Figures, Prepared, figures, prepare
from xiandao.evaluation.engine.serialise import from_data, to_data
from xiandao.evaluation.engine.types import FloatArray

PathStatus = Literal["path", "top", "vetoed", "unreachable", "no_grade"]
PathMode = Literal["exact", "searched", ""]

# Subsets of one size enumerated exactly before the search keeps to the indicators gaining most.
EXACT_SUBSETS = 20_000
SEARCH_SUBSETS = 40
# A figure this much (relatively) above where rounding crosses a threshold is safely above it.
_MARGIN = 1e-9
_LINEAR_TOLERANCE = 1e-7


@dataclass(frozen=True)
class IndicatorUnit:
    """How an indicator's value is written: unit, decimals, integer counts, natural bounds.

    ``decimals`` None writes two decimals from 1 up and three significant digits below 1, as the
    run's notes do. ``integer`` for counts (platforms, enterprises): changes are whole numbers.
    """

    unit: str = ""
    decimals: int | None = None
    integer: bool = False
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Improvement:
    """One indicator's change: from the value reported to the value suggested, in its unit."""

    indicator: str
    name: str
    direction: int
    value_from: float
    value_to: float
    # Signed, in the indicator's unit (negative where lower is better).
    change: float
    shown_from: str
    shown_to: str
    shown_change: str
    unit: str
    # |change| ÷ the indicator's range over the window.
    effort: float
    # 研发投入强度由3.1%提高到3.6%
    text: str


@dataclass(frozen=True)
class GradePath:
    """A zone's path to its next grade in one year, or why there is none."""

    zone: str
    year: int
    grade: str | None
    next_grade: str | None
    status: PathStatus
    # exact: provably smallest (see ``exhaustive``); searched: found by search, not proven.
    mode: PathMode
    # Every subset of the smallest size was examined (exact mode on up to EXACT_SUBSETS subsets).
    exhaustive: bool
    improvements: tuple[Improvement, ...]
    # The figure the grade is decided on, as shown, now and after the improvements.
    figure_from: str | None
    figure_to: str | None
    effort: float | None
    # The Chinese a zone reads: the whole path in one sentence, or why there is none.
    sentence: str
    reason: str = ""


@dataclass(frozen=True)
class PathsResult:
    """The path to the next grade of every zone asked for, in one year."""

    method_version: str
    year: int
    # What "smallest" means and what is held fixed, in Chinese, for the report card.
    definition: str
    assumptions: tuple[str, ...]
    paths: tuple[GradePath, ...]

    def path(self, zone: str) -> GradePath:
        for found in self.paths:
            if found.zone == zone:
                return found
        raise KeyError(zone)

    def to_data(self) -> object:
        return to_data(self)

    @classmethod
    def from_data(cls, data: object) -> PathsResult:
        return from_data(cls, data)


DEFINITION = (
    "“最小改进”指：先使需要改进的指标个数最少；个数相同时，使各指标改进幅度占该指标评价期内"
    "取值范围（最大值减最小值）的比例之和最小。"
)


def path_to_next_grade(
    data: Snapshot,
    method: Method | None = None,
    *,
    year: int | None = None,
    zones: Sequence[str] | None = None,
    units: Mapping[str, IndicatorUnit] | None = None,
    max_indicators: int | None = None,
) -> PathsResult:
    """The smallest improvements lifting each zone's grade one level in ``year`` (default: the
    window's last year), for ``zones`` (default: every zone evaluated).

    ``units`` says how each indicator is written (unit, decimals, integer, bounds);
    ``max_indicators`` caps the size of a path (a zone needing more is ``unreachable``).
    """
    method = method or Method()
    units = units or {}
    with threadpool_limits(limits=1):
        prepared = prepare(data, method)
        panel = prepared.panel
        chosen_year = panel.years[-1] if year is None else year
        if chosen_year not in panel.years:
            raise InputError(f"{chosen_year}年不在评价期内（{panel.years[0]}—{panel.years[-1]}年）")
        wanted = panel.zones if zones is None else tuple(zones)
        for zone in wanted:
            if zone not in panel.zones:
                raise InputError(f"先导区{quoted(zone)}不在本次评价中（无数据或已被剔除）")
        base = figures(prepared, method)
        t = panel.years.index(chosen_year)
        paths = tuple(
            _Solver(prepared, method, base, panel.zones.index(zone), t, units, max_indicators).solve()
            for zone in wanted
        )
    return PathsResult(
        method_version=method.method_version,
        year=chosen_year,
        definition=DEFINITION,
        assumptions=assumptions(method, panel),
        paths=paths,
    )


def assumptions(method: Method, panel: Panel) -> tuple[str, ...]:
    """What the paths hold fixed and how far an indicator may move, in Chinese."""
    first, last = panel.years[0], panel.years[-1]
    window = f"评价期{first}—{last}年" if first != last else f"评价期{first}年"
    kind = method.normalisation.kind
    normalisation = {
        "minmax": f"标准化按{window}全部先导区的最小值和最大值（极差标准化）；改进后的值不超过{window}内"
        "其他先导区和年份的最好水平，因此标准化的上下限不变",
        "zscore": f"标准化按{window}全部先导区的均值和标准差（z分数），均值和标准差随改进后的值重新计算",
        "rank": f"标准化按{window}全部先导区的排名，改进后重新排名",
        "percentile": f"标准化按{window}全部先导区的百分位排名，改进后重新排名",
        "goalposts": "标准化按方法设定的固定上下限，超过上限不再加分",
        "target": "标准化按本先导区的目标值（距目标的距离），达到目标后不再加分",
    }[kind]
    bound = (
        f"各项改进以{window}内其他先导区和年份的最好水平为限"
        if kind in ("minmax", "zscore", "rank", "percentile")
        else "各项改进以不再加分的取值为限"
    )
    return (
        "其他先导区的数据、本先导区其他年份的数据保持不变",
        normalisation,
        f"{bound}；越大越好的指标只提高，越小越好的指标只降低；本年未报送的指标不作为改进项",
        "评价方法（权重、门槛、门槛条件、一票否决）保持不变",
    )


@dataclass(frozen=True)
class _Outcome:
    position: int
    figure: float
    composite: float
    reference: float
    measures: Mapping[str, float]


@dataclass(frozen=True)
class _Candidate:
    position: int  # in the panel's indicators
    code: str
    name: str
    direction: int
    start: float
    bound: float
    span: float
    unit: IndicatorUnit

    @property
    def headroom(self) -> float:
        return (self.bound - self.start) * self.direction

    def value(self, improvement: float) -> float:
        return self.start + self.direction * improvement


class _Solver:
    """The path of one zone in one year."""

    def __init__(
        self,
        prepared: Prepared,
        method: Method,
        base: Figures,
        z: int,
        t: int,
        units: Mapping[str, IndicatorUnit],
        max_indicators: int | None,
    ) -> None:
        self.prepared, self.method, self.base = prepared, method, base
        self.z, self.t = z, t
        self.units = units
        self.max_indicators = max_indicators
        self.panel = prepared.panel
        self.zone, self.year = self.panel.zones[z], self.panel.years[t]
        self.scale = method.grading.scale
        self.label = texts.figure_label(method.grading.basis)
        self.names = {i.code: i.name for i in prepared.framework.indicators}
        self.probes = 0

    # --- evaluating a change ------------------------------------------------------------------

    def outcome(self, changes: Mapping[int, float]) -> _Outcome:
        """The zone-year's grade and figures with some of its values changed."""
        self.probes += 1
        computed = figures(_changed(self.prepared, self.method, self.z, self.t, changes), self.method)
        return self._read(computed)

    def _read(self, computed: Figures) -> _Outcome:
        z, t = self.z, self.t
        return _Outcome(
            position=int(computed.positions[z, t]),
            figure=float(computed.figure[z, t]),
            composite=float(computed.composite[z, t]),
            reference=computed.reference,
            measures={name: float(m[z, t]) for name, m in computed.measures.items()},
        )

    # --- the answer ---------------------------------------------------------------------------

    def solve(self) -> GradePath:
        start = self._read(self.base)
        self.start = start
        position = start.position
        grade = None if position < 0 else self.scale[position]
        shown = None if math.isnan(start.figure) else self._figure_shown(start.figure)
        if position < 0:
            return self._none("no_grade", grade, None, texts.no_figure(self.method.grading.basis), shown)
        reachable = sorted(
            {
                self.scale.index(t.grade)
                for t in self.method.grading.thresholds
                if self.scale.index(t.grade) > position
            }
        )
        if not reachable:
            return self._none("top", grade, None, f"已是最高等次 {grade}，无需提档", shown)
        self.target = reachable[0]
        next_grade = self.scale[self.target]
        vetoed = [
            veto
            for veto in self.method.scoring_rules.vetoes
            if self.base.rules.vetoes[veto.code][self.z, self.t]
            and self.scale.index(veto.grade_cap) < self.target
        ]
        if vetoed:
            reason = "；".join(texts.veto_triggered(v.description or v.code, v.grade_cap) for v in vetoed)
            return self._none(
                "vetoed",
                grade,
                next_grade,
                f"{reason}。一票否决不能通过提高其他指标来弥补，须先消除否决事项，才能提档为 {next_grade}",
                shown,
            )
        self.candidates = self._candidates()
        if not self.candidates:
            return self._none(
                "unreachable", grade, next_grade, "本年没有可以改进的指标（均已是最好水平或未报送）", shown
            )
        everything = self.outcome({c.position: c.bound for c in self.candidates})
        if everything.position < self.target:
            return self._none("unreachable", grade, next_grade, self._why_unreachable(everything), shown)
        found = self._exact() if self._linear_method() else None
        if found is None:
            found = self._searched()
        if found is None:
            return self._none(
                "unreachable",
                grade,
                next_grade,
                f"需要改进的指标超过{self.max_indicators}个，超出设定的上限",
                shown,
            )
        values, mode, exhaustive = found
        final = self.outcome({c.position: v for c, v in values})
        improvements = tuple(self._improvement(c, v) for c, v in values)
        parts = [i.text for i in improvements]
        joined = parts[0] if len(parts) == 1 else "，".join(parts[:-1]) + "，并" + parts[-1]
        figure_to = self._figure_shown(final.figure)
        reached = self.scale[final.position]
        sentence = f"{joined}，{self.label}可由 {shown} 提高到 {figure_to}，等次由 {grade} 提升为 {reached}"
        if mode == "searched":
            sentence += "（搜索所得，不保证为最小改进）"
        return GradePath(
            zone=self.zone,
            year=self.year,
            grade=grade,
            next_grade=next_grade,
            status="path",
            mode=mode,
            exhaustive=exhaustive,
            improvements=improvements,
            figure_from=shown,
            figure_to=figure_to,
            effort=float(sum(i.effort for i in improvements)),
            sentence=sentence,
        )

    def _none(
        self, status: PathStatus, grade: str | None, next_grade: str | None, reason: str, shown: str | None
    ) -> GradePath:
        return GradePath(
            zone=self.zone,
            year=self.year,
            grade=grade,
            next_grade=next_grade,
            status=status,
            mode="",
            exhaustive=False,
            improvements=(),
            figure_from=shown,
            figure_to=None,
            effort=None,
            sentence=reason,
            reason=reason,
        )

    def _figure_shown(self, figure: float) -> str:
        return texts.shown(figure, self.method.grading.decimals)

    def _why_unreachable(self, everything: _Outcome) -> str:
        best = f"即使全部可改进的指标都达到上限（{len(self.candidates)}项），"
        minimum = self._threshold()
        next_grade = self.scale[self.target]
        if not grading.reaches(np.array([everything.figure]), minimum, self.method.grading.decimals)[0]:
            return (
                f"{best}{self.label}也只有 {self._figure_shown(everything.figure)}，"
                f"仍低于 {next_grade} 门槛 {texts.setting(minimum)}"
            )
        for gate in self._failing_gates(everything):
            code = gate.measure.removeprefix("dimension:")
            dimensions = {d.code: d.name for d in self.prepared.framework.dimensions}
            label = (
                texts.ATTAINMENT
                if gate.measure == "attainment"
                else texts.dimension_label(code, dimensions.get(code, ""))
                if code in dimensions
                else texts.aggregate_label(code)
            )
            return f"{best}{label}仍达不到 {gate.grade} 的最低要求 {texts.setting(gate.minimum)}，无法提档为 {next_grade}"
        return f"{best}仍达不到 {next_grade}"

    # --- requirements -------------------------------------------------------------------------

    def _threshold(self) -> float:
        return min(
            t.minimum for t in self.method.grading.thresholds if self.scale.index(t.grade) == self.target
        )

    def _gates(self) -> list[tuple[str, float, str]]:
        """The gates that must pass for the target grade: (measure, boundary, grade)."""
        found = []
        for gate in self.method.grading.gates:
            if self.scale.index(gate.grade) <= self.target:
                found.append(
                    (
                        gate.measure,
                        grading.shown_boundary(gate.minimum, self.method.grading.decimals),
                        gate.grade,
                    )
                )
        return found

    def _failing_gates(self, outcome: _Outcome) -> list[Gate]:
        decimals = self.method.grading.decimals
        failing = []
        for gate in self.method.grading.gates:
            if self.scale.index(gate.grade) > self.target:
                continue
            value = outcome.measures.get(gate.measure, float("nan"))
            if gate.measure == "attainment":
                value *= 100.0
            if not grading.reaches(np.array([value]), gate.minimum, decimals)[0]:
                failing.append(gate)
        return failing

    # --- candidates ---------------------------------------------------------------------------

    def _candidates(self) -> list[_Candidate]:
        values = self.panel.values
        z, t = self.z, self.t
        directions = self.prepared.framework.directions()
        normalisation = self.method.normalisation
        goalposts = {g.indicator: g for g in normalisation.goalposts}
        found = []
        for i, code in enumerate(self.panel.indicators):
            start = float(values[z, t, i])
            if math.isnan(start):
                continue
            direction = int(directions[i])
            column = values[:, :, i].copy()
            everywhere = column[~np.isnan(column)]
            span = float(everywhere.max() - everywhere.min()) if everywhere.size else 0.0
            column[z, t] = np.nan
            others = column[~np.isnan(column)]
            unit = self.units.get(code, IndicatorUnit())
            if normalisation.kind == "goalposts" and code in goalposts:
                bound = goalposts[code].best
                span = abs(goalposts[code].best - goalposts[code].worst) or span
            elif normalisation.kind == "target":
                targets = self.prepared.targets
                target = float("nan") if targets is None else float(targets[z, t, i])
                if math.isnan(target) or not everywhere.size:
                    continue
                worst = float(everywhere.min() if direction > 0 else everywhere.max())
                bound = worst + normalisation.target_cap * (target - worst)
            else:
                if not others.size:
                    continue
                bound = float(others.max() if direction > 0 else others.min())
            if direction > 0 and unit.maximum is not None:
                bound = min(bound, unit.maximum)
            if direction < 0:
                floor = unit.minimum if unit.minimum is not None else (0.0 if everywhere.min() >= 0 else None)
                if floor is not None:
                    bound = max(bound, floor)
            if unit.integer:
                bound = math.floor(bound + 1e-9) if direction > 0 else math.ceil(bound - 1e-9)
            if (bound - start) * direction <= 0:
                continue
            found.append(
                _Candidate(
                    i, code, self.names.get(code, ""), direction, start, float(bound), span or 1.0, unit
                )
            )
        return found

    def _linear_method(self) -> bool:
        method = self.method
        return (
            method.aggregation.kind == "arithmetic"
            and method.weighting.kind in ("expert", "equal")
            and method.outliers.kind == "none"
            and method.normalisation.kind in ("minmax", "goalposts", "target")
        )

    # --- exact --------------------------------------------------------------------------------

    def _exact(self) -> tuple[list[tuple[_Candidate, float]], PathMode, bool] | None:
        """Linear constraints on the improvements, solved by subsets of increasing size."""
        start = self.start
        reference_year = (
            self.t == 0
            and self.method.grading.basis == "index"
            and self.method.grading.reference == "first_year_mean"
        )
        present = int(np.sum(~np.isnan(self.base.composite[:, 0])))
        rows: list[tuple[str, float]] = []  # (what, required value)
        boundary = grading.shown_boundary(self._threshold(), self.method.grading.decimals)
        boundary += _MARGIN * max(abs(boundary), 1.0)
        if reference_year:
            # index = 100 c / ref, ref = ref0 + (c - c0) / n: solve for the composite c.
            n, ref0, c0 = present, start.reference, start.composite
            if 100.0 - boundary / n <= 0:
                return None
            rows.append(("composite", boundary * (ref0 - c0 / n) / (100.0 - boundary / n)))
        else:
            rows.append(("figure", boundary))
        for measure, gate_boundary, _ in self._gates():
            rows.append((f"measure:{measure}", gate_boundary + _MARGIN * max(abs(gate_boundary), 1.0)))

        def read(outcome: _Outcome, what: str) -> float:
            if what == "figure":
                return outcome.figure
            if what == "composite":
                return outcome.composite
            measure = what.removeprefix("measure:")
            value = outcome.measures.get(measure, float("nan"))
            return value * 100.0 if measure == "attainment" else value

        # Only the requirements not met yet: improvements never lower a score, a dimension or
        # the attainment, so a gate passed stays passed.
        rows = [(what, required) for what, required in rows if not read(start, what) >= required]
        if not rows:  # nothing to change (cannot happen: the zone is below the target grade)
            return None
        current = np.array([read(start, what) for what, _ in rows])
        if np.isnan(current).any():
            return None
        needs = np.array([required for _, required in rows]) - current
        slopes = np.zeros((len(rows), len(self.candidates)))
        for k, candidate in enumerate(self.candidates):
            at_bound = self.outcome({candidate.position: candidate.bound})
            middle = self.outcome({candidate.position: candidate.value(candidate.headroom / 2)})
            for r, (what, _) in enumerate(rows):
                end, mid = read(at_bound, what), read(middle, what)
                scale = max(abs(end), abs(current[r]), 1.0)
                if math.isnan(end) or abs(mid - (end + current[r]) / 2) > _LINEAR_TOLERANCE * scale:
                    return None
                slopes[r, k] = max(end - current[r], 0.0) / candidate.headroom
            expected = start.reference + (
                (at_bound.composite - start.composite) / present if reference_year else 0.0
            )
            if self.method.grading.basis == "index" and abs(
                at_bound.reference - expected
            ) > _LINEAR_TOLERANCE * max(abs(expected), 1.0):
                return None
        headroom = np.array([c.headroom for c in self.candidates])
        cost = np.array([1.0 / c.span for c in self.candidates])
        count = len(self.candidates)
        largest = count if self.max_indicators is None else min(count, self.max_indicators)
        for size in range(1, largest + 1):
            subsets, exhaustive = self._subsets(size, slopes[0] * headroom, EXACT_SUBSETS)
            if subsets.size == 0:
                continue
            reach = np.einsum("rk,sk->sr", slopes * headroom[None, :], _membership(subsets, count))
            feasible = subsets[(reach >= needs[None, :] * (1 - 1e-12)).all(axis=1)]
            best: tuple[float, list[tuple[_Candidate, float]]] | None = None
            for subset in feasible:
                solution = self._least_effort(list(subset), slopes, needs, headroom, cost)
                if solution is None:
                    continue
                effort = sum(abs(v - c.start) / c.span for c, v in solution)
                if best is None or effort < best[0] - 1e-12:
                    best = (effort, solution)
            if best is not None:
                verified = self._verified(best[1])
                if verified is None:
                    return None
                return verified, "exact", exhaustive
        return None

    def _subsets(self, size: int, gains: FloatArray, limit: int) -> tuple[np.ndarray, bool]:
        """Every subset of ``size`` candidates, or those among the ones gaining most."""
        count = len(gains)
        order = np.argsort(-gains, kind="stable")
        pool = count
        exhaustive = True
        while pool > size and math.comb(pool, size) > limit:
            pool -= 1
            exhaustive = False
        chosen = sorted(order[:pool].tolist())
        combos = np.array(list(itertools.combinations(chosen, size)), dtype=np.int64).reshape(-1, size)
        return combos, exhaustive

    def _least_effort(
        self,
        subset: list[int],
        slopes: FloatArray,
        needs: FloatArray,
        headroom: FloatArray,
        cost: FloatArray,
    ) -> list[tuple[_Candidate, float]] | None:
        """The least effort on a subset, integers on their grid, values on the display grid."""
        continuous = _continuous_optimum(subset, slopes, needs, headroom, cost)
        if continuous is None:
            return None
        integers = [k for k in subset if self.candidates[k].unit.integer]
        best: tuple[float, dict[int, float]] | None = None
        for choice in itertools.product((math.floor, math.ceil), repeat=len(integers)):
            fixed: dict[int, float] = {}
            for k, rounder in zip(integers, choice, strict=True):
                candidate = self.candidates[k]
                value = rounder(candidate.value(continuous[k]) + 0.0)
                improvement = min(
                    max((value - candidate.start) * candidate.direction, 0.0), candidate.headroom
                )
                fixed[k] = improvement
            rest = [k for k in subset if k not in fixed]
            residual = needs - sum((slopes[:, k] * fixed[k] for k in fixed), np.zeros_like(needs))
            if rest:
                solved = _continuous_optimum(rest, slopes, np.maximum(residual, 0.0), headroom, cost)
                if solved is None:
                    continue
                improvements = fixed | solved
            elif (residual > 1e-12 * np.maximum(np.abs(needs), 1.0)).any():
                continue
            else:
                improvements = fixed
            effort = sum(improvements[k] * cost[k] for k in improvements)
            if best is None or effort < best[0]:
                best = (effort, improvements)
        if best is None:
            return None
        result = []
        for k in subset:
            improvement = best[1].get(k, 0.0)
            if improvement <= 0:
                continue
            candidate = self.candidates[k]
            result.append((candidate, self._on_grid(candidate, candidate.value(improvement))))
        return result

    def _on_grid(self, candidate: _Candidate, value: float) -> float:
        """The value on the indicator's display grid, rounded in the better direction, bounded."""
        quantum = _quantum(candidate, value)
        rounding = ROUND_CEILING if candidate.direction > 0 else ROUND_FLOOR
        gridded = float((Decimal(repr(value)) / quantum).to_integral_value(rounding=rounding) * quantum)
        if (gridded - candidate.bound) * candidate.direction > 0:
            return candidate.bound
        return gridded

    def _verified(self, values: list[tuple[_Candidate, float]]) -> list[tuple[_Candidate, float]] | None:
        """The values, moved up a display step at a time (at most a few) until they reach."""
        values = list(values)
        for _ in range(8):
            if self.outcome({c.position: v for c, v in values}).position >= self.target:
                return values
            movable = [n for n, (c, v) in enumerate(values) if (c.bound - v) * c.direction > 0]
            if not movable:
                return None
            n = movable[-1]
            candidate, value = values[n]
            step = float(_quantum(candidate, value)) * candidate.direction
            values[n] = (candidate, self._on_grid(candidate, value + step))
        return None

    # --- search -------------------------------------------------------------------------------

    def _searched(self) -> tuple[list[tuple[_Candidate, float]], PathMode, bool] | None:
        start = self.start
        gains = np.array([self.outcome({c.position: c.bound}).figure - start.figure for c in self.candidates])
        gains = np.nan_to_num(gains, nan=0.0)
        count = len(self.candidates)
        largest = count if self.max_indicators is None else min(count, self.max_indicators)
        for size in range(1, largest + 1):
            subsets, _ = self._subsets(size, gains, SEARCH_SUBSETS)
            if size == count:
                subsets = np.arange(count, dtype=np.int64)[None, :]
            feasible = [
                list(s)
                for s in subsets
                if self.outcome({self.candidates[k].position: self.candidates[k].bound for k in s}).position
                >= self.target
            ]
            if not feasible:
                continue
            feasible.sort(key=lambda s: -float(gains[s].sum()))
            best: tuple[float, list[tuple[_Candidate, float]]] | None = None
            for subset in feasible[:3]:
                found = self._refine(subset)
                if found is None:
                    continue
                effort = sum(abs(v - c.start) / c.span for c, v in found)
                if best is None or effort < best[0]:
                    best = (effort, found)
            if best is not None:
                return best[1], "searched", False
        return None

    def _refine(self, subset: list[int]) -> list[tuple[_Candidate, float]] | None:
        """A common share of every headroom by bisection, then each indicator lowered in turn."""
        members = [self.candidates[k] for k in subset]

        def enough(shares: list[float]) -> bool:
            changes = {
                c.position: self._on_grid(c, c.value(s * c.headroom))
                for c, s in zip(members, shares, strict=True)
            }
            return self.outcome(changes).position >= self.target

        low, high = 0.0, 1.0
        for _ in range(14):
            middle = (low + high) / 2
            if enough([middle] * len(members)):
                high = middle
            else:
                low = middle
        shares = [high] * len(members)
        for n in range(len(members)):
            low, high = 0.0, shares[n]
            for _ in range(10):
                middle = (low + high) / 2
                trial = list(shares)
                trial[n] = middle
                if enough(trial):
                    high = middle
                else:
                    low = middle
            shares[n] = high
        values = [
            (c, self._on_grid(c, c.value(s * c.headroom)))
            for c, s in zip(members, shares, strict=True)
            if self._on_grid(c, c.value(s * c.headroom)) != c.start
        ]
        if not values or self.outcome({c.position: v for c, v in values}).position < self.target:
            return None
        return values

    # --- text ---------------------------------------------------------------------------------

    def _improvement(self, candidate: _Candidate, value: float) -> Improvement:
        unit = candidate.unit
        name = candidate.name or candidate.code
        shown_from = _shown(candidate, candidate.start)
        shown_to = _shown(candidate, value)
        change = value - candidate.start
        shown_change = _shown(candidate, abs(change), reference=candidate.start)
        u = unit.unit
        if unit.integer:
            verb = "增加" if change > 0 else "减少"
            text = f"{name}{verb}{shown_change}{u}，{'达到' if change > 0 else '降至'}{shown_to}{u}"
        else:
            verb = "提高到" if change > 0 else "降低到"
            text = f"{name}由{shown_from}{u}{verb}{shown_to}{u}"
        return Improvement(
            indicator=candidate.code,
            name=candidate.name,
            direction=candidate.direction,
            value_from=candidate.start,
            value_to=value,
            change=change,
            shown_from=shown_from,
            shown_to=shown_to,
            shown_change=shown_change,
            unit=u,
            effort=abs(change) / candidate.span,
            text=text,
        )


def _membership(subsets: np.ndarray, count: int) -> FloatArray:
    member = np.zeros((subsets.shape[0], count))
    np.put_along_axis(member, subsets, 1.0, axis=1)
    return member


def _continuous_optimum(
    subset: list[int], slopes: FloatArray, needs: FloatArray, headroom: FloatArray, cost: FloatArray
) -> dict[int, float] | None:
    """min Σ cost·y subject to slopes·y ≥ needs, 0 ≤ y ≤ headroom, over the subset's members.

    One constraint: a fractional knapsack, filling the most gain per unit of effort first.
    More (gates): a linear programme (HiGHS through scipy).
    """
    if (needs <= 0).all():
        return dict.fromkeys(subset, 0.0)
    if slopes.shape[0] == 1:
        need = float(needs[0])
        order = sorted(subset, key=lambda k: -slopes[0, k] / cost[k])
        result = dict.fromkeys(subset, 0.0)
        for k in order:
            if need <= 0:
                break
            if slopes[0, k] <= 0:
                continue
            take = min(headroom[k], need / slopes[0, k])
            result[k] = float(take)
            need -= take * slopes[0, k]
        return result if need <= 1e-12 * max(abs(float(needs[0])), 1.0) else None
    from scipy.optimize import linprog  # only gated paths need it

    columns = np.array(subset)
    solved = linprog(
        cost[columns],
        A_ub=-slopes[:, columns],
        b_ub=-needs,
        bounds=[(0.0, float(headroom[k])) for k in subset],
        method="highs",
    )
    if solved.status != 0:
        return None
    return {k: float(v) for k, v in zip(subset, solved.x, strict=True)}


def _quantum(candidate: _Candidate, value: float) -> Decimal:
    unit = candidate.unit
    if unit.integer:
        return Decimal(1)
    if unit.decimals is not None:
        return Decimal(1).scaleb(-unit.decimals)
    reference = Decimal(repr(float(candidate.start or value)))
    if reference == 0 or abs(reference) >= 1:
        return Decimal(1).scaleb(-texts.DECIMALS)
    return Decimal(1).scaleb(reference.adjusted() - 2)


def _shown(candidate: _Candidate, value: float, *, reference: float | None = None) -> str:
    """A value as the path writes it: the unit's decimals, integers for counts, half-up."""
    unit = candidate.unit
    if unit.integer:
        return texts.fixed(Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if unit.decimals is not None:
        return texts.shown(value, unit.decimals)
    quantum = _quantum(candidate, value if reference is None else reference)
    return texts.fixed(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def _changed(prepared: Prepared, method: Method, z: int, t: int, changes: Mapping[int, float]) -> Prepared:
    """The prepared snapshot with some of one zone-year's values (panel positions) replaced."""
    if not changes:
        return prepared
    panel = prepared.panel
    values = panel.values.copy()
    for i, value in changes.items():
        values[z, t, i] = value
    reported = dict(prepared.reported)
    for i in changes:
        reported[panel.indicators[i]] = values[:, :, i]
    full = prepared.full
    if method.screening.after_imputation:
        full_values = full.values.copy()
        zone = prepared.screening.zone_positions[z]
        for i, value in changes.items():
            full_values[zone, t, prepared.screening.indicator_positions[i]] = value
        full = Panel(full.zones, full.years, full.indicators, full_values)
    return replace(
        prepared,
        panel=Panel(panel.zones, panel.years, panel.indicators, values),
        reported=reported,
        full=full,
    )


def apply_path(data: Snapshot, path: GradePath) -> Snapshot:
    """The snapshot with the path's suggested values in place of the zone's (what-if).

    A per-unit indicator's suggested value is a ratio: its numerator is written back as the
    value × denominator ÷ scale.
    """
    if not path.improvements:
        return data
    framework = {i.code: i for i in data.framework.indicators}
    table = data.values.copy()
    at_year = (table["zone"] == path.zone) & (table["year"] == path.year)
    for improvement in path.improvements:
        indicator = framework[improvement.indicator]
        value = improvement.value_to
        if indicator.denominator:
            row = table[at_year & (table["indicator"] == indicator.denominator)]
            value = value * float(row["value"].iloc[0]) / indicator.scale
        where = at_year & (table["indicator"] == improvement.indicator)
        if where.any():
            table.loc[where, "value"] = value
        else:
            extra = pd.DataFrame(
                [[path.zone, path.year, improvement.indicator, value]], columns=table.columns
            )
            table = pd.concat([table, extra], ignore_index=True)
    return Snapshot(data.framework, table, data.targets, data.peer_groups)
