"""An admin edits a programme in the back office; the edit is audited and the loader then keeps it."""

from __future__ import annotations

import pytest

from xiandao.accounts.models import User
from xiandao.core.models import AuditEntry
from xiandao.programmes.models import Programme, RuleParameter, Target
from xiandao.programmes.permissions import programme_policy
from xiandao.programmes.services import ProgrammeEdited
from xiandao.programmes.tests.loading import load, programme_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(reference_data):
    return User.objects.create_superuser("root", password="x-long-password-1")


def test_an_admin_edit_is_audited_and_the_loader_refuses_to_overwrite_it(client, superuser):
    programme_ensure("anhui")
    parameter = RuleParameter.objects.get(
        programme__code="anhui", key="consequences.removal.consecutive_years"
    )
    client.force_login(superuser)
    url = f"/admin/programmes/ruleparameter/{parameter.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "programme": parameter.programme_id,
            "label": parameter.label,
            "value": 2,
            "unit": parameter.unit,
            "note": "管理员按新规定调整",
            "position": parameter.position,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="programmes.ruleparameter.admin_changed")
    assert entry.before is not None and entry.after is not None
    assert entry.before["value"] == 3 and entry.after["value"] == 2
    with pytest.raises(ProgrammeEdited) as info:
        load("anhui")
    assert "value: 2" in info.value.diff and "value: 3" in info.value.diff
    assert RuleParameter.objects.get(pk=parameter.pk).value == 2


def test_the_admin_lists_in_chinese(client, superuser):
    programme_ensure("anhui")
    client.force_login(superuser)
    page = client.get("/admin/programmes/target/").content.decode()
    assert "目标" in page and "上市企业" in page


def test_programme_admins_change_only_their_own_programme(reference_data, province_admin, zhejiang_admin):
    anhui = programme_ensure("anhui")
    zhejiang = programme_ensure("zhejiang")
    assert list(programme_policy.instances_for(province_admin, "change")) == [anhui]
    assert list(programme_policy.instances_for(zhejiang_admin, "change")) == [zhejiang]
    assert (
        set(programme_policy.instances_for(None, "view")) == set(Programme.objects.all()) > {anhui, zhejiang}
    )
    assert not programme_policy.instances_for(None, "change").exists()


def test_personas_cannot_reach_the_programme_back_office(client, province_admin):
    programme_ensure("anhui")
    client.force_login(province_admin)
    target = Target.objects.all()[0]
    response = client.get(f"/admin/programmes/target/{target.pk}/change/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
