"""The fields other apps look up: by code or name in a jurisdiction's programmes, the latest version first."""

from __future__ import annotations

import pytest

from xiandao.geo.models import Jurisdiction
from xiandao.programmes.selectors import field_find, field_list_for_programme, field_list_in_jurisdictions
from xiandao.programmes.tests.loading import programme_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def programmes(reference_data):
    return programme_ensure("anhui"), programme_ensure("zhejiang")


def test_a_renamed_field_is_found_in_its_latest_version_by_code_and_in_its_own_by_old_name(programmes):
    anhui, _ = programmes
    province = Jurisdiction.objects.get(code="340000")
    hefei = Jurisdiction.objects.get(code="340100")
    latest = field_find([province.pk, hefei.pk], "life")
    assert latest is not None and latest.name == "生命科学" and latest.version.programme == anhui
    old = field_find([province.pk], "生命与健康")
    assert old is not None and old.code == "life" and old.version.position < latest.version.position
    assert field_find([hefei.pk], "life") is None  # Hefei has no programme of its own
    assert field_find([province.pk], "不存在的领域") is None


def test_a_programmes_fields_come_latest_version_first_and_by_jurisdiction(programmes):
    anhui, zhejiang = programmes
    fields = list(field_list_for_programme(anhui))
    positions = [f.version.position for f in fields]
    assert positions == sorted(positions, reverse=True) and len(set(positions)) == 2
    assert {f.version.programme for f in fields} == {anhui}
    both = list(field_list_in_jurisdictions([anhui.jurisdiction_id, zhejiang.jurisdiction_id]))
    codes = [f.version.programme.code for f in both]
    assert codes == sorted(codes) and set(codes) == {"anhui", "zhejiang"}
    assert list(field_list_in_jurisdictions([anhui.jurisdiction_id])) == fields
