"""A zone operator downloads the period's Excel template, fills it in, uploads it with a mistake (every
problem listed, nothing saved), corrects the same file and uploads it again (saved)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.browser.conftest import login_as, screenshot
from xiandao.monitoring.models import Report, ReportValue
from xiandao.monitoring.tests.factories import ANHUI_VALUES, period_open, zone_in_park
from xiandao.monitoring.tests.workbooks import rows_by_key, template_fill
from xiandao.monitoring.workbook import layout
from xiandao.programmes.tests.loading import load


@pytest.fixture
def report(personas):
    programme = load("anhui").programme
    zone = zone_in_park(programme, name="示例监测量子传感先导区")
    period = period_open(programme, 2025)
    return Report.objects.get(period=period, zone=zone)


def test_template_download_fill_upload_error_then_corrected(page, report, tmp_path):
    login_as(page, "zone_operator")
    page.goto(f"/monitoring/reports/{report.pk}/")
    page.get_by_test_id("workbook-link").click()
    page.get_by_test_id("workbook-form").wait_for()
    screenshot(page, "workbook-1-upload-page")
    with page.expect_download() as download:
        page.get_by_test_id("workbook-download").click()
    assert download.value.suggested_filename.endswith("统计监测填报模板.xlsx")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    data = template.read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(data))[layout.DATA_SHEET]
    assert sheet.protection.sheet, "the downloaded template's headers are locked"

    rows = rows_by_key(data)
    wrong = tmp_path / "filled.xlsx"
    wrong.write_bytes(
        template_fill(
            data, report.zone_id, {**ANHUI_VALUES, "ic-invention-patents": "四十二", "fs-fiscal-support": -3}
        )
    )
    page.set_input_files("#workbook-file", str(wrong))
    page.get_by_test_id("workbook-submit").click()
    page.get_by_test_id("workbook-problems").wait_for()
    problems = page.get_by_test_id("workbook-problem").all_inner_texts()
    patents = rows[(report.zone_id, "ic-invention-patents", "")]
    support = rows[(report.zone_id, "fs-fiscal-support", "")]
    first, second = sorted([(patents, "实为“四十二”"), (support, "实为-3")])
    assert len(problems) == 2, problems
    assert (
        problems[0].startswith(f"工作表“填报数据”第{first[0]}行J列：数值应为非负") and first[1] in problems[0]
    )
    assert (
        problems[1].startswith(f"工作表“填报数据”第{second[0]}行J列：数值应为非负")
        and second[1] in problems[1]
    )
    assert "发现 2 处问题，本次未保存任何数值" in page.get_by_test_id("workbook-problems").inner_text()
    assert ReportValue.objects.filter(report=report).count() == 0
    screenshot(page, "workbook-2-problems-listed")

    right = tmp_path / "corrected.xlsx"
    right.write_bytes(template_fill(data, report.zone_id, ANHUI_VALUES))
    page.set_input_files("#workbook-file", str(right))
    page.get_by_test_id("workbook-submit").click()
    page.get_by_text("已导入“corrected.xlsx”").wait_for()
    assert page.url.endswith(f"/monitoring/reports/{report.pk}/")
    stored = dict(
        ReportValue.objects.filter(report=report, category="").values_list("indicator_code", "value")
    )
    assert {code: stored[code] for code in ANHUI_VALUES} == ANHUI_VALUES
    screenshot(page, "workbook-3-saved-report")
