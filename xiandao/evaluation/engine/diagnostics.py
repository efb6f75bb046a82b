"""What a reviewer checks beside the scores: ranks, coherence, strengths and weaknesses.

Correlations and Cronbach's alpha follow the JRC's audit of the GII: indicators of one
dimension should move together (alpha near or above 0.7), and no indicator should run
against its own dimension.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import numpy.typing as npt

from xiandao.evaluation.engine.statistics import rank
from xiandao.evaluation.engine.types import BoolArray, FloatArray, IntArray


def ranks_by_year(composite: FloatArray) -> FloatArray:
    """Rank of each zone within its year (zones × years × draws), 1 = best, ties share the best.

    Competition ranking (1, 2, 2, 4), as Chinese lists show 并列; NaN has no rank.
    """
    return rank(-composite, "min")


def draw_ranks(composite: FloatArray, zones: int, years: int) -> npt.NDArray[np.int16]:
    """Competition ranks of many draws at once, as ``ranks_by_year`` gives them, compactly.

    ``composite`` is zone-years × draws (rows zone-major); the result is years × draws ×
    zones, int16, 1 = best, ties sharing the best, 0 for no composite. Zones are sorted along a
    contiguous axis, gathered and scattered through flat indices, and ties (rare with
    continuous scores) are resolved only when present.
    """
    draws = composite.shape[1]
    keys = np.ascontiguousarray(np.moveaxis(composite.reshape(zones, years, draws), 0, -1))
    np.negative(keys, out=keys)
    order = np.argsort(keys, axis=-1)  # NaN sorts last
    flat = order.reshape(-1, zones)
    flat += (np.arange(flat.shape[0]) * zones)[:, None]
    ordered = keys.ravel()[flat]
    places = np.broadcast_to(np.arange(1, zones + 1, dtype=np.int16), ordered.shape)
    tied = ordered[:, 1:] == ordered[:, :-1]
    if tied.any():
        starts = np.ones(ordered.shape, dtype=bool)
        starts[:, 1:] = ~tied
        places = np.maximum.accumulate(np.where(starts, places, 0), axis=-1).astype(np.int16)
    result = np.empty(keys.shape, dtype=np.int16)
    result.ravel()[flat] = places
    missing = np.isnan(keys)
    if missing.any():
        result[missing] = 0
    return result


def correlations(scores: FloatArray, names: tuple[str, ...]) -> dict[str, dict[str, float | None]]:
    """Pearson correlations between indicator scores over all zone-years (pairwise complete)."""
    matrix = _pairwise_correlations(scores, scores).tolist()
    return {
        row: {
            column: None if math.isnan(value) else value for column, value in zip(names, values, strict=True)
        }
        for row, values in zip(names, matrix, strict=True)
    }


def indicator_dimension_correlations(
    scores: FloatArray, dimension_scores: FloatArray, dimension_of: IntArray, names: tuple[str, ...]
) -> dict[str, float | None]:
    """Each indicator's correlation with the score of its own dimension."""
    matrix = _pairwise_correlations(scores, dimension_scores)
    own = matrix[np.arange(len(names)), dimension_of].tolist()
    return {name: None if math.isnan(value) else value for name, value in zip(names, own, strict=True)}


def _pairwise_correlations(x: FloatArray, y: FloatArray, min_periods: int = 3) -> FloatArray:
    """Pearson r of every column of x with every column of y over the rows where both exist.

    As pandas' ``DataFrame.corr(min_periods=3)``, in matrix products: centred on each column's
    mean over all its values first, so the sums of squares stay well conditioned. NaN where
    fewer than ``min_periods`` pairs or no variance.
    """
    mx, my = ~np.isnan(x), ~np.isnan(y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        cx = np.where(mx, x - np.nanmean(x, axis=0), 0.0)
        cy = np.where(my, y - np.nanmean(y, axis=0), 0.0)
    fx, fy = mx.astype(np.float64), my.astype(np.float64)
    n = fx.T @ fy
    sx, sy = cx.T @ fy, fx.T @ cy
    sxx, syy = (cx * cx).T @ fy, fx.T @ (cy * cy)
    sxy = cx.T @ cy
    with np.errstate(divide="ignore", invalid="ignore"):
        covariance = sxy - sx * sy / n
        variance_x = sxx - sx * sx / n
        variance_y = syy - sy * sy / n
        r = covariance / np.sqrt(variance_x * variance_y)
    # A spread indistinguishable from rounding is no spread: pandas gives NaN there too.
    flat = (variance_x <= 1e-12 * np.maximum(sxx, 1e-300)) | (variance_y <= 1e-12 * np.maximum(syy, 1e-300))
    r = np.where((n < min_periods) | flat, np.nan, np.clip(r, -1.0, 1.0))
    result: FloatArray = r
    return result


def cronbach_alpha(scores: FloatArray) -> float | None:
    """k / (k - 1) × (1 - Σ var(item) / var(total)) over the rows with every item present."""
    complete = scores[~np.isnan(scores).any(axis=1)]
    items = complete.shape[1]
    if items < 2 or complete.shape[0] < 2:
        return None
    total_variance = complete.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return None
    return float(items / (items - 1) * (1 - complete.var(axis=0, ddof=1).sum() / total_variance))


def indicator_ranks(scores: FloatArray) -> tuple[FloatArray, BoolArray, IntArray]:
    """Each zone's rank on each indicator among the zones that year, as the profile notes say it.

    ``scores`` is zones × years × indicators. Returns the competition rank (1 = best, NaN where
    no score), whether the rank is shared (并列), and how many zones have a score, years ×
    indicators.
    """
    ranks = rank(-scores, "min")
    tied: BoolArray = ~np.isnan(ranks) & (ranks != rank(-scores, "average"))
    field: IntArray = np.sum(~np.isnan(scores), axis=0)
    return ranks, tied, field


def strengths_and_weaknesses(
    scores: FloatArray, size: int, ranks: FloatArray | None = None
) -> tuple[IntArray, IntArray]:
    """Per zone-year, the indicators where the zone ranks best and worst among the zones that year.

    ``scores`` is zones × years × indicators. A strength ranks strictly better than the middle
    position, (n + 1) / 2, a weakness strictly worse, so a zone in the middle of the field has
    neither and nothing is both. Returns two arrays zones × years × size of indicator
    positions, best (or worst) first, padded with -1; ties go to the framework's order.
    ``ranks``, from :func:`indicator_ranks`, saves ranking the scores again.
    """
    zones, years, indicators = scores.shape
    size = min(size, indicators)
    if ranks is None:
        ranks = rank(-scores, "min")
    middle = (np.sum(~np.isnan(scores), axis=0, keepdims=True) + 1) / 2.0
    present = ~np.isnan(ranks)
    strength_key = np.where(present & (ranks < middle), ranks, np.inf).reshape(-1, indicators)
    weakness_key = np.where(present & (ranks > middle), -ranks, np.inf).reshape(-1, indicators)
    return _first(strength_key, size).reshape(zones, years, size), _first(weakness_key, size).reshape(
        zones, years, size
    )


def _first(key: FloatArray, size: int) -> IntArray:
    order = np.argsort(key, axis=1, kind="stable")[:, :size]
    chosen: IntArray = np.where(np.isfinite(np.take_along_axis(key, order, axis=1)), order, -1)
    return chosen


def _optional(value: object) -> float | None:
    """A correlation as a float, or None where it is undefined (too few pairs, no variance)."""
    if not isinstance(value, int | float) or math.isnan(value):
        return None
    return float(value)
