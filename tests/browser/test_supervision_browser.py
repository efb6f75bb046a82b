"""A department officer reports a task's progress; the admin sees it in the cockpit and issues 督办 on
another (overdue) item; the national observer compares Anhui with Zhejiang."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import login_as, screenshot
from xiandao.programmes.models import TaskKind, UnitRole
from xiandao.supervision import services
from xiandao.supervision.models import ProgressReport, SupervisionNotice


@pytest.fixture
def tasks(personas, shipped_programmes):
    # A live-server test flushes the database after it: the programmes are loaded again when missing.
    anhui = shipped_programmes["anhui"]
    officer, admin = personas["department_officer"], personas["province_admin"]
    led = list(
        anhui.tasks.filter(
            kind=TaskKind.TASK, units__role=UnitRole.LEAD, units__organisations=officer.organisation
        )
        .distinct()
        .order_by("position")[:2]
    )
    first = services.work_item_create(
        actor=admin,
        programme=anhui,
        task=led[0],
        year=2026,
        title="示例：完成年度节点一",
        due=dt.date(2026, 12, 28),
    )
    overdue = services.work_item_create(
        actor=admin,
        programme=anhui,
        task=led[1],
        year=2026,
        title="示例：逾期节点二",
        due=dt.date(2026, 3, 31),
    )
    return led, first, overdue


def test_officer_reports_admin_supervises_observer_compares(page, tasks):
    (task, _other), _first, overdue = tasks
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login_as(page, "department_officer")
    page.get_by_role("link", name="督查").first.click()
    page.get_by_test_id("my-tasks").wait_for()
    screenshot(page, "supervision-1-officer-tasks")
    page.goto(f"/supervision/tasks/{task.pk}/")
    form = page.get_by_test_id("report-form")
    form.get_by_label("完成进度（%）").fill("60")
    form.get_by_label("进展情况").fill("示例：已完成年度节点的六成工作。")
    form.get_by_role("button", name="报送进展").click()
    page.get_by_text("任务进展已报送。").wait_for()
    assert ProgressReport.objects.filter(task=task, completion=60).exists()
    screenshot(page, "supervision-2-officer-reported")

    page.context.clear_cookies()
    login_as(page, "province_admin")
    page.goto("/supervision/anhui/cockpit/")
    page.get_by_test_id("cockpit").wait_for()
    page.wait_for_load_state("networkidle")
    latest = page.get_by_test_id("latest-reports").inner_text()
    assert "安徽省科学技术厅" in latest and "60%" in latest
    assert "省科技厅" in page.get_by_test_id("departments").inner_text()
    screenshot(page, "supervision-3-admin-cockpit")
    assert page.locator("[data-sv-chart] canvas").count() >= 7  # every chart drawn
    page.goto("/supervision/anhui/cockpit/?screen=1")
    page.wait_for_load_state("networkidle")
    screenshot(page, "supervision-4-cockpit-screen")
    page.goto(f"/supervision/tasks/{task.pk}/")
    assert "示例：已完成年度节点的六成工作。" in page.get_by_test_id("report-2026").inner_text()
    page.goto(f"/supervision/items/{overdue.pk}/")
    form = page.get_by_test_id("notice-form")
    form.get_by_label("督办意见").fill("示例：请说明逾期原因并报送完成计划。")
    form.get_by_role("button", name="下达督办").click()
    page.get_by_text("已下达督办。").wait_for()
    assert SupervisionNotice.objects.filter(item=overdue, answered_at__isnull=True).count() == 1
    screenshot(page, "supervision-5-notice-issued")
    page.goto("/supervision/anhui/warnings/")
    assert "工作事项逾期" in page.get_by_test_id("warnings").inner_text()
    screenshot(page, "supervision-6-warnings")
    page.goto("/supervision/anhui/targets/")
    screenshot(page, "supervision-7-targets")

    page.context.clear_cookies()
    login_as(page, "national_observer")
    page.goto("/supervision/compare/?p=anhui&p=zhejiang")
    table = page.get_by_test_id("compare").inner_text()
    assert "安徽" in table and "浙江" in table and "移出规则" in table
    screenshot(page, "supervision-8-observer-compare")
    assert not errors, errors
