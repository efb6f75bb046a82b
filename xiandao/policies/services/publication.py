"""Publishing an uploaded version, or withdrawing it before it is published.

An upload and what was accepted from it are the programme admins' working papers until the
admin publishes the version: then the document, its text and the targets and tasks accepted
from it become public, and the updates it makes to the document's existing targets and tasks
are applied. Before that the admin may withdraw it, with a reason: what it added is retired
(never deleted) and the public programme is as it was. Both moves state the publication the
admin saw (``expected``), so two admins pressing at once cannot move a version twice.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from xiandao.core.audit import audit_record
from xiandao.programmes.models import RecordStatus
from xiandao.programmes.selectors import draft_record_ids
from xiandao.programmes.services.confirmation import (
    Records,
    records_publish,
    records_retire,
    target_update_from_proposal,
    task_update_from_proposal,
)

from ..models import (
    DocumentVersion,
    ProposalKind,
    ProposalStatus,
    Publication,
    VersionStatus,
    publication_move_allowed,
)
from ..permissions import version_policy
from .decisions import target_values_from, task_values_from


class PublicationRefused(Exception):
    """The version cannot be moved so (not read yet, published or withdrawn already)."""


class PublicationStale(PublicationRefused):
    """The version's publication changed since the admin's page showed it."""


class PublicationInvalid(Exception):
    """Input that cannot be taken; ``errors`` maps form fields to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("；".join(m for messages in errors.values() for m in messages))


def _locked(actor: Any, version: DocumentVersion, wanted: str, expected: str) -> DocumentVersion:
    locked = (
        DocumentVersion.objects.select_for_update(of=("self",))
        .select_related("programme", "document", "published_by", "withdrawn_by")
        .get(pk=version.pk)
    )
    if not version_policy.user_may(actor, "change", locked):
        raise PermissionDenied("只有本培育计划的管理员可以发布或撤回政策文件。")
    if locked.publication != expected:
        now = locked.get_publication_display()
        seen = Publication(expected).label if expected in Publication.values else "未知"
        raise PublicationStale(
            f"该文件在您打开页面后已变为“{now}”，与您看到的“{seen}”不同，本次操作没有执行。"
            "请查看它现在的状态。"
        )
    if not publication_move_allowed(locked.publication, wanted):
        raise PublicationRefused(
            f"该文件{locked.get_publication_display()}，不能再{Publication(wanted).label.removeprefix('已')}。"
        )
    if locked.status != VersionStatus.READY:
        raise PublicationRefused("该文件尚未识别完成，暂不能发布或撤回。")
    return locked


def _records_of(version: DocumentVersion) -> Records:
    """What accepting the version's proposals wrote as drafts: its new document, targets and tasks."""
    accepted = version.proposals.filter(status__in=[ProposalStatus.ACCEPTED, ProposalStatus.EDITED])
    documents: tuple[int, ...] = ()
    if version.document is not None and version.document.status == RecordStatus.DRAFT:
        documents = (version.document.pk,)
    targets, tasks = draft_record_ids(
        target_ids=accepted.values("target_id"), task_ids=accepted.values("task_id")
    )
    return Records(documents=documents, targets=targets, tasks=tasks)


def _updates_apply(actor: Any, version: DocumentVersion) -> int:
    """Apply the accepted revisions of the document's existing (public) targets and tasks."""
    applied = 0
    accepted = (
        version.proposals.filter(status__in=[ProposalStatus.ACCEPTED, ProposalStatus.EDITED])
        .select_related("target", "task")
        .order_by("start", "kind", "position")
    )
    for proposal in accepted:
        data = proposal.final_payload or {}
        quote = str(proposal.payload.get("quote", ""))
        target, task = proposal.target, proposal.task
        if (
            proposal.kind == ProposalKind.TARGET
            and target is not None
            and target.status == RecordStatus.ACTIVE
        ):
            target_update_from_proposal(actor=actor, target=target, values=target_values_from(data, quote))
            applied += 1
        elif proposal.kind == ProposalKind.TASK and task is not None and task.status == RecordStatus.ACTIVE:
            task_update_from_proposal(actor=actor, task=task, values=task_values_from(data, quote))
            applied += 1
    return applied


@transaction.atomic
def version_publish(*, actor: Any, version: DocumentVersion, expected: str) -> DocumentVersion:
    """Publish a version: its document, text, targets and tasks become public; its revisions apply."""
    version = _locked(actor, version, Publication.PUBLISHED, expected)
    # Revisions of public targets and tasks first, while the version's own drafts are still drafts.
    updated = _updates_apply(actor, version)
    records = records_publish(
        actor=actor,
        programme=version.programme,
        records=_records_of(version),
        reason=f"发布政策文件《{version.title}》",
    )
    version.publication = Publication.PUBLISHED
    version.published_by = actor
    version.published_at = timezone.now()
    version.save(update_fields=["publication", "published_by", "published_at"])
    audit_record(
        actor=actor,
        action="policies.document.published",
        target=version,
        before={"publication": Publication.DRAFT},
        after={
            "publication": Publication.PUBLISHED,
            "documents": len(records.documents),
            "targets": len(records.targets),
            "tasks": len(records.tasks),
            "revisions_applied": updated,
            "undecided": version.proposals.filter(status=ProposalStatus.PROPOSED).count(),
        },
    )
    return version


@transaction.atomic
def version_withdraw(*, actor: Any, version: DocumentVersion, expected: str, reason: str) -> DocumentVersion:
    """Withdraw an unpublished version, saying why: what it added is retired, never deleted."""
    version = _locked(actor, version, Publication.WITHDRAWN, expected)
    reason = reason.strip()
    if not reason:
        raise PublicationInvalid({"reason": ["请填写撤回理由，如“上传错了文件”。"]})
    records = records_retire(
        actor=actor,
        programme=version.programme,
        records=_records_of(version),
        reason=f"撤回政策文件《{version.title}》：{reason}",
    )
    version.publication = Publication.WITHDRAWN
    version.withdrawn_by = actor
    version.withdrawn_at = timezone.now()
    version.withdrawal_reason = reason
    version.save(update_fields=["publication", "withdrawn_by", "withdrawn_at", "withdrawal_reason"])
    audit_record(
        actor=actor,
        action="policies.document.withdrawn",
        target=version,
        before={"publication": Publication.DRAFT},
        after={
            "publication": Publication.WITHDRAWN,
            "retired_documents": len(records.documents),
            "retired_targets": len(records.targets),
            "retired_tasks": len(records.tasks),
        },
        reason=reason,
    )
    return version
