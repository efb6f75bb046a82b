"""The demonstration evaluations, made through the services over the demo zones."""

from __future__ import annotations

import pytest

from xiandao.evaluation.demo import LOWER_REASON, REASON, demo_evaluations_create, demo_evaluations_remove
from xiandao.evaluation.models import EvaluationRun, EvaluationSettings, GradeAdjustment, RunStatus
from xiandao.evaluation.selectors import removal_risk_notices
from xiandao.evaluation.tests.factories import sources_replaced, values_make
from xiandao.pilot_zones.demo import demo_zones_create

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_2024_and_2025_with_an_adjustment_and_a_zone_on_its_second_a(
    anhui, province_admin
):
    EvaluationSettings.objects.filter(programme=anhui).update(draws=20)
    zones = [z for z in demo_zones_create() if z.programme_id == anhui.pk and z.status == "creating"]
    assert len(zones) >= 2
    with sources_replaced(values_make(anhui, zones, range(2023, 2026))):
        runs = demo_evaluations_create()
        assert demo_evaluations_create() == []  # twice changes nothing
    assert [(r.year, r.status) for r in runs] == [(2024, RunStatus.PUBLISHED), (2025, RunStatus.PUBLISHED)]
    assert all(r.is_demo for r in EvaluationRun.objects.filter(pk__in=[r.pk for r in runs]))
    adjusted = list(GradeAdjustment.objects.filter(result__run__year=2025))
    assert len(adjusted) == 1
    # A grade lowered (the observed zone kept at A) says so; one raised says why it was raised.
    for adjustment in adjusted:
        lowered = adjustment.to_grade == "A"
        assert adjustment.reason == (LOWER_REASON if lowered else REASON), adjustment.from_grade
    assert any("连续2年" in n.title for n in removal_risk_notices(province_admin))
    assert demo_evaluations_remove() > 0
    assert not EvaluationRun.objects.filter(is_demo=True).exists()


def test_the_demo_leaves_a_computed_draft_of_the_year_being_reported(anhui, province_admin):
    EvaluationSettings.objects.filter(programme=anhui).update(draws=20)
    zones = [z for z in demo_zones_create() if z.programme_id == anhui.pk and z.status == "creating"]
    with sources_replaced(values_make(anhui, zones, range(2023, 2027))):
        runs = demo_evaluations_create()
    assert [(r.year, r.status) for r in runs] == [
        (2024, RunStatus.PUBLISHED),
        (2025, RunStatus.PUBLISHED),
        (2026, RunStatus.COMPUTED),  # computed and left for the committee: not published
    ]
    assert runs[-1].zone_results.count() == len(zones)
