"""An admin's decisions on proposals: accept, edit and accept, reject.

One service per transition (STYLE.md): lock the proposal, check the move against
``PROPOSAL_TRANSITIONS`` and the permission, write the programme's target or task through
``programmes.services.confirmation``, then the decision and its audit entry, all in one
transaction — a value that breaks a rule leaves nothing written.

Accepting writes a *new* target or task, unless the comparison with the programme paired the
proposal with one of the document's current targets or tasks (a new version of the document):
then that one is updated, so a revised figure replaces the old one instead of standing beside it.

While the version is a draft (not published), what accepting writes stays out of public view:
a new target or task is written as a draft, and a paired one is only checked — its update is
applied when the version is published (``services.publication``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from xiandao.core.audit import audit_record
from xiandao.programmes.models import RecordStatus, Target, Task
from xiandao.programmes.services.confirmation import (
    ConfirmationInvalid,
    TargetValues,
    TaskValues,
    decimal_parse,
    document_register,
    target_create_from_proposal,
    target_update_from_proposal,
    target_values_check,
    task_create_from_proposal,
    task_update_from_proposal,
    task_values_check,
)

from ..defaults import target_defaults, task_defaults
from ..extraction.model import json_number
from ..models import (
    DocumentVersion,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Publication,
    VersionStatus,
    proposal_move_allowed,
    proposal_move_refused,
)
from ..permissions import proposal_policy
from ..selectors import version_comparison


class DecisionRefused(Exception):
    """The move is not allowed from the proposal's status (decided already, or still extracting)."""


class DecisionStale(DecisionRefused):
    """The proposal's status changed since the admin's page showed it (another admin decided meanwhile)."""


@dataclass(frozen=True)
class Decision:
    """What a decision changed: the proposal, and the target or task it wrote (created or updated)."""

    proposal: Proposal
    target: Target | None = None
    task: Task | None = None
    created: bool = False


def _locked(actor: Any, proposal: Proposal, wanted: str, expected: str) -> Proposal:
    """The proposal, locked until the transaction ends, if it still is in the ``expected`` status.

    The lock orders two admins deciding at once; the expected status makes the later one fail
    instead of moving the proposal a second time (a rejection overwritten by an acceptance).
    """
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("version", "decided_by")
        .get(pk=proposal.pk)
    )
    if not proposal_policy.user_may(actor, "decide", locked):
        raise PermissionDenied("只有本培育计划的管理员可以确认识别结果。")
    if locked.version.status != VersionStatus.READY:
        raise DecisionRefused("该文件尚未识别完成，暂不能确认。")
    if locked.version.publication == Publication.WITHDRAWN:
        raise DecisionRefused("该文件已撤回，其中的识别结果不能再确认；如需使用，请重新上传。")
    if locked.status != expected:
        raise DecisionStale(_stale_message(locked, expected))
    if not proposal_move_allowed(locked.status, wanted):
        raise DecisionRefused(proposal_move_refused(locked.status, wanted))
    return locked


def _stale_message(proposal: Proposal, expected: str) -> str:
    now = proposal.get_status_display()
    shown = ProposalStatus(expected).label if expected in ProposalStatus.values else "未知"
    who = ""
    if proposal.decided_by is not None and proposal.decided_at is not None:
        at = timezone.localtime(proposal.decided_at).strftime("%H:%M:%S")
        who = f"（{proposal.decided_by} 于 {at}）"
    return (
        f"这条建议在您打开页面后已被改为“{now}”{who}，与您看到的“{shown}”不同，本次操作没有执行。"
        "请查看它现在的状态后再决定。"
    )


def proposal_defaults(proposal: Proposal) -> dict[str, Any]:
    """What accepting ``proposal`` unedited would write (see ``defaults``), for the form's first values."""
    row = version_comparison(proposal.version, fields=False).for_proposal(proposal)
    return _defaults(proposal, row.current if row is not None else None)


def _defaults(proposal: Proposal, paired: dict[str, Any] | None) -> dict[str, Any]:
    if proposal.kind == ProposalKind.TARGET:
        return target_defaults(proposal.payload, paired)
    if proposal.kind == ProposalKind.TASK:
        return task_defaults(proposal.payload, paired)
    return dict(proposal.payload)


def target_values_from(data: dict[str, Any], quote: str) -> TargetValues:
    """A target's values from a proposal's confirmed content (``final_payload``)."""
    return _target_values(data, quote)


def task_values_from(data: dict[str, Any], quote: str) -> TaskValues:
    """A task's values from a proposal's confirmed content (``final_payload``)."""
    return _task_values(data, quote)


def _target_values(data: dict[str, Any], quote: str) -> TargetValues:
    errors: dict[str, list[str]] = {}
    value = decimal_parse(data.get("value"))
    if value is None:
        errors["value"] = ["目标值应为数字，如 30、3.5 或 1000。"]
    year: int | None = None
    if data.get("year") not in (None, ""):
        try:
            year = int(str(data["year"]).strip())
        except ValueError:
            errors["year"] = ["目标年份应为四位数字，如 2027；未注明年份的请留空。"]
    if errors:
        raise ConfirmationInvalid(errors)
    return TargetValues(
        year=year,
        metric=str(data.get("metric") or ""),
        value=value if value is not None else Decimal(0),
        unit=str(data.get("unit") or ""),
        qualifier=str(data.get("qualifier") or ""),
        strive=bool(data.get("strive")),
        cumulative=bool(data.get("cumulative")),
        scope=str(data.get("scope") or ""),
        basis=str(data.get("basis") or ""),
        quote=quote,
    )


def _task_values(data: dict[str, Any], quote: str) -> TaskValues:
    return TaskValues(
        title=str(data.get("task") or ""),
        quote=quote,
        lead=tuple(str(u).strip() for u in data.get("lead") or () if str(u).strip()),
        cooperating=tuple(str(u).strip() for u in data.get("cooperating") or () if str(u).strip()),
    )


def _document_for(actor: Any, version: DocumentVersion) -> Any:
    """The programme document the version belongs to, listed on the first acceptance if new."""
    if version.document is not None:
        return version.document
    document = document_register(
        actor=actor,
        programme=version.programme,
        title=version.title,
        issuer=version.issuer,
        number=version.number,
        source_file=version.file_name,
        draft=version.publication == Publication.DRAFT,
    )
    DocumentVersion.objects.filter(pk=version.pk).update(document=document)
    version.document = document
    return document


def _confirm(
    actor: Any, proposal: Proposal, data: dict[str, Any] | None, status: str, reason: str = ""
) -> Decision:
    """Write ``data`` (None: the defaults) into the programme and record the decision.

    Raises ConfirmationInvalid, with every broken rule by field, before anything is kept.
    """
    # Locked so two admins accepting the first two proposals of a new document list it once.
    version = (
        DocumentVersion.objects.select_for_update(of=("self",))
        .select_related("programme__jurisdiction", "document")
        .get(pk=proposal.version_id)
    )
    proposal.version = version
    row = version_comparison(version, fields=False).for_proposal(proposal)
    paired = row.current if row is not None else None
    data = _defaults(proposal, paired) if data is None else data
    quote = str(proposal.payload.get("quote", ""))
    decision = Decision(proposal)
    final: dict[str, Any] = dict(data, quote=quote)
    draft = version.publication == Publication.DRAFT
    deferred = False
    if proposal.kind == ProposalKind.TARGET:
        values = _target_values(data, quote)
        if paired is not None:
            target = Target.objects.get(pk=paired["id"])
            if draft and target.status == RecordStatus.ACTIVE:
                # Public now: checked now, applied when the version is published.
                if errors := target_values_check(values, programme=version.programme):
                    raise ConfirmationInvalid(errors)
                deferred = True
            else:
                target = target_update_from_proposal(actor=actor, target=target, values=values)
            decision = Decision(proposal, target=target)
        else:
            target = target_create_from_proposal(
                actor=actor,
                programme=version.programme,
                document=_document_for(actor, version),
                values=values,
                draft=draft,
            )
            decision = Decision(proposal, target=target, created=True)
        proposal.target = target
        final.update(year=values.year, value=json_number(float(values.value)))
    elif proposal.kind == ProposalKind.TASK:
        task_values = _task_values(data, quote)
        if paired is not None:
            task = Task.objects.get(pk=paired["id"])
            if draft and task.status == RecordStatus.ACTIVE:
                if errors := task_values_check(programme=version.programme, values=task_values):
                    raise ConfirmationInvalid(errors)
                deferred = True
            else:
                task = task_update_from_proposal(actor=actor, task=task, values=task_values)
            decision = Decision(proposal, task=task)
        else:
            task = task_create_from_proposal(
                actor=actor,
                programme=version.programme,
                document=_document_for(actor, version),
                values=task_values,
                draft=draft,
            )
            decision = Decision(proposal, task=task, created=True)
        proposal.task = task
        final.update(lead=list(task_values.lead), cooperating=list(task_values.cooperating))
    before = {"status": proposal.status}
    proposal.status = status
    proposal.final_payload = final
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.reason = reason
    if row is not None and proposal.kind != ProposalKind.FIELD:
        proposal.change_when_decided = row.change
    proposal.save(
        update_fields=[
            "status",
            "final_payload",
            "decided_by",
            "decided_at",
            "reason",
            "change_when_decided",
            "target",
            "task",
        ]
    )
    written = decision.target or decision.task
    audit_record(
        actor=actor,
        action=f"policies.proposal.{status}",
        target=proposal,
        before=before,
        after={
            "status": status,
            "final_payload": final,
            "written": f"{written._meta.label_lower}:{written.pk}" if written is not None else None,
            "created": decision.created,
            "compared_as": proposal.change_when_decided,
            "applied_on_publication": deferred,
        },
        reason=reason,
    )
    return decision


@transaction.atomic
def proposal_accept(*, actor: Any, proposal: Proposal, expected: str) -> Decision:
    """Accept a proposal as the extractor read it (with a paired target's curated metric and basis).

    ``expected`` is the status the admin saw (the form carries it); a proposal that has moved
    since is refused with ``DecisionStale``.
    """
    proposal = _locked(actor, proposal, ProposalStatus.ACCEPTED, expected)
    return _confirm(actor, proposal, None, ProposalStatus.ACCEPTED)


@transaction.atomic
def proposal_edit_and_accept(
    *, actor: Any, proposal: Proposal, expected: str, values: dict[str, Any], reason: str = ""
) -> Decision:
    """Accept a proposal with the admin's corrections; every rule broken is reported at once, by field.

    ``values`` holds the target keys (year, metric, value, unit, qualifier, strive, cumulative,
    scope, basis) or the task keys (task, lead, cooperating); the quote always stays the
    document's.
    """
    proposal = _locked(actor, proposal, ProposalStatus.EDITED, expected)
    if proposal.kind == ProposalKind.FIELD:
        raise DecisionRefused("领域建议不写入培育计划，请直接接受或驳回。")
    return _confirm(actor, proposal, values, ProposalStatus.EDITED, reason=reason.strip())


@transaction.atomic
def proposal_reject(*, actor: Any, proposal: Proposal, expected: str, reason: str) -> Decision:
    """Reject a proposal, saying why (不是目标：描述现状 …); nothing is written to the programme."""
    proposal = _locked(actor, proposal, ProposalStatus.REJECTED, expected)
    if not reason.strip():
        raise ConfirmationInvalid({"reason": ["请填写驳回理由，如“描述的是现状，不是目标”。"]})
    before = {"status": proposal.status}
    proposal.status = ProposalStatus.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.reason = reason.strip()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit_record(
        actor=actor,
        action="policies.proposal.rejected",
        target=proposal,
        before=before,
        after={"status": proposal.status},
        reason=proposal.reason,
    )
    return Decision(proposal)
