"""Grading: a figure as shown against thresholds, then hard gates and vetoes.

The figure (the performance index, or the itemised score) is rounded half-up to the method's
decimals first, as Excel rounds, and the thresholds are applied to that: a zone shown at
125.00 is graded as 125. A gate or a veto can only lower a grade, never raise it.

Grades are handled as positions on the scale (0 = lowest); -1 means no grade (no figure).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import ROUND_CEILING, Decimal

import numpy as np

from xiandao.evaluation.engine import texts
from xiandao.evaluation.engine.method import Grading, Threshold, Veto
from xiandao.evaluation.engine.results import GradeReason
from xiandao.evaluation.engine.rounding import round_half_up
from xiandao.evaluation.engine.types import BoolArray, FloatArray, IntArray

NO_GRADE = -1


def threshold_positions(shown: FloatArray, grading: Grading) -> IntArray:
    """The highest grade whose threshold the shown figure reaches (the lowest grade if none)."""
    positions = np.zeros(shown.shape, dtype=np.int64)
    for threshold in grading.thresholds:
        reached = shown >= threshold.minimum
        positions = np.where(reached, np.maximum(positions, grading.scale.index(threshold.grade)), positions)
    result: IntArray = np.where(np.isnan(shown), NO_GRADE, positions)
    return result


# Figures this close (relatively) to where the rounding crosses a threshold are rounded one by
# one through Decimal, as rounding.py does for near-ties.
_BOUNDARY_TOLERANCE = 1e-9


def shown_boundary(minimum: float, decimals: int) -> float:
    """Where rounding half-up to ``decimals`` starts to show at least ``minimum``.

    The smallest multiple of the quantum at or above the minimum, less half a quantum: a figure
    above it is shown at or above the minimum (figures within a hair of it are rounded exactly
    by :func:`reaches`).
    """
    quantum = Decimal(1).scaleb(-decimals)
    lowest = (Decimal(repr(float(minimum))) / quantum).to_integral_value(rounding=ROUND_CEILING) * quantum
    return float(lowest - quantum / 2)


def reaches(figure: FloatArray, minimum: float, decimals: int) -> BoolArray:
    """Whether each figure, as shown (half-up to ``decimals``), is at least ``minimum``.

    The same answer as ``round_half_up_array(figure) >= minimum``, without rounding every
    figure: the shown value reaches the minimum exactly when the figure reaches the smallest
    multiple of the quantum at or above the minimum, less half a quantum. Only figures within
    a hair of that boundary are rounded exactly. NaN never reaches.
    """
    boundary = shown_boundary(minimum, decimals)
    tolerance = _BOUNDARY_TOLERANCE * max(abs(boundary), 1.0)
    result: BoolArray = figure > boundary + tolerance
    near = figure >= boundary - tolerance
    near &= ~result
    if near.any():
        for position in zip(*np.nonzero(near), strict=True):
            result[position] = float(round_half_up(float(figure[position]), decimals)) >= minimum
    return result


def gate_caps(grading: Grading, measures: Mapping[str, FloatArray], shape: tuple[int, ...]) -> IntArray:
    """The highest grade position each gate allows; a failed gate allows the grade below its own.

    A gate's measure is compared as shown: attainment in per cent, a dimension score as it is.
    """
    cap = np.full(shape, len(grading.scale) - 1, dtype=np.int64)
    for gate in grading.gates:
        measure = measures[gate.measure]
        if gate.measure == "attainment":
            measure = measure * 100.0
        passed = reaches(measure, gate.minimum, grading.decimals)
        cap = np.where(passed, cap, np.minimum(cap, grading.scale.index(gate.grade) - 1))
    return cap


def decide(figure: FloatArray, grading: Grading, cap: IntArray) -> IntArray:
    """Grade positions: thresholds on the figure as shown, then capped by gates and vetoes.

    A higher grade's threshold is never lower (``Grading`` checks it), so the figures reaching
    a threshold also reach every lower one, and the position is the sum of the steps reached.
    """
    small = len(grading.scale) < 127
    positions = np.zeros(figure.shape, dtype=np.int8 if small else np.int64)
    below = 0
    lowest_minimum: dict[int, float] = {}
    for threshold, index in _thresholds_in_order(grading):  # a grade met by any of its thresholds
        lowest_minimum[index] = min(lowest_minimum.get(index, threshold.minimum), threshold.minimum)
    for index, minimum in lowest_minimum.items():
        if index > below:
            step = reaches(figure, minimum, grading.decimals)
            if index - below == 1:
                positions += step
            else:
                positions += step * np.array(index - below, dtype=positions.dtype)
            below = index
    np.minimum(positions, cap.astype(positions.dtype), out=positions)
    missing = np.isnan(figure)
    if missing.any():
        positions[missing] = NO_GRADE
    result: IntArray = positions
    return result


# The last grading's thresholds in order, by identity: hashing a Grading (nested tuples of
# dataclasses) for every zone-year costs more than the reasons themselves.
_ORDERED: list[tuple[Grading, tuple[tuple[Threshold, int], ...]]] = []


def _thresholds_in_order(grading: Grading) -> tuple[tuple[Threshold, int], ...]:
    """The grading's thresholds with their grade's position, lowest grade first."""
    if _ORDERED and _ORDERED[0][0] is grading:
        return _ORDERED[0][1]
    ordered = tuple(
        sorted(((t, grading.scale.index(t.grade)) for t in grading.thresholds), key=lambda pair: pair[1])
    )
    _ORDERED[:] = [(grading, ordered)]
    return ordered


def reasons(
    figure: float,
    grading: Grading,
    gate_values: Mapping[str, float],
    vetoes: Sequence[Veto],
    measure_labels: Mapping[str, str],
) -> tuple[GradeReason, ...]:
    """Why one zone-year got its grade, in the Chinese a committee reads (texts.py).

    ``gate_values`` holds each gate measure's raw value, ``vetoes`` the vetoes triggered, and
    ``measure_labels`` what a reader calls each gate measure (维度“创新能力”得分). The figure
    and the gate measures are shown rounded as the grade was decided on them. Failed gates are
    listed highest grade first, so each "降为" goes lower than the one before.
    """
    if math.isnan(figure):
        return (GradeReason("threshold", "no_figure", texts.no_figure(grading.basis)),)
    rounded = round_half_up(figure, grading.decimals)
    value = float(rounded)
    # The thresholds lowest grade first: the position reached is the last one met.
    ordered = _thresholds_in_order(grading)
    position = 0
    for threshold, index in ordered:
        if value >= threshold.minimum:
            position = max(position, index)
    shown = texts.fixed(rounded)
    label = texts.figure_label(grading.basis)
    found: list[GradeReason] = []
    # The grade position each reason allows: a threshold's is the position reached.
    allows: list[int] = []
    met = [t for t, index in ordered if index == position]
    if met:
        found.append(
            GradeReason(
                "threshold", met[0].grade, texts.threshold_met(label, shown, met[0].grade, met[0].minimum)
            )
        )
        allows.append(position)
    above = [t for t, index in ordered if index > position]
    if above:
        lowest = None if met else grading.scale[position]
        found.append(
            GradeReason(
                "threshold",
                above[0].grade,
                texts.threshold_missed(label, shown, above[0].grade, above[0].minimum, lowest),
            )
        )
        # Missing the next threshold decides only when no threshold was met (the lowest grade).
        allows.append(position if not met else len(grading.scale))
    gates = sorted(grading.gates, key=lambda g: -grading.scale.index(g.grade))
    for gate in gates:
        if grading.scale.index(gate.grade) > position:
            continue
        value = gate_values.get(gate.measure, float("nan"))
        per_cent = gate.measure == "attainment"
        value_shown = (
            round_half_up(value * 100.0 if per_cent else value, grading.decimals)
            if not np.isnan(value)
            else None
        )
        if value_shown is None or value_shown < Decimal(repr(gate.minimum)):
            lowered_to = grading.scale[grading.scale.index(gate.grade) - 1]
            found.append(
                GradeReason(
                    "gate",
                    gate.measure,
                    texts.gate_failed(
                        measure_labels.get(gate.measure, gate.measure),
                        None if value_shown is None else texts.fixed(value_shown),
                        gate.grade,
                        gate.minimum,
                        lowered_to,
                        "%" if per_cent else "",
                    ),
                )
            )
            allows.append(grading.scale.index(lowered_to))
    for veto in vetoes:
        found.append(
            GradeReason(
                "veto", veto.code, texts.veto_triggered(veto.description or veto.code, veto.grade_cap)
            )
        )
        allows.append(grading.scale.index(veto.grade_cap))
    if allows:
        final = min(position, *allows)
        decisive = allows.index(final) if final in allows else None
        if decisive is not None:
            found[decisive] = replace(found[decisive], decisive=True)
    return tuple(found)
