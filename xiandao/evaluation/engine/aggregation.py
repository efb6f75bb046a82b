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
    0 where missing. ``gaps`` holds, per dimension, the rows with some score missing and their
    presence (1.0 where a score exists): only those rows need their own coverage, every other
    row's coverage is the sum of the weights. ``empty`` says whether some row of the dimension
    has no score at all. The Monte Carlo builds these once per combination of choices and
    reuses them for every batch of draws.
    """

    members: tuple[IntArray, ...]
    terms: tuple[FloatArray, ...]
    gaps: tuple[tuple[IntArray, FloatArray], ...]
    empty: tuple[bool, ...]
    kind: AggregationKind
    geometric_floor: float


def dimension_blocks(
    scores: FloatArray,
    dimension_of: IntArray,
    dimensions: int,
    kind: AggregationKind,
    geometric_floor: float = 1.0,
    like: DimensionBlocks | None = None,
) -> DimensionBlocks:
    """Split scores by dimension; ``like``, blocks of the same scores for the other kind of
    mean, lends its gaps (where scores are missing does not depend on the mean)."""
    members = tuple(np.flatnonzero(dimension_of == d) for d in range(dimensions))
    order = np.concatenate(members)
    values = np.take(scores, order, axis=1)  # a copy, columns grouped by dimension
    if kind == "geometric":
        with np.errstate(invalid="ignore"):
            np.log(np.maximum(values, geometric_floor, out=values), out=values)
    missing = np.isnan(values)
    if like is not None:
        gaps, empty = like.gaps, like.empty
    else:
        found_gaps, found_empty = [], []
        start = 0
        for m in members:
            block = ~missing[:, start : start + m.size]
            rows = np.flatnonzero(~block.all(axis=1))
            found_gaps.append((rows, np.ascontiguousarray(block[rows], dtype=np.float64)))
            found_empty.append(bool((~block.any(axis=1)).any()))
            start += m.size
        gaps, empty = tuple(found_gaps), tuple(found_empty)
    values[missing] = 0.0
    # Each block is a view of one array (rows of stride ``indicators``), which BLAS reads as is.
    bounds = np.cumsum([0, *(m.size for m in members)])
    return DimensionBlocks(
        members=members,
        terms=tuple(values[:, bounds[d] : bounds[d + 1]] for d in range(dimensions)),
        gaps=gaps,
        empty=empty,
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
    return np.moveaxis(scores_of_nodes[:dimensions], 0, 1), scores_of_nodes[-1]


def aggregate_tree(
    blocks: DimensionBlocks,
    within: FloatArray,
    node_weights: FloatArray,
    hierarchy: Hierarchy,
    *,
    min_dimension_coverage: float = 0.0,
    keep_logs: bool = False,
) -> FloatArray:
    """The score of every aggregate, aggregates × rows × draws, the root last.

    ``within`` is indicators × draws; ``node_weights`` is aggregates × draws, each aggregate's
    weight among its siblings. For the geometric mean, ``keep_logs`` leaves the scores as
    logarithms (the Monte Carlo exponentiates only the ones it reads).
    """
    rows = blocks.terms[0].shape[0]
    draws = within.shape[1]
    result = np.empty((len(hierarchy.codes), rows, draws))
    # Whether an aggregate's score may be missing somewhere: if none of its children's may,
    # its mean needs no coverage of its own.
    may_miss = np.zeros(len(hierarchy.codes), dtype=bool)
    for dimension, members in enumerate(blocks.members):
        member_weights = within[members]
        total = member_weights.sum(axis=0)
        # Weights rescaled to sum to 1 first: a row with every score present is then its
        # product alone, and a row with gaps is divided by the share of weight present.
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = member_weights / total
        mean = np.matmul(blocks.terms[dimension], shares, out=result[dimension])
        gap_rows, present = blocks.gaps[dimension]
        if gap_rows.size:
            covered = present @ shares
            with np.errstate(divide="ignore", invalid="ignore"):
                partial = mean[gap_rows] / covered
            partial[(covered <= 0) | (covered < min_dimension_coverage * (1 - 1e-12))] = np.nan
            mean[gap_rows] = partial
        if (total <= 0).any():
            mean[:, total <= 0] = np.nan
        may_miss[dimension] = (
            blocks.empty[dimension] or min_dimension_coverage > 0 or bool((total <= 0).any())
        )
    # Above the dimensions the terms are the children's scores (their logs, for the geometric
    # mean: the dimension means above are still in logarithms).
    for node in range(hierarchy.dimensions, len(hierarchy.codes)):
        children = hierarchy.children[node]
        weights = node_weights[children]  # children × draws
        out = result[node]
        if not may_miss[children].any():
            np.multiply(result[children[0]], weights[0], out=out)
            for k in range(1, children.size):
                out += result[children[k]] * weights[k]
            total = weights.sum(axis=0)
            if not np.allclose(total, 1.0, rtol=0, atol=1e-15):
                with np.errstate(divide="ignore", invalid="ignore"):
                    out /= total
            continue
        numerator = np.zeros((rows, draws))
        covered = np.zeros((rows, draws))
        for k, child in enumerate(children):
            score = result[child]
            present = ~np.isnan(score)
            numerator += np.where(present, score, 0.0) * weights[k]
            covered += present * weights[k]
        with np.errstate(divide="ignore", invalid="ignore"):
            np.divide(numerator, covered, out=out)
        out[covered <= 0] = np.nan
        may_miss[node] = True
    if blocks.kind == "geometric" and not keep_logs:
        np.exp(result, out=result)
    return result
