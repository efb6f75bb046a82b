"""Zhejiang's variant in the browser, on the demonstration data: 公示 with its objection, 培育名单, 培育验收考核.

The admin sees the published cultivation list with its public notice and the answered objection,
starts and records an acceptance assessment (a failure needs its reason), and anyone sees the
list in the programme's own words (培育建设, 列入省级名单).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login_as, screenshot
from xiandao.pilot_zones.lists.models import CreationList
from xiandao.pilot_zones.models import PilotZone
from xiandao.programmes.tests.loading import load
from xiandao.web.demo import demo_data_load


@pytest.fixture
def demo(personas: dict[str, Any]) -> None:
    load("anhui")
    load("zhejiang")
    demo_data_load()


def test_zhejiang_cultivation_list_and_acceptance(page: Any, demo: None) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    cultivation = CreationList.objects.get(programme__code="zhejiang")

    # The public page names the list and the statuses in Zhejiang's words.
    page.goto("/programmes/zhejiang/creation-lists/")
    text = page.get_by_test_id("public-list").inner_text()
    assert "浙江省未来产业先导区培育名单（第1批）" in text
    assert "培育建设" in text and "列入省级“未来产业先导区”名单" in text
    assert "区域集聚型" in text
    screenshot(page, "zhejiang-01-public-cultivation-list")

    # The admin's page: public notice of 7 days, the objection and its answer, the moves it went through.
    login_as(page, "zhejiang_admin")
    page.goto(f"/pilot-zones/lists/{cultivation.pk}/")
    assert "公示（7天）" in page.content()
    statuses = page.get_by_test_id("entry-status").all_inner_texts()
    assert sorted(statuses) == sorted(["列入省级“未来产业先导区”名单", "培育建设"])
    assert "异议不成立" in page.get_by_test_id("objection-table").inner_text()
    steps = page.get_by_test_id("list-steps").inner_text()
    assert "征求省有关单位意见" not in steps and "公示7天" in steps
    screenshot(page, "zhejiang-02-list-with-notice")

    # The acceptance assessment: a failure without a reason is refused, with one the zone goes back.
    zone = PilotZone.objects.get(name="示例柔性电子培育先导区")
    page.goto("/pilot-zones/lists/acceptance/")
    row = page.locator("[data-testid=acceptance-row]", has_text=zone.name)
    row.locator("summary").click()
    row.get_by_label("浙江省科学技术厅").check()
    row.get_by_role("button", name="开展培育验收考核").click()
    page.wait_for_load_state()
    row = page.locator("[data-testid=acceptance-row]", has_text=zone.name)
    assert "验收考核中" in row.inner_text()
    row.locator("select[name=passed]").select_option("0")
    row.get_by_role("button", name="记录结果").click()
    page.wait_for_load_state()
    assert "未通过验收考核须写明理由" in page.content()
    row = page.locator("[data-testid=acceptance-row]", has_text=zone.name)
    row.locator("select[name=passed]").select_option("0")
    row.locator("textarea[name=opinion]").fill("柔性电子中试平台尚未投运，继续培育。")
    row.get_by_role("button", name="记录结果").click()
    page.wait_for_load_state()
    row = page.locator("[data-testid=acceptance-row]", has_text=zone.name)
    assert "培育建设" in row.inner_text() and "未通过" in row.inner_text()
    screenshot(page, "zhejiang-03-acceptance")
    zone.refresh_from_db()
    assert zone.status == "creating"
