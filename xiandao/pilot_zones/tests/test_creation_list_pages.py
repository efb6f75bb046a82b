"""The list pages, the public pages and the API answer what a user and another system would check."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from xiandao.pilot_zones.lifecycle import State
from xiandao.pilot_zones.lists import services
from xiandao.pilot_zones.lists.models import CreationList, ListStatus
from xiandao.pilot_zones.models import PilotZone

from .lists_support import department, reviewed_application

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _published_anhui(anhui: Any, admin: Any) -> tuple[CreationList, PilotZone]:
    application = reviewed_application(anhui, "示例页面量子先导区")
    creation_list = services.creation_list_create(actor=admin, programme=anhui)
    services.creation_list_entry_propose(
        actor=admin, creation_list=creation_list, application=application, opinion="方向明确"
    )
    services.creation_list_consult(
        actor=admin, creation_list=creation_list, departments=[department("安徽省科学技术厅")], deadline=TODAY
    )
    CreationList.objects.filter(pk=creation_list.pk).update(
        consultation_deadline=TODAY - dt.timedelta(days=1)
    )
    [zone] = services.creation_list_publish(actor=admin, creation_list=creation_list)
    return creation_list, zone


def test_public_pages_show_the_published_list_and_the_zone_without_login(
    shipped_programmes: dict[str, Any], province_admin: Any
) -> None:
    anhui = shipped_programmes["anhui"]
    _, zone = _published_anhui(anhui, province_admin)
    client = Client()
    page = client.get("/programmes/anhui/creation-lists/").content.decode()
    assert "安徽省未来产业先导区创建名单（第1批）" in page
    assert "示例页面量子先导区" in page and "合肥高新技术产业开发区" in page
    profile = client.get(f"/programmes/anhui/zones/{zone.pk}/")
    assert profile.status_code == 200
    text = profile.content.decode()
    for seen in ("示例页面量子先导区", "合肥市", "创建中", "2025年至2027年", "研发经费投入强度", "4.5"):
        assert seen in text, seen
    overview = client.get("/programmes/anhui/").content.decode()
    assert f'href="/programmes/anhui/zones/{zone.pk}/"' in overview
    assert 'href="/programmes/anhui/creation-lists/"' in overview


def test_a_zone_not_on_a_published_list_has_no_public_profile(
    shipped_programmes: dict[str, Any], province_admin: Any
) -> None:
    anhui = shipped_programmes["anhui"]
    field = anhui.taxonomy_versions.last().fields.first()
    zone = PilotZone.objects.create(
        programme=anhui, field=field, name="示例论证中先导区", status=State.UNDER_REVIEW
    )
    assert Client().get(f"/programmes/anhui/zones/{zone.pk}/").status_code == 404
    assert Client().get("/programmes/zhejiang/creation-lists/").status_code == 200


def test_the_public_api_has_exactly_the_issue_keys(
    shipped_programmes: dict[str, Any], province_admin: Any
) -> None:
    anhui = shipped_programmes["anhui"]
    _, zone = _published_anhui(anhui, province_admin)
    client = Client()
    lists = client.get("/api/v1/programmes/anhui/creation-lists").json()
    assert [item["name"] for item in lists] == ["安徽省未来产业先导区创建名单（第1批）"]
    [record] = lists[0]["zones"]
    assert set(record) == {"name", "field", "city", "host", "zone_type", "status", "url"}
    assert record["city"] == "合肥市" and record["host"] == ["合肥高新技术产业开发区"]
    assert record["url"].endswith(f"/programmes/anhui/zones/{zone.pk}/")
    zones = client.get("/api/v1/programmes/anhui/zones").json()
    assert any(z["name"] == "示例页面量子先导区" and set(z) == set(record) for z in zones)
    assert client.get("/api/v1/programmes/nowhere/zones").status_code == 404


def test_the_api_moves_a_list_and_refuses_publishing_twice(
    shipped_programmes: dict[str, Any], province_admin: Any, department_officer: Any
) -> None:
    anhui = shipped_programmes["anhui"]
    application = reviewed_application(anhui, "示例接口先导区")
    admin = Client()
    admin.force_login(province_admin)

    def post(path: str, body: dict[str, Any], client: Client = admin) -> Any:
        return client.post(f"/api/v1{path}", data=json.dumps(body), content_type="application/json")

    created = post("/creation-lists", {"programme": "anhui"})
    assert created.status_code == 201, created.content
    list_id = created.json()["id"]
    bad = post(
        f"/creation-lists/{list_id}/entries",
        {"application": application.pk, "decision": "maybe", "opinion": "x"},
    )
    assert bad.status_code == 400 and "propose" in bad.json()["error"]["message"]
    assert post(f"/creation-lists/{list_id}/entries", {"application": application.pk}).status_code == 400
    ok = post(
        f"/creation-lists/{list_id}/entries",
        {"application": application.pk, "decision": "propose", "opinion": "好"},
    )
    assert ok.json()["entries"][0]["status"] == State.PROPOSED
    early = post(f"/creation-lists/{list_id}/publish", {"expected": "draft"})
    assert early.status_code == 409 and "本计划须先征求省有关单位意见" in early.json()["error"]["message"]
    consulted = post(
        f"/creation-lists/{list_id}/consult",
        {"departments": ["ah-dst"], "deadline": TODAY.isoformat(), "expected": "draft"},
    )
    assert consulted.status_code == 200, consulted.content
    officer = Client()
    officer.force_login(department_officer)
    opinion = post(f"/creation-lists/{list_id}/opinions", {"stance": "agree"}, officer)
    assert opinion.json()["opinions"][0]["organisation"] == "安徽省科学技术厅"
    assert post(f"/creation-lists/{list_id}/publish", {}, officer).status_code == 403
    published = post(f"/creation-lists/{list_id}/publish", {"expected": "consultation"})
    assert published.status_code == 200 and published.json()["status"] == ListStatus.PUBLISHED
    again = post(f"/creation-lists/{list_id}/publish", {})
    assert again.status_code == 409 and "不能重复公布" in again.json()["error"]["message"]
    assert PilotZone.objects.filter(name="示例接口先导区", status=State.CREATING).count() == 1


def test_the_department_sees_the_list_it_is_asked_about_and_gives_its_opinion_on_the_page(
    shipped_programmes: dict[str, Any], province_admin: Any, department_officer: Any
) -> None:
    anhui = shipped_programmes["anhui"]
    application = reviewed_application(anhui, "示例部门意见先导区")
    creation_list = services.creation_list_create(actor=province_admin, programme=anhui)
    client = Client()
    client.force_login(department_officer)
    assert client.get(f"/pilot-zones/lists/{creation_list.pk}/").status_code == 404  # not yet consulted
    services.creation_list_entry_propose(
        actor=province_admin, creation_list=creation_list, application=application, opinion="好"
    )
    services.creation_list_consult(
        actor=province_admin,
        creation_list=creation_list,
        departments=[department("安徽省科学技术厅")],
        deadline=TODAY,
    )
    home = client.get("/").content.decode()
    assert "对“安徽省未来产业先导区创建名单（第1批）”提出意见" in home
    page = client.get(f"/pilot-zones/lists/{creation_list.pk}/").content.decode()
    assert 'data-testid="opinion-form"' in page and 'data-testid="publish-form"' not in page
    response = client.post(
        f"/pilot-zones/lists/{creation_list.pk}/opinion/", {"stance": "disagree", "text": ""}, follow=True
    )
    assert "有修改意见或不同意时，请写明具体意见" in response.content.decode()
    client.post(f"/pilot-zones/lists/{creation_list.pk}/opinion/", {"stance": "agree", "text": "同意"})
    assert creation_list.opinions.get().get_stance_display() == "同意"


def test_the_admin_drafts_on_the_page(shipped_programmes: dict[str, Any], province_admin: Any) -> None:
    anhui = shipped_programmes["anhui"]
    application = reviewed_application(anhui, "示例页面拟定先导区")
    client = Client()
    client.force_login(province_admin)
    response = client.post("/pilot-zones/lists/new/", {"programme": "anhui"}, follow=True)
    page = response.content.decode()
    assert "示例页面拟定先导区" in page and 'data-testid="candidate-row"' in page
    creation_list = CreationList.objects.get(programme=anhui)
    response = client.post(
        f"/pilot-zones/lists/{creation_list.pk}/publish/", {"expected": "draft"}, follow=True
    )
    assert "本计划须先征求省有关单位意见" in response.content.decode()
    response = client.post(
        f"/pilot-zones/lists/{creation_list.pk}/propose/",
        {"application": application.pk, "opinion": "方向明确", "expected": "draft"},
        follow=True,
    )
    assert 'data-testid="proposed-row"' in response.content.decode()
    stale = client.post(
        f"/pilot-zones/lists/{creation_list.pk}/propose/",
        {"application": application.pk, "opinion": "再来一次", "expected": "consultation"},
        follow=True,
    )
    assert "请刷新页面后再办理" in stale.content.decode()
