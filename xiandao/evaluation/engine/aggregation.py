"""Aggregation: weighted means per dimension, then over the dimensions.

Written for a batch of weight sets at once (one column per Monte Carlo draw) so that the
deterministic run and every draw go through the same arithmetic; a deterministic run is a
batch of one.

A missing score is left out and the weights of the scores present are rescaled; a dimension
with no score (or less than the required coverage) is left out and the dimension weights
rescaled. The geometric mean is the arithmetic mean of logarithms, so the same rescaling
applies to it.
"""

from __future__ import annotations

import numpy as np

from xiandao.evaluation.engine.method import AggregationKind
from xiandao.evaluation.engine.types import FloatArray, IntArray


def aggregate(
    scores: FloatArray,
    dimension_of: IntArray,
    within: FloatArray,
    dimension_weights: FloatArray,
    kind: AggregationKind = "arithmetic",
    *,
    geometric_floor: float = 1.0,
    min_dimension_coverage: float = 0.0,
    log_scores: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Dimension scores (rows × dimensions × draws) and composites (rows × draws).

    ``scores`` is rows × indicators with NaN for missing; ``within`` is indicators × draws;
    ``dimension_weights`` is dimensions × draws. ``log_scores`` may pass precomputed
    logarithms of the floored scores, for the geometric mean (the Monte Carlo reuses them).
    """
    present = ~np.isnan(scores)
    if kind == "geometric":
        if log_scores is None:
            log_scores = np.log(np.maximum(scores, geometric_floor))
        filled = np.where(present, log_scores, 0.0)
    else:
        filled = np.where(present, scores, 0.0)
    weight_of_present = present.astype(np.float64)
    dimensions = dimension_weights.shape[0]
    dimension_scores = np.empty((scores.shape[0], dimensions, within.shape[1]))
    for dimension in range(dimensions):
        members = dimension_of == dimension
        member_weights = within[members]
        numerator = filled[:, members] @ member_weights
        covered = weight_of_present[:, members] @ member_weights
        required = min_dimension_coverage * member_weights.sum(axis=0)
        usable = (covered > 0) & (covered >= required * (1 - 1e-12))
        with np.errstate(divide="ignore", invalid="ignore"):
            dimension_scores[:, dimension, :] = np.where(usable, numerator / covered, np.nan)
    if kind == "geometric":
        dimension_scores = np.exp(dimension_scores)
    composite = weighted_mean_over_dimensions(dimension_scores, dimension_weights, kind, geometric_floor)
    return dimension_scores, composite


def weighted_mean_over_dimensions(
    dimension_scores: FloatArray, dimension_weights: FloatArray, kind: AggregationKind, geometric_floor: float
) -> FloatArray:
    """The composite: the weighted mean of the dimension scores present."""
    present = ~np.isnan(dimension_scores)
    weights = np.where(present, dimension_weights[None, :, :], 0.0)
    if kind == "geometric":
        terms = np.where(
            present, np.log(np.maximum(np.where(present, dimension_scores, 1.0), geometric_floor)), 0.0
        )
    else:
        terms = np.where(present, dimension_scores, 0.0)
    covered = weights.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(covered > 0, (terms * weights).sum(axis=1) / covered, np.nan)
    result: FloatArray = np.exp(mean) if kind == "geometric" else mean
    return result
