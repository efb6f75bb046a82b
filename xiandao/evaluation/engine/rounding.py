"""Rounding half-up to a number of decimals, as Excel's ROUND does.

A grade is decided on the figure as shown, so the engine rounds the way the committee's
spreadsheet does: on the shortest decimal that represents the float (its repr), with ties
going away from zero. ``round(2.675, 2)`` gives 2.67 in Python; Excel and this module give 2.68.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from xiandao.evaluation.engine.types import FloatArray

# Values this close to a tie are rounded one by one through Decimal; everything else can be
# rounded in bulk by numpy. Floats carry ~16 significant digits, so a relative tolerance of
# 1e-9 catches every value whose repr ends in ...5 at the rounding position.
_TIE_TOLERANCE = 1e-9


def round_half_up(value: float, decimals: int = 2) -> Decimal:
    """Round one float half-up (away from zero) on its repr, returning the decimal shown."""
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def round_half_up_array(values: FloatArray, decimals: int = 2) -> FloatArray:
    """Round an array as :func:`round_half_up` would, element by element, but vectorised.

    NaN stays NaN. The result holds the float nearest to each rounded decimal, which is what
    ``float(round_half_up(x))`` gives, so comparisons with thresholds agree exactly.
    """
    values = np.asarray(values, dtype=np.float64)
    scale = 10.0**decimals
    magnitude = np.abs(values) * scale
    floor = np.floor(magnitude)
    fraction = magnitude - floor
    rounded = np.where(fraction >= 0.5, floor + 1.0, floor)
    result: FloatArray = np.copysign(rounded / scale, values)
    near_tie = np.abs(fraction - 0.5) <= _TIE_TOLERANCE * np.maximum(magnitude, 1.0)
    near_tie &= np.isfinite(values)
    for position in zip(*np.nonzero(near_tie), strict=True):
        result[position] = float(round_half_up(float(values[position]), decimals))
    result[np.isnan(values)] = np.nan
    return result
