"""Monitoring objects of another province for the authorization matrix: a zone with a period, report, flag and file."""

from __future__ import annotations

import datetime as dt

from tests.authz import ForeignObject, ForeignWorld, provider
from xiandao.monitoring.models import Evidence, Flag, Report, ReportingPeriod, ReportValue
from xiandao.pilot_zones.models import PilotZone, ZonePlace, ZoneStatus
from xiandao.programmes.models import Field
from xiandao.programmes.tests.loading import programme_ensure

PUBLIC_URL_NAMES: set[str] = set()


def foreign_report(world: ForeignWorld) -> Report:
    """A report of a zone in the world's city, of the world's province's programme (one per run)."""
    programme = programme_ensure({"340000": "anhui", "330000": "zhejiang"}[world.province.code])
    field = Field.objects.filter(version__programme=programme).order_by("pk").first()
    zone, _ = PilotZone.objects.get_or_create(
        programme=programme,
        name=f"{world.marker}先导区",
        defaults={"field": field, "status": ZoneStatus.CREATING, "is_demo": True},
    )
    ZonePlace.objects.get_or_create(
        zone=zone, jurisdiction=world.city, defaults={"valid_from": dt.date(2020, 1, 1)}
    )
    period, _ = ReportingPeriod.objects.get_or_create(
        programme=programme,
        year=2025,
        quarter=0,
        defaults={"deadline": dt.date(2026, 3, 31), "note": world.marker},
    )
    report, _ = Report.objects.get_or_create(period=period, zone=zone, defaults={"city": world.city})
    return report


@provider("report_id")
def report_id(world: ForeignWorld) -> ForeignObject:
    report = foreign_report(world)
    return ForeignObject(str(report.pk), (report.zone.name,))


@provider("period_id")
def period_id(world: ForeignWorld) -> ForeignObject:
    report = foreign_report(world)
    return ForeignObject(str(report.period_id), (report.zone.name,))


@provider("zone_id")
def zone_id(world: ForeignWorld) -> ForeignObject:
    report = foreign_report(world)
    return ForeignObject(str(report.zone_id), (report.zone.name,))


@provider("flag_id")
def flag_id(world: ForeignWorld) -> ForeignObject:
    report = foreign_report(world)
    flag, _ = Flag.objects.get_or_create(
        report=report,
        key="rule:probe",
        defaults={"kind": "rule", "importance": "warning", "message": f"{world.marker}提示"},
    )
    return ForeignObject(str(flag.pk), (flag.message,))


@provider("file_id")
def file_id(world: ForeignWorld) -> ForeignObject:
    report = foreign_report(world)
    value, _ = ReportValue.objects.get_or_create(report=report, indicator_code="probe", category="")
    evidence, _ = Evidence.objects.get_or_create(
        value=value,
        defaults={"file": "monitoring/evidence/probe.pdf", "name": f"{world.marker}佐证.pdf", "size": 10},
    )
    return ForeignObject(str(evidence.pk), (evidence.name,))
