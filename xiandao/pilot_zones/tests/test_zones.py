"""A minimal pilot zone: in a programme's field, spanning places over time; demo zones come and go as one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from xiandao.geo.models import Jurisdiction, Park
from xiandao.pilot_zones.models import PilotZone, ZonePlace, ZoneStatus
from xiandao.pilot_zones.selectors import (
    zone_list_for_programme,
    zone_list_in_jurisdictions,
    zone_list_in_parks,
    zone_place_list,
)
from xiandao.pilot_zones.tests.factories import PilotZoneFactory, ZonePlaceFactory
from xiandao.programmes.models import Field
from xiandao.programmes.tests.loading import programme_ensure
from xiandao.web.demo import demo_data_load, demo_data_remove

pytestmark = pytest.mark.django_db


@pytest.fixture
def programmes(reference_data):
    programme_ensure("anhui")
    programme_ensure("zhejiang")


def field(programme: str, code: str) -> Field:
    return Field.objects.filter(version__programme__code=programme, code=code).order_by("-version__position")[
        0
    ]


def test_a_zone_spans_places_and_a_park_hosts_several_zones(programmes):
    park = Park.objects.get(name="合肥高新技术产业开发区")
    quantum = PilotZoneFactory.create(field=field("anhui", "quantum"), name="测试量子先导区")
    brain = PilotZoneFactory.create(field=field("anhui", "general-intelligence"), name="测试类脑先导区")
    ZonePlaceFactory.create(zone=quantum, park=park)
    ZonePlaceFactory.create(zone=brain, park=park)
    network = PilotZoneFactory.create(
        field=field("zhejiang", "flexible-electronics"), name="测试网络协同先导区"
    )
    for name in ("杭州高新技术产业开发区（滨江）", "嘉兴经济技术开发区"):
        ZonePlaceFactory.create(zone=network, park=Park.objects.get(name=name))
    assert set(ZonePlace.objects.filter(park=park).values_list("zone__name", flat=True)) == {
        "测试量子先导区",
        "测试类脑先导区",
    }
    assert network.places.count() == 2
    assert quantum.programme.code == "anhui"


def test_zones_are_found_by_the_parks_and_jurisdictions_hosting_them(programmes):
    hefei_park = Park.objects.get(name="合肥高新技术产业开发区")
    hefei, wuhu = Jurisdiction.objects.get(code="340100"), Jurisdiction.objects.get(code="340200")
    quantum = PilotZoneFactory.create(field=field("anhui", "quantum"), name="测试量子先导区")
    moved = PilotZoneFactory.create(field=field("anhui", "general-intelligence"), name="测试类脑先导区")
    ZonePlaceFactory.create(zone=quantum, park=hefei_park)
    ZonePlaceFactory.create(
        zone=quantum, park=hefei_park, valid_from=dt.date(2025, 1, 1)
    )  # twice: listed once
    ZonePlaceFactory.create(
        zone=moved, jurisdiction=wuhu, valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2025, 1, 1)
    )
    network = PilotZoneFactory.create(field=field("zhejiang", "flexible-electronics"), name="测试网络先导区")
    assert list(zone_list_in_parks([hefei_park.pk])) == [quantum]
    assert list(zone_list_in_jurisdictions([wuhu.pk])) == [moved]  # a place it had, too
    # a programme's jurisdiction reaches every zone of the programme, hosted anywhere
    province = quantum.programme.jurisdiction
    assert set(zone_list_in_jurisdictions([province.pk])) == {quantum, moved}
    assert network not in zone_list_in_jurisdictions([province.pk, hefei.pk])
    assert [(p.zone, p.jurisdiction) for p in zone_place_list([moved])] == [(moved, wuhu)]


def test_places_are_dated_and_the_list_shows_todays(programmes):
    zone = PilotZoneFactory.create(field=field("anhui", "quantum"))
    old = Park.objects.get(name="合肥经济技术开发区")
    new = Park.objects.get(name="合肥高新技术产业开发区")
    ZonePlaceFactory.create(zone=zone, park=old, valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2025, 1, 1))
    ZonePlaceFactory.create(zone=zone, park=new, valid_from=dt.date(2025, 1, 1))
    [listed] = zone_list_for_programme(zone.programme, on=dt.date(2026, 1, 1))
    assert [p.park for p in getattr(listed, "current_places")] == [new]  # noqa: B009
    [listed] = zone_list_for_programme(zone.programme, on=dt.date(2024, 6, 1))
    assert [p.park for p in getattr(listed, "current_places")] == [old]  # noqa: B009


def test_a_place_names_somewhere_and_its_dates_are_ordered(programmes):
    zone = PilotZoneFactory.create(field=field("anhui", "quantum"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ZonePlace.objects.create(zone=zone, valid_from=dt.date(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ZonePlace.objects.create(
            zone=zone, park=Park.objects.first(), valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2024, 1, 1)
        )


def test_a_zones_field_belongs_to_its_programme(programmes):
    zone = PilotZone(
        programme=field("zhejiang", "metaverse").version.programme,
        field=field("anhui", "quantum"),
        name="错配先导区",
        status=ZoneStatus.DRAFT,
    )
    with pytest.raises(ValidationError) as info:
        zone.full_clean()
    assert "领域须属于该先导区所在的培育计划" in str(info.value)


def test_demo_zones_load_with_the_demo_data_and_remove_with_it(programmes):
    assert demo_data_load() is True
    # The eight zones of DEMO_ZONES, and the five the demonstration lists made from applications
    # (one of them, 示例量子精密测量先导区, was updated from DEMO_ZONES rather than made anew).
    zones = PilotZone.objects.filter(is_demo=True)
    assert zones.count() == 8 + 5
    assert all(zone.name.startswith("示例") for zone in zones)
    network = zones.get(name="示例柔性电子网络协同先导区")
    assert network.zone_type is not None and network.zone_type.code == "network"
    assert network.places.count() == 3
    hefei = Park.objects.get(name="合肥高新技术产业开发区")
    assert (
        ZonePlace.objects.filter(park=hefei, zone__is_demo=True, zone__application__isnull=True).count() == 1
    )
    # Fields come from each programme's latest taxonomy version.
    assert zones.get(name="示例合成生物先导区").field.name == "生命科学"
    removed = demo_data_remove()
    assert removed["pilot_zones"] >= 13
    assert not PilotZone.objects.exists() and not ZonePlace.objects.exists()
