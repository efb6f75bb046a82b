"""The Excel round trip through the service: download, fill, upload, read back equal; all or nothing;
the programme's rules checked before saving; approved reports reopened only with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from xiandao.core.models import AuditEntry
from xiandao.monitoring import selectors, services
from xiandao.monitoring.imports import report_workbook_import, workbook_template
from xiandao.monitoring.models import Flag, ReportStatus, ReportValue, ValueVersion
from xiandao.monitoring.tests.factories import ANHUI_VALUES, fill, period_open, report_of
from xiandao.monitoring.tests.workbooks import rows_by_key, template_fill
from xiandao.monitoring.workbook import layout


@pytest.fixture
def period(anhui, hefei_zone):
    return period_open(anhui, 2025)


@pytest.fixture
def report(period, hefei_zone):
    return report_of(period, hefei_zone)


def _values(report) -> dict[str, Decimal | None]:
    return dict(ReportValue.objects.filter(report=report, category="").values_list("indicator_code", "value"))


def test_download_fill_upload_and_read_back_equal(period, report, hefei_zone, zone_operator):
    filename, template = workbook_template(user=zone_operator, period=period)
    assert filename.endswith("统计监测填报模板.xlsx")
    data = template_fill(
        template, hefei_zone.pk, ANHUI_VALUES, comments={"cr-energy-intensity": "按统计局口径"}
    )
    outcome = report_workbook_import(actor=zone_operator, period=period, data=data)
    assert outcome.ok, outcome.messages
    assert outcome.created == len(ANHUI_VALUES)
    stored = _values(report)
    assert {code: stored[code] for code in ANHUI_VALUES} == ANHUI_VALUES
    assert (
        ReportValue.objects.get(report=report, indicator_code="cr-energy-intensity").comment == "按统计局口径"
    )
    version = ValueVersion.objects.get(value__report=report, value__indicator_code="ia-revenue")
    assert (version.version, version.number, version.changed_by) == (1, Decimal("120"), zone_operator)
    entry = AuditEntry.objects.get(action="monitoring.values.imported")
    assert entry.actor == zone_operator
    assert entry.after is not None
    assert entry.after["created"] == len(ANHUI_VALUES)
    assert entry.after["reports"][str(report.pk)]["created"] == len(ANHUI_VALUES)
    # the template downloaded again starts from what was saved
    _, again = workbook_template(user=zone_operator, period=period)
    assert report_workbook_import(actor=zone_operator, period=period, data=again).unchanged == len(
        ANHUI_VALUES
    )


def test_the_flags_written_in_bulk_are_those_of_the_report_form(
    anhui, period, report, hefei_zone, zone_operator
):
    last_year = report_of(period_open(anhui, 2024), hefei_zone)
    fill(last_year, {**ANHUI_VALUES, "ia-revenue": Decimal("100")}, actor=zone_operator)
    _, template = workbook_template(user=zone_operator, period=period)
    # 净增 should be 120 - 100 = 20: a warning rule, saved and flagged
    odd = {**ANHUI_VALUES, "cr-net-revenue-increase": Decimal("99")}
    outcome = report_workbook_import(
        actor=zone_operator, period=period, data=template_fill(template, hefei_zone.pk, odd)
    )
    assert outcome.ok, outcome.messages
    assert any("当年净增营业收入应等于" in w for w in outcome.warnings)
    bulk = set(Flag.objects.filter(report=report, active=True).values_list("key", "message"))
    services.flags_refresh(report=report)
    assert set(Flag.objects.filter(report=report, active=True).values_list("key", "message")) == bulk
    assert bulk


def test_one_wrong_cell_saves_nothing_and_names_every_problem(period, report, hefei_zone, zone_operator):
    _, template = workbook_template(user=zone_operator, period=period)
    rows = rows_by_key(template)
    data = template_fill(
        template,
        hefei_zone.pk,
        {**ANHUI_VALUES, "ic-invention-patents": "四十二", "fs-fiscal-support": -3},
    )
    outcome = report_workbook_import(actor=zone_operator, period=period, data=data)
    assert not outcome.ok
    assert [(p.row, p.column) for p in outcome.problems] == sorted(
        [
            (rows[(hefei_zone.pk, "ic-invention-patents", "")], "J"),
            (rows[(hefei_zone.pk, "fs-fiscal-support", "")], "J"),
        ]
    )
    assert "实为“四十二”" in " ".join(outcome.messages)
    assert ReportValue.objects.filter(report=report).count() == 0
    assert not AuditEntry.objects.filter(action="monitoring.values.imported").exists()


def test_an_error_rule_on_an_uploaded_value_saves_nothing(period, report, hefei_zone, zone_operator):
    _, template = workbook_template(user=zone_operator, period=period)
    row = rows_by_key(template)[(hefei_zone.pk, "ia-lead-share", "")]
    data = template_fill(template, hefei_zone.pk, {**ANHUI_VALUES, "ia-lead-share": 120})
    outcome = report_workbook_import(actor=zone_operator, period=period, data=data)
    assert len(outcome.problems) == 1
    assert str(outcome.problems[0]).startswith(
        f"工作表“{layout.DATA_SHEET}”第{row}行J列：{hefei_zone.name}：主导领域营业收入占比不能超过100%（左边 120"
    )
    assert ReportValue.objects.filter(report=report).count() == 0


def test_a_template_of_another_period_is_refused(anhui, period, hefei_zone, zone_operator):
    other = period_open(anhui, 2024)
    _, template = workbook_template(user=zone_operator, period=other)
    outcome = report_workbook_import(actor=zone_operator, period=period, data=template)
    assert outcome.refused
    assert "不是本期（2025年）的模板" in outcome.messages[0]


def test_an_approved_report_reopens_only_with_a_reason(
    period, report, hefei_zone, zone_operator, hefei_city_officer, province_admin
):
    fill(report, ANHUI_VALUES, actor=zone_operator)
    services.report_submit(actor=zone_operator, report=report)
    services.report_approve(actor=hefei_city_officer, report=report)
    services.report_approve(actor=province_admin, report=report)
    _, template = workbook_template(user=zone_operator, period=period)
    data = template_fill(template, hefei_zone.pk, {"ia-revenue": 130, "cr-net-revenue-increase": 30})
    refused = report_workbook_import(actor=zone_operator, period=period, data=data)
    assert "须填写修改原因" in refused.messages[0]
    assert _values(report)["ia-revenue"] == Decimal("120")
    outcome = report_workbook_import(actor=zone_operator, period=period, data=data, reason="统计局核定数调整")
    assert outcome.ok, outcome.messages
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    value = ReportValue.objects.get(report=report, indicator_code="ia-revenue", category="")
    assert (value.value, value.version, value.approved) == (Decimal("130"), 2, False)
    assert hefei_zone.pk not in selectors.approved_values(report.period.programme, 2025)


def test_a_submitted_report_is_not_in_the_template_and_cannot_be_changed(
    period, report, hefei_zone, zone_operator
):
    _, template = workbook_template(user=zone_operator, period=period)
    fill(report, ANHUI_VALUES, actor=zone_operator)
    services.report_submit(actor=zone_operator, report=report)
    with pytest.raises(PermissionDenied):
        workbook_template(user=zone_operator, period=period)
    with pytest.raises(PermissionDenied):
        report_workbook_import(actor=zone_operator, period=period, data=template)


def test_a_user_without_reports_gets_no_template(period, scientist_expert):
    with pytest.raises(PermissionDenied):
        workbook_template(user=scientist_expert, period=period)


def test_the_pages_download_the_template_and_list_every_problem_of_an_upload(
    client, period, report, hefei_zone, zone_operator
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(zone_operator)
    page = client.get(reverse("monitoring:report_detail", kwargs={"report_id": report.pk}))
    upload_url = reverse("monitoring:workbook_upload", kwargs={"period_id": period.pk})
    assert upload_url in page.content.decode()
    response = client.get(reverse("monitoring:workbook_download", kwargs={"period_id": period.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    template = response.content
    wrong = template_fill(template, hefei_zone.pk, {"ia-revenue": "很多"})
    response = client.post(upload_url, {"file": SimpleUploadedFile("填报.xlsx", wrong)})
    assert response.status_code == 422
    text = response.content.decode()
    row = rows_by_key(template)[(hefei_zone.pk, "ia-revenue", "")]
    assert f"工作表“填报数据”第{row}行J列：数值应为非负数（最多4位小数），实为“很多”" in text
    assert "本次未保存任何数值" in text
    right = template_fill(template, hefei_zone.pk, ANHUI_VALUES)
    response = client.post(upload_url, {"file": SimpleUploadedFile("填报.xlsx", right)})
    assert response.status_code == 302
    assert _values(report)["ia-revenue"] == Decimal("120")


def test_the_api_answers_422_with_every_problem_and_saves_a_valid_file(
    client, period, report, hefei_zone, zone_operator
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(zone_operator)
    url = f"/api/v1/monitoring/periods/{period.pk}/workbook"
    template = client.get(url).content
    response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", b"not a workbook")})
    assert response.status_code == 422
    assert response.json()["details"][0]["message"].startswith("文件不是 Excel 工作簿")
    response = client.post(
        url, {"file": SimpleUploadedFile("a.xlsx", template_fill(template, hefei_zone.pk, ANHUI_VALUES))}
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == len(ANHUI_VALUES)
