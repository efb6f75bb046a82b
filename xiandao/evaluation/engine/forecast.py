"""Removal-risk forecast: the probability that a zone graded A this year and last gets a third A
next year, which would take it off the creation list (连续三次评为A的退出).

The model, in order:

1. **Who is flagged.** The grades of each zone up to ``year``: the engine's own, overridden by
   the published (final, possibly adjusted) grades the caller passes. A zone whose last
   ``consecutive - 1`` years in a row are the counted grade (the lowest, A, by default) is
   flagged: one more would make ``consecutive``.
2. **Projection, per zone and indicator.** A straight line through the zone's own reported
   values over the window up to ``year`` (ordinary least squares on the year), projected one
   year ahead. Its uncertainty is the prediction interval's: the residual standard deviation
   × √(1 + 1/n + (x* − x̄)² / Sxx) with n ≥ 3 values. With fewer values (two years give a line
   and no residual) the residual is the indicator's pooled one: the relative residual standard
   deviation of the zones with three or more values, else the spread across zones of the
   one-year relative change, times the zone's level. One value: carried forward with that
   spread; none: missing next year. Indicators whose values are never negative stay ≥ 0.
   Every zone is projected (the normalisation is relative), with the same model, and so are
   the series the scoring rules read outside the framework (itemised items, vetoes).
3. **Next year's evaluation.** The window's years up to ``year`` plus the projected year, the
   zones' targets for that year from the snapshot (else their targets of ``year``), the same
   method. Each of ``scenarios`` draws of projected values (independent normal errors per
   zone and indicator) is evaluated under ``draws_per_scenario`` methods drawn by the Monte
   Carlo over methodological choices (``uncertainty.sample_draws`` and ``BatchEvaluator``,
   the same as the run's uncertainty). The probability is the share of all those evaluations
   in which the zone's grade next year is the counted grade.

Also per zone: the probability from the trend alone (the nominal method on each scenario), from
the method alone (the projected central values under ``method.uncertainty.draws`` methods),
the projected values, and the main drivers: the indicators whose projected weighted score lags
the mean of all zones the most, in composite points (effective weight × score gap).
Seeded (``seed``, default the method's Monte Carlo seed) and deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from threadpoolctl import threadpool_limits

from xiandao.evaluation.engine import texts
from xiandao.evaluation.engine.errors import quoted
from xiandao.evaluation.engine.method import Method, MethodError
from xiandao.evaluation.engine.model import InputError, Panel, Snapshot, build_panel
from xiandao.evaluation.engine.paths import IndicatorUnit
from xiandao.evaluation.engine.pipeline import Prepared, figures, prepare
from xiandao.evaluation.engine.serialise import from_data, to_data
from xiandao.evaluation.engine.types import FloatArray
from xiandao.evaluation.engine.uncertainty import BatchEvaluator, evaluate_draws, sample_draws

Trend = Literal["improving", "worsening", "flat"]

MODEL = (
    "按各先导区各指标在评价期内的数值作线性趋势（最小二乘）外推一年，误差取回归残差"
    "（数据不足三年时取同一指标各先导区的残差或年度变化的离散程度）；再按评价方法不确定性分析"
    "的方式随机选取标准化、加权、汇总等方法，计算下一年再评为该等次的比例。其他先导区同样按趋势外推。"
)


@dataclass(frozen=True)
class ProjectedValue:
    """One indicator of a flagged zone: last value, projected value and its uncertainty."""

    indicator: str
    name: str
    last: float | None
    projected: float | None
    # The standard deviation of the projection (its prediction error).
    sd: float | None
    # The fitted change per year, in the indicator's unit.
    slope: float | None
    years_used: int
    trend: Trend
    shown_last: str | None
    shown_projected: str | None
    unit: str = ""


@dataclass(frozen=True)
class RiskDriver:
    """An indicator pulling the zone's projected composite down against the mean of all zones."""

    indicator: str
    name: str
    # Effective weight × (zone's projected score − mean projected score), composite points (< 0).
    gap: float
    note: str


@dataclass(frozen=True)
class ZoneRisk:
    """A flagged zone: its run of grades, the probability of one more, and why."""

    zone: str
    # The counted grade's run ending this year (e.g. 2), and the years it covers.
    run: int
    run_years: tuple[int, ...]
    probability: float
    probability_from_trend: float
    probability_from_method: float
    # The nominal method's grade next year at the projected central values.
    projected_grade: str | None
    projected_figure: str | None
    projected: tuple[ProjectedValue, ...]
    drivers: tuple[RiskDriver, ...]
    sentence: str


@dataclass(frozen=True)
class RiskResult:
    """The removal-risk forecast of every flagged zone, for the year after ``year``."""

    method_version: str
    year: int
    next_year: int
    grade: str
    consecutive: int
    scenarios: int
    draws_per_scenario: int
    seed: int
    model: str
    zones: tuple[ZoneRisk, ...]

    def zone(self, code: str) -> ZoneRisk:
        for found in self.zones:
            if found.zone == code:
                return found
        raise KeyError(code)

    def to_data(self) -> object:
        return to_data(self)

    @classmethod
    def from_data(cls, data: object) -> RiskResult:
        return from_data(cls, data)


def removal_risk(
    data: Snapshot,
    method: Method | None = None,
    *,
    year: int | None = None,
    consecutive: int = 3,
    grade: str | None = None,
    grades: Mapping[str, Mapping[int, str | None]] | None = None,
    scenarios: int = 200,
    draws_per_scenario: int = 5,
    seed: int | None = None,
    units: Mapping[str, IndicatorUnit] | None = None,
    drivers: int = 3,
) -> RiskResult:
    """The probability of one more ``grade`` (default the lowest) next year for each zone whose
    last ``consecutive - 1`` grades up to ``year`` (default the window's last) are ``grade``.

    ``grades`` are the published grades by zone and year; they override the engine's own
    (a committee may have adjusted them). See the module's docstring for the model.
    """
    method = method or Method()
    units = units or {}
    scale = method.grading.scale
    counted = grade or scale[0]
    if counted not in scale:
        raise MethodError(f"等次{quoted(counted)}不在等次表中", "grade")
    if consecutive < 2:
        raise MethodError("连续次数至少为2", "consecutive")
    if scenarios < 1 or draws_per_scenario < 1:
        raise MethodError("情景数和每个情景的方法抽样数至少为1", "scenarios")
    chosen_seed = method.uncertainty.seed if seed is None else seed
    with threadpool_limits(limits=1):
        prepared = prepare(data, method)
        years = prepared.panel.years
        chosen = years[-1] if year is None else year
        if chosen not in years:
            raise InputError(f"{chosen}年不在评价期内（{years[0]}—{years[-1]}年）")
        history = _until(prepared, years.index(chosen))
        base = figures(history, method)
        flagged = _flagged(history, base.positions, scale, counted, consecutive, grades or {})
        if not flagged:
            zones: tuple[ZoneRisk, ...] = ()
        else:
            zones = _forecast(data, history, method, flagged, counted, consecutive, scenarios,
                              draws_per_scenario, chosen_seed, units, drivers)  # fmt: skip
    return RiskResult(
        method_version=method.method_version,
        year=chosen,
        next_year=chosen + 1,
        grade=counted,
        consecutive=consecutive,
        scenarios=scenarios,
        draws_per_scenario=draws_per_scenario,
        seed=chosen_seed,
        model=MODEL,
        zones=zones,
    )


def _until(prepared: Prepared, t: int) -> Prepared:
    """The prepared snapshot cut to the years up to position ``t``."""
    if t == len(prepared.panel.years) - 1:
        return prepared
    keep = slice(0, t + 1)
    panel, full = prepared.panel, prepared.full
    return replace(
        prepared,
        panel=Panel(panel.zones, panel.years[keep], panel.indicators, panel.values[:, keep]),
        targets=None if prepared.targets is None else prepared.targets[:, keep],
        reported={code: values[:, keep] for code, values in prepared.reported.items()},
        full=Panel(full.zones, full.years[keep], full.indicators, full.values[:, keep]),
    )


def _flagged(
    history: Prepared,
    positions: np.ndarray,
    scale: tuple[str, ...],
    counted: str,
    consecutive: int,
    published: Mapping[str, Mapping[int, str | None]],
) -> dict[int, tuple[int, ...]]:
    """Zone positions whose run of the counted grade, ending in the last year, is long enough."""
    years = history.panel.years
    last = years[-1]
    found = {}
    for z, zone in enumerate(history.panel.zones):
        given = published.get(zone, {})
        engine = {
            year: (None if positions[z, t] < 0 else scale[positions[z, t]]) for t, year in enumerate(years)
        }
        grade_of = engine | dict(given)
        run: list[int] = []
        year = last
        while grade_of.get(year) == counted:
            run.insert(0, year)
            year -= 1
        if len(run) >= consecutive - 1:
            found[z] = tuple(run)
    return found


@dataclass(frozen=True, eq=False)
class _Projection:
    mean: FloatArray  # zones × indicators
    sd: FloatArray
    slope: FloatArray
    used: np.ndarray
    floor: FloatArray  # 0 where the series is never negative, -inf otherwise


def project(values: FloatArray, years: tuple[int, ...]) -> _Projection:
    """One year ahead per zone and series (values: zones × years × series), see the module."""
    zones, count, series = values.shape
    x = np.array(years, dtype=np.float64)
    ahead = x[-1] + 1.0
    mean = np.full((zones, series), np.nan)
    sd = np.full((zones, series), np.nan)
    slope = np.full((zones, series), np.nan)
    used = np.sum(~np.isnan(values), axis=1)
    relative_residual = np.full((zones, series), np.nan)
    for z in range(zones):
        for i in range(series):
            present = ~np.isnan(values[z, :, i])
            n = int(present.sum())
            if n == 0:
                continue
            xs, ys = x[present], values[z, present, i]
            if n == 1:
                mean[z, i], slope[z, i] = ys[0], 0.0
                continue
            centre = xs.mean()
            sxx = float(((xs - centre) ** 2).sum())
            b = float(((xs - centre) * (ys - ys.mean())).sum() / sxx)
            a = float(ys.mean() - b * centre)
            mean[z, i], slope[z, i] = a + b * ahead, b
            if n >= 3:
                residual = ys - (a + b * xs)
                s = math.sqrt(float((residual**2).sum()) / (n - 2))
                sd[z, i] = s * math.sqrt(1.0 + 1.0 / n + (ahead - centre) ** 2 / sxx)
                level = abs(float(ys.mean()))
                if level > 0:
                    relative_residual[z, i] = s / level
    # Series with fewer than three values borrow the indicator's pooled relative spread.
    with np.errstate(invalid="ignore", divide="ignore"):
        previous, last = values[:, -2, :] if count >= 2 else values[:, -1, :], values[:, -1, :]
        change = (last - previous) / np.abs(previous)
    for i in range(series):
        pooled = relative_residual[:, i][~np.isnan(relative_residual[:, i])]
        if pooled.size:
            spread = float(np.sqrt(np.mean(pooled**2)))
        else:
            changes = change[:, i][np.isfinite(change[:, i])]
            spread = float(np.std(changes, ddof=1)) if changes.size >= 2 else 0.0
        missing = np.isnan(sd[:, i]) & ~np.isnan(mean[:, i])
        levels = np.abs(np.where(np.isnan(values[:, -1, i]), mean[:, i], values[:, -1, i]))
        sd[missing, i] = spread * levels[missing]
    with np.errstate(invalid="ignore"):
        never_negative = np.all(np.isnan(values) | (values >= 0), axis=(0, 1))
    floor = np.where(never_negative, 0.0, -np.inf)
    return _Projection(np.maximum(mean, floor[None, :]), sd, slope, used, floor)


def _extended(history: Prepared, data: Snapshot, projection: _Projection, rule_projection: _Projection,
              rule_codes: list[str]) -> Prepared:  # fmt: skip
    """The prepared snapshot with one more year, holding the projected central values."""
    panel = history.panel
    next_year = panel.years[-1] + 1
    years = (*panel.years, next_year)
    values = np.concatenate([panel.values, projection.mean[:, None, :]], axis=1)
    targets = None
    if history.targets is not None:
        following = (
            build_panel(data.coded_targets, panel.zones, [next_year], panel.indicators).values
            if data.coded_targets is not None
            else np.full((len(panel.zones), 1, len(panel.indicators)), np.nan)
        )
        carried = history.targets[:, -1:, :]
        targets = np.concatenate([history.targets, np.where(np.isnan(following), carried, following)], axis=1)
    reported = {code: values[:, :, n] for n, code in enumerate(panel.indicators)}
    for n, code in enumerate(rule_codes):
        reported[code] = np.concatenate([history.reported[code], rule_projection.mean[:, n][:, None]], axis=1)
    # Screening after imputation reads the panel before screening; next year it is the panel kept.
    full = Panel(panel.zones, years, panel.indicators, values)
    screening = replace(
        history.screening,
        zone_positions=np.arange(len(panel.zones)),
        indicator_positions=np.arange(len(panel.indicators)),
    )
    return replace(
        history,
        panel=Panel(panel.zones, years, panel.indicators, values),
        targets=targets,
        reported=reported,
        full=full,
        full_peer_group_of_zone=history.peer_group_of_zone,
        screening=screening,
    )


def _with_values(prepared: Prepared, last: FloatArray, rules: Mapping[str, FloatArray]) -> Prepared:
    """The extended snapshot with other values in its projected year."""
    panel = prepared.panel
    values = panel.values.copy()
    values[:, -1, :] = last
    reported = {code: values[:, :, n] for n, code in enumerate(panel.indicators)}
    for code, series in rules.items():
        column = prepared.reported[code].copy()
        column[:, -1] = series
        reported[code] = column
    new_panel = Panel(panel.zones, panel.years, panel.indicators, values)
    return replace(prepared, panel=new_panel, reported=reported, full=new_panel)


def _forecast(
    data: Snapshot,
    history: Prepared,
    method: Method,
    flagged: Mapping[int, tuple[int, ...]],
    counted: str,
    consecutive: int,
    scenarios: int,
    draws_per_scenario: int,
    seed: int,
    units: Mapping[str, IndicatorUnit],
    driver_count: int,
) -> tuple[ZoneRisk, ...]:
    panel = history.panel
    position = method.grading.scale.index(counted)
    projection = project(panel.values, panel.years)
    rule_codes = sorted(set(history.reported) - set(panel.indicators))
    rule_values = (
        np.stack([history.reported[code] for code in rule_codes], axis=2)
        if rule_codes
        else np.zeros((len(panel.zones), len(panel.years), 0))
    )
    rule_projection = project(rule_values, panel.years)
    central = _extended(history, data, projection, rule_projection, rule_codes)
    zones = sorted(flagged)

    # The method alone: the Monte Carlo over methods at the projected central values.
    method_only = _share_counted(
        BatchEvaluator(central, method), method, method.uncertainty.draws, seed, position
    )
    nominal = figures(central, method)

    rng = np.random.default_rng(seed)
    combined = np.zeros(len(panel.zones))
    trend_only = np.zeros(len(panel.zones))
    for s in range(scenarios):
        last = _drawn(projection, rng)
        rules = _drawn(rule_projection, rng)
        scenario = _with_values(central, last, {code: rules[:, n] for n, code in enumerate(rule_codes)})
        evaluator = BatchEvaluator(scenario, method)
        weights = evaluator.nominal_weights
        _, nominal_grades = evaluator.evaluate(
            evaluator.nominal_key, method.aggregation.kind, weights.within[:, None], weights.node[:, None]
        )
        trend_only += nominal_grades[-1, 0, :] == position
        combined += _share_counted(evaluator, method, draws_per_scenario, seed + 1 + s, position)
    combined /= scenarios
    trend_only /= scenarios

    names = {i.code: i.name for i in history.framework.indicators}
    directions = history.framework.directions()
    effective = nominal.weights.effective
    scores = nominal.scores[:, -1, :]
    with np.errstate(invalid="ignore"):
        mean_scores = np.nanmean(scores, axis=0)
    next_year = panel.years[-1] + 1
    result = []
    for z in zones:
        zone = panel.zones[z]
        projected = tuple(
            _projected_value(
                projection,
                panel,
                z,
                i,
                names.get(code, ""),
                int(directions[i]),
                units.get(code, IndicatorUnit()),
            )
            for i, code in enumerate(panel.indicators)
        )
        gaps = effective * (scores[z] - mean_scores)
        order = [i for i in np.argsort(np.nan_to_num(gaps, nan=0.0), kind="stable") if gaps[i] < 0][
            :driver_count
        ]
        found_drivers = tuple(
            RiskDriver(
                indicator=panel.indicators[i],
                name=names.get(panel.indicators[i], ""),
                gap=float(gaps[i]),
                note=_driver_note(
                    projected[i], float(scores[z, i]), float(mean_scores[i]), float(gaps[i]), next_year
                ),
            )
            for i in order
        )
        nominal_position = int(nominal.positions[z, -1])
        run_years = flagged[z]
        probability = float(combined[z])
        sentence = (
            f"已连续{len(run_years)}年（{'、'.join(str(y) for y in run_years)}年）评为{counted}；"
            f"按各指标的趋势和评价方法的不确定性，{next_year}年再评为{counted}的概率为"
            f"{texts.shown_percent(probability)}"
        )
        if len(run_years) + 1 == consecutive:
            sentence += f"，若再评为{counted}将连续{consecutive}年，触发退出规则"
        else:
            sentence += f"，若再评为{counted}将连续{len(run_years) + 1}年（退出规则为连续{consecutive}年）"
        if found_drivers:
            sentence += "。主要拉低因素：" + "、".join(
                texts.named(d.indicator, d.name) for d in found_drivers
            )
        result.append(
            ZoneRisk(
                zone=zone,
                run=len(run_years),
                run_years=run_years,
                probability=probability,
                probability_from_trend=float(trend_only[z]),
                probability_from_method=float(method_only[z]),
                projected_grade=None if nominal_position < 0 else method.grading.scale[nominal_position],
                projected_figure=None
                if math.isnan(float(nominal.figure[z, -1]))
                else texts.shown(float(nominal.figure[z, -1]), method.grading.decimals),
                projected=projected,
                drivers=found_drivers,
                sentence=sentence + "。",
            )
        )
    return tuple(result)


def _drawn(projection: _Projection, rng: np.random.Generator) -> FloatArray:
    noise = rng.standard_normal(projection.mean.shape)
    drawn = projection.mean + np.nan_to_num(projection.sd, nan=0.0) * noise
    result: FloatArray = np.maximum(drawn, projection.floor[None, :])
    return result


def _share_counted(
    evaluator: BatchEvaluator, method: Method, draws: int, seed: int, position: int
) -> FloatArray:
    """Per zone, the share of ``draws`` methods grading its last year at ``position``."""
    choice, within, nodes = sample_draws(method, evaluator.nominal_weights, draws, seed)
    outcome = evaluate_draws(evaluator, choice, within, nodes, batch_size=method.uncertainty.batch_size)
    share: FloatArray = (outcome.grades[-1] == position).mean(axis=0)
    return share


def _projected_value(
    projection: _Projection, panel: Panel, z: int, i: int, name: str, direction: int, unit: IndicatorUnit
) -> ProjectedValue:
    last_values = panel.values[z, :, i]
    present = last_values[~np.isnan(last_values)]
    last = float(present[-1]) if present.size else None
    mean = float(projection.mean[z, i])
    slope = float(projection.slope[z, i])
    sd = float(projection.sd[z, i])
    trend: Trend = "flat"
    level = max(abs(last or 0.0), 0.0 if math.isnan(mean) else abs(mean), 1e-12)
    if not math.isnan(slope) and last is not None and abs(slope) > 0.01 * level:  # < 1 %/year: flat
        trend = "improving" if slope * direction > 0 else "worsening"
    return ProjectedValue(
        indicator=panel.indicators[i],
        name=name,
        last=last,
        projected=None if math.isnan(mean) else mean,
        sd=None if math.isnan(sd) else sd,
        slope=None if math.isnan(slope) else slope,
        years_used=int(projection.used[z, i]),
        trend=trend,
        shown_last=None if last is None else _shown(last, unit),
        shown_projected=None if math.isnan(mean) else _shown(mean, unit),
        unit=unit.unit,
    )


def _shown(value: float, unit: IndicatorUnit) -> str:
    if unit.integer:
        return texts.shown(value, 0)
    if unit.decimals is not None:
        return texts.shown(value, unit.decimals)
    return texts.shown_value(value)


def _driver_note(value: ProjectedValue, score: float, mean: float, gap: float, year: int) -> str:
    label = texts.named(value.indicator, value.name)
    trend = {"improving": "趋势向好", "worsening": "趋势变差", "flat": "基本持平"}[value.trend]
    projected = "无数据" if value.shown_projected is None else f"{value.shown_projected}{value.unit}"
    return (
        f"{label}：预计{year}年为{projected}（{trend}），得分 {texts.shown(score)}，"
        f"低于全部先导区平均 {texts.shown(mean)}，拉低综合得分 {texts.shown(abs(gap))} 分"
    )
