import datetime as dt

import pytest

from xiandao.core.models import AuditEntry
from xiandao.geo.models import Jurisdiction, JurisdictionLevel, JurisdictionMembership, Park, ParkLocation
from xiandao.geo.selectors import (
    city_find,
    city_list,
    jurisdiction_ancestor_ids,
    jurisdiction_descendant_ids,
    jurisdiction_ids_hosting_parks,
    jurisdiction_with_ancestor_ids,
    park_ids_in_jurisdictions,
)
from xiandao.geo.services import geo_reference_load, park_relocate
from xiandao.geo.tests.factories import JurisdictionFactory, JurisdictionMembershipFactory


@pytest.mark.django_db
def test_reference_has_the_provinces_and_cities_with_real_codes(reference_data):
    anhui = Jurisdiction.objects.get(code="340000")
    zhejiang = Jurisdiction.objects.get(code="330000")
    assert anhui.name == "安徽省" and zhejiang.name == "浙江省"
    anhui_cities = Jurisdiction.objects.filter(child_links__isnull=True, parent_links__parent=anhui)
    assert anhui_cities.count() == 16
    assert Jurisdiction.objects.filter(parent_links__parent=zhejiang).count() == 11
    assert Jurisdiction.objects.get(code="340100").name == "合肥市"
    yangzhou_counties = Jurisdiction.objects.filter(parent_links__parent__code="321000")
    assert {"广陵区", "邗江区", "江都区", "宝应县", "仪征市", "高邮市"} == set(
        yangzhou_counties.values_list("name", flat=True)
    )
    assert (
        Jurisdiction.objects.filter(
            parent_links__parent__code="350100", level=JurisdictionLevel.COUNTY
        ).count()
        == 13
    )


@pytest.mark.django_db
def test_reference_load_twice_changes_nothing(reference_data):
    counts = (Jurisdiction.objects.count(), JurisdictionMembership.objects.count(), Park.objects.count())
    assert geo_reference_load() == {"jurisdictions": 0, "parks": 0}
    assert (
        Jurisdiction.objects.count(),
        JurisdictionMembership.objects.count(),
        Park.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_descendants_follow_membership_dates():
    old_city = JurisdictionFactory.create(code="900100", name="旧市")
    new_city = JurisdictionFactory.create(code="900200", name="新市")
    county = JurisdictionFactory.create(code="900101", name="划转县", level=JurisdictionLevel.COUNTY)
    JurisdictionMembershipFactory.create(
        child=county, parent=old_city, valid_from=dt.date(2000, 1, 1), valid_to=dt.date(2025, 1, 1)
    )
    JurisdictionMembershipFactory.create(child=county, parent=new_city, valid_from=dt.date(2025, 1, 1))
    assert county.pk in jurisdiction_descendant_ids([old_city.pk], on=dt.date(2024, 6, 30))
    assert county.pk not in jurisdiction_descendant_ids([old_city.pk], on=dt.date(2025, 6, 30))
    assert county.pk in jurisdiction_descendant_ids([new_city.pk], on=dt.date(2025, 6, 30))
    assert jurisdiction_ancestor_ids(county.pk, on=dt.date(2024, 6, 30)) == [old_city.pk]


@pytest.mark.django_db
def test_divisions_with_their_ancestors_follow_membership_dates():
    province = JurisdictionFactory.create(code="900000", name="测试省", level=JurisdictionLevel.PROVINCE)
    old_city = JurisdictionFactory.create(code="900100", name="旧市")
    new_city = JurisdictionFactory.create(code="900200", name="新市")
    county = JurisdictionFactory.create(code="900101", name="划转县", level=JurisdictionLevel.COUNTY)
    for city in (old_city, new_city):
        JurisdictionMembershipFactory.create(child=city, parent=province, valid_from=dt.date(2000, 1, 1))
    JurisdictionMembershipFactory.create(
        child=county, parent=old_city, valid_from=dt.date(2000, 1, 1), valid_to=dt.date(2025, 1, 1)
    )
    JurisdictionMembershipFactory.create(child=county, parent=new_city, valid_from=dt.date(2025, 1, 1))
    before, after = dt.date(2024, 6, 30), dt.date(2025, 6, 30)
    assert jurisdiction_with_ancestor_ids([county.pk], on=before) == {county.pk, old_city.pk, province.pk}
    assert jurisdiction_with_ancestor_ids([county.pk], on=after) == {county.pk, new_city.pk, province.pk}
    assert jurisdiction_with_ancestor_ids([province.pk], on=after) == {province.pk}


@pytest.mark.django_db
def test_a_city_is_found_by_code_name_or_short_name_and_only_a_city(reference_data):
    hefei = Jurisdiction.objects.get(code="340100")
    assert city_find("340100") == city_find("合肥市") == city_find(" 合肥 ") == hefei  # as people write it
    if hefei.short_name:
        assert city_find(hefei.short_name) == hefei
    assert city_find("") is None
    assert city_find("安徽省") is None and city_find("340000") is None  # a province, not a city
    assert city_find("不存在市") is None
    assert set(city_list().values_list("level", flat=True)) == {JurisdictionLevel.CITY}


@pytest.mark.django_db
def test_relocating_a_park_keeps_its_history_and_is_audited(reference_data, province_admin):
    park = Park.objects.get(name="合肥高新技术产业开发区")
    hefei = Jurisdiction.objects.get(code="340100")
    wuhu = Jurisdiction.objects.get(code="340200")
    park_relocate(
        actor=province_admin, park=park, jurisdiction=wuhu, on=dt.date(2026, 1, 1), reason="测试划转"
    )
    assert park.pk in park_ids_in_jurisdictions([hefei.pk], on=dt.date(2025, 12, 31))
    assert park.pk in park_ids_in_jurisdictions([wuhu.pk], on=dt.date(2026, 1, 1))
    assert jurisdiction_ids_hosting_parks([park.pk], on=dt.date(2025, 12, 31)) == {hefei.pk}
    assert jurisdiction_ids_hosting_parks([park.pk], on=dt.date(2026, 1, 1)) == {wuhu.pk}
    assert ParkLocation.objects.filter(park=park).count() == 2
    entry = AuditEntry.objects.get(action="geo.park.relocated")
    assert entry.before == {"jurisdiction": "340100"} and entry.reason == "测试划转"


@pytest.mark.django_db
def test_relocation_dated_before_the_current_location_is_refused_and_nothing_changes(
    reference_data, province_admin
):
    park = Park.objects.get(name="合肥高新技术产业开发区")
    with pytest.raises(ValueError):
        park_relocate(
            actor=province_admin,
            park=park,
            jurisdiction=Jurisdiction.objects.get(code="340200"),
            on=dt.date(1999, 1, 1),
            reason="x",
        )
    assert ParkLocation.objects.filter(park=park).count() == 1
    assert not AuditEntry.objects.filter(action="geo.park.relocated").exists()


@pytest.mark.django_db
def test_the_tree_as_a_parent_map_and_each_parks_places_as_of_a_date():
    from xiandao.geo.selectors import jurisdiction_parent_ids, park_jurisdiction_ids
    from xiandao.geo.tests.factories import ParkFactory, ParkLocationFactory

    province = JurisdictionFactory.create(level=JurisdictionLevel.PROVINCE)
    city, other_city = JurisdictionFactory.create_batch(2)
    county = JurisdictionFactory.create(level=JurisdictionLevel.COUNTY)
    JurisdictionMembershipFactory.create(child=city, parent=province)
    JurisdictionMembershipFactory.create(
        child=county, parent=city, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2025, 1, 1)
    )
    JurisdictionMembershipFactory.create(child=county, parent=other_city, valid_from=dt.date(2025, 1, 1))
    before, after = (
        jurisdiction_parent_ids(on=dt.date(2024, 6, 1)),
        jurisdiction_parent_ids(on=dt.date(2025, 6, 1)),
    )
    assert (before[city.pk], before[county.pk]) == (province.pk, city.pk)
    assert (after[city.pk], after[county.pk]) == (province.pk, other_city.pk)
    assert province.pk not in before

    straddling, moved, nowhere = ParkFactory.create_batch(3)
    ParkLocationFactory.create(park=straddling, jurisdiction=city)
    ParkLocationFactory.create(park=straddling, jurisdiction=county)
    ParkLocationFactory.create(park=moved, jurisdiction=city, valid_to=dt.date(2025, 1, 1))
    ParkLocationFactory.create(park=moved, jurisdiction=other_city, valid_from=dt.date(2025, 1, 1))
    parks = [straddling.pk, moved.pk, nowhere.pk]
    assert park_jurisdiction_ids(parks, on=dt.date(2024, 6, 1)) == {
        straddling.pk: {city.pk, county.pk},
        moved.pk: {city.pk},
    }
    assert park_jurisdiction_ids(parks, on=dt.date(2025, 6, 1))[moved.pk] == {other_city.pk}


@pytest.mark.django_db
def test_divisions_by_id_and_by_code_and_the_cities_under_a_province(reference_data):
    from xiandao.geo.selectors import city_list_within, jurisdiction_ids_by_code, jurisdiction_list_by_ids

    hefei, anhui = Jurisdiction.objects.get(code="340100"), Jurisdiction.objects.get(code="340000")
    assert jurisdiction_ids_by_code(["340100", "340000", "nope"]) == {"340100": hefei.pk, "340000": anhui.pk}
    assert {j.name for j in jurisdiction_list_by_ids([hefei.pk, anhui.pk, -1])} == {"合肥市", "安徽省"}
    cities = list(city_list_within([anhui.pk]))
    assert len(cities) == 16 and cities[0] == hefei  # 合肥 has the lowest code
    assert [c.code for c in cities] == sorted(c.code for c in cities)
    assert all(c.level == JurisdictionLevel.CITY for c in cities)
    assert list(city_list_within([hefei.pk])) == [hefei]
    assert not city_list_within([]).exists()
