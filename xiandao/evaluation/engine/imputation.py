"""Imputation of missing values: within the peer group, or along a zone's own years.

Only missing values are ever written; a value that was reported is never altered (COINr's
rule). Every imputed cell is returned in a mask so the run can list it.
"""

from __future__ import annotations

import warnings

import numpy as np

from xiandao.evaluation.engine.method import ImputationKind
from xiandao.evaluation.engine.types import BoolArray, FloatArray, IntArray


def impute(
    values: FloatArray, kind: ImputationKind, groups: IntArray | None = None
) -> tuple[FloatArray, BoolArray]:
    """Fill the gaps of a zone × year × indicator cube; return the cube and the imputed mask.

    ``groups`` gives each zone's peer-group number; mean and median are taken over the zones of
    the same group in the same year, falling back to all zones that year when the group has
    no value. A gap that nothing can fill (no value anywhere) stays missing.
    """
    missing = np.isnan(values)
    if kind == "none" or not missing.any():
        return values, np.zeros_like(missing)
    if kind == "carry":
        filled = _carry(values)
    else:
        statistic = np.nanmean if kind == "mean" else np.nanmedian
        filled = values.copy()
        with warnings.catch_warnings():
            # An all-missing slice yields NaN, which is what we want: nothing to impute from.
            warnings.simplefilter("ignore", RuntimeWarning)
            everyone = statistic(values, axis=0)  # year × indicator
            fallback = np.broadcast_to(everyone, values.shape)
            if groups is not None:
                for group in np.unique(groups):
                    members = groups == group
                    peer = statistic(values[members], axis=0)
                    filled[members] = np.where(np.isnan(values[members]), peer, values[members])
            filled = np.where(np.isnan(filled), fallback, filled)
    imputed = missing & ~np.isnan(filled)
    return filled, imputed


def _carry(values: FloatArray) -> FloatArray:
    """Carry the last value forward along the years, then the first value back (the EIS rule)."""
    forward = _fill_forward(values)
    backward = _fill_forward(forward[:, ::-1, :])[:, ::-1, :]
    return backward


def _fill_forward(values: FloatArray) -> FloatArray:
    years = values.shape[1]
    position = np.where(np.isnan(values), 0, np.arange(years)[None, :, None])
    np.maximum.accumulate(position, axis=1, out=position)
    filled: FloatArray = np.take_along_axis(values, position, axis=1)
    return filled
