"""Reads of pilot zones: the zones of a programme with the places hosting them on a date."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from xiandao.geo.selectors import active_on

from .models import PilotZone, ZonePlace

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
