"""The evaluation over the API: the published grades per programme, and runs, adjustments, publication.

``GET /api/v1/programmes/{code}/evaluations`` is public when the programme's grades are public,
otherwise scoped to the caller's session. The operations call the same services as the pages.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, TypeVar

import pydantic
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from xiandao.pilot_zones.lifecycle import MoveRefused
from xiandao.programmes.selectors import programme_find, programme_get_public

from . import selectors, services
from .models import EvaluationRun, ZoneResult
from .permissions import (
    ConsequenceAction,
    EvaluationAction,
    ResultAction,
    consequence_policy,
    result_policy,
    run_policy,
)

ROUTER_PREFIX = ""
router = Router(tags=["年度评估"])
In = TypeVar("In", bound=Schema)


def _body(request: HttpRequest, schema: type[In]) -> In:
    """The JSON body as ``schema``, read after the 404 check; a Chinese 400 when it does not fit."""
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationError("请求体不是有效的 JSON。") from None
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as error:
        fields = "、".join(".".join(str(p) for p in e["loc"]) or "body" for e in error.errors())
        raise ValidationError(f"请求格式有误：{fields}取值不符合要求或缺少必填项。") from None


def _doc(schema: type[Schema]) -> dict[str, Any]:
    """The body's schema for the API documentation (the operation reads it after the 404 check)."""
    return {
        "requestBody": {
            "content": {"application/json": {"schema": schema.model_json_schema()}},
            "required": True,
        }
    }


class ZoneOut(Schema):
    name: str
    grade: str
    proposed_grade: str
    index: Decimal | None
    rank: int | None
    probabilities: dict[str, float]
    adjustment_reason: str | None = None


class PublishedRunOut(Schema):
    year: int
    published_at: dt.datetime | None
    method_version: str
    zones: list[ZoneOut]


def _probabilities(result: ZoneResult, grades: list[str]) -> dict[str, float]:
    """Each grade's probability; the stored shares are rounded, so the last absorbs the rounding to sum to 1."""
    values = {g: Decimal(str(result.probabilities.get(g) or 0)) for g in grades}
    if values and sum(values.values()) > 0:
        last = max(values, key=lambda g: values[g])
        values[last] += Decimal(1) - sum(values.values())
    return {g: float(v) for g, v in values.items()}


def _zone(result: ZoneResult, grades: list[str]) -> dict[str, Any]:
    reasons = [a.reason for a in result.adjustments.all()]
    return {
        "name": result.zone_name,
        "grade": result.final_grade or result.proposed_grade,
        "proposed_grade": result.proposed_grade,
        "index": result.index,
        "rank": result.rank,
        "probabilities": _probabilities(result, grades),
        "adjustment_reason": reasons[-1] if result.adjusted and reasons else None,
    }


def _grades(run: EvaluationRun) -> list[str]:
    return [code for code, _name in selectors.snapshot_of(run).get("grades", [])]


@router.get(
    "/programmes/{programme_code}/evaluations",
    response=list[PublishedRunOut],
    auth=None,
    url_name="programme_evaluations",
    summary="一个培育计划已发布的年度评估结果",
)
def programme_evaluations(request: HttpRequest, programme_code: str) -> list[dict[str, Any]]:
    programme = programme_get_public(programme_code)
    public = selectors.grades_public(programme)
    runs = selectors.published_runs_for(programme, request.user)
    out = []
    for run in runs:
        grades = _grades(run)
        results = list(run.zone_results.all()) if public else run.visible_results  # type: ignore[attr-defined]
        out.append(
            {
                "year": run.year,
                "published_at": run.published_at,
                "method_version": run.method_version,
                "zones": [
                    _zone(r, grades) for r in sorted(results, key=lambda r: (r.rank or 0, r.zone_name))
                ],
            }
        )
    return out


class RunOut(Schema):
    id: int
    programme: str
    year: int
    status: str
    status_label: str
    approved_only: bool
    unapproved: list[str]
    snapshot_sha256: str
    lock_sha256: str
    method_version: str
    results_sha256: str
    job: str | None
    zones: list[dict[str, Any]]


def _run(run: EvaluationRun) -> dict[str, Any]:
    grades = _grades(run)
    return {
        "id": run.pk,
        "programme": run.programme.code,
        "year": run.year,
        "status": run.status,
        "status_label": run.get_status_display(),
        "approved_only": run.approved_only,
        "unapproved": [u.get("zone_name", "") for u in run.unapproved],
        "snapshot_sha256": run.snapshot_sha256,
        "lock_sha256": run.lock_sha256,
        "method_version": run.method_version,
        "results_sha256": run.results_sha256,
        "job": str(run.job_id) if run.job_id else None,
        "zones": [
            {
                **_zone(r, grades),
                "id": r.pk,
                "composite": str(r.composite) if r.composite is not None else None,
                "index": str(r.index) if r.index is not None else None,
                "reasons": [x["detail"] for x in r.reasons],
            }
            for r in selectors.results_of(run)
        ],
    }


class RunIn(Schema):
    programme: str
    year: int
    approved_only: bool = False


@router.get("/evaluation/runs", response=list[RunOut], url_name="evaluation_runs", summary="可见的评估批次")
def runs(request: HttpRequest) -> list[dict[str, Any]]:
    return [_run(run) for run in selectors.run_list_for_user(request.user)]


@router.post(
    "/evaluation/runs",
    response={201: RunOut},
    url_name="evaluation_run_create",
    summary="新建评估批次（冻结数据快照）",
)
def run_create(request: HttpRequest, payload: RunIn) -> Status:
    programme = programme_find(payload.programme)
    if programme is None:
        raise Http404
    run = services.run_create(
        actor=request.user, programme=programme, year=payload.year, approved_only=payload.approved_only
    )
    return Status(201, _run(run))


@router.get(
    "/evaluation/runs/{run_id}", response=RunOut, url_name="evaluation_run", summary="一个评估批次及其结果"
)
def run_get(request: HttpRequest, run_id: int) -> dict[str, Any]:
    return _run(run_policy.get_or_404(request.user, EvaluationAction.VIEW, pk=run_id))


def _step(request: HttpRequest, run_id: int, call: Any) -> dict[str, Any]:
    run = run_policy.get_or_404(request.user, EvaluationAction.VIEW, pk=run_id)
    try:
        call(actor=request.user, run=run)
    except MoveRefused as refused:
        raise ValidationError(refused.message) from refused
    run.refresh_from_db()
    return _run(run)


@router.post(
    "/evaluation/runs/{run_id}/start", response=RunOut, url_name="evaluation_run_start", summary="开始计算"
)
def run_start(request: HttpRequest, run_id: int) -> dict[str, Any]:
    return _step(request, run_id, services.run_start)


@router.post(
    "/evaluation/runs/{run_id}/finalise",
    response=RunOut,
    url_name="evaluation_run_finalise",
    summary="确定评估等次",
)
def run_finalise(request: HttpRequest, run_id: int) -> dict[str, Any]:
    return _step(request, run_id, services.run_finalise)


@router.post(
    "/evaluation/runs/{run_id}/notice",
    response=RunOut,
    url_name="evaluation_run_notice",
    summary="公示评估结果",
)
def run_notice(request: HttpRequest, run_id: int) -> dict[str, Any]:
    return _step(request, run_id, services.run_notice_start)


@router.post(
    "/evaluation/runs/{run_id}/publish",
    response=RunOut,
    url_name="evaluation_run_publish",
    summary="发布评估结果并落实结果运用",
)
def run_publish(request: HttpRequest, run_id: int) -> dict[str, Any]:
    return _step(request, run_id, services.run_publish)


class EntrustIn(Schema):
    username: str
    valid_from: dt.date
    valid_to: dt.date


@router.post(
    "/evaluation/runs/{run_id}/evaluators",
    response=RunOut,
    url_name="evaluation_run_entrust",
    summary="委托第三方评估人员",
    openapi_extra=_doc(EntrustIn),
)
def run_entrust(request: HttpRequest, run_id: int) -> dict[str, Any]:
    run = run_policy.get_or_404(request.user, EvaluationAction.VIEW, pk=run_id)
    payload = _body(request, EntrustIn)
    user = get_user_model().objects.filter(username=payload.username).first()
    if user is None:
        raise ValidationError(f"没有用户“{payload.username}”。")
    services.evaluator_entrust(
        actor=request.user, run=run, user=user, valid_from=payload.valid_from, valid_to=payload.valid_to
    )
    return _run(run)


class AdjustmentIn(Schema):
    grade: str
    reason: str = ""


class AdjustmentOut(Schema):
    from_grade: str
    to_grade: str
    reason: str
    by: str
    role: str
    at: dt.datetime


@router.post(
    "/evaluation/results/{result_id}/adjustments",
    response={201: AdjustmentOut},
    url_name="evaluation_result_adjust",
    summary="调整等次（须写明理由）",
    openapi_extra=_doc(AdjustmentIn),
)
def result_adjust(request: HttpRequest, result_id: int) -> Status:
    result = result_policy.get_or_404(request.user, ResultAction.VIEW, pk=result_id)
    payload = _body(request, AdjustmentIn)
    a = services.grade_adjust(actor=request.user, result=result, grade=payload.grade, reason=payload.reason)
    return Status(
        201,
        {
            "from_grade": a.from_grade,
            "to_grade": a.to_grade,
            "reason": a.reason,
            "by": a.by.username,
            "role": a.role,
            "at": a.at,
        },
    )


@router.get(
    "/evaluation/results/{result_id}/adjustments",
    response=list[AdjustmentOut],
    url_name="evaluation_result_adjustments",
    summary="一个先导区结果的全部等次调整",
)
def result_adjustments(request: HttpRequest, result_id: int) -> list[dict[str, Any]]:
    result = result_policy.get_or_404(request.user, ResultAction.VIEW, pk=result_id)
    return [
        {
            "from_grade": a.from_grade,
            "to_grade": a.to_grade,
            "reason": a.reason,
            "by": a.by.username,
            "role": a.role,
            "at": a.at,
        }
        for a in result.adjustments.select_related("by").order_by("at")
    ]


class ObjectionIn(Schema):
    raised_by: str
    text: str
    result_id: int | None = None


class ObjectionOut(Schema):
    id: int
    raised_by: str
    text: str
    answer: str


@router.post(
    "/evaluation/runs/{run_id}/objections",
    response={201: ObjectionOut},
    url_name="evaluation_objection_add",
    summary="登记公示异议",
    openapi_extra=_doc(ObjectionIn),
)
def objection_add(request: HttpRequest, run_id: int) -> Status:
    run = run_policy.get_or_404(request.user, EvaluationAction.VIEW, pk=run_id)
    payload = _body(request, ObjectionIn)
    result = run.zone_results.filter(pk=payload.result_id).first() if payload.result_id else None
    o = services.objection_record(
        actor=request.user, run=run, raised_by=payload.raised_by, text=payload.text, result=result
    )
    return Status(201, {"id": o.pk, "raised_by": o.raised_by, "text": o.text, "answer": o.answer})


class AnswerIn(Schema):
    answer: str


@router.post(
    "/evaluation/runs/{run_id}/objections/{objection_id}/answer",
    response=ObjectionOut,
    url_name="evaluation_objection_answer",
    summary="答复公示异议",
    openapi_extra=_doc(AnswerIn),
)
def objection_answer(request: HttpRequest, run_id: int, objection_id: int) -> dict[str, Any]:
    run = run_policy.get_or_404(request.user, EvaluationAction.VIEW, pk=run_id)
    objection = run.objections.filter(pk=objection_id).first()
    if objection is None:
        raise Http404
    payload = _body(request, AnswerIn)
    o = services.objection_answer(actor=request.user, objection=objection, answer=payload.answer)
    return {"id": o.pk, "raised_by": o.raised_by, "text": o.text, "answer": o.answer}


class ConsequenceIn(Schema):
    action: str  # confirm, decline, deliver, plan
    text: str = ""


class ConsequenceOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    text: str
    response: str


@router.post(
    "/evaluation/consequences/{consequence_id}",
    response=ConsequenceOut,
    url_name="evaluation_consequence_act",
    summary="确认/不予移出、登记支持落实、提交改进计划",
    openapi_extra=_doc(ConsequenceIn),
)
def consequence_act(request: HttpRequest, consequence_id: int) -> dict[str, Any]:
    item = consequence_policy.get_or_404(request.user, ConsequenceAction.VIEW, pk=consequence_id)
    payload = _body(request, ConsequenceIn)
    if payload.action in ("confirm", "decline"):
        item = services.removal_decide(
            actor=request.user, consequence=item, confirm=payload.action == "confirm", reason=payload.text
        )
    elif payload.action == "deliver":
        item = services.support_delivery_record(
            actor=request.user, consequence=item, text=payload.text, delivered_on=dt.date.today()
        )
    elif payload.action == "plan":
        item = services.improvement_plan_submit(actor=request.user, consequence=item, text=payload.text)
    else:
        raise ValidationError("action 须为 confirm、decline、deliver 或 plan。")
    return {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "status": item.status,
        "text": item.text,
        "response": item.response,
    }
