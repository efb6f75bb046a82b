"""Applications over the API (``/api/v1/applications/…``): the same services and scope as the pages.

Create (after the eligibility check), update (with the ``version`` the client read: a stale one
is refused), attach a file, and the moves submit, attest, recommend, accept and return — each
taking the ``expected`` status the client saw. Refusals come back in the shared error shape with
Chinese messages (400 invalid, 403 forbidden, 404 for anything out of scope).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, TypeVar

import pydantic
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema

from xiandao.geo.selectors import city_find
from xiandao.programmes.selectors import programme_get_public

from . import application_services as services
from .application_rules import application_missing
from .application_selectors import application_list_for
from .models import Application, AttachmentKind
from .permissions import ApplicationAction, application_policy

ROUTER_PREFIX = ""
router = Router(tags=["先导区申报"])


class ApplicationCreateIn(Schema):
    programme: str
    city: str
    hosts: list[int]
    answers: dict[str, str] = {}
    zone_type: str | None = None
    name: str = ""


class TargetIn(Schema):
    indicator: str
    year: int | None = None
    value: Decimal | None = None


class ApplicationUpdateIn(Schema):
    version: int
    name: str | None = None
    field: str | None = None
    zone_type: str | None = None
    hosts: list[int] | None = None
    creation_start_year: int | None = None
    creation_end_year: int | None = None
    summary: str | None = None
    measures: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    eligibility: dict[str, str] | None = None
    targets: list[TargetIn] | None = None


class MoveIn(Schema):
    expected: str


class ReturnIn(Schema):
    expected: str
    reason: str


class AttestIn(Schema):
    expected: str
    authenticity: str
    accuracy: str
    completeness: str
    compliance: str


def application_out(application: Application) -> dict[str, Any]:
    field = application.field if application.field_id else None
    zone_type = application.zone_type if application.zone_type_id else None
    return {
        "id": application.pk,
        "programme": application.programme.code,
        "name": application.name,
        "city": {"code": application.city.code, "name": application.city.name},
        "field": {"code": field.code, "name": field.name} if field else None,
        "zone_type": {"code": zone_type.code, "name": zone_type.name} if zone_type else None,
        "hosts": [{"id": p.pk, "name": p.name} for p in application.host_parks.all()],
        "creation_start_year": application.creation_start_year,
        "creation_end_year": application.creation_end_year,
        "status": application.status,
        "status_label": application.get_status_display(),
        "version": application.version,
        "round": application.round,
        "summary": application.summary,
        "measures": application.measures,
        "eligibility": {a.condition_code: a.statement for a in application.eligibility.all()},
        "targets": [
            {"indicator": t.indicator_code, "year": t.year, "value": str(t.value.normalize())}
            for t in application.targets.all()
        ],
        "attachments": [
            {
                "id": a.pk,
                "kind": a.kind,
                "name": a.original_name,
                "size": a.size,
                "content_type": a.content_type,
            }
            for a in application.attachments.all()
        ],
        "missing": application_missing(application),
        "updated_at": application.updated_at.isoformat(),
    }


def _get(
    request: HttpRequest, application_id: int, action: ApplicationAction = ApplicationAction.VIEW
) -> Application:
    return application_policy.get_or_404(request.user, action, pk=application_id)


In = TypeVar("In", bound=Schema)


def _body(request: HttpRequest, schema: type[In]) -> In:
    """The JSON body as ``schema``, read only after the 404 check; a Chinese 400 when it does not fit."""
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


@router.get("/applications", summary="我可见的申请报告")
def applications(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    rows = application_list_for(request.user)
    if status:
        rows = rows.filter(status=status)
    return [application_out(a) for a in rows[:500]]


@router.post("/applications", summary="资格核对并新建申请报告", response={201: dict})
def application_create(request: HttpRequest, payload: ApplicationCreateIn) -> tuple[int, dict[str, Any]]:
    programme = programme_get_public(payload.programme)
    city = city_find(payload.city)
    if city is None:
        raise ValidationError(f"没有设区市“{payload.city}”。")
    application = services.application_create(
        actor=request.user,
        programme=programme,
        city=city,
        host_park_ids=payload.hosts,
        answers=payload.answers,
        zone_type_code=payload.zone_type,
        name=payload.name,
    )
    return 201, application_out(application)


@router.get("/applications/{application_id}", summary="申请报告")
def application_get(request: HttpRequest, application_id: int) -> dict[str, Any]:
    return application_out(_get(request, application_id))


@router.patch(
    "/applications/{application_id}",
    summary="保存申请报告（须给出所依据的版本）",
    openapi_extra=_doc(ApplicationUpdateIn),
)
def application_update(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = _get(request, application_id, ApplicationAction.EDIT)
    payload = _body(request, ApplicationUpdateIn)
    sent = payload.dict(exclude_unset=True)
    sent.pop("version", None)
    data: dict[str, Any] = {k: v for k, v in sent.items() if k != "targets"}
    for key in ("creation_start_year", "creation_end_year"):
        if key in data and data[key] is None:
            data[key] = ""
    if payload.targets is not None:
        data["targets"] = {
            (t.indicator, t.year): "" if t.value is None else str(t.value) for t in payload.targets
        }
    saved = services.application_update(
        actor=request.user, application=application, version=payload.version, data=data
    )
    return application_out(saved)


@router.post(
    "/applications/{application_id}/attachments",
    summary="上传附件（multipart：file，kind；按内容识别格式）",
    response={201: dict},
)
def application_attach(request: HttpRequest, application_id: int) -> tuple[int, dict[str, Any]]:
    application = _get(request, application_id, ApplicationAction.EDIT)
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError({"file": ["请以 multipart/form-data 上传文件（字段名 file）。"]})
    attachment = services.application_attachment_add(
        actor=request.user,
        application=application,
        data=upload.read(),
        filename=upload.name or "",
        kind=str(request.POST.get("kind") or AttachmentKind.OTHER),
    )
    return 201, {
        "id": attachment.pk,
        "kind": attachment.kind,
        "name": attachment.original_name,
        "size": attachment.size,
    }


@router.post("/applications/{application_id}/submit", summary="提交设区市审核", openapi_extra=_doc(MoveIn))
def application_submit(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = _get(request, application_id)
    payload = _body(request, MoveIn)
    return application_out(
        services.application_submit(actor=request.user, application=application, expected=payload.expected)
    )


@router.post(
    "/applications/{application_id}/attest",
    summary="设区市确认材料审核（四项）",
    openapi_extra=_doc(AttestIn),
)
def application_attest(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = _get(request, application_id)
    statements = _body(request, AttestIn).dict()
    expected = statements.pop("expected")
    return application_out(
        services.application_attest(
            actor=request.user, application=application, expected=expected, statements=statements
        )
    )


@router.post(
    "/applications/{application_id}/recommend",
    summary="书面推荐（须已上传盖章推荐函）",
    openapi_extra=_doc(MoveIn),
)
def application_recommend(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = _get(request, application_id)
    payload = _body(request, MoveIn)
    return application_out(
        services.application_recommend(actor=request.user, application=application, expected=payload.expected)
    )


@router.post("/applications/{application_id}/accept", summary="受理论证", openapi_extra=_doc(MoveIn))
def application_accept(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = _get(request, application_id)
    payload = _body(request, MoveIn)
    return application_out(
        services.application_accept(actor=request.user, application=application, expected=payload.expected)
    )


@router.post(
    "/applications/{application_id}/return", summary="退回修改（须写明理由）", openapi_extra=_doc(ReturnIn)
)
def application_return(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = _get(request, application_id)
    payload = _body(request, ReturnIn)
    return application_out(
        services.application_return(
            actor=request.user, application=application, expected=payload.expected, reason=payload.reason
        )
    )
