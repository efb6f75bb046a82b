"""Adding, confirming and retiring entries through the services, with the refusals a user meets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xiandao.core.models import AuditEntry
from xiandao.geo.models import Jurisdiction
from xiandao.registries.models import Enterprise, EntryStatus, KeyTechnology, Project, ProvinceConfirmation
from xiandao.registries.registry import BY_KEY
from xiandao.registries.services.entries import (
    EntryRefused,
    enterprise_tag_add,
    entry_add,
    entry_confirm,
    entry_retire,
    project_progress_record,
    technology_assess,
)
from xiandao.registries.tests.factories import credit_code

pytestmark = pytest.mark.django_db
ENTERPRISES = BY_KEY["enterprise"]


def enterprise_data(**extra):
    return {
        "name": "示例量子测控科技有限公司",
        "credit_code": credit_code(1),
        "city": "合肥市",
        "valid_from": "2024-03-01",
        **extra,
    }


def test_an_enterprise_is_one_row_however_many_times_it_is_reported(hefei_city_officer, anhui):
    first = entry_add(actor=hefei_city_officer, registry=ENTERPRISES, data=enterprise_data())
    again = entry_add(
        actor=hefei_city_officer,
        registry=ENTERPRISES,
        data=enterprise_data(name="示例量子测控科技股份有限公司"),
    )
    assert first.created and not again.created and again.entry.pk == first.entry.pk
    assert Enterprise.objects.count() == 1
    assert AuditEntry.objects.filter(action="registries.enterprise.added").count() == 1


def test_a_wrong_check_character_is_refused_naming_the_field(hefei_city_officer, anhui):
    code = credit_code(2)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(EntryRefused) as excinfo:
        entry_add(actor=hefei_city_officer, registry=ENTERPRISES, data=enterprise_data(credit_code=wrong))
    messages = excinfo.value.message_dict["credit_code"]
    assert any("校验位不符" in m and f"应为“{code[17]}”" in m for m in messages)
    assert not Enterprise.objects.exists()


def test_an_officer_with_the_licence_may_record_a_failing_code_with_a_reason(hefei_city_officer, anhui):
    result = entry_add(
        actor=hefei_city_officer,
        registry=ENTERPRISES,
        data=enterprise_data(
            credit_code="91350100M0001TGQXM", code_override_reason="营业执照原件核对无误（2016年试点期代码）"
        ),
    )
    assert Enterprise.objects.get(pk=result.entry.pk).code_flagged


def test_a_malformed_code_cannot_be_overridden(hefei_city_officer, anhui):
    with pytest.raises(EntryRefused):
        entry_add(
            actor=hefei_city_officer,
            registry=ENTERPRISES,
            data=enterprise_data(credit_code="9135010", code_override_reason="执照在手"),
        )


def test_a_zone_operator_adds_for_their_zone_only(zone_operator, quantum_zone, wuhu_zone):
    ok = entry_add(actor=zone_operator, registry=ENTERPRISES, data=enterprise_data(zone=quantum_zone.name))
    assert ok.entry.zone == quantum_zone and ok.entry.field == quantum_zone.field
    assert ok.entry.status == EntryStatus.DRAFT
    with pytest.raises(EntryRefused) as excinfo:
        entry_add(
            actor=zone_operator,
            registry=ENTERPRISES,
            data=enterprise_data(credit_code=credit_code(3), zone=wuhu_zone.name, city="芜湖市"),
        )
    errors = excinfo.value.message_dict
    assert "不在您的管辖范围内" in errors["zone"][0] and "芜湖市不在您的管辖范围内" in errors["city"][0]
    with pytest.raises(EntryRefused) as excinfo:
        entry_add(actor=zone_operator, registry=ENTERPRISES, data=enterprise_data(credit_code=credit_code(4)))
    assert "须注明所属先导区" in excinfo.value.message_dict["zone"][0]


def test_a_field_outside_the_programmes_taxonomy_is_refused(hefei_city_officer, anhui):
    with pytest.raises(EntryRefused) as excinfo:
        entry_add(
            actor=hefei_city_officer, registry=ENTERPRISES, data=enterprise_data(field="flexible-electronics")
        )
    assert "不是本省培育计划领域分类中的领域" in excinfo.value.message_dict["field"][0]


def test_the_city_confirms_and_the_zone_operator_cannot(zone_operator, hefei_city_officer, quantum_zone):
    entry = entry_add(
        actor=zone_operator, registry=ENTERPRISES, data=enterprise_data(zone=quantum_zone.name)
    ).entry
    with pytest.raises(PermissionDenied):
        entry_confirm(actor=zone_operator, entry=entry)
    entry = entry_confirm(actor=hefei_city_officer, entry=entry, expected_status=EntryStatus.DRAFT)
    assert entry.status == EntryStatus.CONFIRMED and entry.confirmed_at is not None
    assert AuditEntry.objects.filter(
        action="registries.enterprise.confirmed", object_id=str(entry.pk)
    ).exists()


def test_the_province_confirms_where_the_programme_says_so(hefei_city_officer, province_admin, anhui):
    ProvinceConfirmation.objects.create(province=Jurisdiction.objects.get(code="340000"), registry="platform")
    platform = entry_add(
        actor=hefei_city_officer,
        registry=BY_KEY["platform"],
        data={
            "name": "示例量子概念验证中心",
            "city": "340100",
            "valid_from": "2025-01-01",
            "kind": "概念验证中心",
            "level": "省级",
        },
    ).entry
    platform = entry_confirm(actor=hefei_city_officer, entry=platform)
    assert platform.status == EntryStatus.CITY_CONFIRMED and platform.confirmed_at is None
    with pytest.raises(PermissionDenied):
        entry_confirm(actor=hefei_city_officer, entry=platform)
    platform = entry_confirm(actor=province_admin, entry=platform)
    assert platform.status == EntryStatus.CONFIRMED


def test_retiring_keeps_the_entry_with_date_and_reason(hefei_city_officer, anhui):
    entry = entry_add(actor=hefei_city_officer, registry=ENTERPRISES, data=enterprise_data()).entry
    entry_confirm(actor=hefei_city_officer, entry=entry)
    with pytest.raises(ValidationError):
        entry_retire(actor=hefei_city_officer, entry=entry, on=dt.date(2026, 1, 1), reason=" ")
    entry = entry_retire(actor=hefei_city_officer, entry=entry, on=dt.date(2026, 1, 1), reason="企业注销")
    entry.refresh_from_db()
    assert (
        entry.status == EntryStatus.RETIRED
        and entry.ends_on == dt.date(2026, 1, 1)
        and entry.retire_reason == "企业注销"
    )


def test_a_trl_outside_one_to_nine_is_refused(hefei_city_officer, anhui):
    added = entry_add(
        actor=hefei_city_officer,
        registry=BY_KEY["technology"],
        data={
            "name": "示例量子精密测量技术",
            "city": "合肥市",
            "valid_from": "2024-05-01",
            "catalogue": "前沿技术攻关目录",
        },
    ).entry
    technology = KeyTechnology.objects.get(pk=added.pk)
    technology_assess(
        actor=hefei_city_officer, technology=technology, level=4, assessed_on=dt.date(2024, 5, 1)
    )
    technology_assess(
        actor=hefei_city_officer, technology=technology, level=6, assessed_on=dt.date(2025, 9, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        technology_assess(
            actor=hefei_city_officer, technology=technology, level=10, assessed_on=dt.date(2026, 1, 1)
        )
    assert "1至9级" in excinfo.value.messages[0]
    assert [a.level for a in technology.assessments.order_by("assessed_on")] == [4, 6]


def test_completed_investment_above_the_plan_needs_a_note(hefei_city_officer, anhui):
    added = entry_add(
        actor=hefei_city_officer,
        registry=BY_KEY["project"],
        data={
            "name": "示例量子产业园项目",
            "city": "合肥市",
            "valid_from": "2024-01-01",
            "stage": "开工",
            "planned_investment": "10000",
        },
    ).entry
    project = Project.objects.get(pk=added.pk)
    project_progress_record(actor=hefei_city_officer, project=project, year=2024, invested=Decimal("6000"))
    with pytest.raises(ValidationError) as excinfo:
        project_progress_record(
            actor=hefei_city_officer, project=project, year=2025, invested=Decimal("5000")
        )
    assert "超计划说明" in str(excinfo.value)
    project.refresh_from_db()
    assert project.completed_investment == Decimal("6000") and project.progress.count() == 1
    project_progress_record(
        actor=hefei_city_officer,
        project=project,
        year=2025,
        invested=Decimal("5000"),
        overrun_note="二期追加设备投资",
    )
    project.refresh_from_db()
    assert project.completed_investment == Decimal("11000")


def test_a_listed_tag_needs_its_board_and_stock_code(hefei_city_officer, anhui):
    entry = Enterprise.objects.get(
        pk=entry_add(actor=hefei_city_officer, registry=ENTERPRISES, data=enterprise_data()).entry.pk
    )
    with pytest.raises(EntryRefused) as excinfo:
        enterprise_tag_add(
            actor=hefei_city_officer,
            enterprise=entry,
            data={"tag": "上市企业", "tag_valid_from": "2025-06-01"},
        )
    assert "股票代码" in excinfo.value.message_dict["stock_code"][0]
    tag = enterprise_tag_add(
        actor=hefei_city_officer,
        enterprise=entry,
        data={"tag": "high_tech", "certificate_no": "GR202434001234", "tag_valid_from": "2024-11-20"},
    )
    assert tag.valid_to == dt.date(2027, 11, 20)
