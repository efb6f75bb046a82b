"""Weights: expert (the framework's), equal, entropy and PCA, always two-level.

A weight set holds the dimension weights (summing to 1) and each indicator's weight inside
its dimension (summing to 1 in each dimension). The effective weight of an indicator in the
composite is their product; the run reports it, because an expert weight of 1.2 inside a
small dimension may count for less than 0.8 inside a large one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xiandao.evaluation.engine.errors import quoted
from xiandao.evaluation.engine.method import MethodError, WeightingKind
from xiandao.evaluation.engine.model import Framework
from xiandao.evaluation.engine.types import FloatArray, IntArray


@dataclass(frozen=True, eq=False)
class WeightSet:
    """Dimension weights (sum 1) and within-dimension indicator weights (sum 1 per dimension)."""

    dimension: FloatArray
    within: FloatArray
    dimension_of: IntArray

    @property
    def effective(self) -> FloatArray:
        result: FloatArray = self.dimension[self.dimension_of] * self.within
        return result


def compute_weights(kind: WeightingKind, framework: Framework, scores: FloatArray) -> WeightSet:
    """Weights of ``kind`` for ``framework``; entropy and PCA read the normalised scores.

    ``scores`` is (zone-years × indicators), NaN for missing, in framework indicator order.
    """
    dimension_of = framework.dimension_of()
    expert_dimension = np.array([d.weight for d in framework.dimensions], dtype=np.float64)
    if kind == "expert":
        multipliers = np.array([i.weight for i in framework.indicators], dtype=np.float64)
        return _normalised(expert_dimension, multipliers, dimension_of)
    if kind == "equal":
        return _normalised(
            np.ones(len(framework.dimensions)), np.ones(len(framework.indicators)), dimension_of
        )
    if kind == "entropy":
        divergence = entropy_divergence(scores)
        dimension_total = np.bincount(
            dimension_of, weights=divergence, minlength=len(framework.dimensions)
        ).astype(np.float64)
        # One-level entropy weights split into two levels: the product gives back d_j / Σ d.
        if dimension_total.sum() <= 0:
            return _normalised(np.ones(len(framework.dimensions)), np.ones(len(divergence)), dimension_of)
        return _normalised(dimension_total, divergence, dimension_of)
    if kind == "pca":
        # PCA measures coherence inside a dimension; how much a dimension matters stays a policy
        # choice, so the dimension weights remain the framework's.
        within = np.zeros(len(framework.indicators))
        for dimension in range(len(framework.dimensions)):
            members = np.flatnonzero(dimension_of == dimension)
            within[members] = pca_weights(scores[:, members])
        return _normalised(expert_dimension, within, dimension_of)
    raise MethodError(f"无法识别的赋权方法{quoted(kind)}", "weighting.kind")


def _normalised(dimension: FloatArray, within: FloatArray, dimension_of: IntArray) -> WeightSet:
    """Rescale to sum to 1 overall and in each dimension; an all-zero dimension shares equally."""
    totals = np.bincount(dimension_of, weights=within, minlength=len(dimension))
    counts = np.bincount(dimension_of, minlength=len(dimension)).astype(np.float64)
    empty = totals[dimension_of] <= 0
    within = np.where(empty, 1.0 / counts[dimension_of], within / np.where(empty, 1.0, totals[dimension_of]))
    return WeightSet(dimension / dimension.sum(), within, dimension_of)


def entropy_divergence(scores: FloatArray) -> FloatArray:
    """The entropy method's divergence 1 - e_j of each indicator (熵值法).

    p_ij = s_ij / Σ_i s_ij over the values present, e_j = -Σ p ln p / ln n, with 0 ln 0 = 0.
    Scores are shifted to start at 0 if any is negative. An indicator with fewer than two
    values, or all zero, carries no information and gets divergence 0.
    """
    present = ~np.isnan(scores)
    count = present.sum(axis=0)
    shifted = np.where(present, scores, 0.0)
    minimum = np.where(present, scores, np.inf).min(axis=0)
    shifted = np.where(present & (minimum < 0), shifted - minimum, shifted)
    total = shifted.sum(axis=0)
    usable = (count > 1) & (total > 0)
    share = shifted / np.where(usable, total, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(share > 0, share * np.log(share), 0.0)
    entropy = -terms.sum(axis=0) / np.log(np.where(usable, count, 2))
    result: FloatArray = np.where(usable, 1.0 - entropy, 0.0)
    return result


def pca_weights(scores: FloatArray) -> FloatArray:
    """Squared loadings of the first principal component of the standardised indicators.

    The squares of a unit eigenvector sum to 1, and are the share of the component each
    indicator carries (the OECD/JRC Handbook's reading). Rows with a missing value are left
    out; a constant indicator gets 0; too few rows or indicators give equal weights.
    """
    columns = scores.shape[1]
    if columns == 1:
        return np.ones(1)
    complete = scores[~np.isnan(scores).any(axis=1)]
    if complete.shape[0] < 3:
        return np.full(columns, 1.0 / columns)
    spread = complete.std(axis=0, ddof=1)
    varying = spread > 0
    weights = np.zeros(columns)
    if varying.sum() < 2:
        weights[varying] = 1.0
        return weights if varying.any() else np.full(columns, 1.0 / columns)
    standardised = (complete[:, varying] - complete[:, varying].mean(axis=0)) / spread[varying]
    correlation = np.atleast_2d(np.corrcoef(standardised, rowvar=False))
    _, vectors = np.linalg.eigh(correlation)
    weights[varying] = vectors[:, -1] ** 2
    return weights
