"""Organisations over the API, scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from .permissions import organisation_policy

ROUTER_PREFIX = "/organisations"
router = Router(tags=["机构"])


class OrganisationDetailOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    jurisdiction_code: str
    aliases: list[str]


@router.get("/{organisation_id}", response=OrganisationDetailOut, summary="机构详情（限本人权限范围）")
def organisation_get(request: HttpRequest, organisation_id: int) -> dict[str, Any]:
    organisation = organisation_policy.get_or_404(request.user, "view", pk=organisation_id)
    return {
        "id": organisation.pk,
        "code": organisation.code,
        "name": organisation.name,
        "kind": organisation.kind,
        "jurisdiction_code": organisation.jurisdiction.code,
        "aliases": list(organisation.aliases.values_list("alias", flat=True)),
    }
