"""Test data for evaluation runs: zones of a loaded programme, and report values built in memory.

The values play the part of monitoring's approved report values (``FixedSources``), so the
snapshot builder, the engine and the stored results are tested on data the test controls.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xiandao.evaluation.services import snapshot as snap
from xiandao.geo.selectors import park_list_named
from xiandao.pilot_zones.models import PilotZone, ZonePlace
from xiandao.pilot_zones.tests.factories import PilotZoneFactory, ZonePlaceFactory
from xiandao.programmes.selectors import field_latest, framework_for_year


@dataclass
class FixedSources:
    """Approved values, report states and targets held in memory: ``values[year][zone_id][code]``."""

    values_by_year: dict[int, dict[int, dict[str, Decimal]]] = field(default_factory=dict)
    states: dict[int, list[snap.ReportState]] = field(default_factory=dict)
    targets_by_zone: dict[tuple[int, int], dict[str, Decimal]] = field(default_factory=dict)

    def values(self, programme: Any, year: int) -> dict[int, dict[str, Decimal]]:
        return self.values_by_year.get(year, {})

    def report_states(self, programme: Any, year: int) -> list[snap.ReportState]:
        return self.states.get(year, [])

    def targets(self, zone: Any, year: int) -> dict[str, Decimal]:
        return self.targets_by_zone.get((zone.pk, year), {})


@contextlib.contextmanager
def sources_replaced(sources: FixedSources) -> Iterator[FixedSources]:
    kept = list(snap.SOURCES)
    snap.SOURCES[:] = [sources]
    try:
        yield sources
    finally:
        snap.SOURCES[:] = kept


def zones_make(programme: Any, count: int, *, park: str = "合肥高新技术产业开发区") -> list[PilotZone]:
    """``count`` creating zones of the programme, hosted in a park (the demo zone operator's)."""
    field_ = field_latest(programme, "quantum") or programme.taxonomy_versions.first().fields.first()
    parks = park_list_named([park])
    zones = []
    for n in range(count):
        zone = PilotZoneFactory.create(field=field_, name=f"示例测评先导区{n + 1:02d}")
        if parks:
            location = next(iter(getattr(parks[0], "current_locations", [])), None)
            ZonePlaceFactory(
                zone=zone, park=parks[0], jurisdiction=location.jurisdiction if location else None
            )
        zones.append(zone)
    return zones


def values_make(
    programme: Any,
    zones: list[PilotZone],
    years: range,
    *,
    seed: int = 7,
    strong: dict[int, float] | None = None,
) -> FixedSources:
    """Plausible values for every indicator of the framework, each zone a level times a trend."""
    rng = random.Random(seed)
    codes = [i.code for _d, items in framework_for_year(programme, years[-1]) for i in items]
    level = {z.pk: (strong or {}).get(z.pk, rng.uniform(0.6, 1.4)) for z in zones}
    sources = FixedSources()
    for year in years:
        by_zone = {}
        for zone in zones:
            growth = 1 + 0.05 * (year - years[0])
            by_zone[zone.pk] = {
                code: Decimal(str(round(10 * level[zone.pk] * growth * rng.uniform(0.9, 1.1), 2)))
                for code in codes
            }
        sources.values_by_year[year] = by_zone
        sources.states[year] = [snap.ReportState(z.pk, z.name, True, "已审核") for z in zones]
    last = years[-1]
    for zone in zones:
        sources.targets_by_zone[(zone.pk, last)] = {code: Decimal("10") for code in codes[:5]}
    return sources


__all__ = ["FixedSources", "ZonePlace", "sources_replaced", "values_make", "zones_make"]
