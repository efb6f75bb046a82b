"""The approval chain from the programme: zone → city → province; locks; re-approval; what evaluation reads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from xiandao.monitoring import selectors, services
from xiandao.monitoring.models import ReportStatus, StepAction, ValueVersion
from xiandao.monitoring.tests.factories import ANHUI_VALUES, fill, period_open, report_of


@pytest.fixture
def report(anhui, hefei_zone):
    period = period_open(anhui, 2025)
    return report_of(period, hefei_zone)


def test_the_report_belongs_to_the_city_of_its_park_as_of_the_period(report):
    assert report.city.name == "合肥市"


def test_zone_city_province_then_locked_and_counted(
    report, zone_operator, hefei_city_officer, province_admin, anhui, hefei_zone
):
    fill(report, ANHUI_VALUES, actor=zone_operator)
    services.report_submit(actor=zone_operator, report=report)
    report.refresh_from_db()
    assert (report.status, report.stage) == (ReportStatus.PENDING, 1)
    # the province cannot approve before the city
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=province_admin, report=report)
    services.report_approve(actor=hefei_city_officer, report=report, comment="数据已核")
    report.refresh_from_db()
    assert report.stage == 2
    assert selectors.approved_values(anhui, 2025) == {}
    services.report_approve(actor=province_admin, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    approved = selectors.approved_values(anhui, 2025)[hefei_zone.pk]
    assert approved["ia-revenue"] == Decimal("120")
    assert [s.action for s in report.steps.all()] == [
        StepAction.SUBMITTED,
        StepAction.APPROVED,
        StepAction.FINAL,
    ]
    # locked: a change needs a reason ...
    with pytest.raises(services.ReportRefused, match="原因"):
        fill(report, {"ia-revenue": "130"}, actor=zone_operator)
    # ... and is never counted as approved until the chain approves it again
    fill(
        report,
        {"ia-revenue": "130", "cr-net-revenue-increase": "30"},
        actor=zone_operator,
        reason="统计局核定数调整",
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.changes_since_approval == 1
    assert hefei_zone.pk not in selectors.approved_values(anhui, 2025)
    versions = ValueVersion.objects.filter(value__report=report, value__indicator_code="ia-revenue").order_by(
        "version"
    )
    assert [(v.number, v.reason) for v in versions] == [
        (Decimal("120.0000"), ""),
        (Decimal("130.0000"), "统计局核定数调整"),
    ]
    services.report_submit(actor=zone_operator, report=report)
    services.report_approve(actor=hefei_city_officer, report=report)
    services.report_approve(actor=province_admin, report=report)
    assert selectors.approved_values(anhui, 2025)[hefei_zone.pk]["ia-revenue"] == Decimal("130")


def test_an_error_blocks_submission_and_says_every_reason_at_once(report, zone_operator):
    fill(report, {**ANHUI_VALUES, "ia-lead-share": "120", "fs-degree-share": "101"}, actor=zone_operator)
    with pytest.raises(services.ReportRefused) as refused:
        services.report_submit(actor=zone_operator, report=report)
    text = "；".join(refused.value.messages)
    assert "主导领域营业收入占比不能超过100%" in text
    assert "本科及以上学历从业人员占比不能超过100%" in text


def test_a_missing_value_needs_a_comment(report, zone_operator):
    values = {k: v for k, v in ANHUI_VALUES.items() if k != "fs-incubation-space"}
    fill(report, values, actor=zone_operator)
    with pytest.raises(services.ReportRefused, match="孵化加速载体面积"):
        services.report_submit(actor=zone_operator, report=report)
    services.values_save(
        actor=zone_operator,
        report=report,
        changes=[services.ValueChange("fs-incubation-space", None, comment="载体尚在建设，本年无数据")],
    )
    services.report_submit(actor=zone_operator, report=report)


def test_a_return_goes_back_to_the_zone_with_the_reason(report, zone_operator, hefei_city_officer):
    fill(report, ANHUI_VALUES, actor=zone_operator)
    services.report_submit(actor=zone_operator, report=report)
    with pytest.raises(services.ReportRefused):
        services.report_return(actor=hefei_city_officer, report=report, comment=" ")
    services.report_return(actor=hefei_city_officer, report=report, comment="营业收入口径有误")
    report.refresh_from_db()
    assert (report.status, report.stage) == (ReportStatus.RETURNED, 0)
    assert report.steps.last().comment == "营业收入口径有误"


def test_report_states_say_which_zones_are_not_approved(report, anhui, hefei_zone):
    states = {s.zone_name: s for s in selectors.report_states(anhui, 2025)}
    assert states[hefei_zone.name].label == "填报中"
    assert not states[hefei_zone.name].approved


def test_totals_by_city_follow_the_membership_of_the_period(anhui, province_admin):
    """A zone that moved from Hefei to Wuhu in 2025 counts for Hefei in 2024 and for Wuhu in 2025."""
    import datetime as dt

    from xiandao.geo.models import Jurisdiction
    from xiandao.pilot_zones.tests.factories import PilotZoneFactory, ZonePlaceFactory
    from xiandao.programmes.models import Field

    hefei, wuhu = Jurisdiction.objects.get(code="340100"), Jurisdiction.objects.get(code="340200")
    zone: Any = PilotZoneFactory(
        field=Field.objects.filter(version__programme=anhui, code="quantum").first(), name="示例迁移先导区"
    )
    ZonePlaceFactory(
        zone=zone, jurisdiction=hefei, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2025, 1, 1)
    )
    ZonePlaceFactory(zone=zone, jurisdiction=wuhu, valid_from=dt.date(2025, 1, 1))
    earlier, later = period_open(anhui, 2024), period_open(anhui, 2025)
    for period in (earlier, later):
        fill(report_of(period, zone), {"ia-revenue": "50"})

    def revenue_by_city(period):
        item = next(
            i
            for i in selectors.programme_totals(period, province_admin)["indicators"]
            if i["code"] == "ia-revenue"
        )
        return dict(zip(item["by_city"]["names"], item["by_city"]["values"], strict=True))

    assert revenue_by_city(earlier) == {"合肥市": 50.0}
    assert revenue_by_city(later) == {"芜湖市": 50.0}
