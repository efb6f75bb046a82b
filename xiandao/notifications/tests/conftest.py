from __future__ import annotations

import pytest

from xiandao.accounts.models import Organisation
from xiandao.geo.models import Jurisdiction
from xiandao.programmes.models import Programme


def programme_make(code: str, province: str, organisation_code: str) -> Programme:
    return Programme.objects.create(
        code=code,
        name=f"{code}测试培育计划",
        level="province",
        jurisdiction=Jurisdiction.objects.get(code=province),
        admin_organisation=Organisation.objects.get(code=organisation_code),
        start_year=2024,
        end_year=2030,
    )


@pytest.fixture
def anhui(personas) -> Programme:
    """A programme of Anhui, administered by the demo province admin's commission (no YAML load: fast)."""
    return programme_make("anhui-test", "340000", "ah-drc")


@pytest.fixture
def zhejiang(personas) -> Programme:
    return programme_make("zhejiang-test", "330000", "zj-deit")
