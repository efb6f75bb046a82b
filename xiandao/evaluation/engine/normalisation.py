"""Normalisation: raw values to scores that compare across indicators and years.

Every statistic (minimum, maximum, mean, ranks) is taken per indicator over all zones and all
years of the window together, so a score means the same in every year and change over time
shows (the EIS rule). Scores point the same way for every indicator: higher is better.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from xiandao.evaluation.engine.errors import quoted
from xiandao.evaluation.engine.method import MethodError, Normalisation, NormalisationKind
from xiandao.evaluation.engine.statistics import rank
from xiandao.evaluation.engine.types import FloatArray


def normalise(
    values: FloatArray,
    directions: FloatArray,
    method: Normalisation,
    *,
    kind: NormalisationKind | None = None,
    indicators: Sequence[str] = (),
    targets: FloatArray | None = None,
) -> FloatArray:
    """Score a zone × year × indicator cube; a missing value stays missing (NaN).

    ``kind`` overrides ``method.kind`` (the Monte Carlo tries several kinds with one method).
    ``indicators`` names the cube's indicators, for goalposts; ``targets`` is a cube of the
    zones' own targets, for distance to target.
    """
    kind = kind or method.kind
    shape = values.shape
    flat = values.reshape(-1, shape[2])
    if kind == "minmax":
        scores = _minmax(flat, directions, method.low, method.high)
    elif kind == "zscore":
        scores = _zscore(flat, directions, method.zscore_mean, method.zscore_sd)
    elif kind == "rank":
        scores = _ranks(flat, directions)
    elif kind == "percentile":
        scores = _percentile(flat, directions, method.low, method.high)
    elif kind == "goalposts":
        scores = _goalposts(flat, directions, method, indicators)
    elif kind == "target":
        if targets is None:
            raise MethodError(
                "按目标值标准化（target）需要提供各先导区的目标值（targets）", "normalisation.kind"
            )
        scores = _distance_to_target(flat, targets.reshape(-1, shape[2]), directions, method)
    else:
        raise MethodError(f"无法识别的标准化方法{quoted(kind)}", "normalisation.kind")
    if method.constant == "missing" and kind in RELATIVE:
        minimum, maximum = _window_extremes(flat)
        scores = np.where((minimum == maximum)[None, :], np.nan, scores)
    result: FloatArray = scores.reshape(shape)
    return result


# The kinds that score a zone against the others: a constant indicator tells them nothing.
RELATIVE = ("minmax", "zscore", "rank", "percentile")


def _window_extremes(flat: FloatArray) -> tuple[FloatArray, FloatArray]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an indicator with no value at all
        return np.nanmin(flat, axis=0), np.nanmax(flat, axis=0)


def _minmax(flat: FloatArray, directions: FloatArray, low: float, high: float) -> FloatArray:
    """(x - min) / (max - min) onto [low, high], reversed when lower is better.

    An indicator with a single value everywhere tells zones nothing apart: it scores the
    middle of the scale, so that it neither lifts nor sinks anyone.
    """
    minimum, maximum = _window_extremes(flat)
    spread = maximum - minimum
    flat_spread = spread == 0
    safe = np.where(flat_spread, 1.0, spread)
    share = np.where(directions > 0, (flat - minimum) / safe, (maximum - flat) / safe)
    share = np.where(flat_spread & ~np.isnan(flat), 0.5, share)
    result: FloatArray = low + (high - low) * share
    return result


def _zscore(flat: FloatArray, directions: FloatArray, mean: float, sd: float) -> FloatArray:
    """mean + sd × z, with z from the window's mean and sample standard deviation."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        centre = np.nanmean(flat, axis=0)
        spread = np.nanstd(flat, axis=0, ddof=1)
    usable = np.isfinite(spread) & (spread > 0)
    z = np.where(usable, (flat - centre) / np.where(usable, spread, 1.0), 0.0) * directions
    result: FloatArray = np.where(np.isnan(flat), np.nan, mean + sd * z)
    return result


def _ranks(flat: FloatArray, directions: FloatArray) -> FloatArray:
    """Rank 1 for the worst value up to n for the best, ties sharing their average rank."""
    oriented = flat * directions
    ranks = rank(oriented, "average")
    return ranks


def _percentile(flat: FloatArray, directions: FloatArray, low: float, high: float) -> FloatArray:
    """The rank as a share of the way from worst to best, onto [low, high]."""
    ranks = _ranks(flat, directions)
    count = np.sum(~np.isnan(flat), axis=0).astype(np.float64)
    share = np.where(count > 1, (ranks - 1.0) / np.maximum(count - 1.0, 1.0), 0.5)
    result: FloatArray = np.where(np.isnan(flat), np.nan, low + (high - low) * share)
    return result


def _goalposts(
    flat: FloatArray, directions: FloatArray, method: Normalisation, indicators: Sequence[str]
) -> FloatArray:
    """The share of the way from the worst goalpost to the best, clipped to [low, high]."""
    posts = {goalpost.indicator: goalpost for goalpost in method.goalposts}
    worst = np.empty(flat.shape[1])
    best = np.empty(flat.shape[1])
    for position, code in enumerate(indicators):
        if code not in posts:
            raise MethodError(
                f"按固定上下限标准化（goalposts）时，缺少指标{quoted(code)}的上下限",
                "normalisation.goalposts",
            )
        goalpost = posts[code]
        if (goalpost.best - goalpost.worst) * directions[position] <= 0:
            raise MethodError(
                f"指标{quoted(code)}的上下限与其方向矛盾：越大越好的指标 best 应大于 worst，越小越好的反之",
                "normalisation.goalposts",
            )
        worst[position], best[position] = goalpost.worst, goalpost.best
    share = np.clip((flat - worst) / (best - worst), 0.0, 1.0)
    result: FloatArray = method.low + (method.high - method.low) * share
    return result


def _distance_to_target(
    flat: FloatArray, targets: FloatArray, directions: FloatArray, method: Normalisation
) -> FloatArray:
    """The share of the way from the window's worst value to the zone's own target, capped.

    COINr's distance to target, with each zone's annual target in place of one reference.
    A target the worst value already meets counts as met by every value that meets it.
    """
    minimum, maximum = _window_extremes(flat)
    worst = np.where(directions > 0, minimum, maximum)
    distance = targets - worst
    gained = flat - worst
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(
            distance * directions > 0, gained / distance, np.where(gained * directions >= 0, 1.0, 0.0)
        )
    share = np.clip(share, 0.0, method.target_cap)
    result: FloatArray = np.where(
        np.isnan(flat) | np.isnan(targets), np.nan, method.low + (method.high - method.low) * share
    )
    return result
