"""The aggregation tree above the indicators: dimensions, any number of higher levels, the root.

Chinese indicator systems have 一级/二级/三级指标: indicators (the framework's rows) sit in
dimensions, dimensions in higher aggregates, and those in the index. Each node has a weight
among its siblings. The framework without a tree is the two-level special case: every
dimension directly under one root, with the dimension weights.

``tree_problem`` finds the first thing wrong with a tree, and where (which node, which of its
fields), so the framework refuses it in Chinese and the command line names the row and column
of tree.csv. ``Hierarchy`` is the checked tree as arrays, children before parents.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from xiandao.evaluation.engine.errors import quoted
from xiandao.evaluation.engine.types import FloatArray, IntArray

# The code of the root when the framework has no tree: it is reported only as the composite.
IMPLICIT_ROOT = ""


@dataclass(frozen=True)
class Aggregate:
    """A node of the tree above the indicators: a dimension or a higher level (一级指标…).

    ``parent`` is the code of the node above, empty for the root; ``weight`` is relative to the
    siblings (20 for 20 %, or 0.8 / 1.0 / 1.2), rescaled to sum to 1 within the parent.
    """

    code: str
    parent: str = ""
    weight: float = 1.0
    name: str = ""


@dataclass(frozen=True)
class TreeProblem:
    """What is wrong, at which node (position in the tree's rows) and field.

    ``position`` is None for a dimension missing from the tree; ``dimension`` then names it.
    """

    position: int | None
    column: str
    problem: str
    dimension: str = ""


def tree_problem(
    aggregates: Sequence[Aggregate], dimensions: Sequence[str], indicators: Sequence[str]
) -> TreeProblem | None:
    """The first problem of a tree, row by row, then of the tree as a whole; None if sound."""
    codes = [node.code for node in aggregates]
    seen: dict[str, int] = {}
    root: int | None = None
    dimension_set, indicator_set = set(dimensions), set(indicators)
    for n, node in enumerate(aggregates):
        if not node.code:
            return TreeProblem(n, "code", "不能为空")
        if node.code in seen:
            return TreeProblem(
                n, "code", f"“{node.code}”已在前面第{seen[node.code] + 1}个节点出现过，每个节点只能出现一次"
            )
        if node.code in indicator_set:
            return TreeProblem(n, "code", f"{quoted(node.code)}是指标的编码，树中只列维度及以上各级")
        seen[node.code] = n
        if not (math.isfinite(node.weight) and node.weight >= 0):
            return TreeProblem(n, "weight", "权重须为不小于0的数字")
    for n, node in enumerate(aggregates):
        if not node.parent:
            if root is not None:
                return TreeProblem(
                    n,
                    "parent",
                    f"有两个根节点：{quoted(codes[root])}和{quoted(node.code)}的上级都为空，只能有一个",
                )
            root = n
        elif node.parent not in seen:
            return TreeProblem(n, "parent", f"上级{quoted(node.parent)}不存在：它须作为 code 出现在树中")
        elif node.parent in dimension_set:
            return TreeProblem(n, "parent", f"上级{quoted(node.parent)}是维度，维度之下只能是指标")
        elif node.parent == node.code:
            return TreeProblem(n, "parent", "上级不能是自己")
    for dimension in dimensions:
        if dimension not in seen:
            return TreeProblem(
                None, "code", f"维度{quoted(dimension)}不在树中，每个维度须作为 code 出现一次", dimension
            )
    parent_of = {node.code: node.parent for node in aggregates}
    for node in aggregates:
        path = [node.code]
        current = node.parent
        while current:
            if current in path:
                # Name the cycle at its first row, whichever node the walk started from.
                cycle = path[path.index(current) :]
                first = min(seen[code] for code in cycle)
                return TreeProblem(
                    first, "parent", f"形成了循环：沿上级一路向上又回到了{quoted(aggregates[first].code)}"
                )
            path.append(current)
            current = parent_of[current]
    if root is None:  # unreachable after the cycle check, kept for the reader
        return TreeProblem(0, "parent", "没有根节点：须有一个节点的上级为空")
    has_children = {node.parent for node in aggregates if node.parent}
    for n, node in enumerate(aggregates):
        if node.code not in dimension_set and node.code not in has_children:
            return TreeProblem(n, "code", f"{quoted(node.code)}不是指标体系中的维度，也没有任何下级")
    totals: dict[str, float] = {}
    for node in aggregates:
        if node.parent:
            totals[node.parent] = totals.get(node.parent, 0.0) + node.weight
    for n, node in enumerate(aggregates):
        if node.parent and totals[node.parent] <= 0:
            return TreeProblem(n, "weight", f"{quoted(node.parent)}的各下级权重之和为0，至少一个须大于0")
    return None


@dataclass(frozen=True, eq=False)
class Hierarchy:
    """The tree as arrays: aggregates in computing order, dimensions first, the root last.

    ``parent[a]`` is the position of aggregate a's parent (-1 for the root); ``weight`` is its
    weight among its siblings as written; ``children[a]`` the positions of its child
    aggregates (none for a dimension, whose children are indicators). ``explicit_root`` is
    False when the framework has no tree and the root is only the composite.
    """

    codes: tuple[str, ...]
    names: tuple[str, ...]
    parent: IntArray
    weight: FloatArray
    dimensions: int
    children: tuple[IntArray, ...]
    explicit_root: bool

    @property
    def root(self) -> int:
        return len(self.codes) - 1

    @property
    def above_dimensions(self) -> tuple[str, ...]:
        """The codes reported beside the dimensions: every level above, the root if explicit."""
        end = len(self.codes) if self.explicit_root else len(self.codes) - 1
        return self.codes[self.dimensions : end]

    def normalised(self, weight: FloatArray) -> FloatArray:
        """Weights (aggregates × draws, or aggregates) rescaled to sum to 1 within each parent."""
        matrix = weight if weight.ndim == 2 else weight[:, None]
        totals = np.zeros_like(matrix)
        np.add.at(totals, self.parent[:-1], matrix[:-1])
        result = np.ones_like(matrix)
        result[:-1] = matrix[:-1] / totals[self.parent[:-1]]
        return result if weight.ndim == 2 else result[:, 0]

    def in_composite(self, normalised: FloatArray) -> FloatArray:
        """Each aggregate's weight in the composite: the product of the weights along its path."""
        result = normalised.copy()
        for a in range(len(self.codes) - 2, -1, -1):  # parents come after children
            result[a] = normalised[a] * result[self.parent[a]]
        return result


def build_hierarchy(
    dimensions: Sequence[tuple[str, float, str]], aggregates: Sequence[Aggregate]
) -> Hierarchy:
    """The hierarchy of a checked framework: ``dimensions`` are (code, weight, name) in order."""
    if not aggregates:
        codes = (*(code for code, _, _ in dimensions), IMPLICIT_ROOT)
        names = (*(name for _, _, name in dimensions), "")
        d = len(dimensions)
        parent = np.array([d] * d + [-1], dtype=np.int64)
        weight = np.array([w for _, w, _ in dimensions] + [1.0], dtype=np.float64)
        return Hierarchy(codes, names, parent, weight, d, (*(_none() for _ in range(d)), np.arange(d)), False)
    by_code = {node.code: node for node in aggregates}
    dimension_codes = [code for code, _, _ in dimensions]
    higher = [node.code for node in aggregates if node.code not in set(dimension_codes)]
    height: dict[str, int] = {code: 0 for code in dimension_codes}

    def height_of(code: str) -> int:
        if code not in height:
            height[code] = 1 + max(height_of(c.code) for c in aggregates if c.parent == code)
        return height[code]

    row = {node.code: n for n, node in enumerate(aggregates)}
    higher.sort(key=lambda code: (height_of(code), by_code[code].parent == "", row[code]))
    codes = (*dimension_codes, *higher)
    position = {code: n for n, code in enumerate(codes)}
    parent = np.array(
        [position[by_code[c].parent] if by_code[c].parent else -1 for c in codes], dtype=np.int64
    )
    weight = np.array([by_code[c].weight for c in codes], dtype=np.float64)
    children = tuple(np.flatnonzero(parent == a).astype(np.int64) for a in range(len(codes)))
    names = tuple(by_code[c].name or dict((d[0], d[2]) for d in dimensions).get(c, "") for c in codes)
    return Hierarchy(codes, names, parent, weight, len(dimension_codes), children, True)


def _none() -> IntArray:
    return np.zeros(0, dtype=np.int64)
