"""Small statistics the engine needs, in numpy, with the spreadsheet definitions.

Written here rather than taken from scipy.stats, whose import costs more than a whole small
run: ranks along an axis with missing values left out, and Excel's SKEW and KURT.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from xiandao.evaluation.engine.types import FloatArray


def rank(values: FloatArray, method: Literal["min", "average"] = "average") -> FloatArray:
    """Ascending ranks along the first axis (1 = smallest); NaN is not ranked and stays NaN.

    ``min`` gives tied values the best rank they share (competition ranking: 1, 2, 2, 4);
    ``average`` gives them the mean of the ranks they share (1, 2.5, 2.5, 4).
    """
    # Sorted along a contiguous last axis, with the default (unstable) sort: ties get the
    # same rank whatever their order, and this is the Monte Carlo's costliest step.
    moved = np.ascontiguousarray(np.moveaxis(np.asarray(values, dtype=np.float64), 0, -1))
    count = moved.shape[-1]
    if count == 0:
        return np.asarray(values, dtype=np.float64).copy()
    missing = np.isnan(moved)
    if missing.any() and not np.isinf(moved).any():
        # NaN sorts last either way, but a sort that must test for NaN is twice as slow:
        # sort +inf in its place (no value is infinite) and mark it missing afterwards.
        order = np.argsort(np.where(missing, np.inf, moved), axis=-1)
    else:
        order = np.argsort(moved, axis=-1)  # NaN sorts last
    # Gathered and scattered through flat indices: take_along_axis and put_along_axis build
    # an index per axis, which costs more than the sort on a large cube.
    flat = order.reshape(-1, count)
    flat += (np.arange(flat.shape[0]) * count)[:, None]
    ordered = moved.ravel()[flat].reshape(moved.shape)
    position = np.broadcast_to(np.arange(1, count + 1, dtype=np.float64), ordered.shape)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    first = np.maximum.accumulate(np.where(starts, position, 0.0), axis=-1)
    if method == "min":
        ranked = first
    else:
        ends = np.ones(ordered.shape, dtype=bool)
        ends[..., :-1] = starts[..., 1:]
        last = np.flip(np.minimum.accumulate(np.flip(np.where(ends, position, count), -1), axis=-1), -1)
        ranked = (first + last) / 2.0
    result = np.empty(moved.shape)
    result.ravel()[flat] = ranked.reshape(flat.shape)
    result[missing] = np.nan
    moved_back: FloatArray = np.moveaxis(result, -1, 0)
    return moved_back


def shape_statistics(values: FloatArray) -> tuple[float, float]:
    """Sample skewness and excess kurtosis in one pass: Excel's SKEW and KURT.

    SKEW = n / ((n-1)(n-2)) Σ z³ and KURT = n(n+1) / ((n-1)(n-2)(n-3)) Σ z⁴ - 3 (n-1)² / ((n-2)(n-3)),
    with z = (x - mean) / s and s the sample standard deviation. Needs n ≥ 4 and some spread.
    """
    n = values.size
    deviation = values - values.mean()
    square = deviation * deviation
    variance = square.sum() / (n - 1)
    third = float(np.dot(square, deviation)) / variance**1.5
    fourth = float(np.dot(square, square)) / variance**2
    skew = n / ((n - 1) * (n - 2)) * third
    kurt = n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * fourth - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))
    return float(skew), float(kurt)


def skewness(values: FloatArray) -> float:
    """Sample skewness, Excel's SKEW."""
    return shape_statistics(values)[0]


def kurtosis(values: FloatArray) -> float:
    """Sample excess kurtosis, Excel's KURT."""
    return shape_statistics(values)[1]
