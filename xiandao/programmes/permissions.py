"""Who may see and change programmes: anyone sees them (public policy); their admins change them.

The settings and change history (计划设置, 变更记录) are read by the admins and by the experts and
evaluators of the province; anyone else gets 404.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import QuerySet

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import user_scope
from xiandao.core.permissions import PermissionPolicy

from .models import Programme


class ProgrammeAction(StrEnum):
    VIEW = "view"  # read the programme's public pages and API
    CHANGE = "change"  # edit its definition, upload documents, confirm proposals
    SETTINGS_VIEW = (
        "settings_view"  # read 计划设置 and 变更记录: its admins, the province's experts and evaluators
    )


class ProgrammePolicy(PermissionPolicy[Programme]):
    """``view``: every programme, for everyone. ``change``: programme admins whose jurisdiction holds it."""

    model = Programme
    actions = ProgrammeAction

    def instances_for(self, user: Any, action: str) -> QuerySet[Programme]:
        if action == ProgrammeAction.VIEW:
            return Programme.objects.all()
        scope = user_scope(user)
        if scope.is_superuser:
            return Programme.objects.all()
        if action == ProgrammeAction.CHANGE and scope.has_role(Role.PROGRAMME_ADMIN):
            return Programme.objects.filter(jurisdiction_id__in=scope.jurisdiction_ids)
        # Read-only viewers of the settings: the committee's experts and the third-party evaluators
        # who work to these rules; a city officer applies them and sees them on the public pages.
        if action == ProgrammeAction.SETTINGS_VIEW and scope.has_role(
            Role.PROGRAMME_ADMIN, Role.EXPERT, Role.EVALUATOR
        ):
            return Programme.objects.filter(jurisdiction_id__in=scope.jurisdiction_ids)
        return Programme.objects.none()


programme_policy = ProgrammePolicy()
