"""The committee's review over the API: the same services as the pages, scoped the same.

Every operation on an object answers 404 when it lies outside the caller's scope — before its
body is read, so a malformed request about a foreign object learns nothing more. Bodies are
JSON; a service's refusal answers 400 with its Chinese message (``xiandao.api.errors``).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from pydantic import ValidationError as SchemaError

from xiandao.accounts.selectors import user_find_by_username
from xiandao.geo.selectors import city_find, park_list_named

from . import selectors, services
from .models import Assignment, Expert, PanelMember, ReviewRound
from .permissions import ReviewAction, assignment_policy, expert_policy, round_policy

router = Router(tags=["咨询委员会论证"])
In = TypeVar("In", bound=Schema)


def _body(request: HttpRequest, schema: type[In]) -> In:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationError("请求体不是有效的 JSON。") from None
    try:
        return schema.model_validate(data)
    except SchemaError as exc:
        fields = "、".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        raise ValidationError(f"请求格式有误：{fields}") from None


def _doc(schema: type[Schema]) -> dict[str, Any]:
    return {
        "requestBody": {
            "content": {"application/json": {"schema": schema.model_json_schema()}},
            "required": False,
        }
    }


class ExpertOut(Schema):
    id: int
    programme: str
    name: str
    kind: str
    kind_label: str
    title: str
    organisation: str | None
    city: str | None
    fields: list[str]
    active: bool
    username: str | None
    declared_conflicts: list[str]
    relationships: list[str]


def _expert(expert: Expert) -> dict[str, Any]:
    return {
        "id": expert.pk,
        "programme": expert.programme.code,
        "name": expert.name,
        "kind": expert.kind,
        "kind_label": expert.get_kind_display(),
        "title": expert.title,
        "organisation": str(expert.organisation) if expert.organisation_id else None,
        "city": expert.city.code if expert.city is not None else None,
        "fields": list(expert.field_codes or []),
        "active": expert.active,
        "username": expert.user.username if expert.user is not None else None,
        "declared_conflicts": [str(c) for c in expert.declared_conflicts.all()],
        "relationships": [str(r) for r in expert.relationships.all()],
    }


class ExpertIn(Schema):
    programme: str | None = None
    name: str | None = None
    kind: str | None = None
    title: str | None = None
    city: str | None = None  # a city's division code
    fields: list[str] | None = None
    expertise: str | None = None
    username: str | None = None
    active: bool | None = None


def _expert_values(payload: ExpertIn) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in ("name", "kind", "title", "expertise", "active"):
        if getattr(payload, name) is not None:
            values[name] = getattr(payload, name)
    if payload.fields is not None:
        values["field_codes"] = payload.fields
    if payload.city is not None:
        city = city_find(payload.city)
        if city is None:
            raise ValidationError({"city": ["没有这个城市（请填写行政区划代码或名称）。"]})
        values["city"] = city
    if payload.username is not None:
        user = user_find_by_username(payload.username)
        if user is None:
            raise ValidationError({"user": ["没有这个登录账号。"]})
        values["user"] = user
    return values


@router.get(
    "/experts",
    response=list[ExpertOut],
    url_name="review_expert_list",
    summary="专家库（本人管理的培育计划）",
)
def expert_list(request: HttpRequest) -> list[dict[str, Any]]:
    experts = selectors.expert_list_for_admin(request.user).prefetch_related(
        "declared_conflicts", "relationships"
    )
    return [_expert(e) for e in experts.order_by("pk")]


@router.post(
    "/experts",
    response=ExpertOut,
    url_name="review_expert_create",
    openapi_extra=_doc(ExpertIn),
    summary="专家入库",
)
def expert_create(request: HttpRequest) -> dict[str, Any]:
    payload = _body(request, ExpertIn)
    programme = selectors.programmes_for_review(request.user).filter(code=payload.programme or "").first()
    if programme is None:
        raise Http404("未找到该培育计划，或您不是其管理员。")
    values = _expert_values(payload)
    values.setdefault("name", "")
    values.setdefault("kind", "")
    expert = services.expert_create(actor=request.user, programme=programme, **values)
    return _expert(expert)


@router.get(
    "/experts/{expert_id}",
    response=ExpertOut,
    url_name="review_expert_get",
    summary="专家信息、申报回避与回避关系",
)
def expert_get(request: HttpRequest, expert_id: int) -> dict[str, Any]:
    return _expert(expert_policy.get_or_404(request.user, ReviewAction.VIEW, pk=expert_id))


@router.patch(
    "/experts/{expert_id}",
    response=ExpertOut,
    url_name="review_expert_update",
    openapi_extra=_doc(ExpertIn),
    summary="修改专家信息",
)
def expert_update(request: HttpRequest, expert_id: int) -> dict[str, Any]:
    expert = expert_policy.get_or_404(request.user, ReviewAction.MANAGE, pk=expert_id)
    values = _expert_values(_body(request, ExpertIn))
    return _expert(services.expert_update(actor=request.user, expert=expert, **values))


class ConflictIn(Schema):
    kind: str  # city, park, organisation
    target: str  # a city's code or name, a park's name, an organisation's name
    note: str = ""


@router.post(
    "/experts/{expert_id}/conflicts",
    response=ExpertOut,
    url_name="review_conflict_declare",
    openapi_extra=_doc(ConflictIn),
    summary="登记专家申报回避（城市、园区、单位）",
)
def conflict_declare(request: HttpRequest, expert_id: int) -> dict[str, Any]:
    expert = expert_policy.get_or_404(request.user, ReviewAction.MANAGE, pk=expert_id)
    payload = _body(request, ConflictIn)
    target: Any = None
    if payload.kind == "city":
        target = city_find(payload.target)
    elif payload.kind == "park":
        target = next(iter(park_list_named([payload.target])), None)
    elif payload.kind == "organisation":
        from xiandao.accounts.selectors import organisation_resolve

        target = organisation_resolve(payload.target)
    services.conflict_declare(
        actor=request.user, expert=expert, kind=payload.kind, target=target, note=payload.note
    )
    return _expert(expert)


class RelationshipIn(Schema):
    kind: str
    organisation: str = ""
    person: str = ""
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    note: str = ""


@router.post(
    "/experts/{expert_id}/relationships",
    response=ExpertOut,
    url_name="review_relationship_record",
    openapi_extra=_doc(RelationshipIn),
    summary="登记专家回避关系",
)
def relationship_record(request: HttpRequest, expert_id: int) -> dict[str, Any]:
    expert = expert_policy.get_or_404(request.user, ReviewAction.MANAGE, pk=expert_id)
    payload = _body(request, RelationshipIn)
    organisation = None
    if payload.organisation:
        from xiandao.accounts.selectors import organisation_resolve

        organisation = organisation_resolve(payload.organisation)
        if organisation is None:
            raise ValidationError({"organisation": ["没有这个单位。"]})
    services.relationship_record(
        actor=request.user,
        expert=expert,
        kind=payload.kind,
        organisation=organisation,
        person=payload.person,
        started_on=payload.started_on,
        ended_on=payload.ended_on,
        note=payload.note,
    )
    return _expert(expert)


class MemberOut(Schema):
    id: int
    expert: str
    kind: str
    rank: int
    status: str
    status_label: str


class RoundOut(Schema):
    id: int
    programme: str
    name: str
    status: str
    status_label: str
    deadline: dt.date
    applications: list[dict[str, Any]]
    draw: dict[str, Any] | None
    panel: list[MemberOut] | None  # null: confidential to the caller until published


def _round(request: HttpRequest, round_: ReviewRound) -> dict[str, Any]:
    may_see = round_policy.user_may(request.user, ReviewAction.PANEL_VIEW, round_)
    draw = getattr(round_, "draw", None) if hasattr(round_, "draw") else None
    return {
        "id": round_.pk,
        "programme": round_.programme.code,
        "name": round_.name,
        "status": round_.status,
        "status_label": round_.get_status_display(),
        "deadline": round_.deadline,
        "applications": [
            {"id": e.application_id, "name": e.application.name}
            for e in round_.entries.select_related("application")
        ],
        "draw": (
            {
                "method": draw.method,
                "seed": draw.seed,
                "pool_fingerprint": draw.pool_fingerprint,
                "pool_size": draw.pool_size,
                "filters": draw.filters,
                "exclusions": draw.exclusions,
                "ranked": draw.ranked,
                "run_by": str(draw.run_by),
                "supervised_by": str(draw.supervised_by),
                "drawn_at": draw.drawn_at.isoformat(),
            }
            if draw is not None and may_see
            else None
        ),
        "panel": (
            [
                {
                    "id": m.pk,
                    "expert": m.expert.name,
                    "kind": m.kind,
                    "rank": m.rank,
                    "status": m.status,
                    "status_label": m.get_status_display(),
                }
                for m in selectors.round_panel(round_)
            ]
            if may_see
            else None
        ),
    }


class RoundIn(Schema):
    programme: str
    name: str
    deadline: dt.date
    applications: list[int]


@router.get("/rounds", response=list[RoundOut], url_name="review_round_list", summary="评审批次")
def round_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_round(request, r) for r in selectors.round_list_for_user(request.user)]


@router.post(
    "/rounds",
    response=RoundOut,
    url_name="review_round_create",
    openapi_extra=_doc(RoundIn),
    summary="新建评审批次（论证中的申报）",
)
def round_create(request: HttpRequest) -> dict[str, Any]:
    payload = _body(request, RoundIn)
    programme = selectors.programmes_for_review(request.user).filter(code=payload.programme).first()
    if programme is None:
        raise Http404("未找到该培育计划，或您不是其管理员。")
    chosen = set(payload.applications)
    applications = [a for a in selectors.applications_under_review(programme) if a.pk in chosen]
    if len(applications) != len(chosen):
        raise ValidationError({"applications": ["只能选择本计划论证中的申报。"]})
    round_ = services.round_create(
        actor=request.user,
        programme=programme,
        name=payload.name,
        deadline=payload.deadline,
        applications=applications,
    )
    return _round(request, round_)


@router.get(
    "/rounds/{round_id}",
    response=RoundOut,
    url_name="review_round_get",
    summary="评审批次（专家组名单公布前仅管理员与监督人可见）",
)
def round_get(request: HttpRequest, round_id: int) -> dict[str, Any]:
    return _round(request, round_policy.get_or_404(request.user, ReviewAction.VIEW, pk=round_id))


class DrawIn(Schema):
    per_kind: dict[str, int]
    reserves_per_kind: int = 2
    supervisor: str  # the supervisor's login name
    match_fields: bool = False
    seed: str | None = None


@router.post(
    "/rounds/{round_id}/draw",
    response=RoundOut,
    url_name="review_round_draw",
    openapi_extra=_doc(DrawIn),
    summary="随机抽取评审专家",
)
def round_draw(request: HttpRequest, round_id: int) -> dict[str, Any]:
    round_ = round_policy.get_or_404(request.user, ReviewAction.MANAGE, pk=round_id)
    payload = _body(request, DrawIn)
    services.draw_run(
        actor=request.user,
        round=round_,
        per_kind=payload.per_kind,
        reserves_per_kind=payload.reserves_per_kind,
        supervisor=user_find_by_username(payload.supervisor),
        match_fields=payload.match_fields,
        seed=payload.seed,
    )
    round_.refresh_from_db()
    return _round(request, round_)


class CheckOut(Schema):
    same: bool
    pool_unchanged: bool
    differences: list[str]


@router.post(
    "/rounds/{round_id}/verify",
    response=CheckOut,
    url_name="review_round_verify",
    summary="复核抽取：按记录重新抽取并比对",
)
def round_verify(request: HttpRequest, round_id: int) -> dict[str, Any]:
    round_ = round_policy.get_or_404(request.user, ReviewAction.PANEL_VIEW, pk=round_id)
    check = services.draw_verify(actor=request.user, round=round_)
    return {"same": check.same, "pool_unchanged": check.pool_unchanged, "differences": check.differences}


class ContactIn(Schema):
    accepted: bool
    note: str = ""


class ReasonIn(Schema):
    reason: str = ""


def _member(request: HttpRequest, member_id: int) -> PanelMember:
    member = selectors.member_for_manage(request.user, member_id)
    if member is None:
        raise Http404("未找到该对象，或您无权访问。")
    return member


@router.post(
    "/members/{member_id}/contact",
    response=MemberOut,
    url_name="review_member_contact",
    openapi_extra=_doc(ContactIn),
    summary="登记联系抽中专家的结果",
)
def member_contact(request: HttpRequest, member_id: int) -> dict[str, Any]:
    member = _member(request, member_id)
    payload = _body(request, ContactIn)
    member = services.member_contact(
        actor=request.user, member=member, accepted=payload.accepted, note=payload.note
    )
    return {
        "id": member.pk,
        "expert": member.expert.name,
        "kind": member.kind,
        "rank": member.rank,
        "status": member.status,
        "status_label": member.get_status_display(),
    }


@router.post(
    "/members/{member_id}/replace",
    response=MemberOut,
    url_name="review_member_replace",
    openapi_extra=_doc(ReasonIn),
    summary="由下一位备选专家替换",
)
def member_replace(request: HttpRequest, member_id: int) -> dict[str, Any]:
    member = _member(request, member_id)
    reserve = services.member_replace(
        actor=request.user, member=member, reason=_body(request, ReasonIn).reason
    )
    return {
        "id": reserve.pk,
        "expert": reserve.expert.name,
        "kind": reserve.kind,
        "rank": reserve.rank,
        "status": reserve.status,
        "status_label": reserve.get_status_display(),
    }


@router.post(
    "/rounds/{round_id}/confirm",
    response=RoundOut,
    url_name="review_round_confirm",
    summary="确认专家组并分配评审任务",
)
def round_confirm(request: HttpRequest, round_id: int) -> dict[str, Any]:
    round_ = round_policy.get_or_404(request.user, ReviewAction.MANAGE, pk=round_id)
    services.panel_confirm(actor=request.user, round=round_)
    round_.refresh_from_db()
    return _round(request, round_)


@router.post(
    "/rounds/{round_id}/close",
    response=RoundOut,
    url_name="review_round_close",
    openapi_extra=_doc(ReasonIn),
    summary="结束评分",
)
def round_close(request: HttpRequest, round_id: int) -> dict[str, Any]:
    round_ = round_policy.get_or_404(request.user, ReviewAction.MANAGE, pk=round_id)
    services.round_close(actor=request.user, round=round_, reason=_body(request, ReasonIn).reason)
    round_.refresh_from_db()
    return _round(request, round_)


@router.post(
    "/rounds/{round_id}/publish", response=RoundOut, url_name="review_round_publish", summary="公布评审结果"
)
def round_publish(request: HttpRequest, round_id: int) -> dict[str, Any]:
    round_ = round_policy.get_or_404(request.user, ReviewAction.MANAGE, pk=round_id)
    services.round_publish(actor=request.user, round=round_)
    round_.refresh_from_db()
    return _round(request, round_)


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _result(r: Any) -> dict[str, Any]:
    return {
        "application": {"id": r.application.pk, "name": r.application.name},
        "count": r.result.count,
        "assigned": r.assigned,
        "recused": r.recused,
        "mean": _number(r.result.mean),
        "std_dev": _number(r.result.std_dev),
        "minimum": _number(r.result.minimum),
        "maximum": _number(r.result.maximum),
        "criteria_means": {k: _number(v) for k, v in r.result.criteria_means.items()},
        "recommendations": r.result.recommendations,
        "dissent": r.result.dissent,
        "dissenters": list(r.result.dissenters),
        "opinion": (
            {
                "text": r.opinion.text,
                "conclusion": r.opinion.conclusion,
                "version": r.opinion.version,
                "written_by": str(r.opinion.written_by),
            }
            if r.opinion
            else None
        ),
    }


@router.get(
    "/rounds/{round_id}/results",
    response=list[dict[str, Any]],
    url_name="review_round_results",
    summary="评审结果：加权得分、离散程度、意见分歧、论证意见",
)
def round_results(request: HttpRequest, round_id: int) -> list[dict[str, Any]]:
    round_ = round_policy.get_or_404(request.user, ReviewAction.MANAGE, pk=round_id)
    return [_result(r) for r in selectors.round_results(round_, named=True)]


class OpinionIn(Schema):
    text: str
    conclusion: str
    version: int | None = None


@router.post(
    "/rounds/{round_id}/applications/{application_id}/opinion",
    response=dict[str, Any],
    url_name="review_opinion_write",
    openapi_extra=_doc(OpinionIn),
    summary="撰写论证意见",
)
def opinion_write(request: HttpRequest, round_id: int, application_id: int) -> dict[str, Any]:
    round_ = round_policy.get_or_404(request.user, ReviewAction.MANAGE, pk=round_id)
    application = selectors.round_application(round_, application_id)
    if application is None:
        raise Http404("未找到该对象，或您无权访问。")
    payload = _body(request, OpinionIn)
    services.review_opinion_write(
        actor=request.user,
        application=application,
        round=round_,
        text=payload.text,
        conclusion=payload.conclusion,
        expected_version=payload.version,
    )
    return _result(selectors.application_results_in_round(round_, application))


class AssignmentOut(Schema):
    id: int
    round: str
    deadline: dt.date
    application: dict[str, Any]
    status: str
    status_label: str
    sheet: dict[str, Any] | None
    others: dict[str, Any] | None  # the panel's figures, once the caller submitted their own


def _assignment(assignment: Assignment) -> dict[str, Any]:
    sheet = getattr(assignment, "sheet", None) if hasattr(assignment, "sheet") else None
    others = None
    if selectors.others_sheets_visible(assignment):
        r = selectors.application_results_in_round(assignment.member.round, assignment.application)
        others = _result(r) | {
            "sheets": [
                {
                    "label": s.label,
                    "kind": s.kind,
                    "overall": _number(s.overall),
                    "recommendation": s.recommendation,
                }
                for s in r.sheets
            ]
        }
        others.pop("opinion", None)
    return {
        "id": assignment.pk,
        "round": assignment.member.round.name,
        "deadline": assignment.member.round.deadline,
        "application": {
            "id": assignment.application_id,
            "name": assignment.application.name,
            "city": str(assignment.application.city),
        },
        "status": assignment.status,
        "status_label": assignment.get_status_display(),
        "sheet": (
            {
                "overall": _number(sheet.overall),
                "recommendation": sheet.recommendation,
                "comments": sheet.comments,
                "points": {line.code: _number(line.points) for line in sheet.lines.all()},
            }
            if sheet is not None
            else None
        ),
        "others": others,
    }


@router.get(
    "/assignments", response=list[AssignmentOut], url_name="review_assignment_list", summary="我的评审任务"
)
def assignment_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_assignment(a) for a in selectors.assignment_list_for_expert(request.user)]


@router.get(
    "/assignments/{assignment_id}",
    response=AssignmentOut,
    url_name="review_assignment_get",
    summary="评审任务（有回避情形的不可打开）",
)
def assignment_get(request: HttpRequest, assignment_id: int) -> dict[str, Any]:
    return _assignment(assignment_policy.get_or_404(request.user, ReviewAction.OPEN, pk=assignment_id))


class DeclareIn(Schema):
    no_conflict: bool


@router.post(
    "/assignments/{assignment_id}/declare",
    response=AssignmentOut,
    url_name="review_assignment_declare",
    openapi_extra=_doc(DeclareIn),
    summary="回避声明：本人与该申报无利益冲突",
)
def assignment_declare(request: HttpRequest, assignment_id: int) -> dict[str, Any]:
    assignment = assignment_policy.get_or_404(request.user, ReviewAction.OPEN, pk=assignment_id)
    if not _body(request, DeclareIn).no_conflict:
        raise ValidationError("请声明本人与该申报不存在需回避的情形（no_conflict: true），或申请回避。")
    return _assignment(services.assignment_declare(actor=request.user, assignment=assignment))


@router.post(
    "/assignments/{assignment_id}/recuse",
    response=AssignmentOut,
    url_name="review_assignment_recuse",
    openapi_extra=_doc(ReasonIn),
    summary="申请回避",
)
def assignment_recuse(request: HttpRequest, assignment_id: int) -> dict[str, Any]:
    assignment = assignment_policy.get_or_404(request.user, ReviewAction.OPEN, pk=assignment_id)
    return _assignment(
        services.assignment_recuse(
            actor=request.user, assignment=assignment, reason=_body(request, ReasonIn).reason
        )
    )


class ScoreIn(Schema):
    points: dict[str, str | int | float]
    comments: str
    recommendation: str


@router.post(
    "/assignments/{assignment_id}/score",
    response=AssignmentOut,
    url_name="review_assignment_score",
    openapi_extra=_doc(ScoreIn),
    summary="提交评分（四个方面或评分细则各项）",
)
def assignment_score(request: HttpRequest, assignment_id: int) -> dict[str, Any]:
    assignment = assignment_policy.get_or_404(request.user, ReviewAction.SCORE, pk=assignment_id)
    payload = _body(request, ScoreIn)
    services.score_submit(
        actor=request.user,
        assignment=assignment,
        points={k: str(v) for k, v in payload.points.items()},
        comments=payload.comments,
        recommendation=payload.recommendation,
    )
    return _assignment(
        Assignment.objects.select_related("member__round", "application__city").get(pk=assignment.pk)
    )
