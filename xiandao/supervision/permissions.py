"""Who may follow and act on a programme's supervision.

- ``view`` (targets' progress, tasks, warnings, cockpit, 督查通报): the programme's admins (its
  jurisdiction), the departments that lead or join one of its tasks, the city officers of a city
  in it, and the national observer (every programme, read only).
- ``manage`` (work-list items, 督办, explanations): the programme's admins.
- ``compare`` (programmes side by side): the national observer and every programme admin.
Tasks: ``report`` — the organisations leading the task (a progress report) or joining it (their part).
Work items: ``answer`` — the units responsible for the item (the task's lead, the city's officers).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import user_scope
from xiandao.core.permissions import PermissionPolicy
from xiandao.programmes.models import UnitRole
from xiandao.programmes.selectors import programme_ids_with_units_of, programme_list, task_list_all

from .models import WorkItem

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme, Task


class SupervisionAction(StrEnum):
    VIEW = "view"
    MANAGE = "manage"
    COMPARE = "compare"
    REPORT = "report"  # a progress report on a task (lead) or a part of one (cooperating)
    LEAD = "lead"  # the lead unit's own actions: the report itself, a target's value
    ANSWER = "answer"  # answer a 督办, mark an item done


class ProgrammeSupervisionPolicy(PermissionPolicy["Programme"]):
    model = programme_list().model
    actions = (SupervisionAction.VIEW, SupervisionAction.MANAGE, SupervisionAction.COMPARE)

    def instances_for(self, user: Any, action: str) -> QuerySet[Programme]:
        scope = user_scope(user)
        programmes = programme_list()
        if scope.is_superuser:
            return programmes
        if action == SupervisionAction.MANAGE:
            if scope.has_role(Role.PROGRAMME_ADMIN):
                return programmes.filter(jurisdiction_id__in=scope.jurisdiction_ids)
            return programmes.none()
        if action == SupervisionAction.COMPARE:
            if scope.has_role(Role.OBSERVER):
                return programmes
            if scope.has_role(Role.PROGRAMME_ADMIN):
                return programmes.filter(jurisdiction_id__in=scope.jurisdiction_ids)
            return programmes.none()
        if scope.has_role(Role.OBSERVER):
            return programmes
        condition = Q(pk__in=[])
        if scope.has_role(Role.PROGRAMME_ADMIN, Role.CITY_OFFICER):
            condition |= Q(jurisdiction_id__in=scope.jurisdiction_ids)
            if scope.has_role(Role.CITY_OFFICER):
                # A city officer follows the provincial programme their city belongs to.
                from xiandao.geo.selectors import jurisdiction_with_ancestor_ids

                above = jurisdiction_with_ancestor_ids(scope.jurisdiction_ids) - set(scope.jurisdiction_ids)
                condition |= Q(jurisdiction_id__in=above, level="province")
        if scope.has_role(Role.DEPARTMENT_OFFICER) and scope.organisation_ids:
            condition |= Q(pk__in=programme_ids_with_units_of(scope.organisation_ids))
        return programmes.filter(condition).distinct()


class TaskSupervisionPolicy(PermissionPolicy["Task"]):
    """``view``: tasks of programmes the user follows; ``report``: the task's lead or cooperating units; ``lead``: its lead."""

    model = task_list_all().model
    actions = (SupervisionAction.VIEW, SupervisionAction.REPORT, SupervisionAction.LEAD)

    def instances_for(self, user: Any, action: str) -> QuerySet[Task]:
        tasks = task_list_all()
        if action == SupervisionAction.VIEW:
            return tasks.filter(
                programme__in=programme_supervision_policy.instances_for(user, SupervisionAction.VIEW)
            )
        scope = user_scope(user)
        if not scope.organisation_ids or not scope.has_role(Role.DEPARTMENT_OFFICER, Role.CITY_OFFICER):
            return tasks.none()
        roles = [UnitRole.LEAD] if action == SupervisionAction.LEAD else [UnitRole.LEAD, UnitRole.COOPERATING]
        return tasks.filter(units__organisations__in=scope.organisation_ids, units__role__in=roles).distinct()


class WorkItemPolicy(PermissionPolicy[WorkItem]):
    """``view`` as the programme; ``answer``: a task item's lead units, a city item's city officers."""

    model = WorkItem
    actions = (SupervisionAction.VIEW, SupervisionAction.ANSWER, SupervisionAction.MANAGE)

    def instances_for(self, user: Any, action: str) -> QuerySet[WorkItem]:
        if action == SupervisionAction.VIEW:
            return WorkItem.objects.filter(
                programme__in=programme_supervision_policy.instances_for(user, SupervisionAction.VIEW)
            )
        if action == SupervisionAction.MANAGE:
            return WorkItem.objects.filter(
                programme__in=programme_supervision_policy.instances_for(user, SupervisionAction.MANAGE)
            )
        scope = user_scope(user)
        condition = Q(pk__in=[])
        if scope.has_role(Role.DEPARTMENT_OFFICER) and scope.organisation_ids:
            condition |= Q(
                task__in=task_supervision_policy.instances_for(user, SupervisionAction.LEAD).values("pk")
            )
        if scope.has_role(Role.CITY_OFFICER):
            condition |= Q(city_id__in=scope.jurisdiction_ids)
        return WorkItem.objects.filter(condition)


programme_supervision_policy = ProgrammeSupervisionPolicy()
task_supervision_policy = TaskSupervisionPolicy()
work_item_policy = WorkItemPolicy()
