"""Aggregation up the tree: weighted means per dimension, then per parent up to the root.

Written for a batch of weight sets at once (one column per Monte Carlo draw) so that the
deterministic run and every draw go through the same arithmetic; a deterministic run is a
batch of one.

A missing score is left out and the weights of its siblings present are rescaled within their
parent — never across the whole tree. A dimension with no score (or less than the required
coverage) is missing for its parent, and so on up. The geometric mean is the arithmetic mean
of logarithms, so the same rescaling applies to it; the whole tree is computed in logarithms
and exponentiated once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xiandao.evaluation.engine.method import AggregationKind
from xiandao.evaluation.engine.tree import Hierarchy, build_hierarchy
from xiandao.evaluation.engine.types import FloatArray, IntArray


@dataclass(frozen=True, eq=False)
class DimensionBlocks:
    """Scores split by dimension into contiguous blocks, ready for matrix products.

    ``terms`` are the scores (or, for the geometric mean, the logs of the floored scores) with
    0 where missing; ``present`` is 1.0 where a score exists, None when the whole block is
    present (then the coverage is the sum of the weights). The Monte Carlo builds these once
    per combination of choices and reuses them for every batch of draws.
    """

    members: tuple[IntArray, ...]
    terms: tuple[FloatArray, ...]
    present: tuple[FloatArray | None, ...]
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
    with np.errstate(invalid="ignore"):
        values = np.log(np.maximum(scores, geometric_floor)) if kind == "geometric" else scores
    filled = np.where(present, values, 0.0)
    members = tuple(np.flatnonzero(dimension_of == d) for d in range(dimensions))
    blocks_present: list[FloatArray | None] = []
    for m in members:
        block = present[:, m]
        blocks_present.append(None if block.all() else np.ascontiguousarray(block, dtype=np.float64))
    return DimensionBlocks(
        members=members,
        terms=tuple(np.ascontiguousarray(filled[:, m]) for m in members),
        present=tuple(blocks_present),
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
    """Two levels: dimension scores (rows × dimensions × draws) and composites (rows × draws).

    ``scores`` is rows × indicators with NaN for missing; ``within`` is indicators × draws;
    ``dimension_weights`` is dimensions × draws.
    """
    dimensions = dimension_weights.shape[0]
    hierarchy = build_hierarchy([(str(d), 1.0, "") for d in range(dimensions)], ())
    nodes = np.vstack([dimension_weights, np.ones((1, dimension_weights.shape[1]))])
    blocks = dimension_blocks(scores, dimension_of, dimensions, kind, geometric_floor)
    scores_of_nodes = aggregate_tree(
        blocks, within, hierarchy.normalised(nodes), hierarchy, min_dimension_coverage=min_dimension_coverage
    )
    return scores_of_nodes[:, :dimensions, :], scores_of_nodes[:, -1, :]


def aggregate_tree(
    blocks: DimensionBlocks,
    within: FloatArray,
    node_weights: FloatArray,
    hierarchy: Hierarchy,
    *,
    min_dimension_coverage: float = 0.0,
) -> FloatArray:
    """The score of every aggregate (rows × aggregates × draws), the root last.

    ``within`` is indicators × draws; ``node_weights`` is aggregates × draws, each aggregate's
    weight among its siblings.
    """
    rows = blocks.terms[0].shape[0]
    draws = within.shape[1]
    result = np.empty((rows, len(hierarchy.codes), draws))
    for dimension, members in enumerate(blocks.members):
        member_weights = within[members]
        numerator = blocks.terms[dimension] @ member_weights
        present = blocks.present[dimension]
        total = member_weights.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            if present is None:
                mean = numerator / total
                mean[:, total <= 0] = np.nan
            else:
                covered = present @ member_weights
                mean = numerator / covered
                required = min_dimension_coverage * total * (1 - 1e-12)
                mean[(covered <= 0) | (covered < required)] = np.nan
        result[:, dimension, :] = mean
    # Above the dimensions the terms are the children's scores (their logs, for the geometric
    # mean: the dimension means above are still in logarithms).
    for node in range(hierarchy.dimensions, len(hierarchy.codes)):
        children = hierarchy.children[node]
        weights = node_weights[children]  # children × draws
        if children.size == 1:
            result[:, node, :] = result[:, children[0], :]
            continue
        terms = result[:, children, :]
        missing = np.isnan(terms)
        if missing.any():
            numerator = np.einsum("nkd,kd->nd", np.where(missing, 0.0, terms), weights)
            covered = np.einsum("nkd,kd->nd", (~missing).astype(np.float64), weights)
        else:
            numerator = np.einsum("nkd,kd->nd", terms, weights)
            covered = np.broadcast_to(weights.sum(axis=0), numerator.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = numerator / covered
        mean[covered <= 0] = np.nan
        result[:, node, :] = mean
    if blocks.kind == "geometric":
        np.exp(result, out=result)
    return result
