"""Statistical monitoring over the API: every action of the pages, through the same services.

A statistics bureau's system pushes a zone's values with a token
(``POST /api/v1/monitoring/reports/{report_id}/values``, ``source`` ``statistics_bureau``): the same
validation (all or nothing), the same checks, the same approval chain as a person typing them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from django.http import HttpRequest, JsonResponse
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import ValidationError as PydanticError

from xiandao.api.errors import error_body
from xiandao.pilot_zones.selectors import zone_list

from . import selectors, services
from .models import ReportValue, ValueSource
from .permissions import MonitoringAction, PeriodAction, programmes_managed

router = Router(tags=["统计监测"])
S = TypeVar("S", bound=Schema)


def _refused(exc: services.ReportRefused) -> JsonResponse:
    details = [{"message": m} for m in exc.messages]
    return JsonResponse(error_body("refused", "；".join(exc.messages), details), status=422)


def _payload(request: HttpRequest, model: type[S]) -> S:
    """The JSON body read after the object was found (so a foreign object answers 404 whatever is sent)."""
    if not request.body.strip():
        try:
            return model()
        except PydanticError as exc:
            raise HttpError(422, "请求体不能为空") from exc
    try:
        return model.model_validate_json(request.body)
    except PydanticError as exc:
        summary = "；".join(f"{'.'.join(str(p) for p in e['loc'])}：{e['msg']}" for e in exc.errors())
        raise HttpError(422, f"请求格式有误：{summary}") from exc


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def report_out(report: Any) -> dict[str, Any]:
    settings = selectors.programme_settings(report.period.programme)
    return {
        "id": report.pk,
        "programme": report.period.programme.code,
        "period": {
            "id": report.period_id,
            "year": report.period.year,
            "quarter": report.period.quarter,
            "label": report.period.label,
        },
        "zone": {"id": report.zone_id, "name": report.zone.name},
        "city": report.city.name if report.city else None,
        "status": report.status,
        "status_label": selectors.report_state_label(report, settings),
        "stage": report.stage,
        "levels": list(settings.levels),
        "deadline": report.period.deadline,
        "submitted_at": report.submitted_at,
        "approved_at": report.approved_at,
        "changes_since_approval": report.changes_since_approval,
    }


def _detail(report: Any) -> dict[str, Any]:
    view = selectors.report_view(report)
    out = report_out(report)
    values = {(v.indicator_code, v.category): v for v in ReportValue.objects.filter(report=report)}
    out["values"] = [
        {
            "indicator": row.field.code,
            "name": row.field.name,
            "unit": row.field.unit,
            "counted": row.field.counted,
            "value": _number(row.number),
            "source": row.value.source
            if row.value
            else (ValueSource.REGISTRY if row.field.counted else None),
            "comment": row.value.comment if row.value else "",
            "version": row.value.version if row.value else None,
            "approved": bool(row.value and row.value.approved),
            "previous": _number(row.previous),
            "target": _number(row.target),
            "entries_url": row.counted.url if row.counted else None,
            "categories": [
                {
                    "code": code,
                    "name": name,
                    "value": _number(v.value) if (v := values.get((row.field.code, code))) else None,
                }
                for code, name in row.field.categories
            ],
        }
        for row in view.rows
    ]
    out["checks"] = [
        {
            "key": c.key,
            "kind": c.kind,
            "outcome": c.outcome,
            "importance": c.importance,
            "message": c.message,
            "indicators": list(c.indicators),
        }
        for c in view.checks
        if c.outcome != "ok" and c.message
    ]
    out["flags"] = [
        {
            "id": f.pk,
            "kind": f.kind,
            "importance": f.importance,
            "message": f.message,
            "active": f.active,
            "comments": [
                {"author": str(c.author), "text": c.text, "at": c.created_at} for c in f.comments.all()
            ],
        }
        for f in view.flags
    ]
    out["submission_problems"] = services.submission_problems(view)
    return out


@router.get(
    "/reports",
    url_name="monitoring_report_list",
    summary="统计报表：列表（按范围；todo=fill 待填报，review 待审核）",
)
def report_list(
    request: HttpRequest, period_id: int | None = None, zone_id: int | None = None, todo: str = ""
) -> dict[str, Any]:
    action = {"fill": MonitoringAction.SUBMIT, "review": MonitoringAction.REVIEW}.get(
        todo, MonitoringAction.VIEW
    )
    reports = selectors.report_list_for_user(request.user, action)
    if period_id is not None:
        reports = reports.filter(period_id=period_id)
    if zone_id is not None:
        reports = reports.filter(zone_id=zone_id)
    return {"results": [report_out(r) for r in reports[:500]]}


@router.get(
    "/reports/{report_id}",
    url_name="monitoring_report_get",
    summary="统计报表：数值、上期值、年度目标、校验结果、核查提示",
)
def report_get(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _detail(selectors.report_get(request.user, report_id))


class ValueIn(Schema):
    indicator: str
    value: Decimal | str | None = None
    category: str = ""
    source: str = ValueSource.ZONE
    comment: str | None = None


class ValuesIn(Schema):
    values: list[ValueIn]
    reason: str = ""


@router.post(
    "/reports/{report_id}/values",
    url_name="monitoring_values_push",
    summary="报送数值（页面暂存、统计部门系统推送）：全部校验通过才保存；审定后修改须说明原因",
    response={200: dict, 422: dict},
)
def values_push(request: HttpRequest, report_id: int) -> Any:
    report = selectors.report_get(request.user, report_id, MonitoringAction.ENTER)
    payload = _payload(request, ValuesIn)
    changes = [
        services.ValueChange(v.indicator, v.value, category=v.category, source=v.source, comment=v.comment)
        for v in payload.values
    ]
    try:
        services.values_save(
            actor=request.user, report=report, changes=changes, reason=payload.reason, pushed=True
        )
    except services.ReportRefused as exc:
        return _refused(exc)
    return _detail(selectors.report_get(request.user, report_id))


class CommentIn(Schema):
    comment: str = ""


@router.post(
    "/reports/{report_id}/submit",
    url_name="monitoring_report_submit",
    summary="提交报表（错误须改正、警告与缺报须说明）",
    response={200: dict, 422: dict},
)
def report_submit(request: HttpRequest, report_id: int) -> Any:
    report = selectors.report_get(request.user, report_id, MonitoringAction.SUBMIT)
    try:
        report = services.report_submit(actor=request.user, report=report)
    except services.ReportRefused as exc:
        return _refused(exc)
    return report_out(report)


@router.post(
    "/reports/{report_id}/approve",
    url_name="monitoring_report_approve",
    summary="审核通过（最后一级为审定并锁定）",
    response={200: dict, 422: dict},
)
def report_approve(request: HttpRequest, report_id: int) -> Any:
    report = selectors.report_get(request.user, report_id, MonitoringAction.REVIEW)
    payload = _payload(request, CommentIn)
    try:
        report = services.report_approve(actor=request.user, report=report, comment=payload.comment)
    except services.ReportRefused as exc:
        return _refused(exc)
    return report_out(report)


@router.post(
    "/reports/{report_id}/return",
    url_name="monitoring_report_return",
    summary="退回先导区修改（须说明原因）",
    response={200: dict, 422: dict},
)
def report_return(request: HttpRequest, report_id: int) -> Any:
    report = selectors.report_get(request.user, report_id, MonitoringAction.REVIEW)
    payload = _payload(request, CommentIn)
    try:
        report = services.report_return(actor=request.user, report=report, comment=payload.comment)
    except services.ReportRefused as exc:
        return _refused(exc)
    return report_out(report)


@router.post(
    "/reports/{report_id}/urge",
    url_name="monitoring_report_urge",
    summary="催报（计划管理员）",
    response={200: dict, 422: dict},
)
def report_urge(request: HttpRequest, report_id: int) -> Any:
    report = selectors.report_get(request.user, report_id)
    try:
        sent = services.report_urge(actor=request.user, report=report)
    except services.ReportRefused as exc:
        return _refused(exc)
    return {"recipients": sent}


@router.get(
    "/reports/{report_id}/history",
    url_name="monitoring_report_history",
    summary="每个数值的每一版（谁、何时、原因）与审核记录",
)
def report_history(request: HttpRequest, report_id: int) -> dict[str, Any]:
    report = selectors.report_get(request.user, report_id)
    return {
        "versions": [
            {
                "indicator": v.value.indicator_code,
                "category": v.value.category,
                "version": v.version,
                "value": _number(v.number),
                "source": v.source,
                "comment": v.comment,
                "reason": v.reason,
                "changed_by": str(v.changed_by) if v.changed_by else None,
                "changed_at": v.changed_at,
                "approved": v.value.approved_version == v.version,
                "current": v.value.version == v.version,
            }
            for v in selectors.value_history(report)
        ],
        "steps": [
            {
                "action": s.action,
                "level": s.level,
                "actor": str(s.actor) if s.actor else None,
                "comment": s.comment,
                "at": s.at,
            }
            for s in report.steps.select_related("actor")
        ],
    }


@router.post(
    "/reports/{report_id}/evidence",
    url_name="monitoring_evidence_upload",
    summary="上传佐证材料（PDF、Word .docx、OFD、图片；按内容识别类型）",
    response={201: dict, 422: dict},
)
def evidence_upload(
    request: HttpRequest,
    report_id: int,
    indicator: Form[str] = "",
    file: File[UploadedFile | None] = None,
    category: Form[str] = "",
) -> Any:
    report = selectors.report_get(request.user, report_id, MonitoringAction.ENTER)
    if file is None:
        return JsonResponse(error_body("refused", "请选择要上传的文件。"), status=422)
    value = ReportValue.objects.filter(report=report, indicator_code=indicator, category=category).first()
    if value is None:
        return JsonResponse(
            error_body("refused", "请先填写该指标的数值（或缺报说明），再上传佐证材料。"), status=422
        )
    try:
        evidence = services.evidence_attach(actor=request.user, value=value, upload=file)
    except services.ReportRefused as exc:
        return _refused(exc)
    return 201, {
        "id": evidence.pk,
        "name": evidence.name,
        "size": evidence.size,
        "content_type": evidence.content_type,
    }


class FlagCommentIn(Schema):
    text: str


@router.post(
    "/flags/{flag_id}/comments",
    url_name="monitoring_flag_comment",
    summary="核查提示：发表说明或意见",
    response={200: dict, 422: dict},
)
def flag_comment(request: HttpRequest, flag_id: int) -> Any:
    flag = selectors.flag_get(request.user, flag_id)
    payload = _payload(request, FlagCommentIn)
    try:
        comment = services.flag_comment(actor=request.user, flag=flag, text=payload.text)
    except services.ReportRefused as exc:
        return _refused(exc)
    return {"id": comment.pk, "text": comment.text}


def _period_out(period: Any, user: Any) -> dict[str, Any]:
    rows = selectors.report_rows_for_period(user, period)
    total, cities = selectors.period_progress(period, rows)

    def progress(p: selectors.CityProgress) -> dict[str, Any]:
        return {
            "city": p.city,
            "expected": p.expected,
            "submitted": p.submitted,
            "on_time": p.on_time,
            "approved": p.approved,
            "completeness": str(p.completeness.quantize(Decimal("0.001"))),
            "timeliness": str(p.timeliness.quantize(Decimal("0.001"))),
            "late": p.late,
            "waiting": p.waiting,
        }

    return {
        "id": period.pk,
        "programme": period.programme.code,
        "year": period.year,
        "quarter": period.quarter,
        "label": period.label,
        "deadline": period.deadline,
        "total": progress(total),
        "cities": [progress(c) for c in cities],
        "reports": [report_out(r) for r in rows],
    }


@router.get("/periods", url_name="monitoring_period_list", summary="填报期：列表")
def period_list(request: HttpRequest) -> dict[str, Any]:
    return {
        "results": [
            {
                "id": p.pk,
                "programme": p.programme.code,
                "year": p.year,
                "quarter": p.quarter,
                "label": p.label,
                "deadline": p.deadline,
            }
            for p in selectors.period_list_for_user(request.user)
        ]
    }


class PeriodIn(Schema):
    programme: str
    year: int
    quarter: int = 0
    deadline: str = ""


@router.post(
    "/periods",
    url_name="monitoring_period_open",
    summary="开启填报期（计划管理员）",
    response={201: dict, 404: dict, 422: dict},
)
def period_open(request: HttpRequest, payload: PeriodIn) -> Any:
    import datetime as dt

    programme = programmes_managed(request.user).filter(code=payload.programme).first()
    if programme is None:
        return JsonResponse(error_body("not_found", "未找到该对象，或您无权访问。"), status=404)
    try:
        deadline = dt.date.fromisoformat(payload.deadline) if payload.deadline else None
    except ValueError:
        return JsonResponse(error_body("refused", "截止日期应为日期，如 2026-03-31"), status=422)
    try:
        period = services.period_open(
            actor=request.user,
            programme=programme,
            year=payload.year,
            quarter=payload.quarter,
            deadline=deadline,
        )
    except services.ReportRefused as exc:
        return _refused(exc)
    return 201, _period_out(period, request.user)


@router.get(
    "/periods/{period_id}",
    url_name="monitoring_period_get",
    summary="填报期进度：完整率、及时率（按市）、各报表状态",
)
def period_get(request: HttpRequest, period_id: int) -> dict[str, Any]:
    return _period_out(selectors.period_get(request.user, period_id), request.user)


class BulkIn(Schema):
    report_ids: list[int]
    comment: str = ""


@router.post("/periods/{period_id}/approve", url_name="monitoring_bulk_approve", summary="批量审定（省级）")
def bulk_approve(request: HttpRequest, period_id: int) -> dict[str, Any]:
    period = selectors.period_get(request.user, period_id, PeriodAction.MANAGE)
    payload = _payload(request, BulkIn)
    reports = selectors.report_list_for_user(request.user, MonitoringAction.VIEW).filter(
        period=period, pk__in=payload.report_ids
    )
    result = services.reports_bulk_approve(actor=request.user, reports=list(reports), comment=payload.comment)
    found = {r.pk for r in reports}
    return {
        "approved": [r.pk for r in result.approved],
        "refused": [{"id": r.pk, "reason": reason} for r, reason in result.refused]
        + [{"id": i, "reason": "未找到该报表，或您无权访问。"} for i in payload.report_ids if i not in found],
    }


@router.get(
    "/periods/{period_id}/totals",
    url_name="monitoring_period_totals",
    summary="各指标合计：按市（按填报期末隶属）、按领域",
)
def period_totals(request: HttpRequest, period_id: int) -> dict[str, Any]:
    return selectors.programme_totals(selectors.period_get(request.user, period_id), request.user)


@router.get("/zones/{zone_id}/series", url_name="monitoring_zone_series", summary="先导区历年指标与年度目标")
def zone_series(request: HttpRequest, zone_id: int) -> dict[str, Any]:
    visible = selectors.report_list_for_user(request.user).values("zone_id")
    zone = zone_list().filter(pk=zone_id, pk__in=visible).select_related("programme").first()
    if zone is None:
        from django.http import Http404

        raise Http404
    return selectors.zone_series(zone, request.user)
