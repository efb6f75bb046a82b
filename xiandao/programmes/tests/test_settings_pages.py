"""计划设置 and 变更记录 pages and API: the admin changes and reverts; viewers read; others get 404."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from django.utils import timezone

from xiandao.programmes.definition import ProgrammeDefinition
from xiandao.programmes.models import Programme, ProgrammeChange, RuleParameter

AA = "grades.AA.threshold"


@pytest.fixture
def anhui(shipped_programmes: dict[str, Programme]) -> Programme:
    return shipped_programmes["anhui"]


def _aa(programme: Programme) -> int | None:
    return RuleParameter.objects.get(programme=programme, key=AA).value


def test_the_admin_changes_a_value_on_the_page_and_sees_it_in_the_history(client, anhui, personas):
    client.force_login(personas["province_admin"])
    page = client.get(f"/programmes/{anhui.code}/settings/").content.decode()
    assert "年度评估等次分档" in page and "AA等次分档线" in page and "确认采用" in page
    response = client.post(
        f"/programmes/{anhui.code}/settings/{AA}/",
        {"value": "105", "reason": "经主任办公会研究", "seen_value": "100", "seen_default": "1"},
        follow=True,
    )
    assert "已保存：AA等次分档线" in response.content.decode()
    assert _aa(anhui) == 105
    history = client.get(f"/programmes/{anhui.code}/changes/").content.decode()
    assert "经主任办公会研究" in history and "AA等次分档线" in history and "王敏" in history


def test_a_refusal_names_the_field_on_the_page_and_keeps_what_was_typed(client, anhui, personas):
    client.force_login(personas["province_admin"])
    response = client.post(
        f"/programmes/{anhui.code}/settings/grades.AAA.threshold/",
        {"value": "90", "reason": "试一试", "seen_value": "125", "seen_default": "1"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "AAA等次分档线（90）应高于AA等次分档线（100）" in body and 'value="试一试"' in body


def test_a_stale_form_says_so_and_shows_both_values(client, anhui, personas, second_admin):
    client.force_login(second_admin)
    client.post(f"/programmes/{anhui.code}/settings/{AA}/", {"value": "110", "reason": "先改"})
    client.force_login(personas["province_admin"])
    response = client.post(
        f"/programmes/{anhui.code}/settings/{AA}/",
        {"value": "105", "reason": "后改", "seen_value": "100", "seen_default": "1"},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "在您打开页面后已被修改：当前为110" in body and "您打开时为100（默认值）" in body
    assert _aa(anhui) == 110


def test_revert_is_a_new_change_and_the_state_on_a_date_is_exported(client, anhui, personas):
    client.force_login(personas["province_admin"])
    client.post(f"/programmes/{anhui.code}/settings/{AA}/", {"value": "105", "reason": "调高"})
    change = ProgrammeChange.objects.get(programme=anhui)
    response = client.post(
        f"/programmes/{anhui.code}/changes/{change.pk}/revert/", {"reason": "误改，恢复"}, follow=True
    )
    assert "已撤销：AA等次分档线" in response.content.decode()
    assert _aa(anhui) == 100 and RuleParameter.objects.get(programme=anhui, key=AA).is_default
    revert = ProgrammeChange.objects.get(programme=anhui, reverts=change)
    assert revert.before == {"value": 105, "default": False} and revert.after == {
        "value": 100,
        "default": True,
    }
    # A second revert of the same change is refused: nothing to undo any more.
    again = client.post(
        f"/programmes/{anhui.code}/changes/{change.pk}/revert/", {"reason": "再撤"}, follow=True
    )
    assert "未撤销：这项变更已于" in again.content.decode() and _aa(anhui) == 100

    # Yesterday the programme stood as loaded; the export is a definition file the loader reads.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    ProgrammeChange.objects.filter(pk=change.pk).update(at=timezone.now() - dt.timedelta(days=2))
    ProgrammeChange.objects.filter(pk=revert.pk).update(at=timezone.now())
    exported = client.get(f"/programmes/{anhui.code}/changes/export/?on={yesterday.isoformat()}")
    assert exported.status_code == 200
    definition = ProgrammeDefinition.model_validate_json(
        json.dumps(yaml.safe_load(exported.content.decode()), default=str)
    )
    aa = next(g for g in definition.lifecycle.grades if g.code == "AA")  # type: ignore[union-attr]
    assert aa.threshold is not None and aa.threshold.value == 105
    page = client.get(f"/programmes/{anhui.code}/changes/?on={yesterday.isoformat()}").content.decode()
    assert "截至" in page and "AA等次分档线" in page


def test_the_api_lists_patches_and_refuses_in_chinese(client, anhui, personas):
    client.force_login(personas["province_admin"])
    listed = client.get(f"/api/v1/programmes/{anhui.code}/parameters").json()
    aa = next(p for p in listed if p["key"] == AA)
    assert set(aa) >= {
        "key",
        "label",
        "value",
        "unit",
        "default",
        "document",
        "article",
        "changed_at",
        "changed_by",
    }
    assert (aa["value"], aa["default"], aa["changed_by"]) == (100, True, None)
    url = f"/api/v1/programmes/{anhui.code}/parameters/{AA}"
    patched = client.patch(url, {"value": 104, "reason": "按评估需要"}, content_type="application/json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["value"] == 104 and patched.json()["changed_by"].startswith("王敏")
    refused = client.patch(url, {"value": 200, "reason": "试"}, content_type="application/json")
    assert refused.status_code == 400
    assert "AAA等次分档线（125）应高于AA等次分档线（200）" in refused.json()["error"]["message"]
    confirmed = client.patch(
        f"/api/v1/programmes/{anhui.code}/parameters/grades.AAA.threshold",
        {"confirm": True, "reason": "确认"},
        content_type="application/json",
    )
    assert confirmed.json()["default"] is False
    changes = client.get(f"/api/v1/programmes/{anhui.code}/changes").json()
    assert [c["kind"] for c in changes] == ["parameter_confirmed", "parameter_changed"]  # newest first


@pytest.mark.parametrize("persona", ["hefei_city_officer", "zhejiang_admin", "zone_operator"])
def test_others_get_404_on_pages_and_api(client, anhui, personas, persona):
    client.force_login(personas[persona])
    for url in (
        f"/programmes/{anhui.code}/settings/",
        f"/programmes/{anhui.code}/changes/",
        f"/programmes/{anhui.code}/changes/export/",
        f"/api/v1/programmes/{anhui.code}/parameters",
        f"/api/v1/programmes/{anhui.code}/changes",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/programmes/{anhui.code}/settings/{AA}/", {"value": "1", "reason": "x"}).status_code
        == 404
    )
    patched = client.patch(
        f"/api/v1/programmes/{anhui.code}/parameters/{AA}",
        {"value": 1, "reason": "x"},
        content_type="application/json",
    )
    assert patched.status_code == 404 and _aa(anhui) == 100


def test_read_only_viewers_see_values_and_history_without_forms(client, anhui, personas):
    client.force_login(personas["scientist_expert"])
    page = client.get(f"/programmes/{anhui.code}/settings/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "AA等次分档线" in body and "只读" in body and "保存修改" not in body
    assert client.get(f"/programmes/{anhui.code}/changes/").status_code == 200
    assert (
        client.post(f"/programmes/{anhui.code}/settings/{AA}/", {"value": "1", "reason": "x"}).status_code
        == 404
    )
