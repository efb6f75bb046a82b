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

from dataclasses import dataclass

import numpy as np

from xiandao.evaluation.engine.method import AggregationKind
from xiandao.evaluation.engine.types import FloatArray, IntArray


@dataclass(frozen=True, eq=False)
class DimensionBlocks:
    """Scores split by dimension into contiguous blocks, ready for matrix products.

    ``terms`` are the scores (or, for the geometric mean, the logs of the floored scores) with
    0 where missing; ``present`` is 1.0 where a score exists. The Monte Carlo builds these once
    per combination of choices and reuses them for every batch of draws.
    """

    members: tuple[IntArray, ...]
    terms: tuple[FloatArray, ...]
    present: tuple[FloatArray, ...]
    kind: AggregationKind
    geometric_floor: float


def dimension_blocks(
    scores: FloatArray,
    dimension_of: IntArray,
    dimensions: int,
    kind: AggregationKind,
    geometric_floor: float = 1.0,
) -> DimensionBlocks:
    present = ~np.isnan(scores)
    values = np.log(np.maximum(scores, geometric_floor)) if kind == "geometric" else scores
    filled = np.where(present, values, 0.0)
    members = tuple(np.flatnonzero(dimension_of == d) for d in range(dimensions))
    return DimensionBlocks(
        members=members,
        terms=tuple(np.ascontiguousarray(filled[:, m]) for m in members),
        present=tuple(np.ascontiguousarray(present[:, m], dtype=np.float64) for m in members),
        kind=kind,
        geometric_floor=geometric_floor,
    )


def aggregate(
    scores: FloatArray,
    dimension_of: IntArray,
    within: FloatArray,
    dimension_weights: FloatArray,
    kind: AggregationKind = "arithmetic",
    *,
    geometric_floor: float = 1.0,
    min_dimension_coverage: float = 0.0,
) -> tuple[FloatArray, FloatArray]:
    """Dimension scores (rows × dimensions × draws) and composites (rows × draws).

    ``scores`` is rows × indicators with NaN for missing; ``within`` is indicators × draws;
    ``dimension_weights`` is dimensions × draws.
    """
    blocks = dimension_blocks(scores, dimension_of, dimension_weights.shape[0], kind, geometric_floor)
    return aggregate_blocks(blocks, within, dimension_weights, min_dimension_coverage=min_dimension_coverage)


def aggregate_blocks(
    blocks: DimensionBlocks,
    within: FloatArray,
    dimension_weights: FloatArray,
    *,
    min_dimension_coverage: float = 0.0,
) -> tuple[FloatArray, FloatArray]:
    """:func:`aggregate` on scores already split by dimension."""
    rows = blocks.terms[0].shape[0]
    dimension_scores = np.empty((rows, len(blocks.members), within.shape[1]))
    for dimension, members in enumerate(blocks.members):
        member_weights = within[members]
        numerator = blocks.terms[dimension] @ member_weights
        covered = blocks.present[dimension] @ member_weights
        required = min_dimension_coverage * member_weights.sum(axis=0) * (1 - 1e-12)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = numerator / covered
        mean[(covered <= 0) | (covered < required)] = np.nan
        dimension_scores[:, dimension, :] = mean
    if blocks.kind == "geometric":
        np.exp(dimension_scores, out=dimension_scores)
    composite = weighted_mean_over_dimensions(dimension_scores, dimension_weights, blocks.kind)
    return dimension_scores, composite


def weighted_mean_over_dimensions(
    dimension_scores: FloatArray, dimension_weights: FloatArray, kind: AggregationKind
) -> FloatArray:
    """The composite: the weighted mean of the dimension scores present.

    For the geometric mean the dimension scores are already geometric means of floored
    scores, so they are at least the floor and their logarithm is defined.
    """
    terms = np.log(dimension_scores) if kind == "geometric" else dimension_scores
    missing = np.isnan(dimension_scores)
    if missing.any():
        terms = np.where(missing, 0.0, terms)
        covered = np.einsum("nkd,kd->nd", (~missing).astype(np.float64), dimension_weights)
    else:
        covered = np.broadcast_to(dimension_weights.sum(axis=0), terms.shape[::2])
    numerator = np.einsum("nkd,kd->nd", terms, dimension_weights)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = numerator / covered
    mean[covered <= 0] = np.nan
    result: FloatArray = np.exp(mean) if kind == "geometric" else mean
    return result
