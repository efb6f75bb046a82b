"""A zone's plan: its creation period and targets per indicator, overall and per year."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from xiandao.pilot_zones.models import PilotZone, ZoneStatus, ZoneTarget
from xiandao.pilot_zones.selectors import zone_annual_targets, zone_plan
from xiandao.pilot_zones.tests.factories import PilotZoneFactory
from xiandao.programmes.models import Field

pytestmark = pytest.mark.django_db


def test_the_plan_gives_each_years_targets_and_the_overall_ones(shipped_programmes):
    field = Field.objects.filter(version__programme__code="anhui", code="quantum").first()
    zone: PilotZone = PilotZoneFactory.create(field=field, creation_start_year=2025, creation_end_year=2027)
    ZoneTarget.objects.create(zone=zone, indicator_code="ia-revenue", year=None, value=Decimal("60"))
    ZoneTarget.objects.create(zone=zone, indicator_code="ia-revenue", year=2026, value=Decimal("21.5"))
    ZoneTarget.objects.create(zone=zone, indicator_code="ec-high-tech", year=2026, value=Decimal("24"))
    assert zone_annual_targets(zone, 2026) == {"ia-revenue": Decimal("21.5"), "ec-high-tech": Decimal("24")}
    assert zone_annual_targets(zone, 2025) == {}
    plan = zone_plan(zone)
    assert plan.years == [2025, 2026, 2027]
    assert plan.overall == {"ia-revenue": Decimal("60")}
    assert plan.annual == {2026: {"ia-revenue": Decimal("21.5"), "ec-high-tech": Decimal("24")}}
    with pytest.raises(IntegrityError), transaction.atomic():
        ZoneTarget.objects.create(zone=zone, indicator_code="ia-revenue", year=None, value=Decimal("1"))


def test_zone_status_takes_every_state_of_the_life_cycle():
    from xiandao.pilot_zones.lifecycle import State

    assert ZoneStatus.ACCEPTANCE_ASSESSMENT.label == State.ACCEPTANCE_ASSESSMENT.label == "验收考核中"
    assert len(ZoneStatus.choices) == len(State)
