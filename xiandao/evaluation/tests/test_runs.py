"""Runs: the frozen snapshot, the job, the rebuild, adjustments, 公示, publication and bad input."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from xiandao.core.models import AuditEntry
from xiandao.evaluation import services
from xiandao.evaluation.models import EvaluationSettings, GradeAdjustment, RunEvaluator, RunStatus, ZoneResult
from xiandao.evaluation.services import snapshot as snap
from xiandao.evaluation.services.snapshot import ReportState

pytestmark = pytest.mark.django_db

STORED = (
    "composite", "index", "rank", "proposed_grade", "reasons", "overall_attainment", "attainment", "nodes",
    "indicator_scores", "change_previous", "strengths", "weaknesses", "probabilities", "rank_low", "rank_high",
)  # fmt: skip


def test_a_run_freezes_its_snapshot_and_stores_rounded_results(anhui, zones, data, province_admin, compute):
    run = compute(province_admin, anhui, 2025)
    assert run.status == RunStatus.COMPUTED, run.error
    frozen = json.loads(run.snapshot)
    lock = (Path(settings.BASE_DIR) / "requirements" / "base.lock").read_bytes()
    assert run.lock_sha256 == frozen["lock_sha256"] == hashlib.sha256(lock).hexdigest()
    assert run.snapshot_sha256 == hashlib.sha256(run.snapshot.encode()).hexdigest()
    assert frozen["method_version"] == run.method_version
    assert frozen["method"]["grading"]["thresholds"] == [
        {"grade": "AA", "minimum": 100.0},
        {"grade": "AAA", "minimum": 125.0},
    ]
    assert {int(z) for z in frozen["zones"]} == {z.pk for z in zones}
    assert frozen["method"]["normalisation"]["window"] == [2022, 2025]
    # The snapshot holds the approved values of every year of the window, as the sources gave them.
    stored = {(v[0], v[1], v[2]): v[3] for v in frozen["engine"]["values"]}
    some = data.values_by_year[2023][zones[1].pk]
    code = next(iter(some))
    assert stored[(str(zones[1].pk), 2023, code)] == float(some[code])
    results = list(run.zone_results.order_by("rank"))
    assert [r.zone_id for r in results] == [zones[0].pk, zones[1].pk, zones[2].pk, zones[3].pk]
    for r in results:
        assert r.index == r.index.quantize(Decimal("0.01"))  # stored as shown
        assert sum(Decimal(p) for p in r.probabilities.values()) == pytest.approx(
            Decimal(1), abs=Decimal("0.001")
        )
        assert r.reasons and r.reasons[0]["detail"]
    assert results[0].proposed_grade == "AAA" and results[-1].proposed_grade == "A"
    assert run.job is not None and run.job.status == "succeeded"


def test_rebuilding_a_published_run_from_its_snapshot_gives_identical_results(
    anhui, zones, data, province_admin, compute
):
    run = compute(province_admin, anhui, 2025)
    services.run_finalise(actor=province_admin, run=run)
    services.run_publish(actor=province_admin, run=run)
    # The live data changes afterwards: the rebuild must read only the snapshot.
    for by_code in data.values_by_year[2025].values():
        for code in by_code:
            by_code[code] = Decimal("1")
    rebuilt = services.run_rebuild_rows(run)
    stored = {r.zone_id: r for r in ZoneResult.objects.filter(run=run)}
    assert len(rebuilt) == len(stored) == 4
    for row in rebuilt:
        result = stored[row["zone_id"]]
        for name in STORED:
            assert getattr(result, name) == row[name], name
    assert snap.rows_digest(rebuilt) == run.results_sha256


def test_unapproved_reports_are_named_and_a_run_on_approved_values_is_marked(
    anhui, zones, data, province_admin, compute
):
    data.states[2025][2] = ReportState(zones[2].pk, zones[2].name, False, "待市级审核")
    with pytest.raises(ValidationError) as refused:
        services.run_create(actor=province_admin, programme=anhui, year=2025)
    assert f"{zones[2].name}（待市级审核）" in refused.value.messages[0]
    assert "仅依据已审核数据" in refused.value.messages[0]
    run = compute(province_admin, anhui, 2025, approved_only=True)
    assert run.approved_only and run.unapproved == [
        {"zone_id": zones[2].pk, "zone_name": zones[2].name, "label": "待市级审核"}
    ]


def test_a_year_outside_the_programme_or_without_values_is_refused(anhui, zones, data, province_admin):
    with pytest.raises(ValidationError, match="计划期2024—2030年"):
        services.run_create(actor=province_admin, programme=anhui, year=2031)
    with pytest.raises(ValidationError, match="2028年没有任何已审核的填报数据"):
        services.run_create(actor=province_admin, programme=anhui, year=2028)


def test_an_adjustment_needs_a_reason_and_is_kept_beside_the_engines_grade(
    anhui, zones, data, province_admin, scientist_expert, compute
):
    run = compute(province_admin, anhui, 2025)
    result = run.zone_results.get(zone=zones[1])
    with pytest.raises(ValidationError, match="须写明理由"):
        services.grade_adjust(actor=scientist_expert, result=result, grade="A", reason="  ")
    assert not GradeAdjustment.objects.exists()
    target = "A" if result.proposed_grade != "A" else "AA"
    services.grade_adjust(
        actor=scientist_expert, result=result, grade=target, reason="佐证材料不足，专家组复核"
    )
    result.refresh_from_db()
    assert result.final_grade == target and result.proposed_grade != target and result.adjusted
    adjustment = result.adjustments.get()
    assert adjustment.reason == "佐证材料不足，专家组复核" and adjustment.role == "expert"
    assert AuditEntry.objects.filter(
        action="evaluation.grade.adjusted", reason="佐证材料不足，专家组复核"
    ).exists()
    with pytest.raises(ValidationError, match="不是本计划的等次"):
        services.grade_adjust(actor=province_admin, result=result, grade="B", reason="x")
    services.run_finalise(actor=province_admin, run=run)
    with pytest.raises(ValidationError, match="不能调整等次"):
        services.grade_adjust(actor=province_admin, result=result, grade="AAA", reason="发布前再议")
    with pytest.raises(ValidationError, match="已有等次调整记录"):
        run.status = RunStatus.COMPUTED
        run.save()
        services.run_start(actor=province_admin, run=run)


def test_publishing_twice_is_refused(anhui, zones, data, province_admin, compute):
    run = compute(province_admin, anhui, 2025)
    services.run_finalise(actor=province_admin, run=run)
    services.run_publish(actor=province_admin, run=run)
    consequences = run.consequences.count()
    with pytest.raises(ValidationError, match="不能重复发布"):
        services.run_publish(actor=province_admin, run=run)
    assert run.consequences.count() == consequences
    with pytest.raises(ValidationError, match="已经发布"):
        services.run_create(actor=province_admin, programme=anhui, year=2025)


def test_an_evaluator_acts_only_within_the_dates_the_admin_granted(
    anhui, zones, data, province_admin, evaluator, compute
):
    run = compute(province_admin, anhui, 2025)
    result = run.zone_results.get(zone=zones[2])
    today = dt.date.today()
    services.evaluator_entrust(
        actor=province_admin,
        run=run,
        user=evaluator,
        valid_from=today - dt.timedelta(days=30),
        valid_to=today,
    )
    services.grade_adjust(
        actor=evaluator,
        result=result,
        grade="AA" if result.proposed_grade != "AA" else "A",
        reason="第三方核查后调整",
    )
    RunEvaluator.objects.filter(run=run).update(valid_to=today - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied) as refused:
        services.grade_adjust(actor=evaluator, result=result, grade="AAA", reason="再次调整")
    assert "受托评估该批次的期限已于" in str(refused.value) and "结束" in str(refused.value)
    with pytest.raises(PermissionDenied, match="受托评估该批次的期限已于"):
        services.run_create(actor=evaluator, programme=anhui, year=2025)
    with pytest.raises(PermissionDenied):
        services.run_finalise(actor=evaluator, run=run)
    assert result.adjustments.count() == 1


def test_the_public_notice_comes_before_publication_with_objections_answered(
    anhui, zones, data, province_admin, compute
):
    EvaluationSettings.objects.filter(programme=anhui).update(public_notice_days=5)
    run = compute(province_admin, anhui, 2025)
    services.run_finalise(actor=province_admin, run=run)
    with pytest.raises(ValidationError, match="须经公示"):
        services.run_publish(actor=province_admin, run=run)
    start = dt.date.today() - dt.timedelta(days=10)
    services.run_notice_start(actor=province_admin, run=run, start=start)
    run.refresh_from_db()
    assert run.notice_end == start + dt.timedelta(days=4)
    objection = services.objection_record(actor=province_admin, run=run, raised_by="某企业", text="数据有误")
    with pytest.raises(ValidationError, match="未答复"):
        services.run_publish(actor=province_admin, run=run)
    services.objection_answer(actor=province_admin, objection=objection, answer="经核实数据无误")
    services.run_publish(actor=province_admin, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED


def test_a_failed_computation_is_recorded_with_the_engines_chinese_message(
    anhui, zones, data, province_admin, compute
):
    run = services.run_create(actor=province_admin, programme=anhui, year=2025)
    frozen = json.loads(run.snapshot)
    frozen["method"]["method_version"] = "other/1.0"
    run.snapshot = json.dumps(frozen)
    run.save()
    from xiandao.evaluation.services.runs import run_compute

    with pytest.raises(Exception, match="方法版本"):
        run_compute(run_id=run.pk, user_id=province_admin.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "方法版本" in run.error
