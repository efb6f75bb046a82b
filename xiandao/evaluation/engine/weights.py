"""Weights: expert (the framework's), equal, entropy and PCA, along the aggregation tree.

A weight set holds each indicator's weight inside its dimension (summing to 1 in each
dimension) and each aggregate's weight among its siblings (summing to 1 under each parent).
The effective weight of an indicator in the composite is the product along its path; the run
reports it, because an expert weight of 1.2 inside a small dimension may count for less than
0.8 inside a large one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xiandao.evaluation.engine.errors import quoted
from xiandao.evaluation.engine.method import MethodError, WeightingKind
from xiandao.evaluation.engine.model import Framework
from xiandao.evaluation.engine.tree import Hierarchy
from xiandao.evaluation.engine.types import FloatArray, IntArray


@dataclass(frozen=True, eq=False)
class WeightSet:
    """Indicator weights within their dimension and aggregate weights within their parent.

    ``within`` sums to 1 in each dimension; ``node`` holds each aggregate's weight among its
    siblings (summing to 1 under each parent; the root's is 1), in the hierarchy's order.
    """

    within: FloatArray
    dimension_of: IntArray
    node: FloatArray
    hierarchy: Hierarchy

    @property
    def dimension(self) -> FloatArray:
        """Each dimension's weight in the composite (the product along its path)."""
        result: FloatArray = self.in_composite[: self.hierarchy.dimensions]
        return result

    @property
    def in_composite(self) -> FloatArray:
        """Each aggregate's weight in the composite."""
        return self.hierarchy.in_composite(self.node)

    @property
    def effective(self) -> FloatArray:
        result: FloatArray = self.dimension[self.dimension_of] * self.within
        return result


def compute_weights(kind: WeightingKind, framework: Framework, scores: FloatArray) -> WeightSet:
    """Weights of ``kind`` for ``framework``; entropy and PCA read the normalised scores.

    ``scores`` is (zone-years × indicators), NaN for missing, in framework indicator order.
    """
    hierarchy = framework.hierarchy
    dimension_of = framework.dimension_of()
    dimensions = hierarchy.dimensions
    expert_nodes = hierarchy.weight
    if kind == "expert":
        multipliers = np.array([i.weight for i in framework.indicators], dtype=np.float64)
        return _normalised(expert_nodes, multipliers, dimension_of, hierarchy)
    if kind == "equal":
        return _normalised(
            np.ones(len(hierarchy.codes)), np.ones(len(framework.indicators)), dimension_of, hierarchy
        )
    if kind == "entropy":
        divergence = entropy_divergence(scores)
        # One-level entropy weights split along the tree: each aggregate weighs the divergence
        # of the indicators below it, so the product along a path gives back d_j / Σ d.
        below = np.zeros(len(hierarchy.codes))
        below[:dimensions] = np.bincount(dimension_of, weights=divergence, minlength=dimensions)
        for a in range(dimensions, len(hierarchy.codes)):
            below[a] = below[hierarchy.children[a]].sum()
        if below[-1] <= 0:
            return _normalised(
                np.ones(len(hierarchy.codes)), np.ones(len(divergence)), dimension_of, hierarchy
            )
        return _normalised(below, divergence, dimension_of, hierarchy)
    if kind == "pca":
        # PCA measures coherence inside a dimension; how much a dimension matters stays a policy
        # choice, so the weights of the dimensions and the levels above remain the framework's.
        within = np.zeros(len(framework.indicators))
        for dimension in range(dimensions):
            members = np.flatnonzero(dimension_of == dimension)
            within[members] = pca_weights(scores[:, members])
        return _normalised(expert_nodes, within, dimension_of, hierarchy)
    raise MethodError(f"无法识别的赋权方法{quoted(kind)}", "weighting.kind")


def _normalised(
    nodes: FloatArray, within: FloatArray, dimension_of: IntArray, hierarchy: Hierarchy
) -> WeightSet:
    """Rescale within each dimension and each parent; an all-zero dimension shares equally.

    A parent whose children all weigh 0 (entropy with no information) shares equally too.
    """
    dimensions = hierarchy.dimensions
    within = renormalise_within(within[None, :], dimension_of, dimensions)[0]
    nodes = np.asarray(nodes, dtype=np.float64).copy()
    totals = np.zeros(len(nodes))
    np.add.at(totals, hierarchy.parent[:-1], nodes[:-1])
    empty = np.flatnonzero(totals <= 0)
    for parent in empty:
        nodes[hierarchy.parent == parent] = 1.0
    return WeightSet(within, dimension_of, hierarchy.normalised(nodes), hierarchy)


def renormalise_within(within: FloatArray, dimension_of: IntArray, dimensions: int) -> FloatArray:
    """Rescale indicator weights (draws × indicators) to sum to 1 in each dimension.

    A dimension whose indicators all weigh 0 shares equally among them.
    """
    membership = np.eye(dimensions)[dimension_of]  # indicators × dimensions
    totals = within @ membership
    counts = membership.sum(axis=0)
    empty = totals <= 0
    safe = np.where(empty, 1.0, totals)
    result: FloatArray = np.where(
        empty[:, dimension_of], 1.0 / counts[dimension_of], within / safe[:, dimension_of]
    )
    return result


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
