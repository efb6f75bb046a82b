"""Who may see and change organisations and role assignments."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet

from xiandao.core.permissions import PermissionPolicy

from .models import Organisation, Role, RoleAssignment
from .selectors import user_scope


class AccountAction(StrEnum):
    VIEW = "view"  # see an organisation, its people and their roles
    MANAGE_ROLES = "manage_roles"  # grant and end roles of its people


class OrganisationPolicy(PermissionPolicy[Organisation]):
    """An organisation is visible inside the user's jurisdictions, parks and own organisations.

    Only a programme admin grants roles, and only to users of organisations in their jurisdictions.
    """

    model = Organisation
    actions = AccountAction

    def instances_for(self, user: Any, action: str) -> QuerySet[Organisation]:
        scope = user_scope(user)
        if scope.is_superuser:
            return Organisation.objects.all()
        if not getattr(user, "is_authenticated", False):
            return Organisation.objects.none()
        if action == AccountAction.VIEW:
            return Organisation.objects.filter(
                Q(jurisdiction_id__in=scope.jurisdiction_ids)
                | Q(park_id__in=scope.park_ids)
                | Q(pk__in=scope.organisation_ids)
            )
        if action == AccountAction.MANAGE_ROLES and scope.has_role(Role.PROGRAMME_ADMIN):
            return Organisation.objects.filter(jurisdiction_id__in=scope.jurisdiction_ids)
        return Organisation.objects.none()


class RoleAssignmentPolicy(PermissionPolicy[RoleAssignment]):
    model = RoleAssignment
    actions = AccountAction

    def instances_for(self, user: Any, action: str) -> QuerySet[RoleAssignment]:
        organisations = organisation_policy.instances_for(
            user, AccountAction.MANAGE_ROLES if action != AccountAction.VIEW else AccountAction.VIEW
        )
        return RoleAssignment.objects.filter(user__organisation__in=organisations)


organisation_policy = OrganisationPolicy()
role_assignment_policy = RoleAssignmentPolicy()
