"""Reads of uploaded versions and proposals, scoped to the programmes a user may change."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from xiandao.programmes import selectors as programme_selectors
from xiandao.programmes.definition.values import plain_number
from xiandao.programmes.models import Programme, RecordStatus, Target, Task, TaskKind, TaskUnit, UnitRole

from .comparison import Comparison, compare_field_sets, compare_target_sets, compare_task_sets
from .models import DocumentVersion, Proposal, ProposalKind, ProposalStatus, Publication, VersionStatus
from .permissions import programmes_for, version_policy


def version_list_for_user(
    user: Any, *, programme: Programme | None = None, status: str = "", publication: str = "", q: str = ""
) -> QuerySet[DocumentVersion]:
    """The versions a user may review, newest first, with the proposal counts the list shows."""
    versions = (
        version_policy.instances_for(user, "view")
        .select_related("programme", "document", "uploaded_by")
        .annotate(
            proposal_count=Count("proposals"),
            proposed_count=Count("proposals", filter=Q(proposals__status=ProposalStatus.PROPOSED)),
            accepted_count=Count(
                "proposals",
                filter=Q(proposals__status__in=[ProposalStatus.ACCEPTED, ProposalStatus.EDITED]),
            ),
            rejected_count=Count("proposals", filter=Q(proposals__status=ProposalStatus.REJECTED)),
        )
        .defer("text")
        .order_by("-uploaded_at", "-pk")
    )
    if programme is not None:
        versions = versions.filter(programme=programme)
    if status in VersionStatus.values:
        versions = versions.filter(status=status)
    if publication in Publication.values:
        versions = versions.filter(publication=publication)
    if q:
        versions = versions.filter(Q(title__icontains=q) | Q(file_name__icontains=q))
    return versions


def version_get_for_user(user: Any, version_id: Any) -> DocumentVersion:
    """One version the user may review, or 404."""
    return version_policy.get_or_404(user, "view", pk=version_id)


def version_publication_summary(version: DocumentVersion) -> dict[str, int]:
    """How many of the version's proposals are accepted and how many wait, for the publish panel."""
    counts = version.proposals.aggregate(
        accepted=Count("pk", filter=Q(status__in=[ProposalStatus.ACCEPTED, ProposalStatus.EDITED])),
        undecided=Count("pk", filter=Q(status=ProposalStatus.PROPOSED)),
    )
    return {key: int(value or 0) for key, value in counts.items()}


def version_drafts(version: DocumentVersion) -> dict[str, list[Any]]:
    """The documents, targets and tasks accepting this version's proposals wrote as drafts."""
    accepted = version.proposals.filter(status__in=[ProposalStatus.ACCEPTED, ProposalStatus.EDITED])
    return {
        "targets": list(
            Target.objects.filter(pk__in=accepted.values("target_id"), status=RecordStatus.DRAFT).order_by(
                "position"
            )
        ),
        "tasks": list(
            Task.objects.filter(pk__in=accepted.values("task_id"), status=RecordStatus.DRAFT).order_by(
                "position"
            )
        ),
    }


def programme_list_for_upload(user: Any) -> QuerySet[Programme]:
    return programmes_for(user).select_related("jurisdiction").order_by("jurisdiction__code", "code")


def proposal_list(version: DocumentVersion) -> list[Proposal]:
    """A version's proposals in document order, with the target or task each became."""
    return list(
        version.proposals.select_related("decided_by", "target__document", "task__document").order_by(
            "start", "kind", "position"
        )
    )


# -- comparison with the programme ----------------------------------------------------------------


def target_as_dict(target: Target) -> dict[str, Any]:
    """A target in the keys of LABELLING.md, as the comparison reads it."""
    return {
        "id": target.pk,
        "code": target.code,
        "year": target.year,
        "metric": target.metric,
        "value": plain_number(target.value),
        "unit": target.unit or None,
        "qualifier": target.qualifier,
        "strive": target.strive,
        "cumulative": target.cumulative,
        "scope": target.scope,
        "quote": target.quote,
        "basis": target.basis,
    }


def task_as_dict(task: Task) -> dict[str, Any]:
    """A task in the keys of LABELLING.md (units as written), as the comparison reads it."""
    units = task.units_by_role()
    return {
        "id": task.pk,
        "code": task.code,
        "task": task.title,
        "lead": [u.written for u in units[UnitRole.LEAD]],
        "cooperating": [u.written for u in units[UnitRole.COOPERATING]],
        "quote": task.quote,
    }


def proposal_as_dict(proposal: Proposal) -> dict[str, Any]:
    """What a proposal says now: as confirmed where it was accepted, else as extracted."""
    data = dict(proposal.final_payload or proposal.payload)
    data.update(id=proposal.pk, start=proposal.start, status=proposal.status)
    return data


@dataclass
class VersionComparison:
    """A version's proposals against what the programme holds for the same document."""

    targets: Comparison
    tasks: Comparison
    fields: Comparison
    taxonomy_label: str = ""
    proposals: dict[int, Proposal] = field(default_factory=dict)

    def for_proposal(self, proposal: Proposal) -> Any:
        by_kind = {ProposalKind.TARGET: self.targets, ProposalKind.TASK: self.tasks}
        comparison = by_kind.get(ProposalKind(proposal.kind), self.fields)
        return comparison.for_proposal(proposal.pk)

    def counts(self) -> dict[str, Counter[str]]:
        return {
            "targets": Counter(self.targets.counts()),
            "tasks": Counter(self.tasks.counts()),
            "fields": Counter(self.fields.counts()),
        }


def version_comparison(
    version: DocumentVersion, proposals: list[Proposal] | None = None, *, fields: bool = True
) -> VersionComparison:
    """Compare a version with the targets and tasks of its document and (``fields``) its taxonomy.

    Accepted proposals stay paired with what they became; the rest are paired by the rules of
    :mod:`xiandao.policies.comparison`. A version of a document not yet in the programme has
    nothing to compare with: all its proposals are new.
    """
    proposals = proposal_list(version) if proposals is None else proposals
    by_kind: dict[str, list[Proposal]] = {kind: [] for kind in ProposalKind.values}
    for proposal in proposals:
        by_kind[proposal.kind].append(proposal)
    targets: list[Target] = []
    tasks: list[Task] = []
    if version.document_id is not None:
        # The document's targets and tasks in force, and the drafts this version wrote; not
        # what another draft wrote, nor what a withdrawn version's withdrawal retired.
        current = Q(status=RecordStatus.ACTIVE) | Q(status=RecordStatus.DRAFT, proposals__version=version)
        targets = list(
            Target.objects.filter(current, document_id=version.document_id).distinct().order_by("position")
        )
        tasks = list(
            Task.objects.filter(current, document_id=version.document_id, kind=TaskKind.TASK)
            .distinct()
            .prefetch_related(Prefetch("units", queryset=TaskUnit.objects.order_by("role", "position")))
            .order_by("position")
        )
    target_comparison = _compare(
        by_kind[ProposalKind.TARGET], targets, "target_id", target_as_dict, compare_target_sets
    )
    task_comparison = _compare(by_kind[ProposalKind.TASK], tasks, "task_id", task_as_dict, compare_task_sets)
    versions = programme_selectors.taxonomy_version_list(version.programme) if fields else []
    current_fields: list[dict[str, Any]] = []
    label = ""
    if versions:
        # The taxonomy this document defines, where it defines one; else the one in force.
        own = [v for v in versions if version.document_id and v.document_id == version.document_id]
        latest = (own or versions)[-1]
        label = latest.name
        current_fields = [
            {"id": f.pk, "name": f.name, "directions": [d.name for d in f.directions.all()]}
            for f in programme_selectors.taxonomy_fields(latest)
        ]
    field_comparison = compare_field_sets(
        [proposal_as_dict(p) for p in by_kind[ProposalKind.FIELD]], current_fields
    )
    return VersionComparison(
        target_comparison,
        task_comparison,
        field_comparison,
        taxonomy_label=label,
        proposals={p.pk: p for p in proposals},
    )


def _compare(proposals: list[Proposal], rows: list[Any], link: str, as_dict: Any, compare: Any) -> Comparison:
    current = {row.pk: as_dict(row) for row in rows}
    fixed = [
        (proposal_as_dict(p), current.pop(getattr(p, link)))
        for p in proposals
        if p.is_accepted and getattr(p, link) in current
    ]
    fixed_ids = {p["id"] for p, _ in fixed}
    open_proposals = [proposal_as_dict(p) for p in proposals if p.pk not in fixed_ids]
    result: Comparison = compare(open_proposals, list(current.values()), fixed)
    return result


def confirmed_upload_text(document: Any) -> str | None:
    """The text of the latest published upload of a document from which a proposal was accepted."""
    version = (
        DocumentVersion.objects.filter(
            document=document,
            publication=Publication.PUBLISHED,
            proposals__status__in=[ProposalStatus.ACCEPTED, ProposalStatus.EDITED],
        )
        .order_by("-uploaded_at", "-pk")
        .only("text")
        .first()
    )
    return version.text if version is not None else None


def proposals_waiting_todo(user: Any) -> list[Any]:
    """The workbench's to-do: uploaded documents whose proposals still wait for this admin's decision."""
    from django.urls import reverse

    from xiandao.core.providers import TodoItem

    waiting = (
        version_policy.instances_for(user, "change")
        .exclude(publication=Publication.WITHDRAWN)
        .filter(proposals__status=ProposalStatus.PROPOSED)
        .annotate(waiting=Count("proposals"))
        .order_by("-uploaded_at")
        .values_list("pk", "title", "waiting")[:5]
    )
    return [
        TodoItem(
            label=f"确认政策文件识别结果：{title}",
            url=reverse("policies:document_review", args=[pk]),
            count=n,
        )
        for pk, title, n in waiting
    ]


def versions_to_publish_todo(user: Any) -> list[Any]:
    """The workbench's to-do: drafts with accepted proposals, which the public will not see until published."""
    from django.urls import reverse

    from xiandao.core.providers import TodoItem

    drafts = (
        version_policy.instances_for(user, "change")
        .filter(
            publication=Publication.DRAFT,
            status=VersionStatus.READY,
            proposals__status__in=[ProposalStatus.ACCEPTED, ProposalStatus.EDITED],
        )
        .annotate(accepted=Count("proposals"))
        .order_by("-uploaded_at")
        .values_list("pk", "title", "accepted")[:5]
    )
    return [
        TodoItem(label=f"发布政策文件：{title}", url=reverse("policies:document_review", args=[pk]), count=n)
        for pk, title, n in drafts
    ]


def accepted_field_proposals(programme: Any) -> list[Any]:
    """Fields accepted from the programme's uploaded documents, newest first, for a new taxonomy version."""
    from xiandao.programmes.services.taxonomy import FieldProposal

    rows = (
        Proposal.objects.filter(
            version__programme=programme,
            kind=ProposalKind.FIELD,
            status__in=[ProposalStatus.ACCEPTED, ProposalStatus.EDITED],
        )
        .select_related("version")
        .order_by("-decided_at", "position")
    )
    found: dict[str, Any] = {}
    for row in rows:
        payload = row.final_payload or row.payload or {}
        name = str(payload.get("name", "")).strip()
        if name and name not in found:
            found[name] = FieldProposal(
                name=name,
                directions=tuple(str(d) for d in payload.get("directions", [])),
                source=row.version.title,
            )
    return list(found.values())
