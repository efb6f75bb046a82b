"""Who may upload and decide: the admins of the programme, as ``programme_policy`` says for ``change``.

An uploaded version and its proposals are the programme's working papers, not public policy:
only those who may change the programme see them. Anyone else gets 404 (``get_or_404``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from xiandao.core.permissions import PermissionPolicy
from xiandao.programmes.models import Programme, RecordStatus
from xiandao.programmes.permissions import programme_policy

from .models import DocumentVersion, Proposal, Publication


def programmes_for(user: Any) -> QuerySet[Programme]:
    """The programmes a user may upload documents to and decide proposals for."""
    return programme_policy.instances_for(user, "change")


class DocumentVersionPolicy(PermissionPolicy[DocumentVersion]):
    """``view`` and ``change`` (publish, withdraw): the versions of programmes the user may change.

    ``download`` (the uploaded file itself): those, and the published versions of documents the
    public programme lists — a file is seen by exactly those who may see its document.
    """

    model = DocumentVersion

    def instances_for(self, user: Any, action: str) -> QuerySet[DocumentVersion]:
        own = Q(programme__in=programmes_for(user))
        if action == "download":
            public = Q(publication=Publication.PUBLISHED, document__status=RecordStatus.ACTIVE)
            return DocumentVersion.objects.filter(own | public)
        return DocumentVersion.objects.filter(own)


class ProposalPolicy(PermissionPolicy[Proposal]):
    """``view`` and ``decide``: the proposals of versions the user may change."""

    model = Proposal

    def instances_for(self, user: Any, action: str) -> QuerySet[Proposal]:
        return Proposal.objects.filter(version__programme__in=programmes_for(user))


version_policy = DocumentVersionPolicy()
proposal_policy = ProposalPolicy()
