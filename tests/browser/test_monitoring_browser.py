"""A zone operator fills in and submits a report, the city reviews it and the province approves it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login_as, screenshot
from xiandao.monitoring.models import Report, ReportStatus
from xiandao.monitoring.tests.factories import ANHUI_VALUES, period_open, zone_in_park
from xiandao.programmes.tests.loading import load


@pytest.fixture
def report(personas):
    programme = load("anhui").programme
    zone = zone_in_park(programme, name="示例监测量子精密测量先导区")
    period = period_open(programme, 2025)
    return Report.objects.get(period=period, zone=zone)


def _type(page, code: str, value: str) -> None:
    box = page.locator(f"#v-{code}")
    box.fill(value)
    with page.expect_response(lambda r: "/save/" in r.url):
        box.press("Tab")
    page.wait_for_load_state("networkidle")


def test_zone_fills_in_city_reviews_province_approves(page, report):
    page.on("dialog", lambda dialog: dialog.accept())
    login_as(page, "zone_operator")
    page.goto("/monitoring/?todo=fill")
    page.get_by_role("link", name="示例监测量子精密测量先导区").first.click()
    page.get_by_test_id("step-bar").wait_for()
    # a share above 100% is an error as soon as it is typed, beside the field and in the summary
    _type(page, "ia-lead-share", "120")
    row = page.locator("[data-testid=field-row][data-code=ia-lead-share]")
    assert "主导领域营业收入占比不能超过100%" in row.get_by_test_id("findings").inner_text()
    assert page.get_by_test_id("submit-report").is_disabled()
    screenshot(page, "monitoring-1-zone-error-as-typed")
    for code, value in ANHUI_VALUES.items():
        _type(page, code, str(value))
    screenshot(page, "monitoring-2-zone-filled")
    assert page.get_by_test_id("ready-to-submit").is_visible(), page.get_by_test_id("report-body").inner_text()[:1500]
    assert "查看计入条目" in page.locator("[data-testid=field-row][data-code=ec-listed]").inner_text()
    screenshot(page, "monitoring-2-zone-filled")
    page.get_by_test_id("submit-report").click()
    page.get_by_text("报表已提交，等待审核。").wait_for()
    assert "待设区市审核" in page.get_by_test_id("report-status").inner_text()

    page.context.clear_cookies()
    login_as(page, "hefei_city_officer")
    page.goto("/monitoring/?todo=review")
    page.get_by_role("link", name="示例监测量子精密测量先导区").first.click()
    page.get_by_test_id("review-panel").wait_for()
    page.fill("#review-comment", "经核对，数据与统计部门一致")
    screenshot(page, "monitoring-3-city-review")
    page.get_by_test_id("approve-report").click()
    page.get_by_text("审核通过，已报送上一级。").wait_for()

    page.context.clear_cookies()
    login_as(page, "province_admin")
    page.get_by_role("link", name="统计监测").first.click()
    page.get_by_test_id("period-table").wait_for()
    page.get_by_role("link", name="进度").first.click()
    page.get_by_test_id("city-table").wait_for()
    page.locator("input[name=ids]").first.check()
    screenshot(page, "monitoring-4-province-progress")
    page.get_by_test_id("bulk-approve").click()
    page.get_by_text("已审定1份报表").wait_for()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    page.goto(f"/monitoring/reports/{report.pk}/")
    assert "已审定" in page.get_by_test_id("report-status").inner_text()
    screenshot(page, "monitoring-5-approved-locked")
    page.goto(f"/monitoring/zones/{report.zone_id}/")
    page.locator("[data-chart=zone] canvas").first.wait_for()
    screenshot(page, "monitoring-6-zone-chart")
