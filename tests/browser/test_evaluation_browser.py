"""The admin runs the 2026 evaluation, the evaluator adjusts a grade with a reason, the admin
publishes, and the zone operator reads the report card with its path to the next grade."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import login_as, screenshot
from xiandao.evaluation.models import EvaluationRun, EvaluationSettings
from xiandao.evaluation.tests.factories import sources_replaced, values_make, zones_make
from xiandao.programmes.tests.loading import load


@pytest.fixture
def world(personas):
    programme = load("anhui").programme
    EvaluationSettings.objects.update_or_create(programme=programme, defaults={"draws": 50})
    zones = zones_make(programme, 4)
    strong = {zones[0].pk: 1.6, zones[1].pk: 1.1, zones[2].pk: 0.8, zones[3].pk: 0.5}
    with sources_replaced(values_make(programme, zones, range(2022, 2027), strong=strong)):
        yield programme, zones


def test_admin_runs_evaluator_adjusts_admin_publishes_zone_reads_its_card(page, world):
    programme, zones = world
    page.on("dialog", lambda dialog: dialog.accept())
    login_as(page, "province_admin")
    page.goto("/evaluation/")
    page.fill("#ev-year", "2026")
    page.get_by_test_id("run-new").click()
    page.get_by_test_id("completeness").wait_for()
    screenshot(page, "evaluation-1-completeness")
    page.get_by_test_id("run-create").click()
    page.get_by_text("已冻结2026年度数据快照").wait_for()
    page.get_by_test_id("run-start").click()
    page.get_by_test_id("results").wait_for()
    assert page.get_by_test_id("job-status").inner_text() == "已完成"
    assert page.get_by_test_id("run-status").inner_text() == "已计算"
    run = EvaluationRun.objects.get(programme=programme, year=2026)
    today = dt.date.today()
    page.select_option("select[name=user]", label="刘洋")
    page.fill("input[name=valid_from]", today.isoformat())
    page.fill("input[name=valid_to]", (today + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="委托").click()
    page.get_by_text("已委托刘洋评估本批次。").wait_for()
    page.locator("[data-chart=index-chart] canvas").wait_for()
    screenshot(page, "evaluation-2-results")

    page.context.clear_cookies()
    login_as(page, "evaluator")
    page.goto(f"/evaluation/runs/{run.pk}/")
    page.get_by_role("link", name=zones[1].name).click()
    proposed = page.get_by_test_id("grade").inner_text()
    new_grade = "A" if proposed != "A" else "AA"
    page.select_option("#adj-grade", new_grade)
    page.get_by_role("button", name="调整等次").click()
    page.get_by_text("调整等次须写明理由。").wait_for()  # no reason: refused, nothing written
    page.select_option("#adj-grade", new_grade)
    page.fill("#adj-reason", "第三方核查：部分平台未在有效期内，下调一档")
    page.get_by_role("button", name="调整等次").click()
    page.get_by_text("已调整等次，理由已记录。").wait_for()
    assert page.get_by_test_id("grade").inner_text() == new_grade
    assert "第三方核查：部分平台未在有效期内" in page.get_by_test_id("adjustment").inner_text()
    screenshot(page, "evaluation-3-evaluator-adjusts")

    page.context.clear_cookies()
    login_as(page, "province_admin")
    page.goto(f"/evaluation/runs/{run.pk}/")
    page.get_by_test_id("run-finalise").click()
    page.get_by_text("已确定评估等次。").wait_for()
    page.get_by_test_id("run-publish").click()
    page.get_by_text("已发布评估结果").wait_for()
    assert page.get_by_test_id("run-status").inner_text() == "已发布"
    page.get_by_test_id("bonus").wait_for()
    screenshot(page, "evaluation-4-published")

    page.context.clear_cookies()
    login_as(page, "zone_operator")
    page.goto("/evaluation/")
    weakest = run.zone_results.order_by("-rank").first()
    assert weakest is not None
    page.get_by_test_id("my-results").get_by_role("row").filter(has_text=weakest.zone_name).get_by_role(
        "link", name="评估报告单"
    ).click()
    page.get_by_test_id("path-to-next").wait_for()
    assert "提高到" in page.get_by_test_id("path-to-next").inner_text() or "增加" in page.get_by_test_id(
        "path-to-next"
    ).inner_text()
    page.locator("[data-chart=radar-chart] canvas").wait_for()
    page.get_by_test_id("consequence-improvement_plan").wait_for()
    screenshot(page, "evaluation-5-zone-report-card")
