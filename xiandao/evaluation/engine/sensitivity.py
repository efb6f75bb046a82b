"""Variance-based sensitivity: which methodological choice moves the ranks, and how much.

The Monte Carlo says how uncertain a zone's rank is; the Sobol indices say why. Each choice
(perturbed weights, normalisation, aggregation, imputation, outlier treatment) is a factor;
its first-order index is the share of the rank's variance it explains alone, its total index
the share it explains with all its interactions (Saisana, Saltelli and Tarantola 2005, as the
JRC audits the GII and COINr's ``get_sensitivity`` does).

The estimators are Saltelli (2010) for first order and Jansen (1999) for total order, on a
scrambled Sobol sequence, N × (k + 2) evaluations for k factors. They are checked against the
Ishigami function's known indices and against SALib on the same samples in the tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from xiandao.evaluation.engine.method import Method, MethodError
from xiandao.evaluation.engine.model import Snapshot
from xiandao.evaluation.engine.pipeline import prepare
from xiandao.evaluation.engine.types import FloatArray, IntArray
from xiandao.evaluation.engine.uncertainty import BatchEvaluator, _options, evaluate_draws, sample_draws

# Pre-drawn weight noise the "weights" factor indexes into (COINr samples weights the same way).
WEIGHT_SETS = 1024


@dataclass(frozen=True)
class SobolIndex:
    """First-order and total Sobol indices of one factor."""

    factor: str
    first_order: float | None
    total: float | None


@dataclass(frozen=True)
class SensitivityResult:
    """Sobol indices of each zone's rank in one year, and their mean over the zones."""

    method_version: str
    base_samples: int
    evaluations: int
    year: int
    factors: tuple[SobolIndex, ...]
    per_zone: Mapping[str, tuple[SobolIndex, ...]]


def sobol_design(factors: int, base_samples: int, seed: int) -> tuple[FloatArray, FloatArray]:
    """Two independent N × k matrices A and B from one scrambled Sobol sequence of 2k dimensions."""
    from scipy.stats import qmc  # imported here: only the sensitivity analysis needs it

    sample = qmc.Sobol(d=2 * factors, scramble=True, seed=np.random.default_rng(seed)).random(base_samples)
    return sample[:, :factors], sample[:, factors:]


def saltelli_matrices(a: FloatArray, b: FloatArray) -> FloatArray:
    """The k matrices A_B^(i): A with its column i taken from B (k × N × k)."""
    factors = a.shape[1]
    mixed = np.repeat(a[None, :, :], factors, axis=0)
    for factor in range(factors):
        mixed[factor, :, factor] = b[:, factor]
    return mixed


def saltelli_indices(f_a: FloatArray, f_b: FloatArray, f_ab: FloatArray) -> tuple[FloatArray, FloatArray]:
    """First-order and total indices (factors × outputs) from model outputs on A, B and A_B^(i).

    f_a, f_b: N × outputs; f_ab: factors × N × outputs. An output that never varies has no
    variance to share out: its indices are NaN.
    S_i = mean(f_B (f_ABi - f_A)) / V (Saltelli 2010); ST_i = mean((f_A - f_ABi)²) / 2V (Jansen).
    """
    # Centring on the mean of every evaluation (as SALib does) leaves the indices' expectation
    # unchanged and removes the first-order estimator's sensitivity to the output's level.
    centre = np.concatenate([f_a, f_b, f_ab.reshape(-1, f_a.shape[1])], axis=0).mean(axis=0)
    f_a, f_b, f_ab = f_a - centre, f_b - centre, f_ab - centre
    variance = np.var(np.concatenate([f_a, f_b], axis=0), axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        first = np.mean(f_b[None] * (f_ab - f_a[None]), axis=1) / variance
        total = 0.5 * np.mean((f_a[None] - f_ab) ** 2, axis=1) / variance
    usable = variance > 0
    return np.where(usable, first, np.nan), np.where(usable, total, np.nan)


def sobol_sensitivity(snapshot: Snapshot, method: Method) -> SensitivityResult:
    """Sobol indices of the method's uncertain choices on every zone's rank in the last year."""
    with threadpool_limits(limits=1):
        return _sobol_sensitivity(snapshot, method)


def _sobol_sensitivity(snapshot: Snapshot, method: Method) -> SensitivityResult:
    settings = method.uncertainty
    options = _options(method)
    factors = [name for name, values in options.items() if len(values) > 1]
    if settings.weight_noise > 0:
        factors.insert(0, "weights")
    if not factors:
        raise MethodError(
            "没有可变的选择：每项只有一个选项，且 weight_noise 为0，无法做敏感性分析", "uncertainty"
        )
    prepared = prepare(snapshot, method)
    evaluator = BatchEvaluator(prepared, method)
    weights = evaluator.nominal_weights
    _, within_sets, node_sets = sample_draws(method, weights, WEIGHT_SETS, settings.seed + 1)

    base = settings.sobol_base_samples
    a, b = sobol_design(len(factors), base, settings.seed)
    design = np.concatenate([a, b, *saltelli_matrices(a, b)], axis=0)  # N (k + 2) rows
    rows = design.shape[0]

    def column(name: str) -> FloatArray:
        return design[:, factors.index(name)]

    choice: dict[str, IntArray] = {}
    for name, values in options.items():
        if name in factors:
            choice[name] = np.minimum((column(name) * len(values)).astype(np.int64), len(values) - 1)
        else:
            choice[name] = np.zeros(rows, dtype=np.int64)
    if "weights" in factors:
        pick = np.minimum((column("weights") * WEIGHT_SETS).astype(np.int64), WEIGHT_SETS - 1)
        within, nodes = within_sets[pick], node_sets[pick]
    else:
        within = np.ones((rows, weights.within.size))
        nodes = np.ones((rows, weights.node.size - 1))

    outcome = evaluate_draws(evaluator, choice, within, nodes, batch_size=settings.batch_size)
    last_year = outcome.ranks[-1].astype(np.float64)  # evaluations × zones
    last_year[last_year == 0] = np.nan
    k = len(factors)
    f_a, f_b = last_year[:base], last_year[base : 2 * base]
    f_ab = last_year[2 * base :].reshape(k, base, -1)
    first, total = saltelli_indices(f_a, f_b, f_ab)

    def indices(position: int | None) -> tuple[SobolIndex, ...]:
        if position is None:
            with np.errstate(invalid="ignore"):
                s1 = [_mean(first[n]) for n in range(k)]
                st = [_mean(total[n]) for n in range(k)]
        else:
            s1 = [_optional(first[n, position]) for n in range(k)]
            st = [_optional(total[n, position]) for n in range(k)]
        return tuple(SobolIndex(name, s1[n], st[n]) for n, name in enumerate(factors))

    return SensitivityResult(
        method_version=method.method_version,
        base_samples=base,
        evaluations=rows,
        year=prepared.panel.years[-1],
        factors=indices(None),
        per_zone={zone: indices(z) for z, zone in enumerate(prepared.panel.zones)},
    )


def _mean(values: FloatArray) -> float | None:
    present = values[~np.isnan(values)]
    return float(present.mean()) if present.size else None


def _optional(value: float) -> float | None:
    return None if np.isnan(value) else float(value)
