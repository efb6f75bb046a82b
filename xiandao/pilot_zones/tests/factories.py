"""Factories of pilot zones and their places, for tests and the demonstration data."""

from __future__ import annotations

import datetime as dt

import factory

from xiandao.pilot_zones.models import PilotZone, ZonePlace, ZoneStatus


class PilotZoneFactory(factory.django.DjangoModelFactory[PilotZone]):
    """A zone in a field of a loaded programme; pass ``field`` (its programme follows from it)."""

    class Meta:
        model = PilotZone

    programme = factory.LazyAttribute(lambda zone: zone.field.version.programme)
    name = factory.Sequence(lambda n: f"示例先导区{n}")
    status = ZoneStatus.CREATING
    is_demo = True


class ZonePlaceFactory(factory.django.DjangoModelFactory[ZonePlace]):
    """A place hosting a zone: pass ``park`` or ``jurisdiction`` (or both)."""

    class Meta:
        model = ZonePlace

    zone = factory.SubFactory(PilotZoneFactory)
    valid_from = dt.date(2024, 9, 30)
