"""What is due: completeness and timeliness, reminders before and after the deadline, workbench to-dos."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiandao.monitoring import selectors, services
from xiandao.monitoring.tests.factories import ANHUI_VALUES, fill, period_open, report_of, zone_in_park

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def test_reminders_a_week_before_and_after_the_deadline(anhui, hefei_zone, zone_operator):
    period = period_open(anhui, 2025, deadline=dt.date(2026, 3, 31))
    before = selectors.report_reminders(_at(dt.date(2026, 3, 25)))
    assert [r.key for r in before] == [
        f"monitoring.report_due:{period.pk}:report-{report_of(period, hefei_zone).pk}:7d"
    ]
    assert zone_operator in before[0].recipients and "将于2026-03-31截止" in before[0].title
    assert selectors.report_reminders(_at(dt.date(2026, 3, 1))) == []
    after = selectors.report_reminders(_at(dt.date(2026, 4, 2)))
    assert after[0].key.endswith(":overdue") and "已过截止日期" in after[0].title
    fill(report_of(period, hefei_zone), ANHUI_VALUES)
    services.report_submit(actor=zone_operator, report=report_of(period, hefei_zone))
    assert selectors.report_reminders(_at(dt.date(2026, 4, 2))) == []


def test_completeness_and_timeliness_per_city(anhui, hefei_zone, zone_operator):
    wuhu = zone_in_park(
        anhui, "芜湖高新技术产业开发区", field_code="aerospace-information", name="示例监测芜湖先导区"
    )
    period = period_open(anhui, 2025, deadline=timezone.localdate() - dt.timedelta(days=1))
    fill(report_of(period, hefei_zone), ANHUI_VALUES)
    services.report_submit(actor=zone_operator, report=report_of(period, hefei_zone))
    total, cities = selectors.period_progress(period)
    assert (total.expected, total.submitted, total.on_time) == (2, 1, 0)  # submitted after the deadline
    by_city = {c.city: c for c in cities}
    assert by_city["芜湖市"].late == [wuhu.name]
    assert by_city["合肥市"].waiting == {"待设区市审核": 1}


def test_workbench_todos(anhui, hefei_zone, zone_operator, hefei_city_officer):
    period = period_open(anhui, 2025)
    assert [t.label for t in selectors.reports_todo(zone_operator)] == ["待填报的统计报表"]
    fill(report_of(period, hefei_zone), ANHUI_VALUES)
    services.report_submit(actor=zone_operator, report=report_of(period, hefei_zone))
    assert [t.label for t in selectors.reports_todo(hefei_city_officer)] == ["待审核的统计报表"]
