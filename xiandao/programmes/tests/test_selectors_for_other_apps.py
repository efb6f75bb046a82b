"""The reads other apps make of programmes (notifications: who administers which, where each sits)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from xiandao.geo.models import Jurisdiction
from xiandao.programmes.selectors import (
    programme_content_type_id,
    programme_find,
    programme_jurisdiction_ids,
    programme_list_administered_by,
)
from xiandao.programmes.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_a_province_admin_administers_the_programmes_of_their_province_only(personas: dict[str, Any]) -> None:
    anhui, zhejiang = Jurisdiction.objects.get(code="340000"), Jurisdiction.objects.get(code="330000")
    later = ProgrammeFactory.create(code="zz-anhui", jurisdiction=anhui)
    earlier = ProgrammeFactory.create(code="aa-anhui", jurisdiction=anhui)
    ProgrammeFactory.create(code="mm-zhejiang", jurisdiction=zhejiang)
    administered = list(programme_list_administered_by(personas["province_admin"]))
    mine = [p for p in administered if p.pk in {earlier.pk, later.pk}]
    assert mine == [earlier, later]  # by code
    assert all(p.jurisdiction.code == "340000" for p in administered)
    assert not programme_list_administered_by(personas["hefei_city_officer"]).exists()


def test_a_programme_by_code_and_where_each_sits() -> None:
    first, second = ProgrammeFactory.create_batch(2)
    assert programme_find(first.code) == first and programme_find("no-such-code") is None
    assert programme_jurisdiction_ids([first.pk, second.pk, -1]) == {
        first.pk: first.jurisdiction_id,
        second.pk: second.jurisdiction_id,
    }
    assert programme_jurisdiction_ids([]) == {}
    assert ContentType.objects.get_for_id(programme_content_type_id()).model_class() is type(first)
