"""Supervision through the services and pages: reports, bad input, 督办, warnings, the standing clause, the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from xiandao.programmes.models import Programme, TaskKind, UnitRole
from xiandao.supervision import presentation, selectors, services
from xiandao.supervision.models import ProgressReport, SupervisionNotice

pytestmark = pytest.mark.django_db


def _led_task(officer):
    anhui = Programme.objects.get(code="anhui")
    return (
        anhui.tasks.filter(
            kind=TaskKind.TASK, units__role=UnitRole.LEAD, units__organisations=officer.organisation
        )
        .distinct()
        .first()
    )


def _foreign_task(officer):
    anhui = Programme.objects.get(code="anhui")
    return anhui.tasks.filter(kind=TaskKind.TASK).exclude(units__organisations=officer.organisation).first()


def test_the_lead_unit_reports_and_bad_input_is_refused(personas):
    officer = personas["department_officer"]
    task = _led_task(officer)
    report = services.progress_report_submit(
        actor=officer, task=task, year=2026, summary="推进中", completion=40
    )
    assert ProgressReport.objects.filter(pk=report.pk, completion=40).exists()
    with pytest.raises(ValidationError, match="不是任务"):
        services.progress_report_submit(
            actor=officer, task=_foreign_task(officer), year=2026, summary="x", completion=1
        )
    with pytest.raises(ValidationError, match="报送期已结束"):
        services.progress_report_submit(actor=officer, task=task, year=2024, summary="x", completion=1)
    assert ProgressReport.objects.filter(task=task).count() == 1


def test_a_value_without_evidence_is_refused(personas):
    admin = personas["province_admin"]
    anhui = Programme.objects.get(code="anhui")
    target = anhui.targets.filter(measure="").first()
    assert target is not None
    with pytest.raises(ValidationError, match="佐证"):
        services.target_value_report(
            actor=admin, target=target, as_of=dt.date(2025, 12, 31), value="100", evidence=" "
        )
    services.target_value_report(
        actor=admin, target=target, as_of=dt.date(2025, 12, 31), value="100", evidence="统计快报"
    )
    row = next(r for r in selectors.target_progress(anhui) if r.target.pk == target.pk)
    assert row.current == 100 and row.source == "reported"
    # A figure for the end of 2025 is held against the path at the end of 2025, not against today's point.
    assert row.as_of == dt.date(2025, 12, 31)
    assert row.expected == row.path.expected(dt.date(2025, 12, 31))
    # A figure on the eve of the base year is where a stock's path starts; a later one is not.
    assert row.path.base == 0
    services.target_value_report(
        actor=admin,
        target=target,
        as_of=dt.date(anhui.start_year - 1, 12, 31),
        value="40",
        evidence="统计年鉴",
    )
    row = next(r for r in selectors.target_progress(anhui) if r.target.pk == target.pk)
    assert row.path.base == (40 if target.basis == "stock" else 0)
    chart = presentation.trend_chart(row)
    assert chart["categories"][0] == f"{anhui.start_year - 1}（基期）"
    assert chart["series"][0]["data"][0] == float(row.path.base)


def test_notice_on_an_overdue_item_once_and_answered(personas):
    admin, officer = personas["province_admin"], personas["department_officer"]
    task = _led_task(officer)
    item = services.work_item_create(
        actor=admin, programme=task.programme, task=task, year=2026, title="节点", due=dt.date(2026, 3, 1)
    )
    warnings = [w for w in selectors.warnings_open(task.programme) if w.kind == "item_overdue"]
    assert any(w.key == f"item_overdue:{item.pk}" for w in warnings)
    notice = services.notice_issue(actor=admin, item=item, text="请说明")
    with pytest.raises(ValidationError, match="重复督办"):
        services.notice_issue(actor=admin, item=item, text="再次")
    assert SupervisionNotice.objects.filter(item=item).count() == 1
    services.notice_answer(actor=officer, notice=notice, answer="已安排")
    services.work_item_complete(actor=officer, item=item, done_on=dt.date(2026, 11, 1), note="完成")
    assert not any(w.key == f"item_overdue:{item.pk}" for w in selectors.warnings_open(task.programme))


def test_an_explanation_closes_a_warning(personas):
    admin = personas["province_admin"]
    anhui = Programme.objects.get(code="anhui")
    task = anhui.tasks.filter(kind=TaskKind.TASK).first()
    item = services.work_item_create(
        actor=admin, programme=anhui, task=task, year=2026, title="节点", due=dt.date(2026, 1, 5)
    )
    key = f"item_overdue:{item.pk}"
    services.warning_explain(actor=admin, programme=anhui, key=key, text="延期经批准")
    assert key not in {w.key for w in selectors.warnings_open(anhui)}


def test_the_standing_clause_shows_on_every_task(personas):
    fuzhou = Programme.objects.get(code="fuzhou")
    rows = selectors.task_rows(fuzhou)
    assert rows and all(row.standing == ("各县（市）区人民政府", "高新区管委会") for row in rows)


def test_pages_and_api(client, personas):
    client.force_login(personas["province_admin"])
    for url in [
        "/supervision/anhui/targets/",
        "/supervision/anhui/tasks/",
        "/supervision/anhui/warnings/",
        "/supervision/anhui/cockpit/",
        "/supervision/anhui/cockpit/?screen=1",
        "/supervision/anhui/cockpit/?chart=city&format=xlsx",
    ]:
        assert client.get(url).status_code == 200, url
    doc = client.get("/supervision/anhui/bulletin/?year=2026")
    assert doc.status_code == 200 and doc["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = client.get("/api/v1/programmes/anhui/target-progress").json()
    assert rows and set(rows[0]) == {
        "id",
        "year",
        "metric",
        "value",
        "current",
        "expected",
        "status",
        "measure",
        "as_of",
    }
    assert client.get("/api/v1/programmes/zhejiang/target-progress").status_code == 404
    assert isinstance(client.get("/api/v1/programmes/anhui/warnings").json(), list)


def test_the_observer_compares_anhui_with_zhejiang(client, personas):
    client.force_login(personas["national_observer"])
    page = client.get("/supervision/compare/?p=anhui&p=zhejiang").content.decode()
    assert "规则差异" in page and "浙江" in page and "安徽" in page
    assert client.post("/supervision/anhui/items/new/", {"title": "x"}).status_code == 404


def test_progress_and_notices_over_the_api(client, personas):
    officer, admin = personas["department_officer"], personas["province_admin"]
    task = _led_task(officer)
    client.force_login(officer)
    url = f"/api/v1/supervision/tasks/{task.pk}/reports"
    created = client.post(
        url, {"year": 2026, "summary": "接口报送", "completion": 55}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["completion"] == 55
    assert client.post(url, "{", content_type="application/json").status_code == 422
    foreign = _foreign_task(officer)
    assert (
        client.post(
            f"/api/v1/supervision/tasks/{foreign.pk}/reports", {}, content_type="application/json"
        ).status_code
        == 404
    )
    item = services.work_item_create(
        actor=admin, programme=task.programme, task=task, year=2026, title="节点", due=dt.date(2026, 2, 1)
    )
    assert (
        client.post(
            f"/api/v1/supervision/items/{item.pk}/notices", {"text": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    client.force_login(admin)
    issued = client.post(
        f"/api/v1/supervision/items/{item.pk}/notices", {"text": "请说明"}, content_type="application/json"
    )
    assert issued.status_code == 201
    again = client.post(
        f"/api/v1/supervision/items/{item.pk}/notices", {"text": "再次"}, content_type="application/json"
    )
    assert again.status_code == 400 and "重复督办" in again.json()["error"]["message"]
    client.force_login(officer)
    answered = client.post(
        f"/api/v1/supervision/notices/{issued.json()['id']}/answer",
        {"answer": "已安排"},
        content_type="application/json",
    )
    assert answered.status_code == 200 and answered.json()["answered"] is True
