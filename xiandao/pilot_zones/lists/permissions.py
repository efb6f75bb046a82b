"""Who may see and move creation lists and run acceptance assessments.

The programme's admins (those who may change the programme) draft, consult, publish and assess;
a department officer sees and answers a list only while, and after, their department is consulted
on it. Anyone else gets 404. The published lists are public through the public selectors.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import QuerySet

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import user_scope
from xiandao.core.permissions import PermissionPolicy
from xiandao.programmes.permissions import ProgrammeAction, programme_policy

from ..models import PilotZone
from .models import CreationList


class ListAction(StrEnum):
    VIEW = "view"  # read the list, its entries, opinions and objections
    MANAGE = "manage"  # draft, decide entries, consult, public notice, objections, publish
    OPINE = "opine"  # give a consulted department's opinion


class ZoneAssessmentAction(StrEnum):
    ASSESS = "assess"  # start an acceptance assessment and record its result


class CreationListPolicy(PermissionPolicy[CreationList]):
    model = CreationList
    actions = ListAction

    def instances_for(self, user: Any, action: str) -> QuerySet[CreationList]:
        if not getattr(user, "is_authenticated", False):
            return CreationList.objects.none()
        administered = programme_policy.instances_for(user, ProgrammeAction.CHANGE)
        lists = CreationList.objects.filter(programme__in=administered)
        if action == ListAction.MANAGE:
            return lists
        scope = user_scope(user)
        if scope.has_role(Role.DEPARTMENT_OFFICER) and scope.organisation_ids:
            consulted = CreationList.objects.filter(consulted_departments__in=scope.organisation_ids).values(
                "pk"
            )
            if action == ListAction.OPINE:
                return CreationList.objects.filter(pk__in=consulted)
            return CreationList.objects.filter(pk__in=lists.values("pk")) | CreationList.objects.filter(
                pk__in=consulted
            )
        if action == ListAction.OPINE:
            return CreationList.objects.none()
        return lists

    def candidate_users(self, instance: CreationList, action: str) -> QuerySet[Any]:
        from xiandao.accounts.selectors import users_of_organisations

        if action == ListAction.OPINE:
            return users_of_organisations(
                instance.consulted_departments.values_list("pk", flat=True), role=Role.DEPARTMENT_OFFICER
            )
        return super().candidate_users(instance, action)


class ZoneAssessmentPolicy(PermissionPolicy[PilotZone]):
    """The admins of a zone's programme assess it (the programme's switch decides whether it applies)."""

    model = PilotZone
    actions = ZoneAssessmentAction

    def instances_for(self, user: Any, action: str) -> QuerySet[PilotZone]:
        if not getattr(user, "is_authenticated", False):
            return PilotZone.objects.none()
        return PilotZone.objects.filter(
            programme__in=programme_policy.instances_for(user, ProgrammeAction.CHANGE)
        )


creation_list_policy = CreationListPolicy()
zone_assessment_policy = ZoneAssessmentPolicy()
