"""Itemised scoring rules (评分细则): points per item with caps, bonus and penalty points,
and one-vote vetoes (一票否决) that cap a zone's grade whatever its score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from xiandao.evaluation.engine.errors import quoted
from xiandao.evaluation.engine.method import MethodError, ScoringItem, ScoringRules
from xiandao.evaluation.engine.types import BoolArray, FloatArray, IntArray


@dataclass(frozen=True, eq=False)
class ItemisedOutcome:
    """Scores per zone-year (NaN when there are no items), and the vetoes triggered."""

    score: FloatArray
    item_points: Mapping[str, FloatArray]
    # Per veto code: where it was triggered.
    vetoes: Mapping[str, BoolArray]
    # The highest grade position each zone-year may reach after its vetoes.
    grade_cap: IntArray


def itemised_scores(
    rules: ScoringRules,
    values: Mapping[str, FloatArray],
    attainment: Mapping[str, FloatArray],
    scale: tuple[str, ...],
    shape: tuple[int, ...],
) -> ItemisedOutcome:
    """Score the table of items; ``values`` and ``attainment`` are arrays per indicator code.

    A value not reported scores no points, earns no bonus and incurs no penalty; a veto
    is triggered only by a reported value.
    """
    totals = {"item": np.zeros(shape), "bonus": np.zeros(shape), "penalty": np.zeros(shape)}
    item_points = {}
    for n, item in enumerate(rules.items):
        points = _item_points(item, values, attainment, shape, f"scoring_rules.items[{n}].indicator")
        item_points[item.code] = points
        totals[item.kind] = totals[item.kind] + points
    bonus = totals["bonus"] if rules.bonus_cap is None else np.minimum(totals["bonus"], rules.bonus_cap)
    penalty = (
        totals["penalty"] if rules.penalty_cap is None else np.minimum(totals["penalty"], rules.penalty_cap)
    )
    score = totals["item"] + bonus - penalty if rules.items else np.full(shape, np.nan)

    grade_cap = np.full(shape, len(scale) - 1, dtype=np.int64)
    vetoes = {}
    for n, veto in enumerate(rules.vetoes):
        value = _lookup(values, veto.indicator, shape, f"scoring_rules.vetoes[{n}].indicator")
        triggered = ~np.isnan(value) & (np.nan_to_num(value, nan=-np.inf) >= veto.at_least)
        vetoes[veto.code] = triggered
        grade_cap = np.where(triggered, np.minimum(grade_cap, scale.index(veto.grade_cap)), grade_cap)
    return ItemisedOutcome(score, item_points, vetoes, grade_cap)


def _item_points(
    item: ScoringItem,
    values: Mapping[str, FloatArray],
    attainment: Mapping[str, FloatArray],
    shape: tuple[int, ...],
    key: str,
) -> FloatArray:
    source = values if item.basis == "value" else attainment
    base = _lookup(source, item.indicator, shape, key, source_is_attainment=item.basis == "attainment")
    points = np.nan_to_num(base, nan=0.0) * item.points
    # Points are never negative: a penalty is a positive number of points taken away.
    points = np.maximum(points, 0.0)
    if item.max_points is not None:
        points = np.minimum(points, item.max_points)
    return points


def _lookup(
    source: Mapping[str, FloatArray],
    indicator: str,
    shape: tuple[int, ...],
    key: str,
    *,
    source_is_attainment: bool = False,
) -> FloatArray:
    if indicator not in source:
        missing = "不在指标体系中，无法计算其目标达成度" if source_is_attainment else "没有任何数据"
        raise MethodError(f"指标{quoted(indicator)}{missing}", key)
    return np.broadcast_to(source[indicator], shape)
