"""Availability screening: drop or flag indicators and zones with too few values.

Indicators are screened first, then zones on the indicators that remain, so that one empty
indicator does not push every zone under the threshold (COINr screens units the same way,
after the indicator set is settled). A zone's share is counted by weight (the share of the
framework's effective weight present, so a missing key indicator counts for more) or by
indicators (each indicator counts the same, COINr's ``Screen()``), over all its years.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from xiandao.evaluation.engine import texts
from xiandao.evaluation.engine.method import Screening
from xiandao.evaluation.engine.model import Panel
from xiandao.evaluation.engine.results import ScreeningFinding
from xiandao.evaluation.engine.types import FloatArray


@dataclass(frozen=True, eq=False)
class ScreeningOutcome:
    """The panel that goes on, what was dropped or flagged, and the raw availability."""

    panel: Panel
    findings: tuple[ScreeningFinding, ...]
    zone_availability: dict[str, float]
    indicator_availability: dict[str, float]
    # Positions of the zones and indicators kept, in the panel screened.
    zone_positions: npt.NDArray[np.int64]
    indicator_positions: npt.NDArray[np.int64]


def screen(
    panel: Panel,
    screening: Screening,
    names: Mapping[str, str] | None = None,
    weights: FloatArray | None = None,
) -> ScreeningOutcome:
    """Apply the availability thresholds of ``screening`` to the panel.

    ``names`` gives indicators' names for the findings' notes (the code when it has none);
    ``weights`` the indicators' effective weights, for counting by weight (equal if None).
    """
    names = names or {}
    present = ~np.isnan(panel.values)
    indicator_share = present.mean(axis=(0, 1)) if present.size else np.zeros(len(panel.indicators))
    indicator_availability = dict(zip(panel.indicators, indicator_share.tolist(), strict=True))
    findings: list[ScreeningFinding] = []
    dropping = screening.action == "drop"

    low_indicators = indicator_share < screening.min_indicator_availability
    for position in np.flatnonzero(low_indicators):
        code, share = panel.indicators[position], float(indicator_share[position])
        note = texts.screening_note(
            "indicator",
            texts.named(code, names.get(code, "")),
            share,
            screening.min_indicator_availability,
            screening.action,
        )
        findings.append(ScreeningFinding("indicator", code, share, screening.action, note))
    kept_indicators = np.flatnonzero(~low_indicators) if dropping else np.arange(len(panel.indicators))

    zone_share = _zone_share(present[:, :, kept_indicators], screening, weights, kept_indicators)
    zone_availability = dict(zip(panel.zones, zone_share.tolist(), strict=True))
    low_zones = zone_share < screening.min_zone_availability
    for position in np.flatnonzero(low_zones):
        code, share = panel.zones[position], float(zone_share[position])
        note = texts.screening_note(
            "zone", texts.named(code), share, screening.min_zone_availability, screening.action
        )
        findings.append(ScreeningFinding("zone", code, share, screening.action, note))
    kept_zones = np.flatnonzero(~low_zones) if dropping else np.arange(len(panel.zones))

    return ScreeningOutcome(
        panel=panel.take(zones=kept_zones, indicators=kept_indicators),
        findings=tuple(findings),
        zone_availability=zone_availability,
        indicator_availability=indicator_availability,
        zone_positions=kept_zones.astype(np.int64),
        indicator_positions=kept_indicators.astype(np.int64),
    )


def _zone_share(
    present: npt.NDArray[np.bool_],
    screening: Screening,
    weights: FloatArray | None,
    kept: npt.NDArray[np.int64],
) -> FloatArray:
    """Each zone's share of values present over its years: by weight or by indicators."""
    if not present.size:
        return np.zeros(present.shape[0])
    if screening.count == "indicators" or weights is None:
        result: FloatArray = present.mean(axis=(1, 2))
        return result
    kept_weights = weights[kept]
    total = kept_weights.sum()
    if total <= 0:
        result = present.mean(axis=(1, 2))
        return result
    result = (present.astype(np.float64) @ kept_weights).mean(axis=1) / total
    return result
