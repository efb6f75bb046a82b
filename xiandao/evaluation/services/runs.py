"""Writes of evaluation runs: create (freeze), compute (a job), entrust, adjust, finalise, 公示, objections.

Every function checks the actor's permission and the run's state (the row locked), writes,
audits, and notifies on commit. A refusal is a Chinese sentence (``ValidationError`` for bad
input or a wrong state, ``PermissionDenied`` for an evaluator outside their dates); nothing is
half-written because each runs in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import user_scope
from xiandao.core.audit import audit_record
from xiandao.core.jobs import job_start
from xiandao.notifications.selectors import programme_users
from xiandao.notifications.services import notification_send

from ..models import (
    EvaluationRun,
    EvaluationSettings,
    GradeAdjustment,
    Objection,
    RunEvaluator,
    RunStatus,
    ZoneResult,
)
from ..permissions import EvaluationAction, evaluator_refusal, may_create_run, run_policy
from . import snapshot as snap

RUN_JOB = "evaluation.run"
NOTIFY = "notifications.system"


def settings_for(programme: Any) -> EvaluationSettings:
    found = EvaluationSettings.objects.filter(programme=programme).first()
    return found or EvaluationSettings(programme=programme)


@transaction.atomic
def evaluation_settings_update(
    *, actor: Any, programme: Any, grades_public: bool, public_notice_days: int | None, draws: int
) -> EvaluationSettings:
    from xiandao.programmes.permissions import programme_policy

    if not programme_policy.user_may(actor, "change", programme):
        raise PermissionDenied("只有本计划的管理员可以修改评估参数。")
    found = settings_for(programme)
    before = {
        "grades_public": found.grades_public,
        "public_notice_days": found.public_notice_days,
        "draws": found.draws,
    }
    found.grades_public, found.public_notice_days, found.draws = grades_public, public_notice_days, draws
    found.full_clean()
    found.save()
    audit_record(
        actor=actor,
        action="evaluation.settings.changed",
        target=found,
        before=before,
        after={"grades_public": grades_public, "public_notice_days": public_notice_days, "draws": draws},
    )
    return found


def _locked(run: EvaluationRun) -> EvaluationRun:
    return EvaluationRun.objects.select_for_update().select_related("programme").get(pk=run.pk)


def _check(actor: Any, run: EvaluationRun, action: EvaluationAction, what: str) -> None:
    """Permission to do ``action``: a Chinese refusal for an evaluator past their dates, else 404."""
    if run_policy.user_may(actor, action, run):
        return
    refusal = evaluator_refusal(actor, run, what)
    if refusal:
        raise PermissionDenied(refusal)
    if run_policy.user_may(actor, EvaluationAction.VIEW, run):
        raise PermissionDenied(f"您无权{what}。")
    raise Http404("未找到该评估批次，或您无权访问。")


def _role_of(actor: Any, run: EvaluationRun) -> str:
    scope = user_scope(actor)
    if scope.is_superuser or (
        Role.PROGRAMME_ADMIN in scope.roles and run.programme.jurisdiction_id in scope.jurisdiction_ids
    ):
        return Role.PROGRAMME_ADMIN
    if RunEvaluator.objects.filter(run=run, user=actor).exists():
        return Role.EVALUATOR
    return Role.EXPERT


@transaction.atomic
def run_create(*, actor: Any, programme: Any, year: int, approved_only: bool = False) -> EvaluationRun:
    """Freeze the snapshot for ``year`` and create the run (待计算).

    Reports not yet approved are named; the run goes ahead on what is approved only when
    ``approved_only`` says so, and is marked as such.
    """
    if not may_create_run(actor, programme):
        refusal = next(
            (
                evaluator_refusal(actor, run, "新建评估批次")
                for run in EvaluationRun.objects.filter(programme=programme, evaluators__user=actor)
            ),
            None,
        )
        raise PermissionDenied(refusal or "只有本计划的管理员或受托的第三方评估人员可以新建评估批次。")
    if not isinstance(year, int) or year < programme.start_year or year > programme.end_year:
        raise ValidationError(f"评估年度须在计划期{programme.start_year}—{programme.end_year}年之间。")
    if EvaluationRun.objects.filter(programme=programme, year=year, status=RunStatus.PUBLISHED).exists():
        raise ValidationError(f"{year}年度的评估结果已经发布，不能再新建该年度的评估批次。")
    unapproved = snap.unapproved_reports(programme, year)
    if unapproved and not approved_only:
        names = "、".join(f"{s.zone_name}（{s.label or '未审核'}）" for s in unapproved)
        raise ValidationError(
            f"{year}年度尚有{len(unapproved)}个先导区的填报未审核：{names}。"
            "可待审核后再评估，或选择“仅依据已审核数据评估”（结果将注明）。"
        )
    data = snap.snapshot_build(programme, year, draws=settings_for(programme).draws)
    data["approved_only"] = bool(unapproved)
    data["unapproved"] = [
        {"zone_id": s.zone_id, "zone_name": s.zone_name, "label": s.label} for s in unapproved
    ]
    text = snap.snapshot_text(data)
    run = EvaluationRun.objects.create(
        programme=programme,
        year=year,
        approved_only=bool(unapproved),
        unapproved=data["unapproved"],
        snapshot=text,
        snapshot_sha256=snap.sha256_text(text),
        method_version=data["method_version"],
        lock_sha256=data["lock_sha256"],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="evaluation.run.created",
        target=run,
        after={
            "programme": programme.code,
            "year": year,
            "snapshot_sha256": run.snapshot_sha256,
            "approved_only": run.approved_only,
            "zones": len(data["zones"]),
        },
    )
    return run


@transaction.atomic
def run_start(*, actor: Any, run: EvaluationRun) -> EvaluationRun:
    """Start computing the run as a background job (the page polls its progress bar)."""
    _check(actor, run, EvaluationAction.COMPUTE, "计算该评估批次")
    run = _locked(run)
    if run.status not in (RunStatus.DRAFT, RunStatus.FAILED, RunStatus.COMPUTED):
        raise ValidationError(f"该评估批次当前为“{run.get_status_display()}”，不能重新计算。")
    if run.status == RunStatus.COMPUTED and GradeAdjustment.objects.filter(result__run=run).exists():
        raise ValidationError("该评估批次已有等次调整记录，不能重新计算；如需重算，请新建评估批次。")
    run.status = RunStatus.RUNNING
    run.error = ""
    run.save(update_fields=["status", "error"])
    audit_record(
        actor=actor,
        action="evaluation.run.started",
        target=run,
        after={"snapshot_sha256": run.snapshot_sha256},
    )
    user_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    transaction.on_commit(lambda: _job_for(run.pk, actor, user_id))
    return run


def _job_for(run_id: int, actor: Any, user_id: int | None) -> None:
    job = job_start(kind=RUN_JOB, params={"run_id": run_id, "user_id": user_id}, user=actor)
    EvaluationRun.objects.filter(pk=run_id).update(job=job)


def run_compute(*, run_id: int, user_id: int | None, progress: Any = None) -> dict[str, Any]:
    """The job: compute from the frozen snapshot and store the rows (called by tasks.py)."""
    from django.contrib.auth import get_user_model

    run = EvaluationRun.objects.get(pk=run_id)
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    data = json.loads(run.snapshot)
    draws = int(data["method"]["uncertainty"]["draws"])

    def report(done: int) -> None:
        if progress:
            progress(done, draws, f"蒙特卡洛模拟：已完成 {done} / {draws} 次抽样")

    try:
        if progress:
            progress(0, draws, "正在按快照计算综合得分与等次")
        results = snap.compute(data, report)
        rows = snap.stored_rows(data, results)
        sensitivity = _sensitivity(data)
    except Exception as exc:
        message = getattr(exc, "message", None) or str(exc)
        with transaction.atomic():
            EvaluationRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, error=str(message)[:2000])
            audit_record(
                actor=actor, action="evaluation.run.failed", target=run, after={"error": str(message)[:500]}
            )
        raise
    with transaction.atomic():
        run = _locked(run)
        results_text = results.to_json()
        run.zone_results.all().delete()
        ZoneResult.objects.bulk_create([_result(run, row) for row in rows])
        run.results = results_text
        run.results_sha256 = snap.rows_digest(rows)
        run.sensitivity = sensitivity
        run.status = RunStatus.COMPUTED
        run.computed_at = timezone.now()
        run.save()
        _forecasts(run)
        audit_record(
            actor=actor,
            action="evaluation.run.computed",
            target=run,
            after={"zones": len(rows), "results_sha256": run.results_sha256},
        )
        if actor is not None:
            notification_send(
                recipients=[actor],
                kind=NOTIFY,
                title=f"{run.programme.name}{run.year}年度评估已计算完成",
                url=f"/evaluation/runs/{run.pk}/",
            )
    return {"zones": len(rows), "results_sha256": run.results_sha256}


def _result(run: EvaluationRun, row: dict[str, Any]) -> ZoneResult:
    fields = {k: v for k, v in row.items() if k not in ("zone_id",)}
    return ZoneResult(run=run, zone_id=row["zone_id"], **fields)


def _sensitivity(data: dict[str, Any]) -> dict[str, Any]:
    """Mean first-order and total Sobol indices of the zones' ranks (for the admin)."""
    from xiandao.evaluation.engine.sensitivity import sobol_sensitivity

    snapshot, method = snap.engine_inputs(data)
    try:
        found = sobol_sensitivity(snapshot, method)
    except Exception as exc:  # too few zones or choices: say so on the page instead
        return {"problem": getattr(exc, "message", None) or str(exc)}
    return {
        "year": found.year,
        "evaluations": found.evaluations,
        "factors": [
            {
                "factor": f.factor,
                "first_order": snap._dec_str(f.first_order, snap.Decimal("0.001")),
                "total": snap._dec_str(f.total, snap.Decimal("0.001")),
            }
            for f in found.factors
        ],
    }


def _forecasts(run: EvaluationRun) -> None:
    """Path to the next grade and the removal-risk forecast, from the engine's modules when present."""
    from ..forecasts import forecasts_store

    forecasts_store(run)


def run_rebuild_rows(run: EvaluationRun) -> list[dict[str, Any]]:
    """The rows the run's snapshot gives today (the published results must be identical)."""
    data = json.loads(run.snapshot)
    return snap.stored_rows(data, snap.compute(data))


@transaction.atomic
def evaluator_entrust(
    *, actor: Any, run: EvaluationRun, user: Any, valid_from: dt.date, valid_to: dt.date
) -> RunEvaluator:
    """The admin entrusts a third-party evaluator with the run between two dates (inclusive)."""
    _check(actor, run, EvaluationAction.ENTRUST, "委托第三方评估人员")
    if Role.EVALUATOR not in user_scope(user).roles:
        raise ValidationError(f"{user}不是第三方评估人员，不能受托评估。")
    if valid_to < valid_from:
        raise ValidationError("受托期限的终止日期不能早于起始日期。")
    grant = RunEvaluator.objects.create(
        run=run, user=user, valid_from=valid_from, valid_to=valid_to, granted_by=actor
    )
    audit_record(
        actor=actor,
        action="evaluation.evaluator.granted",
        target=grant,
        after={"user": user.username, "valid_from": valid_from.isoformat(), "valid_to": valid_to.isoformat()},
    )
    notification_send(
        recipients=[user],
        kind=NOTIFY,
        title=f"您受托评估{run.programme.name}{run.year}年度评估批次",
        url=f"/evaluation/runs/{run.pk}/",
    )
    return grant


@transaction.atomic
def grade_adjust(*, actor: Any, result: ZoneResult, grade: str, reason: str) -> GradeAdjustment:
    """Adjust a zone's grade with a written reason, kept for ever beside the engine's grade."""
    run = result.run
    _check(actor, run, EvaluationAction.ADJUST, "调整评估等次")
    run = _locked(run)
    if run.status != RunStatus.COMPUTED:
        raise ValidationError(
            f"该评估批次当前为“{run.get_status_display()}”，不能调整等次（须在确定等次之前）。"
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("调整等次须写明理由。")
    scale = [code for code, _name in json.loads(run.snapshot)["grades"]]
    if grade not in scale:
        raise ValidationError(f"“{grade}”不是本计划的等次（可选：{'、'.join(scale)}）。")
    result = ZoneResult.objects.select_for_update().get(pk=result.pk)
    current = result.grade
    if grade == current:
        raise ValidationError(f"{result.zone_name}当前已是{grade}等次，无需调整。")
    adjustment = GradeAdjustment.objects.create(
        result=result, from_grade=current, to_grade=grade, reason=reason, by=actor, role=_role_of(actor, run)
    )
    result.final_grade = grade
    result.save(update_fields=["final_grade"])
    audit_record(
        actor=actor,
        action="evaluation.grade.adjusted",
        target=result,
        before={"grade": current},
        after={"grade": grade, "proposed_grade": result.proposed_grade},
        reason=reason,
    )
    admins = programme_users(run.programme, roles=[Role.PROGRAMME_ADMIN])
    notification_send(
        recipients=admins,
        kind=NOTIFY,
        title=f"{result.zone_name}{run.year}年度等次由{current}调整为{grade}",
        body=reason,
        url=f"/evaluation/runs/{run.pk}/",
        exclude=actor,
    )
    return adjustment


@transaction.atomic
def run_finalise(*, actor: Any, run: EvaluationRun) -> EvaluationRun:
    """The admin fixes the grades (engine's, or as adjusted); then 公示 or publication."""
    _check(actor, run, EvaluationAction.FINALISE, "确定评估等次")
    run = _locked(run)
    if run.status != RunStatus.COMPUTED:
        raise ValidationError(f"该评估批次当前为“{run.get_status_display()}”，不能确定等次。")
    for result in run.zone_results.select_for_update():
        if not result.final_grade:
            result.final_grade = result.proposed_grade
            result.save(update_fields=["final_grade"])
    run.status = RunStatus.FINALISED
    run.finalised_at, run.finalised_by = timezone.now(), actor
    run.save(update_fields=["status", "finalised_at", "finalised_by"])
    audit_record(
        actor=actor, action="evaluation.run.finalised", target=run, after={"zones": run.zone_results.count()}
    )
    return run


@transaction.atomic
def run_notice_start(*, actor: Any, run: EvaluationRun, start: dt.date | None = None) -> EvaluationRun:
    """Open the 公示 for the programme's number of days (a parameter)."""
    _check(actor, run, EvaluationAction.FINALISE, "公示评估结果")
    run = _locked(run)
    days = settings_for(run.programme).public_notice_days
    if not days:
        raise ValidationError("本计划的评估结果发布前不经公示。")
    if run.status != RunStatus.FINALISED:
        raise ValidationError(f"该评估批次当前为“{run.get_status_display()}”，须先确定等次再公示。")
    run.notice_start = start or timezone.localdate()
    run.notice_end = run.notice_start + dt.timedelta(days=days - 1)
    run.status = RunStatus.PUBLIC_NOTICE
    run.save(update_fields=["notice_start", "notice_end", "status"])
    audit_record(
        actor=actor,
        action="evaluation.run.notice_started",
        target=run,
        after={"notice_start": run.notice_start.isoformat(), "notice_end": run.notice_end.isoformat()},
    )
    return run


@transaction.atomic
def objection_record(
    *, actor: Any, run: EvaluationRun, raised_by: str, text: str, result: ZoneResult | None = None
) -> Objection:
    _check(actor, run, EvaluationAction.FINALISE, "登记公示异议")
    if run.status != RunStatus.PUBLIC_NOTICE:
        raise ValidationError("只有公示期间才能登记异议。")
    if not (text or "").strip() or not (raised_by or "").strip():
        raise ValidationError("须写明异议人和异议内容。")
    objection = Objection.objects.create(
        run=run, result=result, raised_by=raised_by.strip(), text=text.strip(), recorded_by=actor
    )
    audit_record(
        actor=actor, action="evaluation.objection.recorded", target=objection, after={"text": text[:200]}
    )
    return objection


@transaction.atomic
def objection_answer(*, actor: Any, objection: Objection, answer: str) -> Objection:
    _check(actor, objection.run, EvaluationAction.FINALISE, "答复公示异议")
    if not (answer or "").strip():
        raise ValidationError("答复不能为空。")
    if objection.answer:
        raise ValidationError("该异议已答复。")
    objection.answer, objection.answered_by, objection.answered_at = answer.strip(), actor, timezone.now()
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(
        actor=actor, action="evaluation.objection.answered", target=objection, after={"answer": answer[:200]}
    )
    return objection


@transaction.atomic
def demo_runs_delete(*, actor: Any) -> int:
    """Delete the demonstration runs with their results, adjustments and consequences (platform only)."""
    from ..models import Consequence

    if actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied("只有平台可以移除示例评估。")
    runs = EvaluationRun.objects.filter(is_demo=True)
    Consequence.objects.filter(run__in=runs).delete()
    GradeAdjustment.objects.filter(result__run__in=runs).delete()
    Objection.objects.filter(run__in=runs).delete()
    ZoneResult.objects.filter(run__in=runs).delete()
    removed, _ = runs.delete()
    return int(removed)
