"""Helpers for the creation-list tests: applications already reviewed (论证中), written as rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xiandao.geo.models import Jurisdiction, Park
from xiandao.pilot_zones.lifecycle import State
from xiandao.pilot_zones.models import Application, ApplicationTarget
from xiandao.programmes.models import Field, Programme, ZoneType


def reviewed_application(
    programme: Programme,
    name: str,
    *,
    city: str = "340100",
    parks: tuple[str, ...] = ("合肥高新技术产业开发区",),
    field: str = "quantum",
    zone_type: str = "",
    status: str = State.UNDER_REVIEW,
    period: tuple[int, int] = (2025, 2027),
    targets: dict[str, dict[int | None, str]] | None = None,
) -> Application:
    """An application of ``programme`` in ``status`` (论证中 by default) with parks and targets."""
    field_row = (
        Field.objects.filter(version__programme=programme, code=field).order_by("-version__position").first()
    )
    assert field_row is not None, field
    application = Application.objects.create(
        programme=programme,
        city=Jurisdiction.objects.get(code=city),
        name=name,
        field=field_row,
        zone_type=ZoneType.objects.get(programme=programme, code=zone_type) if zone_type else None,
        creation_start_year=period[0],
        creation_end_year=period[1],
        status=status,
        is_demo=True,
    )
    application.host_parks.set(Park.objects.filter(name__in=parks))
    for code, values in (
        targets or {"ic-rd-intensity": {None: "6", 2025: "4.5", 2026: "5", 2027: "6"}}
    ).items():
        for year, value in values.items():
            ApplicationTarget.objects.create(
                application=application, indicator_code=code, year=year, value=Decimal(value)
            )
    return application


def department(code_or_name: str) -> Any:
    from xiandao.accounts.models import Organisation

    return Organisation.objects.filter(name=code_or_name).first() or Organisation.objects.get(
        code=code_or_name
    )
