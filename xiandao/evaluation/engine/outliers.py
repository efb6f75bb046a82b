"""Outlier treatment, with every treated point returned: two rules.

For each indicator, over all zones and years of the window together.

``coinr`` is COINr's ``Treat()`` with its defaults (``winsorise`` then ``log_CT``): the
indicator passes when |skewness| < 2 or kurtosis < 3.5. While it fails and fewer than
``max_points`` points have been treated, the value(s) at the maximum (skewness ≥ 0) or the
minimum are set to the next value in, ties together, each point counted once; the step that
crosses the limit is taken. If it still fails, the original values become
log(x − min + 0.01 (max − min)).

``winsorise_or_log`` is the engine's first rule: it fails only when |skewness| > 2 and
kurtosis > 3.5, never takes a step that would treat more than ``max_points`` points, and
falls back to ln(1 + 9 (x − min) / (max − min)).

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


def coinr_fails(series: FloatArray, method: OutlierTreatment) -> bool:
    """COINr's ``check_SkewKurt``: fails unless |skewness| < max or kurtosis < max."""
    if series.size < 4 or np.ptp(series) == 0:
        return False
    skew, kurt = shape_statistics(series)
    return not (abs(skew) < method.max_skewness or kurt < method.max_kurtosis)


def coinr_treat_series(series: FloatArray, method: OutlierTreatment) -> tuple[FloatArray, IntArray]:
    """COINr's rule on one indicator's values; return them and the treatment code of each."""
    codes = np.zeros(series.shape, dtype=np.int64)
    if not coinr_fails(series, method):
        return series, codes
    winsorised = series.copy()
    treated = np.zeros(series.shape, dtype=bool)
    failing = True
    while failing and int(treated.sum()) < method.max_points:
        skew, _ = shape_statistics(winsorised)
        extreme = winsorised.max() if skew >= 0 else winsorised.min()
        at_extreme = winsorised == extreme
        if at_extreme.all():
            break
        inside = winsorised[~at_extreme]
        winsorised[at_extreme] = inside.max() if skew >= 0 else inside.min()
        treated |= at_extreme
        failing = coinr_fails(winsorised, method)
    if not failing:
        codes[treated] = WINSORISED
        return winsorised, codes
    codes[:] = LOGGED
    return coinr_log(series), codes


def coinr_log(series: FloatArray) -> FloatArray:
    """COINr's ``log_CT``: log(x − min + 0.01 (max − min)), defined for zero and negative values."""
    low, high = series.min(), series.max()
    result: FloatArray = np.log(series - low + 0.01 * (high - low))
    return result


def treat_series(series: FloatArray, method: OutlierTreatment) -> tuple[FloatArray, IntArray]:
    """Treat one indicator's values; return them and the treatment code of each."""
    if method.kind == "coinr":
        return coinr_treat_series(series, method)
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
