"""Monte Carlo over the methodological choices, and the effect of removing each indicator.

Each draw picks an imputation, an outlier treatment, a normalisation and an aggregation from
the method's ``uncertainty`` lists and perturbs every weight; the draw is then scored, indexed,
graded and ranked exactly as the deterministic run is. The result gives each zone-year its
median rank, its rank interval and its probability of each grade — what neither the EIS nor
the GII publishes.

Speed comes from batching, not from approximations: the score cube of each combination of
discrete choices is computed once, and all draws sharing it are aggregated together as one
matrix product (zone-years × indicators by indicators × draws). There is no Python loop per
zone or per draw, only per combination and per batch.
"""

from __future__ import annotations

import csv
import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from xiandao.evaluation.engine import diagnostics, grading
from xiandao.evaluation.engine.aggregation import DimensionBlocks, aggregate_tree, dimension_blocks
from xiandao.evaluation.engine.csvio import open_for_writing
from xiandao.evaluation.engine.errors import quoted
from xiandao.evaluation.engine.method import (
    AggregationKind,
    ImputationKind,
    Method,
    MethodError,
    NormalisationKind,
    OutlierKind,
)
from xiandao.evaluation.engine.model import Snapshot
from xiandao.evaluation.engine.normalisation import normalise
from xiandao.evaluation.engine.outliers import WINSORISED
from xiandao.evaluation.engine.pipeline import (
    Prepared,
    Transformed,
    attainment_of,
    index_reference,
    itemised,
    prepare,
    scores_for,
    transform,
)
from xiandao.evaluation.engine.types import FloatArray, IntArray
from xiandao.evaluation.engine.weights import WeightSet, compute_weights, renormalise_within

Progress = Callable[[int], object]

# Normalisations that read only the order of the values (see BatchEvaluator._order_scores).
ORDER_ONLY = ("rank", "percentile")


@dataclass(frozen=True)
class ZoneYearUncertainty:
    """How sure the grade and rank of one zone-year are, over all draws."""

    zone: str
    year: int
    nominal_grade: str | None
    nominal_rank: int | None
    median_rank: float | None
    rank_low: float | None
    rank_high: float | None
    grade_probabilities: Mapping[str, float]
    # The share of draws with no figure (no grade): with it the probabilities sum to 1.
    no_grade_probability: float = 0.0


@dataclass(frozen=True)
class GradeChange:
    """A zone-year whose grade changes when one indicator is removed."""

    zone: str
    year: int
    grade_with: str | None
    grade_without: str | None


@dataclass(frozen=True)
class RemovalEffect:
    """What removing one indicator (its weight set to zero, the rest rescaled) does."""

    indicator: str
    grades_changed: int
    mean_absolute_rank_shift: float
    changes: tuple[GradeChange, ...]


@dataclass(frozen=True)
class UncertaintyResult:
    """The Monte Carlo's findings, with the settings that produced them."""

    method_version: str
    draws: int
    seed: int
    interval: float
    grades: tuple[str, ...]
    zone_years: tuple[ZoneYearUncertainty, ...]
    removal: tuple[RemovalEffect, ...]
    # How many draws used each option of each choice, so a reader sees the design was balanced.
    choices: Mapping[str, Mapping[str, int]]


@dataclass(frozen=True, eq=False)
class DrawOutcome:
    """Ranks (1 = best, 0 where no composite) and grade positions (-1: none), years × draws × zones.

    Stored compactly (int16 ranks, int8 grades) and draw-major within a year, so that each
    batch writes whole rows: 1,000 zones × 5 years × 1,000 draws is 15 MB.
    """

    ranks: npt.NDArray[np.int16]
    grades: npt.NDArray[np.int8]

    def zone_year_ranks(self) -> FloatArray:
        """Ranks as zones × years × draws floats, NaN where no composite."""
        ranks = np.moveaxis(self.ranks, 2, 0).astype(np.float64)
        ranks[ranks == 0] = np.nan
        return ranks


class BatchEvaluator:
    """Scores, indexes, grades and ranks many draws of one prepared snapshot."""

    def __init__(self, prepared: Prepared, method: Method) -> None:
        self.prepared = prepared
        self.method = method
        self.shape = prepared.panel.values.shape
        self.hierarchy = prepared.framework.hierarchy
        self._transformed: dict[tuple[str, str], Transformed] = {}
        self._scores: dict[tuple[str, str, str], FloatArray] = {}
        self._blocks: dict[tuple[str, str, str, str], DimensionBlocks] = {}
        self._weights: dict[tuple[str, str, str], WeightSet] = {}
        # Rank and percentile scores before outlier treatment, by imputation and kind.
        self._by_order: dict[tuple[str, str], FloatArray] = {}
        self.nominal_key = (method.imputation.kind, method.outliers.kind, method.normalisation.kind)
        nominal_scores = self.scores(*self.nominal_key)
        self.nominal_weights: WeightSet = compute_weights(
            method.weighting.kind, prepared.framework, nominal_scores
        )
        per_indicator, overall = attainment_of(prepared, self.nominal_weights, method)
        rules = itemised(prepared, per_indicator, method)
        # Attainment, itemised scores and vetoes read reported values only: no draw changes them.
        self.attainment = overall.reshape(-1, 1)
        self.itemised_score = rules.score.reshape(-1, 1)
        self.veto_cap = rules.grade_cap.reshape(-1, 1)
        # The aggregates a gate reads ("dimension:<code>"), by position in the hierarchy.
        self.measured = [
            (f"dimension:{code}", n)
            for n, code in enumerate(self.hierarchy.codes)
            if any(gate.measure == f"dimension:{code}" for gate in method.grading.gates)
        ]

    def scores(self, imputation: str, outliers: str, normalisation: str) -> FloatArray:
        """Flat scores (zone-years × indicators) of one combination, computed once.

        The caches keep only the latest combination: draws are evaluated grouped by
        combination, so an older one is not asked for again, and memory stays flat.
        """
        key = (imputation, outliers, normalisation)
        if key not in self._scores:
            self._scores.clear()
            step = (imputation, outliers)
            if step not in self._transformed:
                self._transformed.clear()
                self._transformed[step] = transform(
                    self.prepared, cast(ImputationKind, imputation), cast(OutlierKind, outliers), self.method
                )
            transformed = self._transformed[step]
            kind = cast(NormalisationKind, normalisation)
            if normalisation in ORDER_ONLY and outliers != "none":
                cube = self._order_scores(imputation, kind, transformed)
            else:
                cube = scores_for(self.prepared, transformed, self.method, kind)
                if normalisation in ORDER_ONLY:
                    self._by_order = {k: v for k, v in self._by_order.items() if k[0] == imputation}
                    self._by_order[(imputation, normalisation)] = cube
            self._scores[key] = cube.reshape(-1, self.shape[2])
        return self._scores[key]

    def _order_scores(self, imputation: str, kind: NormalisationKind, transformed: Transformed) -> FloatArray:
        """Rank or percentile scores after outlier treatment, from those before it.

        They read only the order of the values. A log transform keeps the order of every
        value, so only the indicators where points were winsorised (now tied with the next
        value in) are scored again.
        """
        base = self._by_order.get((imputation, kind))
        if base is None:
            untreated = Transformed(
                transformed.untreated,
                transformed.imputed,
                transformed.untreated,
                np.zeros_like(transformed.treatment),
                transformed.sources,
            )
            base = scores_for(self.prepared, untreated, self.method, kind)
        cube = base.copy()
        changed = np.flatnonzero((transformed.treatment == WINSORISED).any(axis=(0, 1)))
        if changed.size:
            cube[:, :, changed] = normalise(
                transformed.values[:, :, changed],
                self.prepared.framework.directions()[changed],
                self.method.normalisation,
                kind=kind,
            )
        return cube

    def weights(self, key: tuple[str, str, str]) -> WeightSet:
        """The unperturbed weights of one combination.

        Entropy and PCA weights are read from the scores, so they are recomputed from the
        combination's own scores (the same for every draw that shares it); expert and equal
        weights are the nominal ones.
        """
        if self.method.weighting.kind not in ("entropy", "pca") or key == self.nominal_key:
            return self.nominal_weights
        if key not in self._weights:
            self._weights.clear()
            self._weights[key] = compute_weights(
                self.method.weighting.kind, self.prepared.framework, self.scores(*key)
            )
        return self._weights[key]

    def blocks(self, key: tuple[str, str, str], aggregation: AggregationKind) -> DimensionBlocks:
        """The scores of one combination split by dimension for one aggregation, computed once."""
        cache_key = (*key, aggregation)
        if cache_key not in self._blocks:
            # Keep the blocks of the same scores for the other mean: they lend their gaps.
            like = next((b for k, b in self._blocks.items() if k[:3] == key), None)
            self._blocks = {k: b for k, b in self._blocks.items() if k[:3] == key}
            self._blocks[cache_key] = dimension_blocks(
                self.scores(*key),
                self.nominal_weights.dimension_of,
                self.hierarchy.dimensions,
                aggregation,
                self.method.aggregation.geometric_floor,
                like=like,
            )
        return self._blocks[cache_key]

    def perturbed(
        self, key: tuple[str, str, str], within_noise: FloatArray, node_noise: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """The combination's weights times each draw's noise, rescaled within each parent.

        Noise is draws × indicators and draws × (aggregates below the root); the result is
        indicators × draws and aggregates × draws, as ``evaluate`` takes them.
        """
        base = self.weights(key)
        within = renormalise_within(
            base.within[None, :] * within_noise, base.dimension_of, self.hierarchy.dimensions
        )
        nodes = np.ones((len(self.hierarchy.codes), within_noise.shape[0]))
        nodes[:-1] = base.node[:-1, None] * node_noise.T
        return np.ascontiguousarray(within.T), self.hierarchy.normalised(nodes)

    def evaluate(
        self,
        key: tuple[str, str, str],
        aggregation: AggregationKind,
        within: FloatArray,
        nodes: FloatArray,
    ) -> tuple[npt.NDArray[np.int16], npt.NDArray[np.int8]]:
        """Ranks and grade positions (years × draws × zones, as ``DrawOutcome``) for weight
        columns sharing a combination."""
        zones, years, _ = self.shape
        method = self.method
        node_scores = aggregate_tree(
            self.blocks(key, aggregation),
            within,
            nodes,
            self.hierarchy,
            min_dimension_coverage=method.aggregation.min_dimension_coverage,
            keep_logs=True,
        )
        logs = aggregation == "geometric"
        composite = np.exp(node_scores[-1]) if logs else node_scores[-1]
        draws = composite.shape[1]
        cube = composite.reshape(zones, years, draws)
        if method.grading.basis == "index":
            reference = index_reference(cube, method)
            with np.errstate(divide="ignore", invalid="ignore"):
                figure = 100.0 * composite / reference[None, :]
        else:
            figure = np.broadcast_to(self.itemised_score, composite.shape)
        if method.grading.gates:
            measures = {"attainment": self.attainment} | {
                measure: np.exp(node_scores[n]) if logs else node_scores[n] for measure, n in self.measured
            }
            cap = np.minimum(grading.gate_caps(method.grading, measures, composite.shape), self.veto_cap)
        else:
            cap = self.veto_cap
        positions = grading.decide(figure, method.grading, cap).astype(np.int8)
        ranks = diagnostics.draw_ranks(composite, zones, years)
        return ranks, np.ascontiguousarray(np.moveaxis(positions.reshape(zones, years, draws), 0, -1))


def _options(method: Method) -> dict[str, tuple[str, ...]]:
    settings = method.uncertainty
    options: dict[str, tuple[str, ...]] = {
        "imputation": settings.imputations or (method.imputation.kind,),
        "outliers": settings.outlier_treatments or (method.outliers.kind,),
        "normalisation": settings.normalisations or (method.normalisation.kind,),
        "aggregation": settings.aggregations or (method.aggregation.kind,),
    }
    for name, values in options.items():
        twice = [value for n, value in enumerate(values) if value in values[:n]]
        if twice:
            raise MethodError(f"{quoted(twice[0])}列出了两次", f"uncertainty.{_SETTINGS[name]}")
    return options


# The Uncertainty field that lists each choice's options, as a method file writes it.
_SETTINGS = {
    "imputation": "imputations",
    "outliers": "outlier_treatments",
    "normalisation": "normalisations",
    "aggregation": "aggregations",
}


def evaluate_draws(
    evaluator: BatchEvaluator,
    choice: Mapping[str, IntArray],
    within_noise: FloatArray,
    node_noise: FloatArray,
    *,
    batch_size: int,
    progress: Progress | None = None,
) -> DrawOutcome:
    """Evaluate draws given each draw's option positions and weight noise.

    ``within_noise`` is draws × indicators, ``node_noise`` draws × aggregates below the root:
    the factors each weight is multiplied by before rescaling.
    """
    options = _options(evaluator.method)
    zones, years, _ = evaluator.shape
    draws = within_noise.shape[0]
    ranks = np.empty((years, draws, zones), dtype=np.int16)
    grades = np.empty((years, draws, zones), dtype=np.int8)
    names = ("imputation", "outliers", "normalisation", "aggregation")
    codes = np.stack([choice[name] for name in names], axis=1)
    combinations, group_of_draw = np.unique(codes, axis=0, return_inverse=True)
    for group, combination in enumerate(combinations):
        members = np.flatnonzero(group_of_draw.ravel() == group)
        key = (
            options["imputation"][combination[0]],
            options["outliers"][combination[1]],
            options["normalisation"][combination[2]],
        )
        aggregation = cast(AggregationKind, options["aggregation"][combination[3]])
        for start in range(0, members.size, batch_size):
            batch = members[start : start + batch_size]
            within, nodes = evaluator.perturbed(key, within_noise[batch], node_noise[batch])
            batch_ranks, batch_grades = evaluator.evaluate(key, aggregation, within, nodes)
            ranks[:, batch, :] = batch_ranks
            grades[:, batch, :] = batch_grades
            if progress is not None:
                progress(int(batch.size))
    return DrawOutcome(ranks, grades)


def sample_draws(
    method: Method, weights: WeightSet, draws: int, seed: int
) -> tuple[dict[str, IntArray], FloatArray, FloatArray]:
    """The random design from one seed: option positions per choice, and the weight noise.

    Every weight — each indicator's within its dimension, each aggregate's within its parent
    — is multiplied by a uniform factor in [1 - p, 1 + p]; each draw then rescales.
    """
    rng = np.random.default_rng(seed)
    options = _options(method)
    choice = {name: rng.integers(len(values), size=draws) for name, values in options.items()}
    noise = method.uncertainty.weight_noise
    within = rng.uniform(1 - noise, 1 + noise, size=(draws, weights.within.size))
    nodes = rng.uniform(1 - noise, 1 + noise, size=(draws, weights.node.size - 1))
    return choice, within, nodes


def monte_carlo(snapshot: Snapshot, method: Method, *, progress: Progress | None = None) -> UncertaintyResult:
    """Run the method's Monte Carlo and the indicator-removal analysis on ``snapshot``."""
    with threadpool_limits(limits=1):
        return _monte_carlo(snapshot, method, progress)


def _monte_carlo(snapshot: Snapshot, method: Method, progress: Progress | None) -> UncertaintyResult:
    settings = method.uncertainty
    if settings.draws < 1:
        raise MethodError("模拟次数至少为1", "uncertainty.draws")
    prepared = prepare(snapshot, method)
    evaluator = BatchEvaluator(prepared, method)
    weights = evaluator.nominal_weights
    choice, within_noise, node_noise = sample_draws(method, weights, settings.draws, settings.seed)
    outcome = evaluate_draws(
        evaluator, choice, within_noise, node_noise, batch_size=settings.batch_size, progress=progress
    )
    nominal = DrawOutcome(
        *evaluator.evaluate(
            evaluator.nominal_key, method.aggregation.kind, weights.within[:, None], weights.node[:, None]
        )
    )
    nominal_ranks = nominal.zone_year_ranks()[:, :, 0]
    nominal_grades = nominal.grades[:, 0, :].T.astype(np.int64)
    options = _options(method)
    counts = {
        name: {option: int(np.sum(choice[name] == n)) for n, option in enumerate(values)}
        for name, values in options.items()
    }
    return UncertaintyResult(
        method_version=method.method_version,
        draws=settings.draws,
        seed=settings.seed,
        interval=settings.interval,
        grades=method.grading.scale,
        zone_years=_summarise(prepared, method, outcome, nominal_ranks, nominal_grades),
        removal=removal_effects(evaluator, nominal_ranks, nominal_grades),
        choices=counts,
    )


def _summarise(
    prepared: Prepared,
    method: Method,
    outcome: DrawOutcome,
    nominal_ranks: FloatArray,
    nominal_grades: IntArray,
) -> tuple[ZoneYearUncertainty, ...]:
    settings = method.uncertainty
    tail = (1.0 - settings.interval) / 2.0
    low, median, high = rank_quantiles(outcome.ranks, (tail, 0.5, 1.0 - tail))
    scale = method.grading.scale
    draws = outcome.grades.shape[1]
    counts = np.stack([(outcome.grades == n).sum(axis=1) for n in range(len(scale))], axis=-1)
    probability = (counts / draws).transpose(1, 0, 2).tolist()  # zones × years × grades
    ungraded = ((outcome.grades < 0).sum(axis=1) / draws).T.tolist()  # zones × years
    panel = prepared.panel
    low_rows, median_rows, high_rows = (_listed(q) for q in (low, median, high))
    nominal_rank_rows = [[None if r is None else int(r) for r in row] for row in _listed(nominal_ranks)]
    nominal_grade_rows = nominal_grades.tolist()
    return tuple(
        ZoneYearUncertainty(
            zone=zone,
            year=year,
            nominal_grade=None if nominal_grade_rows[z][t] < 0 else scale[nominal_grade_rows[z][t]],
            nominal_rank=nominal_rank_rows[z][t],
            median_rank=median_rows[z][t],
            rank_low=low_rows[z][t],
            rank_high=high_rows[z][t],
            grade_probabilities=dict(zip(scale, probability[z][t], strict=True)),
            no_grade_probability=ungraded[z][t],
        )
        for z, zone in enumerate(panel.zones)
        for t, year in enumerate(panel.years)
    )


def rank_quantiles(ranks: npt.NDArray[np.int16], quantiles: tuple[float, ...]) -> tuple[FloatArray, ...]:
    """Quantiles of each zone-year's rank over the draws (zones × years each), as np.quantile's
    default (linear) method gives them; a zone-year never ranked gets NaN.

    Ranks are small integers, so they are sorted by radix (a stable sort of int16), which is
    several times faster than the partition np.quantile does; with some ranks missing
    (0), np.nanquantile takes over.
    """
    by_zone = np.ascontiguousarray(np.transpose(ranks, (2, 0, 1)))  # zones × years × draws
    if (by_zone == 0).any():
        values = by_zone.astype(np.float64)
        values[values == 0] = np.nan
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a zone-year never ranked
            found = np.nanquantile(values, list(quantiles), axis=2)
        return tuple(found)
    ordered = np.sort(by_zone, axis=2, kind="stable")
    draws = ordered.shape[2]
    result = []
    for q in quantiles:
        virtual = q * (draws - 1)
        below = int(np.floor(virtual))
        above = min(below + 1, draws - 1)
        share = virtual - below
        a, b = ordered[:, :, below].astype(np.float64), ordered[:, :, above].astype(np.float64)
        difference = b - a
        # numpy's _lerp, so the figures agree with np.quantile to the last bit.
        value = a + difference * share if share < 0.5 else b - difference * (1 - share)
        result.append(value)
    return tuple(result)


def _listed(values: FloatArray) -> list[list[float | None]]:
    """A zones × years array as nested lists, None for NaN."""
    return [[None if math.isnan(v) else v for v in row] for row in values.tolist()]


def removal_effects(
    evaluator: BatchEvaluator, nominal_ranks: FloatArray, nominal_grades: IntArray
) -> tuple[RemovalEffect, ...]:
    """Remove each indicator in turn (all at once, one weight column each) and compare grades."""
    method = evaluator.method
    weights = evaluator.nominal_weights
    count = weights.within.size
    # Column j is the nominal weights with indicator j set to zero; aggregation rescales the
    # rest, and a dimension left with no indicator drops out of the composite.
    within = np.repeat(weights.within[:, None], count, axis=1)
    within[np.arange(count), np.arange(count)] = 0.0
    nodes = np.repeat(weights.node[:, None], count, axis=1)
    outcome = DrawOutcome(*evaluator.evaluate(evaluator.nominal_key, method.aggregation.kind, within, nodes))
    ranks = outcome.zone_year_ranks()
    grades = np.moveaxis(outcome.grades, 2, 0)  # zones × years × removals
    changed = grades != nominal_grades[:, :, None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an indicator no zone-year is ranked with
        shifts = np.nanmean(np.abs(ranks - nominal_ranks[:, :, None]), axis=(0, 1))
    counts = changed.sum(axis=(0, 1)).tolist()
    scale = method.grading.scale
    names = (None, *scale)  # position -1 is no grade
    panel = evaluator.prepared.panel
    nominal_rows = nominal_grades.tolist()
    effects = []
    for n, indicator in enumerate(panel.indicators):
        where = np.argwhere(changed[:, :, n]).tolist()
        without = grades[:, :, n]
        effects.append(
            RemovalEffect(
                indicator=indicator,
                grades_changed=counts[n],
                mean_absolute_rank_shift=0.0 if math.isnan(shifts[n]) else float(shifts[n]),
                changes=tuple(
                    GradeChange(
                        panel.zones[z],
                        panel.years[t],
                        names[nominal_rows[z][t] + 1],
                        names[int(without[z, t]) + 1],
                    )
                    for z, t in where
                ),
            )
        )
    return tuple(effects)


def _optional(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def write_uncertainty(path: Path, result: UncertaintyResult) -> None:
    """zone, year, nominal grade and rank, median rank, rank interval, then P(grade) per grade."""
    with open_for_writing(path) as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "zone",
                "year",
                "grade",
                "rank",
                "median_rank",
                "rank_low",
                "rank_high",
                *(f"p_{grade}" for grade in result.grades),
            ]
        )
        for r in result.zone_years:
            writer.writerow(
                [
                    r.zone,
                    r.year,
                    r.nominal_grade or "",
                    "" if r.nominal_rank is None else r.nominal_rank,
                    *("" if v is None else repr(v) for v in (r.median_rank, r.rank_low, r.rank_high)),
                    *(repr(r.grade_probabilities[grade]) for grade in result.grades),
                ]
            )
