"""Imputation of missing values: within the peer group, over all zones, or along a zone's years.

Only missing values are ever written; a value that was reported is never altered (COINr's
rule). Every imputed cell is returned in a mask so the run can list it.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import numpy.typing as npt

from xiandao.evaluation.engine.method import ImputationKind
from xiandao.evaluation.engine.types import BoolArray, FloatArray, IntArray

# Where an imputed value came from (``sources`` of ``impute_with_sources``).
FROM_PEER_GROUP = 1
FROM_ALL_ZONES = 2  # no peer groups used, or the zone has none
FROM_ALL_ZONES_EMPTY_GROUP = 3  # the zone's peer group had no value that year
FROM_OWN_YEARS = 4  # carried along the zone's own years


def impute(
    values: FloatArray,
    kind: ImputationKind,
    groups: IntArray | None = None,
    *,
    empty_group: Literal["all_zones", "missing"] = "all_zones",
) -> tuple[FloatArray, BoolArray]:
    """Fill the gaps of a zone × year × indicator cube; return the cube and the imputed mask."""
    filled, sources = impute_with_sources(values, kind, groups, empty_group=empty_group)
    return filled, sources > 0


def impute_with_sources(
    values: FloatArray,
    kind: ImputationKind,
    groups: IntArray | None = None,
    *,
    empty_group: Literal["all_zones", "missing"] = "all_zones",
) -> tuple[FloatArray, npt.NDArray[np.int8]]:
    """Fill the gaps; return the cube and, per cell, where its value came from (0: reported).

    ``groups`` gives each zone's peer-group number, -1 for none; mean and median are taken
    over the zones of the same group in the same year. A zone without a group is imputed from
    all zones that year. A group with no value that year falls back to all zones, or leaves
    the cell missing (``empty_group="missing"``, COINr). A gap that nothing can fill (no
    value anywhere) stays missing.
    """
    missing = np.isnan(values)
    sources = np.zeros(values.shape, dtype=np.int8)
    if kind == "none" or not missing.any():
        return values, sources
    if kind == "carry":
        filled = _carry(values)
        sources[missing & ~np.isnan(filled)] = FROM_OWN_YEARS
        return filled, sources
    statistic = np.nanmean if kind == "mean" else np.nanmedian
    filled = values.copy()
    with warnings.catch_warnings():
        # An all-missing slice yields NaN, which is what we want: nothing to impute from.
        warnings.simplefilter("ignore", RuntimeWarning)
        everyone = statistic(values, axis=0)  # year × indicator
        if groups is None or (groups < 0).all():
            filled = np.where(missing, everyone[None], values)
            sources[missing & ~np.isnan(filled)] = FROM_ALL_ZONES
            return filled, sources
        for group in np.unique(groups):
            members = groups == group
            gaps = missing[members]
            if group < 0:
                filled[members] = np.where(gaps, everyone[None], values[members])
                sources[members] = np.where(gaps & ~np.isnan(everyone)[None], FROM_ALL_ZONES, 0)
                continue
            peer = statistic(values[members], axis=0)
            from_peer = gaps & ~np.isnan(peer)[None]
            block = np.where(from_peer, peer[None], values[members])
            block_sources = np.where(from_peer, FROM_PEER_GROUP, 0).astype(np.int8)
            if empty_group == "all_zones":
                fallback = gaps & np.isnan(peer)[None] & ~np.isnan(everyone)[None]
                block = np.where(fallback, everyone[None], block)
                block_sources[fallback] = FROM_ALL_ZONES_EMPTY_GROUP
            filled[members] = block
            sources[members] = block_sources
    return filled, sources


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
