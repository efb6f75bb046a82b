"""Back office: uploaded versions and proposals, read-only (decisions are made on the review page)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from xiandao.core.admin import ReadOnlyAdmin

from .models import DocumentVersion, Proposal
from .permissions import proposal_policy, version_policy


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme", "file_name", "status", "publication", "uploaded_by", "uploaded_at"]
    list_filter = ["status", "publication", "programme"]
    search_fields = ["title", "file_name"]
    # The file has no public address: it is downloaded from the review page, which checks who asks.
    exclude = ["text", "file"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return version_policy.instances_for(request.user, "view").select_related("programme", "uploaded_by")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "version", "kind", "status", "decided_by", "decided_at"]
    list_filter = ["kind", "status"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return proposal_policy.instances_for(request.user, "view").select_related("version", "decided_by")
