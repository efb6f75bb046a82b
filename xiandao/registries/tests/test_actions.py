"""The entry page's actions as a user performs them: confirm, retire, tags, TRL, progress, evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiandao.registries.models import Enterprise, EntryStatus, EvidenceFile, KeyTechnology, Project
from xiandao.registries.tests.factories import (
    EnterpriseFactory,
    EnterpriseTagFactory,
    ProjectFactory,
    TechnologyFactory,
)

pytestmark = pytest.mark.django_db


def test_confirm_and_retire_from_the_entry_page(client, hefei_city_officer, anhui):
    entry = EnterpriseFactory.create(status=EntryStatus.DRAFT, confirmed_at=None)
    client.force_login(hefei_city_officer)
    client.post(f"/registries/enterprises/{entry.pk}/confirm/", {"status": "draft"})
    assert Enterprise.objects.get(pk=entry.pk).status == EntryStatus.CONFIRMED
    response = client.post(
        f"/registries/enterprises/{entry.pk}/retire/", {"on": "2026-01-01", "reason": ""}, follow=True
    )
    assert "请填写退出原因" in response.content.decode()
    client.post(f"/registries/enterprises/{entry.pk}/retire/", {"on": "2026-01-01", "reason": "企业迁出"})
    retired = Enterprise.objects.get(pk=entry.pk)
    assert retired.status == EntryStatus.RETIRED and retired.ends_on == dt.date(2026, 1, 1)
    log = client.get(f"/registries/enterprises/{entry.pk}/").content.decode()
    assert "企业：确认" in log and "企业：退出" in log and "企业迁出" in log


def test_tags_gained_and_lost_from_the_entry_page(client, hefei_city_officer, anhui):
    entry = EnterpriseFactory.create()
    client.force_login(hefei_city_officer)
    client.post(
        f"/registries/enterprises/{entry.pk}/tags/",
        {"tag": "tech_sme", "certificate_no": "2025340100001", "tag_valid_from": "2025-04-01"},
    )
    tag = entry.tags.get()
    assert tag.valid_to == dt.date(2026, 1, 1) and tag.confirmed
    listed = EnterpriseTagFactory.create(
        enterprise=entry, tag="listed", valid_to=None, board="star", stock_code="688001"
    )
    client.post(f"/registries/enterprises/tags/{listed.pk}/end/", {"on": "2026-06-30", "reason": "终止上市"})
    listed.refresh_from_db()
    assert listed.valid_to == dt.date(2026, 6, 30) and listed.ended_reason == "终止上市"


def test_trl_and_progress_from_the_entry_page(client, hefei_city_officer, anhui):
    technology = TechnologyFactory.create()
    project = ProjectFactory.create(planned_investment=1000)
    client.force_login(hefei_city_officer)
    response = client.post(
        f"/registries/technologies/{technology.pk}/trl/",
        {"level": "12", "assessed_on": "2025-01-01"},
        follow=True,
    )
    assert "1至9级" in response.content.decode()
    client.post(f"/registries/technologies/{technology.pk}/trl/", {"level": "5", "assessed_on": "2025-01-01"})
    assert list(KeyTechnology.objects.get(pk=technology.pk).assessments.values_list("level", flat=True)) == [
        5
    ]
    response = client.post(
        f"/registries/projects/{project.pk}/progress/", {"year": "2025", "invested": "1200"}, follow=True
    )
    assert "超计划说明" in response.content.decode()
    assert Project.objects.get(pk=project.pk).completed_investment == 0


def test_evidence_is_kept_and_shown_only_in_scope(
    client, hefei_city_officer, zhejiang_admin, anhui, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    entry = EnterpriseFactory.create()
    client.force_login(hefei_city_officer)
    upload = SimpleUploadedFile("高新技术企业证书.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    client.post(f"/registries/enterprises/{entry.pk}/evidence/", {"file": upload})
    evidence = EvidenceFile.objects.get()
    assert evidence.name == "高新技术企业证书.pdf" and evidence.uploaded_by == hefei_city_officer
    assert client.get(f"/registries/evidence/{evidence.pk}/").status_code == 200
    client.force_login(zhejiang_admin)
    assert client.get(f"/registries/evidence/{evidence.pk}/").status_code == 404
    assert client.get(f"/registries/enterprises/{entry.pk}/").status_code == 404


def test_a_zone_operator_sees_only_their_zones_entries(client, zone_operator, quantum_zone, wuhu_zone):
    EnterpriseFactory(name="示例本区企业", zone=quantum_zone)
    EnterpriseFactory(name="示例芜湖企业", zone=wuhu_zone)
    EnterpriseFactory(name="示例合肥区外企业")
    client.force_login(zone_operator)
    page = client.get("/registries/enterprises/").content.decode()
    assert "示例本区企业" in page and "示例芜湖企业" not in page and "示例合肥区外企业" not in page


def test_a_draft_is_corrected_and_a_confirmed_entry_is_not(client, hefei_city_officer, anhui):
    draft = EnterpriseFactory.create(status=EntryStatus.DRAFT, confirmed_at=None, name="示例错字企业")
    client.force_login(hefei_city_officer)
    form = client.get(f"/registries/enterprises/{draft.pk}/edit/").content.decode()
    assert 'value="示例错字企业"' in form and draft.credit_code in form
    client.post(
        f"/registries/enterprises/{draft.pk}/edit/",
        {
            "name": "示例正字企业",
            "city": "340100",
            "valid_from": "2024-01-01",
            "credit_code": draft.credit_code,
        },
    )
    assert Enterprise.objects.get(pk=draft.pk).name == "示例正字企业"
    confirmed = EnterpriseFactory.create()
    response = client.get(f"/registries/enterprises/{confirmed.pk}/edit/", follow=True)
    assert "只有待确认的条目可以修改" in response.content.decode()


def test_a_draft_cannot_take_another_enterprises_code(client, hefei_city_officer, anhui):
    other = EnterpriseFactory.create(name="示例已登记企业")
    draft = EnterpriseFactory.create(status=EntryStatus.DRAFT, confirmed_at=None)
    client.force_login(hefei_city_officer)
    response = client.post(
        f"/registries/enterprises/{draft.pk}/edit/",
        {
            "name": "示例草稿企业",
            "city": "340100",
            "valid_from": "2024-01-01",
            "credit_code": other.credit_code,
        },
    )
    assert "该统一社会信用代码已登记为“示例已登记企业”" in response.content.decode()
    assert Enterprise.objects.get(pk=draft.pk).credit_code != other.credit_code
