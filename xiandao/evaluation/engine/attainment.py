"""Target attainment: each zone's values against its own annual targets.

Attainment reads the values as reported, never imputed ones: a target is met by what a zone
did, not by what the engine guessed.
"""

from __future__ import annotations

import numpy as np

from xiandao.evaluation.engine.method import Attainment
from xiandao.evaluation.engine.types import FloatArray


def indicator_attainment(
    values: FloatArray, targets: FloatArray, directions: FloatArray, method: Attainment
) -> FloatArray:
    """value ÷ target where higher is better, target ÷ value where lower is better, in [0, cap].

    A target that is zero or negative has no meaningful ratio: it is met (1) or not (0).
    A value lower-is-better at or below zero meets any positive target. No target: NaN.
    """
    higher = directions > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio_up = np.where(targets > 0, values / targets, np.where(values >= targets, 1.0, 0.0))
        ratio_down = np.where(
            targets > 0,
            np.where(values > 0, targets / values, 1.0),
            np.where(values <= targets, 1.0, 0.0),
        )
    ratio = np.clip(np.where(higher, ratio_up, ratio_down), 0.0, method.cap)
    missing_value = np.isnan(values)
    ratio = np.where(missing_value, 0.0 if method.missing_counts_as_zero else np.nan, ratio)
    result: FloatArray = np.where(np.isnan(targets), np.nan, ratio)
    return result


def overall_attainment(attainment: FloatArray, effective_weights: FloatArray) -> FloatArray:
    """The weighted mean of the attainments present, with the indicators' effective weights."""
    present = ~np.isnan(attainment)
    weights = np.where(present, effective_weights, 0.0)
    covered = weights.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        result: FloatArray = np.where(
            covered > 0, (np.where(present, attainment, 0.0) * weights).sum(axis=-1) / covered, np.nan
        )
    return result
