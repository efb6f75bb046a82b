"""Publication applies each rule of the programme (Anhui plan §四(四)) as a life-cycle move, audited."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from xiandao.core.models import AuditEntry
from xiandao.evaluation import services
from xiandao.evaluation.documents import national_letter_docx
from xiandao.evaluation.models import Consequence, ConsequenceKind, ConsequenceStatus
from xiandao.evaluation.selectors import removal_risk_notices
from xiandao.pilot_zones.models import PilotZone, StatusChange

pytestmark = pytest.mark.django_db


def publish(admin, run, grades=None, *, today=None):
    """Finalise with the grades wanted (each set by an adjustment with a reason), then publish."""
    for zone, grade in (grades or {}).items():
        result = run.zone_results.get(zone=zone)
        if result.grade != grade:
            services.grade_adjust(actor=admin, result=result, grade=grade, reason=f"测试设定为{grade}")
    services.run_finalise(actor=admin, run=run)
    return services.run_publish(actor=admin, run=run, today=today)


def kinds(run, zone):
    return sorted(Consequence.objects.filter(run=run, result__zone=zone).values_list("kind", flat=True))


def test_an_a_grade_brings_the_opinion_the_plan_support_the_improvement_plan_and_the_periods(
    anhui, zones, data, province_admin, zone_operator, compute
):
    run = compute(province_admin, anhui, 2025)
    weak = zones[3]
    publish(province_admin, run, {weak: "A"}, today=dt.date(2026, 3, 1))
    assert kinds(run, weak) == sorted(
        [
            ConsequenceKind.IMPROVEMENT_OPINION,
            ConsequenceKind.PLAN_SUPPORT,
            ConsequenceKind.IMPROVEMENT_PLAN,
            ConsequenceKind.OBSERVATION,
            ConsequenceKind.CITY_BONUS,
        ]
    )
    result = run.zone_results.get(zone=weak)
    observation = Consequence.objects.get(result=result, kind=ConsequenceKind.OBSERVATION)
    # Anhui's parameters: an observation period of 1 year and a tolerance period of 1 year.
    assert observation.due == dt.date(2027, 3, 1) and observation.second_due == dt.date(2027, 3, 1)
    plan = Consequence.objects.get(result=result, kind=ConsequenceKind.IMPROVEMENT_PLAN)
    assert plan.details["weakest"] == [w["code"] for w in result.weaknesses] and plan.details["weakest"]
    weak.refresh_from_db()
    assert weak.status == "observation"
    change = StatusChange.objects.get(zone=weak)
    assert (change.from_status, change.to_status, change.action) == ("creating", "observation", "grade_a")
    assert AuditEntry.objects.filter(
        action="pilot_zones.zone.evaluation_moved", object_id=str(weak.pk)
    ).exists()
    # The zone writes its plan; nobody else may.
    with pytest.raises(PermissionDenied):
        services.improvement_plan_submit(actor=province_admin, consequence=plan, text="计划")
    with pytest.raises(ValidationError, match="不能为空"):
        services.improvement_plan_submit(actor=zone_operator, consequence=plan, text=" ")
    services.improvement_plan_submit(
        actor=zone_operator, consequence=plan, text="加大研发投入，新建两家省级平台"
    )
    plan.refresh_from_db()
    assert plan.status == ConsequenceStatus.DONE and plan.responded_by == zone_operator


def test_aa_and_above_record_support_and_its_delivery_aaa_is_recommended_with_a_letter(
    anhui, zones, data, province_admin, compute
):
    run = compute(province_admin, anhui, 2025)
    top, second = zones[0], zones[1]
    publish(province_admin, run, {top: "AAA", second: "AA"})
    assert ConsequenceKind.SUPPORT in kinds(run, second) and ConsequenceKind.NATIONAL not in kinds(
        run, second
    )
    assert {ConsequenceKind.SUPPORT, ConsequenceKind.NATIONAL} <= set(kinds(run, top))
    top.refresh_from_db()
    second.refresh_from_db()
    assert top.status == "national_recommended" and second.status == "creating"
    support = Consequence.objects.get(result__zone=second, kind=ConsequenceKind.SUPPORT)
    services.support_delivery_record(
        actor=province_admin,
        consequence=support,
        text="安排省级专项资金500万元",
        delivered_on=dt.date(2026, 5, 1),
    )
    support.refresh_from_db()
    assert support.details["deliveries"][0]["text"] == "安排省级专项资金500万元"
    letter = Document(
        io.BytesIO(national_letter_docx(run.zone_results.get(zone=top), "安徽省发展和改革委员会"))
    )
    text = "\n".join(p.text for p in letter.paragraphs)
    assert top.name in text and "优先推荐该先导区争创国家未来产业先导区" in text


def test_host_cities_earn_the_bonus_points_of_their_zones_grades(anhui, zones, data, province_admin, compute):
    run = compute(province_admin, anhui, 2025)
    publish(province_admin, run, {zones[0]: "AAA", zones[1]: "AA", zones[2]: "A", zones[3]: "A"})
    bonus = {
        c.result.zone_id: (c.city.name if c.city else "", c.points)
        for c in Consequence.objects.filter(run=run, kind=ConsequenceKind.CITY_BONUS).select_related(
            "city", "result"
        )
    }
    assert bonus[zones[0].pk] == ("合肥市", Decimal("3.00"))
    assert bonus[zones[1].pk] == ("合肥市", Decimal("2.00"))
    assert bonus[zones[3].pk] == ("合肥市", Decimal("1.00"))


def _three_years(anhui, zone, province_admin, compute, todays):
    runs = []
    for year, today in zip((2024, 2025, 2026), todays, strict=True):
        run = compute(province_admin, anhui, year)
        runs.append(publish(province_admin, run, {zone: "A"}, today=today))
    return runs


def test_three_consecutive_a_grades_propose_the_removal_which_the_admin_confirms_with_a_reason(
    anhui, zones, data, province_admin, hefei_city_officer, compute
):
    weak = zones[3]
    runs = _three_years(
        anhui, weak, province_admin, compute, (dt.date(2025, 3, 1), dt.date(2026, 3, 1), dt.date(2027, 3, 2))
    )
    assert not Consequence.objects.filter(run__in=runs[:2], kind=ConsequenceKind.REMOVAL).exists()
    removal = Consequence.objects.get(run=runs[2], result__zone=weak, kind=ConsequenceKind.REMOVAL)
    assert removal.status == ConsequenceStatus.PROPOSED
    weak.refresh_from_db()
    assert weak.status == "observation"  # proposed only: the admin decides
    with pytest.raises(ValidationError, match="须写明理由"):
        services.removal_decide(actor=province_admin, consequence=removal, confirm=True, reason="")
    with pytest.raises(PermissionDenied):
        services.removal_decide(actor=hefei_city_officer, consequence=removal, confirm=True, reason="x")
    services.removal_decide(
        actor=province_admin, consequence=removal, confirm=True, reason="连续三年A等次，整改未见成效"
    )
    weak.refresh_from_db()
    assert weak.status == "removed"
    assert StatusChange.objects.filter(
        zone=weak, action="remove", reason="连续三年A等次，整改未见成效"
    ).exists()
    assert AuditEntry.objects.filter(action="evaluation.removal.confirmed").exists()


def test_the_second_a_flags_the_removal_risk_on_the_workbench(anhui, zones, data, province_admin, compute):
    weak = zones[3]
    for year, today in ((2024, dt.date(2025, 3, 1)), (2025, dt.date(2026, 3, 1))):
        publish(province_admin, compute(province_admin, anhui, year), {weak: "A"}, today=today)
    notices = removal_risk_notices(province_admin)
    assert any(weak.name in n.title and "连续2年" in n.title for n in notices)


def test_within_the_tolerance_period_the_third_a_does_not_yet_propose_removal(
    anhui, zones, data, province_admin, compute
):
    weak = zones[3]
    # The 2026 publication comes before the tolerance period set by the 2025 grade has ended.
    runs = _three_years(
        anhui, weak, province_admin, compute, (dt.date(2025, 3, 1), dt.date(2026, 3, 1), dt.date(2027, 2, 1))
    )
    removal = Consequence.objects.get(run=runs[2], result__zone=weak, kind=ConsequenceKind.REMOVAL)
    assert removal.status == ConsequenceStatus.DONE and removal.details["within_tolerance"]
    assert "包容期" in removal.text and "暂不提出移出" in removal.text
    assert PilotZone.objects.get(pk=weak.pk).status == "observation"


def test_all_targets_met_at_the_end_of_the_creation_period_recognises_the_zone(
    anhui, zones, data, province_admin, compute
):
    best = zones[0]
    PilotZone.objects.filter(pk=best.pk).update(creation_start_year=2023, creation_end_year=2025)
    # Targets every value passes: attainment 100 % on each.
    data.targets_by_zone[(best.pk, 2025)] = {
        code: Decimal("1") for code in data.targets_by_zone[(best.pk, 2026)]
    }
    run = compute(province_admin, anhui, 2025)
    publish(province_admin, run, {best: "AA"})
    assert {ConsequenceKind.RECOGNITION, ConsequenceKind.CLUSTER_PLAN} <= set(kinds(run, best))
    assert PilotZone.objects.get(pk=best.pk).status == "recognised"
    # A zone whose period ends later is not recognised.
    assert ConsequenceKind.RECOGNITION not in kinds(run, zones[1])
