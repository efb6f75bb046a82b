"""Uploads, decisions and publication over the API: the same services as the pages, scoped the same.

Every operation answers 404 for a version or proposal outside the caller's programmes — before
its body is read, so a malformed request about a foreign object learns nothing more. A decision
or a publication states the status the caller saw (``expected``); a status changed meanwhile
answers 409 with the Chinese message the page shows. Bodies are JSON (or form fields).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ValidationError

from xiandao.api.errors import error_body

from . import selectors
from .models import DocumentVersion, Proposal
from .permissions import programmes_for, proposal_policy
from .services import (
    ConfirmationInvalid,
    DecisionRefused,
    DecisionStale,
    PublicationInvalid,
    PublicationRefused,
    PublicationStale,
    UploadInvalid,
    document_upload,
    proposal_accept,
    proposal_edit_and_accept,
    proposal_reject,
    version_publish,
    version_withdraw,
)

ROUTER_PREFIX = "/policies"
router = Router(tags=["政策文件上传与确认"])

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme


class ErrorOut(Schema):
    error: dict[str, str]
    details: list[dict[str, Any]]


class VersionOut(Schema):
    id: int
    programme: str
    title: str
    file_name: str
    file_size: int
    sha256: str
    status: str
    status_label: str
    publication: str
    publication_label: str
    document: str | None
    uploaded_at: dt.datetime
    published_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str
    already_uploaded: bool
    proposals: dict[str, int]


class ProposalOut(Schema):
    id: int
    version: int
    kind: str
    status: str
    status_label: str
    payload: dict[str, Any]
    final_payload: dict[str, Any] | None
    reason: str
    target: str | None
    task: str | None


class ExpectedIn(Schema):
    expected: str = ""


class ReasonIn(Schema):
    expected: str = ""
    reason: str = ""


class EditIn(Schema):
    expected: str = ""
    values: dict[str, Any] = {}
    reason: str = ""


def _version(version: DocumentVersion) -> dict[str, Any]:
    return {
        "id": version.pk,
        "programme": version.programme.code,
        "title": version.title,
        "file_name": version.file_name,
        "file_size": version.file_size,
        "sha256": version.sha256,
        "status": version.status,
        "status_label": version.get_status_display(),
        "publication": version.publication,
        "publication_label": version.get_publication_display(),
        "document": version.document.code if version.document is not None else None,
        "uploaded_at": version.uploaded_at,
        "published_at": version.published_at,
        "withdrawn_at": version.withdrawn_at,
        "withdrawal_reason": version.withdrawal_reason,
        "already_uploaded": version.already_uploaded,
        "proposals": selectors.version_publication_summary(version),
    }


def _proposal(proposal: Proposal) -> dict[str, Any]:
    proposal.refresh_from_db()
    return {
        "id": proposal.pk,
        "version": proposal.version_id,
        "kind": proposal.kind,
        "status": proposal.status,
        "status_label": proposal.get_status_display(),
        "payload": proposal.payload,
        "final_payload": proposal.final_payload,
        "reason": proposal.reason,
        "target": proposal.target.code if proposal.target is not None else None,
        "task": proposal.task.code if proposal.task is not None else None,
    }


def _invalid(errors: dict[str, list[str]]) -> Status[dict[str, Any]]:
    details = [
        {"field": field, "message": message} for field, messages in errors.items() for message in messages
    ]
    return Status(400, error_body("invalid", "；".join(d["message"] for d in details), details))


def _refused(error: Exception) -> Status[dict[str, Any]]:
    stale = isinstance(error, DecisionStale | PublicationStale)
    return Status(409, error_body("stale" if stale else "refused", str(error)))


In = TypeVar("In", bound=Schema)


def _body(request: HttpRequest, schema: type[In]) -> In | Status[dict[str, Any]]:
    """The request's body as ``schema``: JSON, or form fields; a Chinese 400 when it is neither."""
    data: Any
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return _invalid({"body": ["请求体不是有效的 JSON。"]})
    else:
        data = request.POST.dict()
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        return _invalid(
            {".".join(str(p) for p in e["loc"]) or "body": ["取值不符合要求"] for e in error.errors()}
        )


def _decided(
    request: HttpRequest, proposal_id: int, schema: type[In], decide: Callable[[Proposal, Any], Any]
) -> Any:
    """One decision on a proposal: 404 before the body is read, then the service, its refusals mapped."""
    proposal = proposal_policy.get_or_404(request.user, "decide", pk=proposal_id)
    payload = _body(request, schema)
    if isinstance(payload, Status):
        return payload
    try:
        decide(proposal, payload)
    except ConfirmationInvalid as invalid:
        return _invalid(invalid.errors)
    except DecisionRefused as refused:
        return _refused(refused)
    return _proposal(proposal)


def _doc(schema: type[Schema]) -> dict[str, Any]:
    """The body's schema for the API documentation (the operation reads it after the 404 check)."""
    body = {"schema": schema.model_json_schema()}
    return {"requestBody": {"content": {"application/json": body}, "required": False}}


ANSWERS = {200: VersionOut, 400: ErrorOut, 409: ErrorOut}
PROPOSAL_ANSWERS = {200: ProposalOut, 400: ErrorOut, 409: ErrorOut}


@router.post(
    "/versions",
    response={200: VersionOut, 400: ErrorOut},
    url_name="policies_version_upload",
    summary="上传政策文件（同一文件再次上传时返回已有版本）",
)
def version_upload(
    request: HttpRequest,
    programme: Form[str],
    file: File[UploadedFile],
    title: Form[str] = "",
    document: Form[str] = "",
    issuer: Form[str] = "",
    number: Form[str] = "",
) -> Any:
    target: Programme = programmes_for(request.user).filter(code=programme).first() or _no_programme()
    policy_document = target.documents.filter(code=document).first() if document else None
    if document and policy_document is None:
        return _invalid({"document": ["该培育计划中没有这个政策文件编码。"]})
    try:
        version = document_upload(
            actor=request.user,
            programme=target,
            data=file.read(),
            filename=file.name or "",
            title=title,
            document=policy_document,
            issuer=issuer,
            number=number,
        )
    except UploadInvalid as invalid:
        return _invalid(invalid.errors)
    return _version(version)


def _no_programme() -> Programme:
    from django.http import Http404

    raise Http404("未找到该培育计划，或您不是其管理员。")


@router.get(
    "/versions/{version_id}",
    response=VersionOut,
    url_name="policies_version_get",
    summary="上传版本及其发布状态",
)
def version_get(request: HttpRequest, version_id: int) -> Any:
    return _version(selectors.version_get_for_user(request.user, version_id))


@router.post(
    "/versions/{version_id}/publish",
    response=ANSWERS,
    url_name="policies_version_publish",
    openapi_extra=_doc(ExpectedIn),
    summary="发布：文件及由其确认的目标和任务公开",
)
def version_publish_api(request: HttpRequest, version_id: int) -> Any:
    version = selectors.version_get_for_user(request.user, version_id)
    payload = _body(request, ExpectedIn)
    if isinstance(payload, Status):
        return payload
    try:
        return _version(version_publish(actor=request.user, version=version, expected=payload.expected))
    except PublicationRefused as refused:
        return _refused(refused)


@router.post(
    "/versions/{version_id}/withdraw",
    response=ANSWERS,
    url_name="policies_version_withdraw",
    openapi_extra=_doc(ReasonIn),
    summary="撤回（发布前）：由其新增的目标和任务撤销",
)
def version_withdraw_api(request: HttpRequest, version_id: int) -> Any:
    version = selectors.version_get_for_user(request.user, version_id)
    payload = _body(request, ReasonIn)
    if isinstance(payload, Status):
        return payload
    try:
        version = version_withdraw(
            actor=request.user, version=version, expected=payload.expected, reason=payload.reason
        )
    except PublicationInvalid as invalid:
        return _invalid(invalid.errors)
    except PublicationRefused as refused:
        return _refused(refused)
    return _version(version)


@router.get(
    "/proposals/{proposal_id}", response=ProposalOut, url_name="policies_proposal_get", summary="一条识别结果"
)
def proposal_get(request: HttpRequest, proposal_id: int) -> Any:
    return _proposal(proposal_policy.get_or_404(request.user, "decide", pk=proposal_id))


@router.post(
    "/proposals/{proposal_id}/accept",
    response=PROPOSAL_ANSWERS,
    url_name="policies_proposal_accept",
    openapi_extra=_doc(ExpectedIn),
    summary="接受",
)
def proposal_accept_api(request: HttpRequest, proposal_id: int) -> Any:
    return _decided(
        request,
        proposal_id,
        ExpectedIn,
        lambda proposal, payload: proposal_accept(
            actor=request.user, proposal=proposal, expected=payload.expected
        ),
    )


@router.post(
    "/proposals/{proposal_id}/edit",
    response=PROPOSAL_ANSWERS,
    url_name="policies_proposal_edit",
    openapi_extra=_doc(EditIn),
    summary="修改后接受",
)
def proposal_edit_api(request: HttpRequest, proposal_id: int) -> Any:
    return _decided(
        request,
        proposal_id,
        EditIn,
        lambda proposal, payload: proposal_edit_and_accept(
            actor=request.user,
            proposal=proposal,
            expected=payload.expected,
            values=payload.values,
            reason=payload.reason,
        ),
    )


@router.post(
    "/proposals/{proposal_id}/reject",
    response=PROPOSAL_ANSWERS,
    url_name="policies_proposal_reject",
    openapi_extra=_doc(ReasonIn),
    summary="驳回（须写明理由）",
)
def proposal_reject_api(request: HttpRequest, proposal_id: int) -> Any:
    return _decided(
        request,
        proposal_id,
        ReasonIn,
        lambda proposal, payload: proposal_reject(
            actor=request.user, proposal=proposal, expected=payload.expected, reason=payload.reason
        ),
    )
