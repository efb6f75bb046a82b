"""Test data of monitoring: zones of a programme in named parks, opened periods, filled reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from xiandao.geo.models import Park
from xiandao.monitoring import services
from xiandao.monitoring.models import Report, ReportingPeriod
from xiandao.pilot_zones.models import PilotZone
from xiandao.pilot_zones.tests.factories import PilotZoneFactory, ZonePlaceFactory
from xiandao.programmes.models import Field, Programme

HEFEI_PARK = "合肥高新技术产业开发区"


def zone_in_park(
    programme: Programme, park_name: str = HEFEI_PARK, *, field_code: str = "quantum", name: str = ""
) -> PilotZone:
    """A reporting (创建中) zone of ``programme`` hosted in a park since 2020."""
    field = (
        Field.objects.filter(version__programme=programme, code=field_code)
        .order_by("-version__valid_from")
        .first()
    )
    assert field is not None, field_code
    kwargs: dict[str, Any] = {"field": field}
    if name:
        kwargs["name"] = name
    zone: PilotZone = PilotZoneFactory(**kwargs)  # type: ignore[assignment]
    ZonePlaceFactory(zone=zone, park=Park.objects.get(name=park_name), valid_from=dt.date(2020, 1, 1))
    return zone


def period_open(programme: Programme, year: int = 2025, **kwargs: Any) -> ReportingPeriod:
    return services.period_open(actor=None, programme=programme, year=year, **kwargs)


def report_of(period: ReportingPeriod, zone: PilotZone) -> Report:
    return Report.objects.get(period=period, zone=zone)


def fill(report: Report, values: dict[str, Any], *, actor: Any = None, reason: str = "") -> None:
    services.values_save(
        actor=actor,
        report=report,
        changes=[services.ValueChange(code, value) for code, value in values.items()],
        reason=reason,
    )


#: A complete, consistent set of Anhui's entered values (every rule holds, nothing missing).
ANHUI_VALUES: dict[str, Decimal] = {
    "ic-rd-intensity": Decimal("6.5"),
    "ic-invention-patents": Decimal("42"),
    "ia-revenue": Decimal("120"),
    "ia-revenue-growth": Decimal("20"),
    "ia-lead-share": Decimal("60"),
    "fs-equity-investment": Decimal("15"),
    "fs-fiscal-support": Decimal("3"),
    "fs-degree-share": Decimal("55"),
    "fs-incubation-space": Decimal("12"),
    "cr-target-attainment": Decimal("80"),
    "cr-value-added-share": Decimal("2.5"),
    "cr-net-revenue-increase": Decimal("20"),
    "cr-national-recognitions": Decimal("3"),
    "cr-energy-intensity": Decimal("0.3"),
}
