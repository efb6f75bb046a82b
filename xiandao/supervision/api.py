"""Supervision over the API: target progress and warnings (scoped reads), progress reports and 督办 (the pages' services)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import ValidationError as PydanticError

from xiandao.accounts.selectors import organisation_find

from . import selectors, services
from .models import ProgressReport, SixList, SupervisionNotice
from .permissions import SupervisionAction, task_supervision_policy, work_item_policy

ROUTER_PREFIX = ""
S = TypeVar("S", bound=Schema)


def _payload(request: HttpRequest, model: type[S]) -> S:
    """The JSON body, read after the object was found (a foreign object answers 404 whatever is sent)."""
    try:
        return model.model_validate_json(request.body or b"{}")
    except PydanticError as exc:
        summary = "；".join(f"{'.'.join(str(p) for p in e['loc'])}：{e['msg']}" for e in exc.errors())
        raise HttpError(422, f"请求格式有误：{summary}") from exc


router = Router(tags=["督查督办"])


class TargetProgressOut(Schema):
    id: int
    year: int | None
    metric: str
    value: str
    current: str | None
    expected: str
    status: str
    measure: str
    as_of: dt.date


class WarningOut(Schema):
    kind: str
    level: str
    subject: str
    responsible: str
    since: dt.date


def _n(value: Any) -> str | None:
    return None if value is None else format(value.normalize(), "f")


@router.get(
    "/programmes/{code}/target-progress",
    response=list[TargetProgressOut],
    summary="目标进度（当前值、预期值、状态）",
)
def target_progress(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    programme = selectors.programme_get(request.user, code)
    return [
        {
            "id": r.target.pk,
            "year": r.target.year,
            "metric": r.target.metric,
            "value": _n(r.target.value),
            "current": _n(r.current),
            "expected": _n(r.expected),
            "status": str(r.status),
            "measure": r.target.measure or "reported",
            "as_of": r.as_of,
        }
        for r in selectors.target_progress(programme)
    ]


@router.get("/programmes/{code}/warnings", response=list[WarningOut], summary="未关闭的提示预警")
def warnings(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    programme = selectors.programme_get(request.user, code)
    return [
        {
            "kind": w.kind,
            "level": w.level,
            "subject": w.subject,
            "responsible": w.responsible,
            "since": w.since,
        }
        for w in selectors.warnings_open(programme)
    ]


class ReportIn(Schema):
    year: int
    summary: str
    completion: int
    problems: str = ""


class ReportOut(Schema):
    id: int
    task: int
    year: int
    organisation: str
    summary: str
    completion: int
    problems: str


def _report_out(report: ProgressReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "task": report.task_id,
        "year": report.year,
        "organisation": report.organisation.name,
        "summary": report.summary,
        "completion": report.completion,
        "problems": report.problems,
    }


@router.get("/supervision/tasks/{task_id}/reports", response=list[ReportOut], summary="任务的进展报告")
def task_reports(request: HttpRequest, task_id: int) -> list[dict[str, Any]]:
    task = task_supervision_policy.get_or_404(request.user, SupervisionAction.VIEW, pk=task_id)
    return [_report_out(r) for r in task.progress_reports.select_related("organisation").order_by("year")]


@router.post(
    "/supervision/tasks/{task_id}/reports", response={201: ReportOut}, summary="报送任务进展（牵头单位）"
)
def task_report_submit(request: HttpRequest, task_id: int) -> tuple[int, dict[str, Any]]:
    task = task_supervision_policy.get_or_404(request.user, SupervisionAction.REPORT, pk=task_id)
    payload = _payload(request, ReportIn)
    report = services.progress_report_submit(
        actor=request.user,
        task=task,
        year=payload.year,
        summary=payload.summary,
        completion=payload.completion,
        problems=payload.problems,
    )
    return 201, _report_out(report)


class NoticeIn(Schema):
    text: str


class AnswerIn(Schema):
    answer: str


class NoticeOut(Schema):
    id: int
    item: int
    text: str
    respond_by: dt.date
    answer: str
    answered: bool


def _notice_out(notice: SupervisionNotice) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "item": notice.item_id,
        "text": notice.text,
        "respond_by": notice.respond_by,
        "answer": notice.answer,
        "answered": notice.answered_at is not None,
    }


@router.get("/supervision/items/{item_id}/notices", response=list[NoticeOut], summary="工作事项的督办")
def item_notices(request: HttpRequest, item_id: int) -> list[dict[str, Any]]:
    item = work_item_policy.get_or_404(request.user, SupervisionAction.VIEW, pk=item_id)
    return [_notice_out(n) for n in item.notices.all()]


@router.post(
    "/supervision/items/{item_id}/notices", response={201: NoticeOut}, summary="下达督办（计划管理员）"
)
def notice_issue(request: HttpRequest, item_id: int) -> tuple[int, dict[str, Any]]:
    item = work_item_policy.get_or_404(request.user, SupervisionAction.MANAGE, pk=item_id)
    payload = _payload(request, NoticeIn)
    return 201, _notice_out(services.notice_issue(actor=request.user, item=item, text=payload.text))


@router.post(
    "/supervision/notices/{supervision_notice_id}/answer", response=NoticeOut, summary="反馈督办（责任单位）"
)
def notice_answer(request: HttpRequest, supervision_notice_id: int) -> dict[str, Any]:
    notice = SupervisionNotice.objects.filter(
        pk=supervision_notice_id,
        item__in=work_item_policy.instances_for(request.user, SupervisionAction.ANSWER),
    ).first()
    if notice is None:
        raise Http404("未找到该对象，或您无权访问。")
    payload = _payload(request, AnswerIn)
    return _notice_out(services.notice_answer(actor=request.user, notice=notice, answer=payload.answer))


# --- 六个一 ----------------------------------------------------------------------------------------------


def _six_programme(request: HttpRequest, code: str) -> Any:
    programme = selectors.programme_get(request.user, code)
    if not selectors.six_lists_apply(programme):
        raise Http404("未找到该对象，或您无权访问。")
    return programme


class UnitOut(Schema):
    id: int
    name: str


class IndustryOut(Schema):
    field: str
    name: str
    units: list[UnitOut]
    source: str
    counts: dict[str, int]


@router.get(
    "/programmes/{code}/six-lists", response=list[IndustryOut], summary="六个一：各产业的责任单位与清单条数"
)
def six_list_overview(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    programme = _six_programme(request, code)
    return [
        {
            "field": row.industry.code,
            "name": row.industry.name,
            "units": [{"id": u.pk, "name": u.name} for u in row.industry.units],
            "source": row.industry.source,
            "counts": {str(kind.value): n for kind, n in zip(SixList, row.counts, strict=True)},
        }
        for row in selectors.six_list_overview(programme, request.user)
    ]


class SixRowOut(Schema):
    id: int | None
    name: str
    region: str
    document: str
    detail: str
    keeper: str
    version: int | None


class SixListOut(Schema):
    rows: list[SixRowOut]
    list: str  # after ``rows``: inside the class body the name would hide the builtin
    label: str


class SixListsOut(Schema):
    field: str
    name: str
    units: list[UnitOut]
    lists: list[SixListOut]


def _row_out(row: Any) -> dict[str, Any]:
    return {
        "id": row.entry.pk if row.entry else None,
        "name": row.name,
        "region": row.region,
        "document": row.document,
        "detail": row.detail,
        "keeper": row.keeper,
        "version": row.entry.version if row.entry else None,
    }


@router.get(
    "/programmes/{code}/six-lists/{field_code}", response=SixListsOut, summary="六个一：一个产业的六份清单"
)
def six_list_industry(request: HttpRequest, code: str, field_code: str) -> dict[str, Any]:
    programme = _six_programme(request, code)
    industry = selectors.six_list_industry(programme, field_code)
    if industry is None:
        raise Http404("未找到该对象，或您无权访问。")
    return {
        "field": industry.code,
        "name": industry.name,
        "units": [{"id": u.pk, "name": u.name} for u in industry.units],
        "lists": [
            {"list": c.kind, "label": c.label, "rows": [_row_out(r) for r in c.rows]}
            for c in selectors.six_lists(programme, field_code, request.user)
        ],
    }


class SixEntryIn(Schema):
    list: str
    name: str
    region: str = ""
    document: str = ""
    detail: str = ""
    keeper: int | None = None


class SixEntryChangeIn(Schema):
    name: str
    region: str = ""
    document: str = ""
    detail: str = ""
    keeper: int | None = None
    version: int


class SixEntryOut(Schema):
    id: int
    field: str
    list: str
    name: str
    region: str
    document: str
    detail: str
    keeper: UnitOut
    version: int


def _entry_out(entry: Any) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "field": entry.field_code,
        "list": entry.list_kind,
        "name": entry.name,
        "region": entry.region,
        "document": entry.document,
        "detail": entry.detail,
        "keeper": {"id": entry.keeper_id, "name": entry.keeper.name},
        "version": entry.version,
    }


def _keeper(keeper_id: int | None) -> Any:
    if keeper_id is None:
        return None
    keeper = organisation_find(keeper_id)
    if keeper is None:
        raise HttpError(400, "维护单位不存在。")
    return keeper


@router.post(
    "/programmes/{code}/six-lists/{field_code}/entries",
    response={201: SixEntryOut},
    summary="六个一：加入清单条目（责任单位、计划管理员）",
)
def six_list_entry_add(request: HttpRequest, code: str, field_code: str) -> tuple[int, dict[str, Any]]:
    programme = _six_programme(request, code)
    if selectors.six_list_industry(programme, field_code) is None:
        raise Http404("未找到该对象，或您无权访问。")
    payload = _payload(request, SixEntryIn)
    entry = services.six_list_entry_add(
        actor=request.user,
        programme=programme,
        field_code=field_code,
        list_kind=payload.list,
        name=payload.name,
        region=payload.region,
        document=payload.document,
        detail=payload.detail,
        keeper=_keeper(payload.keeper),
    )
    return 201, _entry_out(entry)


@router.patch(
    "/supervision/six-list-entries/{six_list_entry_id}",
    response=SixEntryOut,
    summary="六个一：修改清单条目（须带读取时的 version）",
)
def six_list_entry_change(request: HttpRequest, six_list_entry_id: int) -> dict[str, Any]:
    entry = selectors.six_list_entry_get(request.user, six_list_entry_id)
    payload = _payload(request, SixEntryChangeIn)
    changed = services.six_list_entry_change(
        actor=request.user,
        entry=entry,
        name=payload.name,
        region=payload.region,
        document=payload.document,
        detail=payload.detail,
        keeper=_keeper(payload.keeper),
        expected_version=payload.version,
    )
    return _entry_out(changed)


@router.delete(
    "/supervision/six-list-entries/{six_list_entry_id}",
    response={204: None},
    summary="六个一：删除清单条目（?version= 读取时的版本）",
)
def six_list_entry_remove(request: HttpRequest, six_list_entry_id: int, version: int) -> tuple[int, None]:
    entry = selectors.six_list_entry_get(request.user, six_list_entry_id)
    services.six_list_entry_remove(actor=request.user, entry=entry, expected_version=version)
    return 204, None
