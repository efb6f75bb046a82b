"""The monitoring pages as their users see them: fill in with autosave, submit, review, approve, progress, figures."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from xiandao.monitoring.models import Report, ReportStatus, ReportValue
from xiandao.monitoring.tests.factories import ANHUI_VALUES, fill, period_open, report_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(anhui, hefei_zone):
    return report_of(period_open(anhui, 2025), hefei_zone)


def _save(client, report, code, value, **extra):
    return client.post(
        f"/monitoring/reports/{report.pk}/save/",
        {"indicator_code": code, "value": value, "source": "zone", **extra},
        HTTP_HX_REQUEST="true",
    )


def test_the_form_lists_each_indicator_with_unit_definition_last_period_and_counts(
    client, zone_operator, report
):
    client.force_login(zone_operator)
    page = client.get(f"/monitoring/reports/{report.pk}/").content.decode()
    assert "未来产业营业收入" in page and "（亿元）" in page
    assert "计算公式" in page
    assert "登记库计数" in page and "查看计入条目" in page  # 上市企业 is counted, read-only
    assert "2025年" in page


def test_autosave_runs_the_rules_as_the_operator_types(client, zone_operator, report):
    client.force_login(zone_operator)
    body = _save(client, report, "ia-lead-share", "120").content.decode()
    assert 'id="report-body"' in body
    assert "主导领域营业收入占比不能超过100%" in body
    assert ReportValue.objects.get(report=report, indicator_code="ia-lead-share").value == 120
    refused = _save(client, report, "ia-revenue", "十二").content.decode()
    assert "未保存" in refused and "不是数值" in refused


def test_submit_then_city_then_province_on_the_pages(
    client, zone_operator, hefei_city_officer, province_admin, report
):
    fill(report, ANHUI_VALUES, actor=zone_operator)
    client.force_login(zone_operator)
    page = client.get(f"/monitoring/reports/{report.pk}/").content.decode()
    assert "校验通过，可以提交" in page
    client.post(f"/monitoring/reports/{report.pk}/submit/")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.PENDING
    client.force_login(hefei_city_officer)
    listed = client.get("/monitoring/?todo=review").content.decode()
    assert report.zone.name in listed
    client.post(f"/monitoring/reports/{report.pk}/approve/", {"comment": "已核"})
    client.force_login(province_admin)
    progress = client.get(f"/monitoring/periods/{report.period_id}/").content.decode()
    assert "批量审定所选" in progress
    client.post(f"/monitoring/periods/{report.period_id}/approve/", {"ids": [str(report.pk)]})
    assert Report.objects.get(pk=report.pk).status == ReportStatus.APPROVED
    history = client.get(f"/monitoring/reports/{report.pk}/history/").content.decode()
    assert "已审定" in history and "审定" in history


def test_progress_export_and_charts(client, province_admin, zone_operator, report):
    fill(report, ANHUI_VALUES, actor=zone_operator)
    client.force_login(province_admin)
    overview = client.get("/monitoring/overview/").content.decode()
    assert "完整率" in overview and "0.0%" in overview
    xlsx = client.get(f"/monitoring/periods/{report.period_id}/?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert any(report.zone.name in [str(c.value) for c in row] for row in sheet.iter_rows())
    totals = client.get(f"/monitoring/periods/{report.period_id}/totals/").content.decode()
    assert 'data-chart="totals"' in totals and "合肥市" in totals
    zone = client.get(f"/monitoring/zones/{report.zone_id}/").content.decode()
    assert 'data-chart="zone"' in zone
    export = client.get(f"/monitoring/zones/{report.zone_id}/?format=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_admin_urges_with_one_click(
    client, province_admin, zone_operator, report, django_capture_on_commit_callbacks
):
    client.force_login(province_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/monitoring/reports/{report.pk}/urge/")
    from xiandao.notifications.models import Notification

    assert Notification.objects.filter(recipient=zone_operator, title__startswith="催报").exists()


def test_another_province_sees_nothing(client, zhejiang_admin, report):
    client.force_login(zhejiang_admin)
    assert client.get(f"/monitoring/reports/{report.pk}/").status_code == 404
    assert _save(client, report, "ia-revenue", "1").status_code == 404
