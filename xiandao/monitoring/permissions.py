"""Who may see, fill in, submit and approve reports, following each programme's approval chain.

* the first level (zone or park): the zone operators of the parks hosting the zone fill in and submit;
* an intermediate level (city, county): the city officers whose jurisdiction holds the report's
  city (or county) approve or return it while it waits there;
* the last level: the programme's administrators (province, or the city of a city programme)
  approve it, which locks it; they open periods, send 催报 and approve many reports at once;
* values are entered while a report is being filled in or was returned, by the zone's operators
  and by the city's and province's accounts (a statistics bureau's system pushes with a token of
  such an account); a change after approval needs a reason and goes round the chain again;
* third-party evaluators read the reports of their jurisdictions.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import UserScope, role_assignment_list_within, user_scope
from xiandao.core.permissions import PermissionPolicy
from xiandao.geo.selectors import jurisdiction_descendant_ids
from xiandao.pilot_zones.selectors import zone_list_in_parks
from xiandao.programmes.selectors import programme_list, programme_list_administered_by

from .checks import MonitoringSettings, settings_read
from .models import Report, ReportingPeriod, ReportStatus

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme


class MonitoringAction(StrEnum):
    VIEW = "view"  # see a report, its values, history and flags
    ENTER = "enter"  # fill in values, attach evidence (after approval: with a reason)
    SUBMIT = "submit"  # the first level sends it up the chain
    REVIEW = "review"  # approve or return it at the level it waits at
    COMMENT = "comment"  # write in a flag's thread


class PeriodAction(StrEnum):
    VIEW = "view"  # see a period's completeness and timeliness
    MANAGE = "manage"  # open periods, send 催报, approve many at once


REPORTER_LEVELS = frozenset({"zone", "park"})


def programme_settings(programme: Programme) -> MonitoringSettings:
    cached: MonitoringSettings | None = getattr(programme, "_monitoring_settings", None)
    if cached is None:
        cached = settings_read(programme.monitoring, programme.level)
        programme._monitoring_settings = cached  # type: ignore[attr-defined]
    return cached


def _programmes() -> list[Programme]:
    return list(programme_list().only("pk", "level", "monitoring", "jurisdiction_id"))


def _admin_q(scope: UserScope) -> Q:
    if Role.PROGRAMME_ADMIN in scope.roles and scope.jurisdiction_ids:
        return Q(period__programme__jurisdiction_id__in=scope.jurisdiction_ids)
    return Q(pk__in=[])


def _zone_q(scope: UserScope) -> Q:
    if Role.ZONE_OPERATOR in scope.roles and scope.park_ids:
        return Q(zone__in=zone_list_in_parks(scope.park_ids).values("pk"))
    return Q(pk__in=[])


def _city_q(scope: UserScope, field: str = "city_id") -> Q:
    if Role.CITY_OFFICER in scope.roles and scope.jurisdiction_ids:
        return Q(**{f"{field}__in": scope.jurisdiction_ids})
    return Q(pk__in=[])


def _level_q(scope: UserScope, level: str, final: bool) -> Q:
    """The reports this user acts on at ``level`` of a chain."""
    if final:
        return _admin_q(scope)
    if level in REPORTER_LEVELS:
        return _zone_q(scope)
    if level == "county":
        return _city_q(scope, "county_id")
    if level == "city":
        return _city_q(scope, "city_id")
    return Q(pk__in=[])


def _view_q(scope: UserScope) -> Q:
    condition = _admin_q(scope) | _zone_q(scope) | _city_q(scope) | _city_q(scope, "county_id")
    if Role.EVALUATOR in scope.roles and scope.jurisdiction_ids:
        condition |= Q(period__programme__jurisdiction_id__in=scope.jurisdiction_ids)
    return condition


class ReportPolicy(PermissionPolicy[Report]):
    model = Report
    actions = MonitoringAction

    def instances_for(self, user: Any, action: str) -> QuerySet[Report]:
        reports = Report.objects.all()
        if not getattr(user, "is_authenticated", False):
            return reports.none()
        scope = user_scope(user)
        act = MonitoringAction(action)
        if act in (MonitoringAction.VIEW, MonitoringAction.COMMENT):
            return reports if scope.is_superuser else reports.filter(_view_q(scope))
        if act == MonitoringAction.ENTER:
            editable = Q(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.APPROVED])
            if scope.is_superuser:
                return reports.filter(editable)
            who = _zone_q(scope) | _city_q(scope) | _city_q(scope, "county_id") | _admin_q(scope)
            return reports.filter(editable & who)
        if act == MonitoringAction.SUBMIT:
            waiting = Q(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
            return reports.filter(waiting) if scope.is_superuser else reports.filter(waiting & _zone_q(scope))
        # REVIEW: the level the report waits at, programme by programme.
        condition = Q(pk__in=[])
        for programme in _programmes():
            settings = programme_settings(programme)
            for stage in range(1, len(settings.levels)):
                level_q = (
                    Q()
                    if scope.is_superuser
                    else _level_q(scope, settings.levels[stage], stage == settings.final_stage)
                )
                condition |= Q(period__programme_id=programme.pk, stage=stage) & level_q
        return reports.filter(condition, status=ReportStatus.PENDING)


class PeriodPolicy(PermissionPolicy[ReportingPeriod]):
    model = ReportingPeriod
    actions = PeriodAction

    def instances_for(self, user: Any, action: str) -> QuerySet[ReportingPeriod]:
        periods = ReportingPeriod.objects.all()
        if not getattr(user, "is_authenticated", False):
            return periods.none()
        scope = user_scope(user)
        if scope.is_superuser:
            return periods
        act = PeriodAction(action)
        roles = {Role.PROGRAMME_ADMIN}
        if act == PeriodAction.VIEW:
            roles |= {Role.CITY_OFFICER, Role.EVALUATOR}
        if not (scope.roles & roles) or not scope.jurisdiction_ids:
            return periods.none()
        if (
            act == PeriodAction.VIEW
            and Role.PROGRAMME_ADMIN not in scope.roles
            and Role.EVALUATOR not in scope.roles
        ):
            # a city officer: the programmes their city takes part in (its province's, or its own)
            from xiandao.geo.selectors import jurisdiction_with_ancestor_ids

            reach = jurisdiction_with_ancestor_ids(scope.jurisdiction_ids)
            return periods.filter(programme__jurisdiction_id__in=reach)
        return periods.filter(programme__jurisdiction_id__in=scope.jurisdiction_ids)


report_policy = ReportPolicy()
period_policy = PeriodPolicy()


def programmes_managed(user: Any) -> QuerySet[Programme]:
    """The programmes whose periods this user opens and whose reports they approve last (their administrators)."""
    return programme_list_administered_by(user)


def may_manage(user: Any, programme: Programme) -> bool:
    return programmes_managed(user).filter(pk=programme.pk).exists()


def people_who(report: Report, action: str) -> list[Any]:
    """The users who may do ``action`` to ``report`` now: role holders inside the programme's jurisdiction."""
    programme = report.period.programme
    ids = jurisdiction_descendant_ids([programme.jurisdiction_id]) | {programme.jurisdiction_id}
    users = {a.user for a in role_assignment_list_within(ids, on=timezone.localdate())}
    return [u for u in sorted(users, key=lambda u: u.pk) if report_policy.user_may(u, action, report)]
