"""The deterministic run: denominators, screening and imputation (in either order), outliers,
normalisation, weights, aggregation up the tree, index, attainment, itemised scores, grades
and diagnostics.

``prepare`` and ``scores_for`` are shared with the Monte Carlo, so every draw goes through
the same steps as the published result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from xiandao.evaluation.engine import diagnostics, grading, texts
from xiandao.evaluation.engine.aggregation import aggregate_tree, dimension_blocks
from xiandao.evaluation.engine.attainment import indicator_attainment, overall_attainment
from xiandao.evaluation.engine.errors import quoted
from xiandao.evaluation.engine.imputation import (
    FROM_ALL_ZONES,
    FROM_ALL_ZONES_EMPTY_GROUP,
    FROM_PEER_GROUP,
    impute_with_sources,
)
from xiandao.evaluation.engine.method import (
    ImputationKind,
    Method,
    MethodError,
    NormalisationKind,
    OutlierKind,
)
from xiandao.evaluation.engine.model import CodedTable, Framework, InputError, Panel, Snapshot, build_panel
from xiandao.evaluation.engine.normalisation import normalise
from xiandao.evaluation.engine.outliers import WINSORISED, treat
from xiandao.evaluation.engine.results import (
    AggregateWeight,
    DenominatorFinding,
    EffectiveWeight,
    ImputedValue,
    RunResult,
    TreatedValue,
    ZoneYearResult,
)
from xiandao.evaluation.engine.rounding import round_half_up_array
from xiandao.evaluation.engine.scoring_rules import ItemisedOutcome, itemised_scores
from xiandao.evaluation.engine.screening import ScreeningOutcome, screen
from xiandao.evaluation.engine.types import BoolArray, FloatArray, IntArray
from xiandao.evaluation.engine.weights import WeightSet, compute_weights


@dataclass(frozen=True, eq=False)
class Prepared:
    """The snapshot after screening, as cubes over the zones, years and indicators kept."""

    framework: Framework
    panel: Panel
    targets: FloatArray | None
    # Every indicator the scoring rules may read (framework or not), as reported: zones × years.
    reported: Mapping[str, FloatArray]
    peer_group_of_zone: IntArray
    screening: ScreeningOutcome
    # Before screening (per-unit values already divided), for screening after imputation:
    # then every imputation runs on all zones, and the zones and indicators kept are taken.
    full: Panel
    full_peer_group_of_zone: IntArray
    denominator_findings: tuple[DenominatorFinding, ...] = ()


@dataclass(frozen=True, eq=False)
class Transformed:
    """Values after imputation and outlier treatment, with what was changed."""

    values: FloatArray
    imputed: BoolArray
    # The values after imputation, before outlier treatment.
    untreated: FloatArray
    treatment: IntArray
    # Where each imputed value came from (imputation.FROM_*), 0 for a reported value.
    sources: npt.NDArray[np.int8]


def prepare(snapshot: Snapshot, method: Method) -> Prepared:
    """Pivot the snapshot into cubes over the window, divide by denominators, and screen.

    Screening runs here on the reported values, or — ``screening.after_imputation`` — on the
    values imputed by the method's imputation; either way the zones and indicators it keeps
    are the same for every Monte Carlo draw.

    The snapshot keeps the last preparation: a run and then its Monte Carlo (``evaluate``
    with ``uncertainty``, the benchmark) prepare the same snapshot with the same method once.
    Nothing downstream writes into a ``Prepared``.
    """
    cached = snapshot.__dict__.get("_prepared")
    if cached is not None and cached[0] == method:
        prepared: Prepared = cached[1]
        return prepared
    prepared = _prepare(snapshot, method)
    object.__setattr__(snapshot, "_prepared", (method, prepared))
    return prepared


def _prepare(snapshot: Snapshot, method: Method) -> Prepared:
    table = snapshot.coded_values
    window = method.normalisation.window
    years = sorted(int(year) for year in table.years)
    if window is not None:
        years = [year for year in years if window[0] <= year <= window[1]]
    zones = sorted(str(zone) for zone in table.zones)
    if not years or not zones:
        raise InputError("评价期内没有任何数据，请检查数据的年份与 normalisation.window 的设置")
    framework = snapshot.framework
    raw = build_panel(table, zones, years, framework.indicator_codes)
    raw, findings = _divided(raw, table, framework)
    groups = sorted(set(snapshot.peer_groups.values()))
    full_groups = np.array(
        [groups.index(snapshot.peer_groups[zone]) if zone in snapshot.peer_groups else -1 for zone in zones],
        dtype=np.int64,
    )
    names = {i.code: i.name for i in framework.indicators}
    screening_weights = compute_weights(
        "expert", framework, np.empty((0, len(framework.indicators)))
    ).effective
    if method.screening.after_imputation:
        imputed, _ = impute_with_sources(
            raw.values,
            method.imputation.kind,
            full_groups if method.imputation.by_peer_group else None,
            empty_group=method.imputation.empty_group,
        )
        outcome = screen(
            Panel(raw.zones, raw.years, raw.indicators, imputed), method.screening, names, screening_weights
        )
        panel = raw.take(outcome.zone_positions, outcome.indicator_positions)
        outcome = replace(outcome, panel=panel)
    else:
        outcome = screen(raw, method.screening, names, screening_weights)
        panel = outcome.panel
    kept = framework.without([code for code in framework.indicator_codes if code not in panel.indicators])
    targets = None
    if snapshot.coded_targets is not None:
        targets = build_panel(snapshot.coded_targets, panel.zones, panel.years, panel.indicators).values
    rule_codes = {item.indicator for item in method.scoring_rules.items} | {
        veto.indicator for veto in method.scoring_rules.vetoes
    }
    extra = sorted(rule_codes - set(panel.indicators))
    extra_panel = build_panel(table, panel.zones, panel.years, extra)
    reported = {code: panel.values[:, :, n] for n, code in enumerate(panel.indicators)}
    reported.update({code: extra_panel.values[:, :, n] for n, code in enumerate(extra)})
    kept_zones = set(panel.zones)
    return Prepared(
        framework=kept,
        panel=panel,
        targets=targets,
        reported=reported,
        peer_group_of_zone=full_groups[outcome.zone_positions],
        screening=outcome,
        full=raw,
        full_peer_group_of_zone=full_groups,
        denominator_findings=tuple(
            f for f in findings if f.zone in kept_zones and f.indicator in panel.indicators
        ),
    )


def _divided(raw: Panel, table: CodedTable, framework: Framework) -> tuple[Panel, list[DenominatorFinding]]:
    """Per-unit indicators: value ÷ denominator × scale; a missing or zero denominator → missing."""
    denominators = framework.denominators
    if not denominators:
        return raw, []
    series = build_panel(table, raw.zones, raw.years, denominators).values
    values = raw.values.copy()
    findings: list[DenominatorFinding] = []
    names = {i.code: i.name for i in framework.indicators}
    for n, indicator in enumerate(framework.indicators):
        if not indicator.denominator:
            continue
        numerator = raw.values[:, :, n]
        denominator = series[:, :, denominators.index(indicator.denominator)]
        missing = np.isnan(denominator) & ~np.isnan(numerator)
        zero = (denominator == 0) & ~np.isnan(numerator)
        with np.errstate(divide="ignore", invalid="ignore"):
            values[:, :, n] = np.where(missing | zero, np.nan, numerator / denominator * indicator.scale)
        for reason, mask in (("missing", missing), ("zero", zero)):
            for z, t in zip(*np.nonzero(mask), strict=True):
                findings.append(
                    DenominatorFinding(
                        raw.zones[z],
                        raw.years[t],
                        indicator.code,
                        indicator.denominator,
                        "missing" if reason == "missing" else "zero",
                        texts.denominator_note(
                            texts.named(raw.zones[z]),
                            raw.years[t],
                            texts.named(indicator.code, names[indicator.code]),
                            texts.named(indicator.denominator),
                            reason,
                        ),
                    )
                )
    findings.sort(key=lambda f: (f.zone, f.year, framework.indicator_codes.index(f.indicator)))
    return Panel(raw.zones, raw.years, raw.indicators, values), findings


def transform(
    prepared: Prepared, imputation: ImputationKind, outliers: OutlierKind, method: Method
) -> Transformed:
    """Impute, then treat outliers (on the imputed values, as COINr does)."""
    settings = method.imputation
    if method.screening.after_imputation:
        full, full_sources = impute_with_sources(
            prepared.full.values,
            imputation,
            prepared.full_peer_group_of_zone if settings.by_peer_group else None,
            empty_group=settings.empty_group,
        )
        at = np.ix_(
            prepared.screening.zone_positions,
            np.arange(len(prepared.full.years)),
            prepared.screening.indicator_positions,
        )
        values, sources = full[at], full_sources[at]
    else:
        values, sources = impute_with_sources(
            prepared.panel.values,
            imputation,
            prepared.peer_group_of_zone if settings.by_peer_group else None,
            empty_group=settings.empty_group,
        )
    treated = treat(values, replace(method.outliers, kind=outliers))
    return Transformed(treated.values, sources > 0, values, treated.treatment, sources)


def scores_for(
    prepared: Prepared, transformed: Transformed, method: Method, kind: NormalisationKind
) -> FloatArray:
    """Normalised scores, zones × years × indicators."""
    return normalise(
        transformed.values,
        prepared.framework.directions(),
        method.normalisation,
        kind=kind,
        indicators=prepared.panel.indicators,
        targets=prepared.targets,
    )


def index_reference(composite: FloatArray, method: Method) -> FloatArray:
    """The composite the index calls 100, per draw: composite is zones × years × draws."""
    if method.grading.reference == "fixed":
        return np.full(composite.shape[2], float(method.grading.reference_value or np.nan))
    first_year = composite[:, 0, :]
    present = ~np.isnan(first_year)
    with np.errstate(invalid="ignore", divide="ignore"):
        result: FloatArray = np.where(present, first_year, 0.0).sum(axis=0) / present.sum(axis=0)
    return result


def attainment_of(prepared: Prepared, weights: WeightSet, method: Method) -> tuple[FloatArray, FloatArray]:
    """Per-indicator attainment (zones × years × indicators) and overall (zones × years)."""
    shape = prepared.panel.values.shape
    if prepared.targets is None:
        return np.full(shape, np.nan), np.full(shape[:2], np.nan)
    per_indicator = indicator_attainment(
        prepared.panel.values, prepared.targets, prepared.framework.directions(), method.attainment
    )
    return per_indicator, overall_attainment(per_indicator, weights.effective)


def itemised(prepared: Prepared, per_indicator_attainment: FloatArray, method: Method) -> ItemisedOutcome:
    attainment = {code: per_indicator_attainment[:, :, n] for n, code in enumerate(prepared.panel.indicators)}
    return itemised_scores(
        method.scoring_rules,
        prepared.reported,
        attainment,
        method.grading.scale,
        prepared.panel.values.shape[:2],
    )


def run(snapshot: Snapshot, method: Method | None = None) -> RunResult:
    """Evaluate every zone in every year of the window with ``method`` (the default if None).

    Like ``monte_carlo`` and ``sobol_sensitivity``, it computes on one BLAS thread, whatever
    ``OPENBLAS_NUM_THREADS`` says: the matrix products are small (zone-years × a dozen
    indicators × a batch of draws), and waking a second BLAS thread for each costs more than it
    saves, on a busy 2-core machine ten times more (bench/evaluation.py). Workers scale by
    processes. threadpoolctl puts the previous limit back when the run ends.
    """
    with threadpool_limits(limits=1):
        return _run(snapshot, method or Method())


@dataclass(frozen=True, eq=False)
class Figures:
    """A prepared snapshot scored, aggregated, indexed and graded: every figure a grade reads.

    The run turns these into results; the path to the next grade (paths.py) computes them
    again with one zone's values changed, so both read the same arithmetic.
    """

    transformed: Transformed
    scores: FloatArray
    weights: WeightSet
    dimension_cube: FloatArray
    above_cube: FloatArray
    composite: FloatArray
    reference: float
    index: FloatArray
    per_indicator_attainment: FloatArray
    overall_attainment: FloatArray
    rules: ItemisedOutcome
    figure: FloatArray
    measures: dict[str, FloatArray]
    cap: IntArray
    positions: IntArray


def figures(prepared: Prepared, method: Method) -> Figures:
    """Scores, aggregates, index, attainment, itemised scores, gates and grade positions."""
    panel, framework = prepared.panel, prepared.framework
    zones, years, indicators = panel.values.shape
    transformed = transform(prepared, method.imputation.kind, method.outliers.kind, method)
    scores = scores_for(prepared, transformed, method, method.normalisation.kind)
    flat_scores = scores.reshape(-1, indicators)
    weights = compute_weights(method.weighting.kind, framework, flat_scores)
    hierarchy = framework.hierarchy
    dimensions = hierarchy.dimensions
    node_scores = aggregate_tree(
        dimension_blocks(
            flat_scores,
            weights.dimension_of,
            dimensions,
            method.aggregation.kind,
            method.aggregation.geometric_floor,
        ),
        weights.within[:, None],
        weights.node[:, None],
        hierarchy,
        min_dimension_coverage=method.aggregation.min_dimension_coverage,
    )[:, :, 0].T
    above = hierarchy.above_dimensions
    dimension_cube = node_scores[:, :dimensions].reshape(zones, years, -1)
    above_cube = node_scores[:, dimensions : dimensions + len(above)].reshape(zones, years, -1)
    composite_cube = node_scores[:, -1].reshape(zones, years)
    reference = float(index_reference(composite_cube[:, :, None], method)[0])
    index = 100.0 * composite_cube / reference if reference else np.full_like(composite_cube, np.nan)

    per_indicator_attainment, overall = attainment_of(prepared, weights, method)
    rules = itemised(prepared, per_indicator_attainment, method)
    figure = index if method.grading.basis == "index" else rules.score
    measures = (
        {"attainment": overall}
        | {f"dimension:{code}": dimension_cube[:, :, n] for n, code in enumerate(framework.dimension_codes)}
        | {f"dimension:{code}": above_cube[:, :, n] for n, code in enumerate(above)}
    )
    for n, gate in enumerate(method.grading.gates):
        if gate.measure not in measures:
            raise MethodError(
                f"{quoted(gate.measure)}所指的维度不在指标体系中，或因数据不足已被剔除",
                f"grading.gates[{n}].measure",
            )
    cap = np.minimum(grading.gate_caps(method.grading, measures, (zones, years)), rules.grade_cap)
    positions = grading.decide(figure, method.grading, cap)
    return Figures(
        transformed=transformed,
        scores=scores,
        weights=weights,
        dimension_cube=dimension_cube,
        above_cube=above_cube,
        composite=composite_cube,
        reference=reference,
        index=index,
        per_indicator_attainment=per_indicator_attainment,
        overall_attainment=overall,
        rules=rules,
        figure=figure,
        measures=measures,
        cap=cap,
        positions=positions,
    )


def _run(snapshot: Snapshot, method: Method) -> RunResult:
    prepared = prepare(snapshot, method)
    panel, framework = prepared.panel, prepared.framework
    zones, years, indicators = panel.values.shape
    computed = figures(prepared, method)
    transformed, scores, weights = computed.transformed, computed.scores, computed.weights
    flat_scores = scores.reshape(-1, indicators)
    hierarchy = framework.hierarchy
    dimensions = hierarchy.dimensions
    above = hierarchy.above_dimensions
    dimension_cube, above_cube = computed.dimension_cube, computed.above_cube
    composite_cube, reference, index = computed.composite, computed.reference, computed.index
    per_indicator_attainment, overall = computed.per_indicator_attainment, computed.overall_attainment
    rules, figure, measures, positions = (
        computed.rules,
        computed.figure,
        computed.measures,
        computed.positions,
    )
    ranks = diagnostics.ranks_by_year(composite_cube)

    indicator_ranks, tied, field = diagnostics.indicator_ranks(scores)
    strengths, weaknesses = diagnostics.strengths_and_weaknesses(scores, method.profile_size, indicator_ranks)
    names = {i.code: i.name for i in framework.indicators}
    labels = [texts.named(code, names[code]) for code in panel.indicators]
    profile = (indicator_ranks, tied, field, labels)
    strength_notes = _profile_notes(True, strengths, scores, *profile)
    weakness_notes = _profile_notes(False, weaknesses, scores, *profile)
    measure_labels = (
        {"attainment": texts.ATTAINMENT}
        | {f"dimension:{d.code}": texts.dimension_label(d.code, d.name) for d in framework.dimensions}
        | {
            f"dimension:{code}": texts.aggregate_label(code, hierarchy.names[hierarchy.codes.index(code)])
            for code in above
        }
    )
    # Plain lists, read once, NaN already None: indexing numpy element by element, or testing
    # each float, would dominate a large run.
    score_rows, dimension_rows, above_rows = _listed(scores), _listed(dimension_cube), _listed(above_cube)
    attainment_rows = _listed(per_indicator_attainment)
    composite_rows, index_rows = _listed(composite_cube), _listed(index)
    overall_rows, itemised_rows = _listed(overall), _listed(rules.score)
    first_change = _listed(composite_cube - composite_cube[:, :1])
    previous_change = _listed(
        np.concatenate([np.full((zones, 1), np.nan), np.diff(composite_cube, axis=1)], axis=1)
    )
    rank_rows = [[None if r is None else int(r) for r in row] for row in _listed(ranks)]
    figure_rows, shown_rows = figure.tolist(), _shown_figures(figure, method.grading.decimals)
    position_rows = positions.tolist()
    gated = {gate.measure for gate in method.grading.gates}
    measure_rows = {name: m.tolist() for name, m in measures.items() if name in gated}
    veto_rows = {code: mask.tolist() for code, mask in rules.vetoes.items()}
    strength_rows, weakness_rows = strengths.tolist(), weaknesses.tolist()
    scale, grading_method = method.grading.scale, method.grading
    indicator_codes, dimension_codes = panel.indicators, framework.dimension_codes

    zone_years = []
    for z, zone in enumerate(panel.zones):
        for t, year in enumerate(panel.years):
            vetoes = [veto for veto in method.scoring_rules.vetoes if veto_rows[veto.code][z][t]]
            zone_years.append(
                ZoneYearResult(
                    zone=zone,
                    year=year,
                    composite=composite_rows[z][t],
                    index=index_rows[z][t],
                    figure_shown=shown_rows[z][t],
                    rank=rank_rows[z][t],
                    grade=None if position_rows[z][t] < 0 else scale[position_rows[z][t]],
                    reasons=grading.reasons(
                        figure_rows[z][t],
                        grading_method,
                        {name: m[z][t] for name, m in measure_rows.items()},
                        vetoes,
                        measure_labels,
                    ),
                    dimension_scores=dict(zip(dimension_codes, dimension_rows[z][t], strict=True)),
                    indicator_scores=dict(zip(indicator_codes, score_rows[z][t], strict=True)),
                    attainment={
                        code: value
                        for code, value in zip(indicator_codes, attainment_rows[z][t], strict=True)
                        if value is not None
                    },
                    overall_attainment=overall_rows[z][t],
                    itemised_score=itemised_rows[z][t],
                    change_since_first_year=first_change[z][t],
                    change_since_previous_year=previous_change[z][t],
                    strengths=tuple(indicator_codes[i] for i in strength_rows[z][t] if i >= 0),
                    weaknesses=tuple(indicator_codes[i] for i in weakness_rows[z][t] if i >= 0),
                    strength_notes=strength_notes[z][t],
                    weakness_notes=weakness_notes[z][t],
                    aggregate_scores=dict(zip(above, above_rows[z][t], strict=True)),
                )
            )

    flat_dimensions = dimension_cube.reshape(zones * years, -1)
    dimension_of = weights.dimension_of
    in_composite = weights.in_composite
    return RunResult(
        method=method,
        method_version=method.method_version,
        zones=panel.zones,
        years=panel.years,
        dimensions=framework.dimension_codes,
        indicators=panel.indicators,
        reference=_optional(reference),
        zone_years=tuple(zone_years),
        effective_weights=tuple(
            EffectiveWeight(
                indicator=indicator.code,
                dimension=indicator.dimension,
                dimension_weight=float(weights.dimension[dimension_of[n]]),
                within_dimension=float(weights.within[n]),
                effective=float(weights.effective[n]),
            )
            for n, indicator in enumerate(framework.indicators)
        ),
        zone_availability=prepared.screening.zone_availability,
        indicator_availability=prepared.screening.indicator_availability,
        correlations=diagnostics.correlations(flat_scores, panel.indicators),
        indicator_dimension_correlations=diagnostics.indicator_dimension_correlations(
            flat_scores, flat_dimensions, dimension_of, panel.indicators
        ),
        cronbach_alpha={
            code: diagnostics.cronbach_alpha(flat_scores[:, dimension_of == n])
            for n, code in enumerate(framework.dimension_codes)
        },
        screening=prepared.screening.findings,
        imputed=_imputed_list(snapshot, prepared, transformed, method),
        treated=_treated_list(prepared, transformed),
        aggregates=above,
        aggregate_weights=tuple(
            AggregateWeight(
                code=code,
                parent="" if hierarchy.parent[a] < 0 else hierarchy.codes[hierarchy.parent[a]],
                within_parent=float(weights.node[a]),
                in_composite=float(in_composite[a]),
            )
            for a, code in enumerate(hierarchy.codes)
            if hierarchy.explicit_root or a < dimensions
        ),
        denominator_findings=prepared.denominator_findings,
    )


def _profile_notes(
    strength: bool,
    chosen: IntArray,
    scores: FloatArray,
    ranks: FloatArray,
    tied: BoolArray,
    field: IntArray,
    labels: list[str],
) -> list[list[tuple[str, ...]]]:
    """The strength (or weakness) notes of every zone-year, [zone][year], in ``chosen``'s order.

    ``chosen`` is zones × years × size of indicator positions, -1 for none. The figures of the
    chosen cells are gathered and rounded at once: a large run writes tens of thousands of notes.
    """
    at = np.maximum(chosen, 0)

    def gathered(cube: npt.NDArray[Any]) -> list[list[list[Any]]]:
        result: list[list[list[Any]]] = np.take_along_axis(cube, at, axis=2).tolist()
        return result

    shown = round_half_up_array(np.take_along_axis(scores, at, axis=2), texts.DECIMALS).tolist()
    rank, shared = gathered(ranks), gathered(tied)
    zones_present = gathered(np.broadcast_to(field[None, :, :], scores.shape))
    rows = chosen.tolist()
    return [
        [
            tuple(
                texts.profile_note(strength, labels[i], texts.shown_rounded(score), int(place), count, tie)
                for i, score, place, count, tie in zip(
                    rows[z][t], shown[z][t], rank[z][t], zones_present[z][t], shared[z][t], strict=True
                )
                if i >= 0
            )
            for t in range(chosen.shape[1])
        ]
        for z in range(chosen.shape[0])
    ]


def _optional(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _listed(values: FloatArray) -> list[Any]:
    """An array as nested lists of floats, None where NaN (JSON's and a template's missing)."""
    cells = values.astype(object)
    cells[np.isnan(values)] = None
    result: list[Any] = cells.tolist()
    return result


def _shown_figures(figure: FloatArray, decimals: int) -> list[list[str | None]]:
    """Each figure as shown, half-up, as ``str(round_half_up(x, decimals))`` writes it."""
    rounded = round_half_up_array(figure, decimals)
    return [
        [
            None
            if math.isnan(r)
            else (f"-{0:.{decimals}f}" if r == 0 and math.copysign(1.0, v) < 0 else f"{r + 0.0:.{decimals}f}")
            for r, v in zip(rounded_row, figure_row, strict=True)
        ]
        for rounded_row, figure_row in zip(rounded.tolist(), figure.tolist(), strict=True)
    ]


def _imputed_list(
    snapshot: Snapshot, prepared: Prepared, transformed: Transformed, method: Method
) -> tuple[ImputedValue, ...]:
    """Every imputed value, as imputed (before any outlier treatment), and what it came from."""
    kind = method.imputation.kind
    panel = prepared.panel
    full = prepared.full
    after = method.screening.after_imputation
    found = []
    sources = transformed.sources
    for z, t, i in zip(*np.nonzero(transformed.imputed), strict=True):
        value = float(transformed.untreated[z, t, i])
        source = int(sources[z, t, i])
        code: str = kind
        fallback = ""
        if kind == "carry":
            # After-imputation screening imputes on the panel before screening: same years.
            values = full.values[:, :, full.indicators.index(panel.indicators[i])] if after else None
            row = values[full.zones.index(panel.zones[z])] if values is not None else panel.values[z, :, i]
            note = texts.carried_note(_carried_from(panel.years, row, t), value)
        else:
            statistic = "均值" if kind == "mean" else "中位数"
            zone = panel.zones[z]
            group = snapshot.peer_groups.get(zone)
            if source == FROM_PEER_GROUP:
                code = f"peer_group_{kind}"
                note = texts.imputed_note(statistic, f"同类先导区（{group}）", value)
            elif source == FROM_ALL_ZONES_EMPTY_GROUP:
                fallback = "empty_group"
                note = texts.imputed_note(statistic, None, value, empty_pool=f"同类先导区（{group}）")
            elif (
                source == FROM_ALL_ZONES
                and method.imputation.by_peer_group
                and group is None
                and snapshot.peer_groups
            ):
                fallback = "no_group"
                note = texts.imputed_note(statistic, None, value, ungrouped=True)
            else:
                note = texts.imputed_note(statistic, None, value)
        found.append(
            ImputedValue(panel.zones[z], panel.years[t], panel.indicators[i], value, code, note, fallback)
        )
    return tuple(found)


def _carried_from(years: tuple[int, ...], row: FloatArray, t: int) -> int:
    """The year whose value was carried: the latest reported before ``t``, else the earliest after."""
    reported = np.flatnonzero(~np.isnan(row))
    before = reported[reported < t]
    return years[int(before[-1]) if before.size else int(reported[reported > t][0])]


def _treated_list(prepared: Prepared, transformed: Transformed) -> tuple[TreatedValue, ...]:
    panel = prepared.panel
    found = []
    for z, t, i in zip(*np.nonzero(transformed.treatment), strict=True):
        treatment: Literal["winsorised", "log"] = (
            "winsorised" if transformed.treatment[z, t, i] == WINSORISED else "log"
        )
        original = float(transformed.untreated[z, t, i])
        treated = float(transformed.values[z, t, i])
        found.append(
            TreatedValue(
                panel.zones[z],
                panel.years[t],
                panel.indicators[i],
                original=original,
                treated=treated,
                treatment=treatment,
                note=texts.treated_note(treatment, original, treated),
            )
        )
    return tuple(found)
