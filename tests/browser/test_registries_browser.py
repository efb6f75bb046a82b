"""A zone operator imports enterprises, the city confirms them, and the programme's target page counts them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from tests.browser.conftest import login_as, screenshot
from xiandao.pilot_zones.demo import demo_zones_create
from xiandao.programmes.tests.loading import load
from xiandao.registries.registry import BY_KEY
from xiandao.registries.services.importing import columns
from xiandao.registries.tests.factories import credit_code


@pytest.fixture
def anhui(personas):
    programme = load("anhui").programme
    demo_zones_create()
    return programme


def _workbook(path, n: int) -> None:
    cols = columns(BY_KEY["enterprise"])
    book = Workbook()
    sheet = book.active
    sheet.title = "企业"
    sheet.append([label for _, label in cols])
    for i in range(n):
        row = {
            "name": f"示例量子测控{i}有限公司",
            "credit_code": credit_code(500 + i),
            "city": "合肥市",
            "zone": "示例量子精密测量先导区",
            "valid_from": "2025-03-01",
            "tag": "高新技术企业",
            "certificate_no": f"GR20253400{i:04d}",
            "tag_valid_from": (dt.date.today() - dt.timedelta(days=30)).isoformat(),
        }
        sheet.append([row.get(name, "") for name, _ in cols])
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())


def _high_tech_count(page) -> str:
    page.goto("/programmes/anhui/targets/")
    row = page.locator("[data-testid=target-row][data-code=ap-2027-high-tech-enterprises]")
    return row.get_by_test_id("target-count-now").inner_text()


def test_zone_operator_imports_city_confirms_target_counts(page, anhui, tmp_path):
    login_as(page, "hefei_city_officer")
    assert _high_tech_count(page).startswith("现有 0 家")

    page.context.clear_cookies()
    login_as(page, "zone_operator")
    page.get_by_role("link", name="登记库").click()
    page.get_by_role("link", name="查看条目").first.click()
    page.get_by_role("link", name="Excel 导入").first.click()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    page.set_input_files("#i-file", str(bad))
    page.get_by_role("button", name="检查并导入").click()
    assert "不是 Excel 工作簿" in page.get_by_test_id("import-refused").inner_text()

    good = tmp_path / "企业.xlsx"
    _workbook(good, 3)
    page.set_input_files("#i-file", str(good))
    screenshot(page, "registries-import-form")
    page.get_by_role("button", name="检查并导入").click()
    page.get_by_text("已导入 3 条新条目", exact=False).first.wait_for()
    assert page.locator("[data-testid=entry-row]").count() == 3
    assert "待确认" in page.get_by_test_id("entry-table").inner_text()
    assert page.get_by_test_id("confirm-selected").count() == 0  # a zone operator cannot confirm
    screenshot(page, "registries-imported-drafts")

    page.context.clear_cookies()
    login_as(page, "hefei_city_officer")
    page.goto("/registries/enterprises/?status=draft")
    page.locator(".rg-check-all").check()
    page.get_by_test_id("confirm-selected").click()
    page.get_by_text("已确认 3 条").wait_for()
    screenshot(page, "registries-confirmed")

    assert _high_tech_count(page).startswith("现有 3 家")
    screenshot(page, "registries-target-count")
    page.locator("[data-testid=target-row][data-code=ap-2027-high-tech-enterprises]").get_by_role(
        "link", name="3"
    ).click()
    page.get_by_test_id("counted-note").wait_for()
    assert "高新技术企业" in page.get_by_test_id("counted-note").inner_text()
    assert page.locator("[data-testid=entry-row]").count() == 3
    screenshot(page, "registries-counted-entries")
