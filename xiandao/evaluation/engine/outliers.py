"""Outlier treatment by COINr's rule, with every treated point returned.

For each indicator, over all zones and years of the window together: while the skewness is
beyond ±2 and the kurtosis above 3.5, the most extreme value (on the side of the skew) is
pulled in to the next value, up to a set number of points. If that does not bring the
distribution within bounds, the original values are log-transformed instead.

Skewness and kurtosis are the sample (bias-corrected) statistics, the same as Excel's SKEW and
KURT, so a committee member can check a flag in a spreadsheet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xiandao.evaluation.engine.method import OutlierTreatment
from xiandao.evaluation.engine.statistics import shape_statistics
from xiandao.evaluation.engine.types import FloatArray, IntArray

WINSORISED = 1
LOGGED = 2


@dataclass(frozen=True, eq=False)
class TreatmentOutcome:
    """The treated cube and, per cell, 0 (untouched), WINSORISED or LOGGED."""

    values: FloatArray
    treatment: IntArray


def treat(values: FloatArray, method: OutlierTreatment) -> TreatmentOutcome:
    """Treat each indicator of a zone × year × indicator cube."""
    treated = values.copy()
    treatment = np.zeros(values.shape, dtype=np.int64)
    if method.kind == "none":
        return TreatmentOutcome(treated, treatment)
    for indicator in range(values.shape[2]):
        column = values[:, :, indicator]
        present = ~np.isnan(column)
        new, code = treat_series(column[present], method)
        treated[:, :, indicator][present] = new
        treatment[:, :, indicator][present] = code
    return TreatmentOutcome(treated, treatment)


def outlying_side(series: FloatArray, method: OutlierTreatment) -> int:
    """+1 or -1 (the side of the skew) when |skewness| and kurtosis are beyond bounds, else 0."""
    if series.size < 4 or np.ptp(series) == 0:
        return 0
    skew, kurt = shape_statistics(series)
    if abs(skew) > method.max_skewness and kurt > method.max_kurtosis:
        return 1 if skew > 0 else -1
    return 0


def treat_series(series: FloatArray, method: OutlierTreatment) -> tuple[FloatArray, IntArray]:
    """Treat one indicator's values; return them and the treatment code of each."""
    codes = np.zeros(series.shape, dtype=np.int64)
    side = outlying_side(series, method)
    if not side:
        return series, codes
    winsorised = series.copy()
    while side:
        extreme = winsorised.max() if side > 0 else winsorised.min()
        at_extreme = winsorised == extreme
        if at_extreme.all():
            break
        # Pull every point at the extreme to the next value in, as COINr's winsorise does.
        candidate = winsorised.copy()
        candidate[at_extreme] = winsorised[~at_extreme].max() if side > 0 else winsorised[~at_extreme].min()
        if int((candidate != series).sum()) > method.max_points:
            break
        winsorised = candidate
        side = outlying_side(winsorised, method)
    if not side:
        codes[winsorised != series] = WINSORISED
        return winsorised, codes
    codes[:] = LOGGED
    return scaled_log(series), codes


def scaled_log(series: FloatArray) -> FloatArray:
    """ln(1 + 9 (x - min) / (max - min)): a log that maps the range onto [0, ln 10].

    Shifting by the minimum makes it defined for zero and negative values, and the scaling
    makes the result independent of the indicator's unit (yuan or 100 million yuan).
    """
    low, high = series.min(), series.max()
    result: FloatArray = np.log1p(9.0 * (series - low) / (high - low))
    return result
