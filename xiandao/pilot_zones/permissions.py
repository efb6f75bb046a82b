"""Who may see and move applications (申请报告), scoped like every other object.

* city officers (设区市发展改革委): the applications of their cities — write, submit, attest,
  recommend, or send back to the drafter before recommending;
* zone operators (开发区工作人员): the applications hosted in their parks — write and submit;
* programme admins (省发展改革委 / 省经信厅): the applications of their programmes once
  recommended (a draft is the city's business) — accept for review or return with reasons;
* everyone else: nothing (the expert review has its own policy in the review app).

Out-of-scope applications answer 404. ``role_for`` names the life-cycle role a user acts in
for an action, for ``lifecycle.move_check``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import user_scope
from xiandao.core.permissions import PermissionPolicy

from .lifecycle import Role as LifecycleRole
from .lifecycle import State
from .models import Application


class ApplicationAction(StrEnum):
    VIEW = "view"  # see an application, its revisions, attachments and history
    EDIT = "edit"  # write the draft, answer the conditions, upload attachments
    SUBMIT = "submit"  # submit the draft (or the corrected application) to the city's check
    ATTEST = "attest"  # the city's four checks, and sending it back to the drafter before recommending
    RECOMMEND = "recommend"  # the written recommendation to the province, with the stamped letter
    DECIDE = "decide"  # the province: accept for review, or return with reasons


#: The states in which the drafters may change the application.
EDITABLE: frozenset[str] = frozenset({State.DRAFT, State.RETURNED})
#: The states in which attachments (the stamped letter among them) may still be added.
ATTACHABLE: frozenset[str] = frozenset({State.DRAFT, State.RETURNED, State.SUBMITTED, State.ATTESTED})
#: The states before the province first sees an application.
CITY_ONLY: frozenset[str] = frozenset({State.DRAFT, State.SUBMITTED, State.ATTESTED})

_CITY_ACTIONS = {
    ApplicationAction.VIEW,
    ApplicationAction.EDIT,
    ApplicationAction.SUBMIT,
    ApplicationAction.ATTEST,
    ApplicationAction.RECOMMEND,
}
_OPERATOR_ACTIONS = {ApplicationAction.VIEW, ApplicationAction.EDIT, ApplicationAction.SUBMIT}
_ADMIN_ACTIONS = {ApplicationAction.VIEW, ApplicationAction.DECIDE}


def _seen_by_province() -> Q:
    """Recommended at least once (a returned one the province itself returned stays visible)."""
    return ~Q(status__in=CITY_ONLY) | Q(status_changes__action="recommend")


class ApplicationPolicy(PermissionPolicy[Application]):
    model = Application
    actions = tuple(ApplicationAction)

    def instances_for(self, user: Any, action: str) -> QuerySet[Application]:
        applications = Application.objects.all()
        if not getattr(user, "is_authenticated", False):
            return applications.none()
        scope = user_scope(user)
        if scope.is_superuser:
            return applications
        act = ApplicationAction(action)
        condition = Q(pk__in=[])
        if act in _CITY_ACTIONS and Role.CITY_OFFICER in scope.roles and scope.jurisdiction_ids:
            condition |= Q(city_id__in=scope.jurisdiction_ids)
        if act in _OPERATOR_ACTIONS and Role.ZONE_OPERATOR in scope.roles and scope.park_ids:
            condition |= Q(host_parks__in=scope.park_ids)
        if act in _ADMIN_ACTIONS and Role.PROGRAMME_ADMIN in scope.roles and scope.jurisdiction_ids:
            condition |= Q(programme__jurisdiction_id__in=scope.jurisdiction_ids) & _seen_by_province()
        return applications.filter(pk__in=applications.filter(condition).values("pk"))

    def candidate_users(self, instance: Application, action: str) -> QuerySet[Any]:
        roles = {
            ApplicationAction.DECIDE: [Role.PROGRAMME_ADMIN],
            ApplicationAction.SUBMIT: [Role.CITY_OFFICER, Role.ZONE_OPERATOR],
            ApplicationAction.EDIT: [Role.CITY_OFFICER, Role.ZONE_OPERATOR],
        }.get(ApplicationAction(action), [Role.CITY_OFFICER, Role.ZONE_OPERATOR, Role.PROGRAMME_ADMIN])
        return (
            get_user_model()
            .objects.filter(is_active=True, role_assignments__role__in=roles, is_superuser=False)
            .distinct()
        )


application_policy = ApplicationPolicy()


def role_for(user: Any, action: ApplicationAction) -> LifecycleRole:
    """The life-cycle role ``user`` acts in for ``action`` (a superuser acts in the role the step needs)."""
    scope = user_scope(user)
    if action == ApplicationAction.DECIDE:
        return LifecycleRole.PROGRAMME_ADMIN
    if action in (ApplicationAction.ATTEST, ApplicationAction.RECOMMEND):
        return LifecycleRole.CITY_OFFICER
    if Role.CITY_OFFICER in scope.roles or scope.is_superuser:
        return LifecycleRole.CITY_OFFICER
    return LifecycleRole.ZONE_OPERATOR


def application_actions_for(user: Any, application: Application) -> frozenset[str]:
    """The actions this user may take on this application now (which buttons to show)."""
    return frozenset(str(a) for a in application_policy.actions_for(user, application))
