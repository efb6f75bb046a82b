"""Who may upload and decide: the admins of the programme, as ``programme_policy`` says for ``change``.

An uploaded version and its proposals are the programme's working papers, not public policy:
only those who may change the programme see them. Anyone else gets 404 (``get_or_404``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from xiandao.core.permissions import PermissionPolicy
from xiandao.programmes.models import RecordStatus
from xiandao.programmes.permissions import programme_policy

from .models import DocumentVersion, Proposal, Publication

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme


class PolicyAction(StrEnum):
    VIEW = "view"  # see an uploaded version or a proposal
    CHANGE = "change"  # upload a version, withdraw it
    DECIDE = "decide"  # accept, edit or reject a proposal
    DOWNLOAD = "download"  # the uploaded file itself


def programmes_for(user: Any) -> QuerySet[Programme]:
    """The programmes a user may upload documents to and decide proposals for."""
    return programme_policy.instances_for(user, "change")


class DocumentVersionPolicy(PermissionPolicy[DocumentVersion]):
    """``view`` and ``change`` (publish, withdraw): the versions of programmes the user may change.

    ``download`` (the uploaded file itself): those, and the published versions of documents the
    public programme lists — a file is seen by exactly those who may see its document.
    """

    model = DocumentVersion
    actions = (PolicyAction.VIEW, PolicyAction.CHANGE, PolicyAction.DOWNLOAD)

    def instances_for(self, user: Any, action: str) -> QuerySet[DocumentVersion]:
        own = Q(programme__in=programmes_for(user))
        if action == PolicyAction.DOWNLOAD:
            public = Q(publication=Publication.PUBLISHED, document__status=RecordStatus.ACTIVE)
            return DocumentVersion.objects.filter(own | public)
        return DocumentVersion.objects.filter(own)


class ProposalPolicy(PermissionPolicy[Proposal]):
    """``view`` and ``decide``: the proposals of versions the user may change."""

    model = Proposal
    actions = (PolicyAction.VIEW, PolicyAction.DECIDE)

    def instances_for(self, user: Any, action: str) -> QuerySet[Proposal]:
        return Proposal.objects.filter(version__programme__in=programmes_for(user))


version_policy = DocumentVersionPolicy()
proposal_policy = ProposalPolicy()
