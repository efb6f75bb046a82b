"""The creation lists over the API: the public reads (no login) and every list move, through the same services.

Public: ``GET /programmes/{code}/creation-lists`` (each published list with its ``zones``) and
``GET /programmes/{code}/zones`` (the listed zones); a zone has exactly ``name``, ``field``,
``city``, ``host`` (park names), ``zone_type``, ``status`` (in the programme's own words) and
``url`` (its public profile). The moves answer 404 for a list outside the caller's programmes,
409 when the life cycle refuses or the status changed since the caller read it (``expected``),
400 for bad input, each with the page's Chinese sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from xiandao.programmes.permissions import ProgrammeAction, programme_policy
from xiandao.programmes.selectors import programme_get_public

from ..models import Application
from . import selectors, services
from .models import AcceptanceAssessment, CreationList, Objection
from .permissions import ListAction, ZoneAssessmentAction, creation_list_policy, zone_assessment_policy

ROUTER_PREFIX = ""
router = Router(tags=["创建名单与先导区"])

T = TypeVar("T")


class ZoneOut(Schema):
    name: str
    field: str
    city: str
    host: list[str]
    zone_type: str | None
    status: str
    url: str


class PublicListOut(Schema):
    name: str
    published_on: dt.date | None
    zones: list[ZoneOut]


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@router.get(
    "/programmes/{programme_code}/creation-lists",
    response=list[PublicListOut],
    auth=None,
    url_name="programme_creation_lists",
    summary="已公布的创建名单（浙江：培育名单），每份名单及其先导区（公开）",
)
def public_creation_lists(request: HttpRequest, programme_code: str) -> list[dict[str, Any]]:
    programme = programme_get_public(programme_code)
    base = _base(request)
    return [
        {
            "name": item.creation_list.title,
            "published_on": item.creation_list.published_on,
            "zones": [z.record(base) for z in item.zones],
        }
        for item in selectors.published_lists_public(programme)
    ]


@router.get(
    "/programmes/{programme_code}/zones",
    response=list[ZoneOut],
    auth=None,
    url_name="programme_listed_zones",
    summary="列入名单的先导区（公开）",
)
def public_zones(request: HttpRequest, programme_code: str) -> list[dict[str, Any]]:
    programme = programme_get_public(programme_code)
    base = _base(request)
    return [z.record(base) for z in selectors.listed_zones_public(programme)]


# --- Moves (logged in or token) ---------------------------------------------------------------------


class EntryOut(Schema):
    application: int
    name: str
    city: str
    decision: str
    opinion: str
    status: str
    zone: int | None


class OpinionOut(Schema):
    organisation: str
    stance: str
    text: str
    author: str
    submitted_at: dt.datetime


class ObjectionOut(Schema):
    id: int
    objector: str
    content: str
    received_on: dt.date
    entry: int | None
    answer: str
    upheld: bool | None


class ListOut(Schema):
    id: int
    programme: str
    batch: int
    title: str
    status: str
    status_label: str
    consulted: list[str]
    consultation_deadline: dt.date | None
    notice_starts_on: dt.date | None
    notice_ends_on: dt.date | None
    published_on: dt.date | None
    entries: list[EntryOut]
    opinions: list[OpinionOut]
    objections: list[ObjectionOut]


def _list_out(creation_list: CreationList) -> dict[str, Any]:
    cl = selectors.creation_list_detail(creation_list)
    return {
        "id": cl.pk,
        "programme": cl.programme.code,
        "batch": cl.batch,
        "title": cl.title,
        "status": cl.status,
        "status_label": cl.get_status_display(),
        "consulted": [d.name for d in cl.consulted_departments.all()],
        "consultation_deadline": cl.consultation_deadline,
        "notice_starts_on": cl.notice_starts_on,
        "notice_ends_on": cl.notice_ends_on,
        "published_on": cl.published_on,
        "entries": [
            {
                "application": e.application_id,
                "name": e.application.name,
                "city": e.application.city.name,
                "decision": e.decision,
                "opinion": e.opinion,
                "status": e.application.status,
                "zone": e.zone_id,
            }
            for e in cl.entries.all()
        ],
        "opinions": [
            {
                "organisation": o.organisation.name,
                "stance": o.stance,
                "text": o.text,
                "author": o.author_name,
                "submitted_at": o.submitted_at,
            }
            for o in cl.opinions.all()
        ],
        "objections": [
            {
                "id": o.pk,
                "objector": o.objector,
                "content": o.content,
                "received_on": o.received_on,
                "entry": o.entry_id,
                "answer": o.answer,
                "upheld": o.upheld,
            }
            for o in cl.objections.all()
        ],
    }


def _run(call: Callable[[], T]) -> T:
    """A service call with its refusals as the API's statuses: 409 for the life cycle and stale reads, else 400."""
    try:
        return call()
    except services.ListRefused as refused:
        status = 400 if refused.code in ("invalid", "reason_required") else 409
        raise HttpError(status, refused.message) from refused


def _list(request: HttpRequest, list_id: int, action: ListAction = ListAction.VIEW) -> CreationList:
    creation_list = creation_list_policy.get_or_404(request.user, ListAction.VIEW, pk=list_id)
    if action != ListAction.VIEW and not creation_list_policy.user_may(request.user, action, creation_list):
        raise PermissionDenied("您无权办理该名单。")
    return creation_list


class ListCreateIn(Schema):
    programme: str
    title: str = ""


@router.post(
    "/creation-lists", response={201: ListOut}, url_name="creation_list_create", summary="拟定一批名单"
)
def list_create(request: HttpRequest, payload: ListCreateIn) -> tuple[int, dict[str, Any]]:
    programme = programme_policy.get_or_404(request.user, ProgrammeAction.CHANGE, code=payload.programme)
    created = _run(
        lambda: services.creation_list_create(actor=request.user, programme=programme, title=payload.title)
    )
    return 201, _list_out(created)


@router.get(
    "/creation-lists/{list_id}",
    response=ListOut,
    url_name="creation_list_get",
    summary="一份名单（含条目、部门意见、异议）",
)
def list_get(request: HttpRequest, list_id: int) -> dict[str, Any]:
    return _list_out(_list(request, list_id))


class EntryIn(Schema):
    application: int
    decision: str  # propose | decline
    opinion: str
    expected: str | None = None


@router.post(
    "/creation-lists/{list_id}/entries",
    response=ListOut,
    url_name="creation_list_entry",
    summary="提出拟列入或决定不列入",
)
def list_entry(request: HttpRequest, list_id: int, payload: EntryIn) -> dict[str, Any]:
    creation_list = _list(request, list_id, ListAction.MANAGE)
    application = Application.objects.filter(
        pk=payload.application, programme=creation_list.programme
    ).first()
    if application is None:
        raise Http404("未找到该申请。")
    if payload.decision == "propose":
        _run(
            lambda: services.creation_list_entry_propose(
                actor=request.user,
                creation_list=creation_list,
                application=application,
                opinion=payload.opinion,
                expected=payload.expected,
            )
        )
    elif payload.decision == "decline":
        _run(
            lambda: services.creation_list_entry_decline(
                actor=request.user,
                creation_list=creation_list,
                application=application,
                reason=payload.opinion,
                expected=payload.expected,
            )
        )
    else:
        raise HttpError(400, "decision 应为 propose（拟列入）或 decline（不列入）。")
    return _list_out(creation_list)


class ConsultIn(Schema):
    departments: list[str]  # organisation codes
    deadline: dt.date
    note: str = ""
    expected: str | None = None


@router.post(
    "/creation-lists/{list_id}/consult",
    response=ListOut,
    url_name="creation_list_consult",
    summary="征求省有关单位意见",
)
def list_consult(request: HttpRequest, list_id: int, payload: ConsultIn) -> dict[str, Any]:
    creation_list = _list(request, list_id, ListAction.MANAGE)
    departments = list(
        selectors.department_candidates(creation_list.programme).filter(code__in=payload.departments)
    )
    if len(departments) != len(set(payload.departments)):
        found = {d.code for d in departments}
        missing = [c for c in payload.departments if c not in found]
        raise HttpError(400, f"不是本省的有关单位：{'、'.join(missing)}")
    _run(
        lambda: services.creation_list_consult(
            actor=request.user,
            creation_list=creation_list,
            departments=departments,
            deadline=payload.deadline,
            note=payload.note,
            expected=payload.expected,
        )
    )
    return _list_out(creation_list)


class OpinionIn(Schema):
    stance: str
    text: str = ""


@router.post(
    "/creation-lists/{list_id}/opinions",
    response=ListOut,
    url_name="creation_list_opinion",
    summary="省有关单位提出意见",
)
def list_opinion(request: HttpRequest, list_id: int, payload: OpinionIn) -> dict[str, Any]:
    creation_list = _list(request, list_id, ListAction.OPINE)
    _run(
        lambda: services.department_opinion_give(
            actor=request.user, creation_list=creation_list, stance=payload.stance, text=payload.text
        )
    )
    return _list_out(creation_list)


class NoticeIn(Schema):
    starts_on: dt.date | None = None
    expected: str | None = None


@router.post(
    "/creation-lists/{list_id}/notice", response=ListOut, url_name="creation_list_notice", summary="公示名单"
)
def list_notice(request: HttpRequest, list_id: int, payload: NoticeIn) -> dict[str, Any]:
    creation_list = _list(request, list_id, ListAction.MANAGE)
    _run(
        lambda: services.creation_list_notice_start(
            actor=request.user,
            creation_list=creation_list,
            starts_on=payload.starts_on,
            expected=payload.expected,
        )
    )
    return _list_out(creation_list)


class ObjectionIn(Schema):
    objector: str
    content: str
    received_on: dt.date | None = None
    entry_application: int | None = None


@router.post(
    "/creation-lists/{list_id}/objections",
    response=ListOut,
    url_name="creation_list_objection",
    summary="登记公示异议",
)
def list_objection(request: HttpRequest, list_id: int, payload: ObjectionIn) -> dict[str, Any]:
    creation_list = _list(request, list_id, ListAction.MANAGE)
    entry = (
        creation_list.entries.filter(application_id=payload.entry_application).first()
        if payload.entry_application
        else None
    )
    if payload.entry_application and entry is None:
        raise HttpError(400, "所涉先导区不在本名单中。")
    _run(
        lambda: services.objection_record(
            actor=request.user,
            creation_list=creation_list,
            objector=payload.objector,
            content=payload.content,
            received_on=payload.received_on,
            entry=entry,
        )
    )
    return _list_out(creation_list)


class AnswerIn(Schema):
    answer: str
    upheld: bool


@router.post(
    "/creation-lists/{list_id}/objections/{objection_id}/answer",
    response=ListOut,
    url_name="creation_list_objection_answer",
    summary="答复公示异议",
)
def list_objection_answer(
    request: HttpRequest, list_id: int, objection_id: int, payload: AnswerIn
) -> dict[str, Any]:
    creation_list = _list(request, list_id, ListAction.MANAGE)
    objection = Objection.objects.filter(pk=objection_id, creation_list=creation_list).first()
    if objection is None:
        raise Http404("未找到该异议。")
    _run(
        lambda: services.objection_answer(
            actor=request.user, objection=objection, answer=payload.answer, upheld=payload.upheld
        )
    )
    return _list_out(creation_list)


class PublishIn(Schema):
    published_on: dt.date | None = None
    note: str = ""
    expected: str | None = None


@router.post(
    "/creation-lists/{list_id}/publish",
    response=ListOut,
    url_name="creation_list_publish",
    summary="公布名单（先导区进入创建）",
)
def list_publish(request: HttpRequest, list_id: int, payload: PublishIn) -> dict[str, Any]:
    creation_list = _list(request, list_id, ListAction.MANAGE)
    _run(
        lambda: services.creation_list_publish(
            actor=request.user,
            creation_list=creation_list,
            published_on=payload.published_on,
            note=payload.note,
            expected=payload.expected,
        )
    )
    return _list_out(creation_list)


class AssessmentOut(Schema):
    id: int
    zone: str
    zone_status: str
    assessor: str
    departments: list[str]
    started_on: dt.date
    result: str
    opinion: str
    decided_on: dt.date | None


def _assessment_out(assessment: AcceptanceAssessment) -> dict[str, Any]:
    assessment.refresh_from_db()
    assessment.zone.refresh_from_db()
    return {
        "id": assessment.pk,
        "zone": assessment.zone.name,
        "zone_status": assessment.zone.status,
        "assessor": assessment.assessor,
        "departments": [d.name for d in assessment.departments.all()],
        "started_on": assessment.started_on,
        "result": assessment.result,
        "opinion": assessment.opinion,
        "decided_on": assessment.decided_on,
    }


class AcceptanceStartIn(Schema):
    departments: list[str] = []
    started_on: dt.date | None = None
    note: str = ""
    expected: str | None = None


@router.post(
    "/pilot-zones/{zone_id}/acceptance",
    response={201: AssessmentOut},
    url_name="zone_acceptance_start",
    summary="开展培育验收考核",
)
def acceptance_start(
    request: HttpRequest, zone_id: int, payload: AcceptanceStartIn
) -> tuple[int, dict[str, Any]]:
    zone = zone_assessment_policy.get_or_404(request.user, ZoneAssessmentAction.ASSESS, pk=zone_id)
    departments = list(selectors.department_candidates(zone.programme).filter(code__in=payload.departments))
    if len(departments) != len(set(payload.departments)):
        raise HttpError(400, "会同部门须为本省的有关单位。")
    assessment = _run(
        lambda: services.acceptance_start(
            actor=request.user,
            zone=zone,
            departments=departments,
            started_on=payload.started_on,
            note=payload.note,
            expected=payload.expected,
        )
    )
    return 201, _assessment_out(assessment)


class AcceptanceResultIn(Schema):
    passed: bool
    opinion: str = ""
    decided_on: dt.date | None = None


@router.post(
    "/acceptance-assessments/{assessment_id}/result",
    response=AssessmentOut,
    url_name="zone_acceptance_result",
    summary="记录培育验收考核结果",
)
def acceptance_result(
    request: HttpRequest, assessment_id: int, payload: AcceptanceResultIn
) -> dict[str, Any]:
    zones = zone_assessment_policy.instances_for(request.user, ZoneAssessmentAction.ASSESS)
    assessment = (
        AcceptanceAssessment.objects.filter(pk=assessment_id, zone__in=zones).select_related("zone").first()
    )
    if assessment is None:
        raise Http404("未找到该对象，或您无权访问。")
    _run(
        lambda: services.acceptance_record(
            actor=request.user,
            assessment=assessment,
            passed=payload.passed,
            opinion=payload.opinion,
            decided_on=payload.decided_on,
        )
    )
    return _assessment_out(assessment)
