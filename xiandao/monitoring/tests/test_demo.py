"""The demonstration reports: written through the services, every state of the chain, removable."""

from __future__ import annotations

import pytest

from xiandao.monitoring import selectors
from xiandao.monitoring.demo import demo_reports_create, demo_reports_remove
from xiandao.monitoring.models import Report, ReportingPeriod, ReportStatus
from xiandao.monitoring.tests.factories import zone_in_park

pytestmark = pytest.mark.django_db


def test_demo_reports_2023_to_2026_with_approvals(anhui, personas):
    zones = [
        zone_in_park(anhui, name="示例演示甲先导区"),
        zone_in_park(
            anhui, "芜湖高新技术产业开发区", field_code="aerospace-information", name="示例演示乙先导区"
        ),
        zone_in_park(anhui, "蚌埠高新技术产业开发区", field_code="life", name="示例演示丙先导区"),
    ]
    assert demo_reports_create(list(personas.values())) >= 9
    assert demo_reports_create(list(personas.values())) == 0  # twice changes nothing
    approved = selectors.approved_values(anhui, 2024)
    assert {z.pk for z in zones} <= set(approved)
    states = {r.status for r in Report.objects.filter(period__year=2025, zone__in=zones)}
    assert states == {ReportStatus.PENDING, ReportStatus.DRAFT}
    # 2026 is being reported: two zones in three reported early and were approved, one is filling in.
    assert len({z.pk for z in zones} & set(selectors.approved_values(anhui, 2026))) == 2
    states = {r.status for r in Report.objects.filter(period__year=2026, zone__in=zones)}
    assert states == {ReportStatus.APPROVED, ReportStatus.DRAFT}
    # the trend's batch (supervision's target progress) reads each year as the year alone does
    years = range(2022, 2027)
    assert selectors.approved_values_by_year(anhui, years) == {
        y: selectors.approved_values(anhui, y) for y in years
    }
    demo_reports_remove()
    assert not Report.objects.filter(zone__in=zones).exists()
    assert not ReportingPeriod.objects.filter(programme=anhui).exists()
