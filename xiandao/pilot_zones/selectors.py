"""Reads of pilot zones: the zones of a programme with the places hosting them on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from xiandao.geo.selectors import active_on

from .models import PilotZone, ZonePlace, ZoneTarget

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme


def zone_list_for_programme(programme: Programme, *, on: dt.date | None = None) -> QuerySet[PilotZone]:
    """A programme's zones with field, type and the places hosting them on a date (public: names only)."""
    on = on or timezone.localdate()
    places = ZonePlace.objects.filter(active_on(on)).select_related("jurisdiction", "park").order_by("pk")
    return (
        PilotZone.objects.filter(programme=programme)
        .select_related("field", "zone_type")
        .prefetch_related(Prefetch("places", queryset=places, to_attr="current_places"))
        .order_by("is_demo", "name")
    )


def zone_list() -> QuerySet[PilotZone]:
    """Every pilot zone, in the model's order; the caller filters further."""
    return PilotZone.objects.all()


def zone_list_in_parks(park_ids: Iterable[int]) -> QuerySet[PilotZone]:
    """The zones that a place in one of these parks hosts or has hosted (each once)."""
    hosted = ZonePlace.objects.filter(park_id__in=list(park_ids)).values("zone_id")
    return PilotZone.objects.filter(pk__in=hosted)


def zone_list_in_jurisdictions(jurisdiction_ids: Iterable[int]) -> QuerySet[PilotZone]:
    """The zones hosted in these jurisdictions, or of a programme of theirs (each once)."""
    ids = list(jurisdiction_ids)
    hosted = ZonePlace.objects.filter(jurisdiction_id__in=ids).values("zone_id")
    return PilotZone.objects.filter(Q(pk__in=hosted) | Q(programme__jurisdiction_id__in=ids))


def zone_place_list(zones: Iterable[PilotZone]) -> QuerySet[ZonePlace]:
    """Every place that hosts or has hosted these zones, whatever the date, with its jurisdiction."""
    return ZonePlace.objects.filter(zone__in=list(zones)).select_related("jurisdiction")


def zone_annual_targets(zone: PilotZone, year: int) -> dict[str, Decimal]:
    """The zone's targets for ``year``: indicator code → value (only indicators with a target that year)."""
    rows = ZoneTarget.objects.filter(zone=zone, year=year).values_list("indicator_code", "value")
    return {code: value for code, value in rows}


def zones_annual_targets(zone_ids: Iterable[int], year: int) -> dict[int, dict[str, Decimal]]:
    """``zone_annual_targets`` for many zones in one query: zone id → indicator code → value."""
    found: dict[int, dict[str, Decimal]] = {}
    rows = ZoneTarget.objects.filter(zone_id__in=list(zone_ids), year=year).values_list(
        "zone_id", "indicator_code", "value"
    )
    for zone_id, code, value in rows:
        found.setdefault(zone_id, {})[code] = value
    return found


@dataclass(frozen=True)
class ZonePlan:
    """A zone's plan: its creation period and targets (overall and per year), from its application."""

    zone: PilotZone
    start_year: int | None
    end_year: int | None
    #: indicator code → value, for the whole creation period.
    overall: dict[str, Decimal]
    #: year → indicator code → value.
    annual: dict[int, dict[str, Decimal]]

    @property
    def years(self) -> list[int]:
        if self.start_year is None or self.end_year is None:
            return []
        return list(range(self.start_year, self.end_year + 1))


def zone_plan(zone: PilotZone) -> ZonePlan:
    """The zone's creation period with its overall and annual targets per indicator."""
    overall: dict[str, Decimal] = {}
    annual: dict[int, dict[str, Decimal]] = {}
    for code, year, value in ZoneTarget.objects.filter(zone=zone).values_list(
        "indicator_code", "year", "value"
    ):
        if year is None:
            overall[code] = value
        else:
            annual.setdefault(year, {})[code] = value
    return ZonePlan(
        zone=zone,
        start_year=zone.creation_start_year,
        end_year=zone.creation_end_year,
        overall=overall,
        annual=dict(sorted(annual.items())),
    )


# The applications' reads live beside the zones' and are part of this app's selectors.
from .application_selectors import (  # noqa: E402
    application_list_for as application_list_for,
)
from .application_selectors import applications_todo as applications_todo  # noqa: E402

# The committee's results beside each application on the draft list: the review app registers a
# provider (``review_summary_providers``) so pilot_zones never imports it.
from .lists.selectors import ReviewSummary, review_summary_providers  # noqa: E402, F401
